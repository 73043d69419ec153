"""`manage.py seed_demo`: the demo is mid-project, complete, idempotent, and refuses to run in production."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from consortium.models import Membership, Project, ReportingPeriod, Role, add_months, first_of_month, local_today
from reporting.models import ExchangeRate, ProgressReport
from workpackages.models import Deliverable

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo, settings):
    """The session's demo (tests/conftest.py); DEBUG on, so that a test may run seed_demo again."""
    settings.DEBUG = True
    return demo


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seeding_twice_creates_nothing_twice(seeded):
    before = row_counts()
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert row_counts() == before
    assert "nothing created" in output.getvalue()


def test_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())
    assert not Project.objects.exists()
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Project.objects.count() == 2


def test_prints_what_it_created_and_how_to_log_in(settings):
    settings.DEBUG = True
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert "Created:" in output.getvalue() and "deliverables" in output.getvalue()
    for username in ("mu", "coordinator", "reporter-ku", "reporter-lu", "viewer"):
        assert username in output.getvalue()
    assert "'demo'" in output.getvalue()


def test_reprounion_began_18_months_ago_and_runs_36_months(seeded):
    assert seeded.start_date == add_months(first_of_month(local_today()), -18)
    assert seeded.duration_months == 36
    assert seeded.programme.name == "Interreg VI-A Öresund-Kattegat-Skagerrak"


def test_reprounion_has_its_partnership_and_work_plan(seeded):
    shorts = set(seeded.partners.values_list("organisation__short_name", flat=True))
    assert len(shorts) >= 12 and {"KU", "LU", "FERRING", "MVA", "OUS"} <= shorts
    assert seeded.partners.filter(role="lead").count() == 1
    norwegian = seeded.partners.get(organisation__short_name="OUS")
    assert (str(norwegian.cofinancing_rate), norwegian.funding_source) == ("50.00", "norwegian_national")
    assert seeded.work_packages.count() >= 5
    assert all(wp.activities.exists() for wp in seeded.work_packages.all())
    assert set(seeded.indicators.values_list("code", flat=True)) >= {
        "RCO83", "RCO84", "RCO87", "RCO116", "RCR79", "RCR84", "RCR104"}
    assert seeded.indicators.get(code="RCR79").paired_output.code == "RCO83"
    assert seeded.milestones.filter(achieved_date__isnull=False).exists()


def test_reprounion_deliverables_cover_every_status_with_overdue_late_and_rescheduled(seeded):
    deliverables = list(seeded.deliverables.all())
    assert len(deliverables) >= 25
    assert {d.status for d in deliverables} == set(Deliverable.Status.values)
    assert Deliverable.objects.filter(project=seeded).overdue().exists()
    assert any(d.rescheduled for d in deliverables)
    # Every rescheduled deliverable says why, with its old and new date.
    for deliverable in (d for d in deliverables if d.rescheduled):
        change = deliverable.due_date_changes.get()
        assert (change.old_date, change.new_date) == (deliverable.original_due_date, deliverable.due_date)
        assert change.reason
    assert any(d.late for d in deliverables)
    today = local_today()
    assert all(d.submitted_date is None or d.submitted_date <= today for d in deliverables)


def test_periods_tile_each_project_with_reports_due_after_they_end(seeded):
    for project in Project.objects.all():
        periods = list(project.periods.order_by("number"))
        assert periods[0].start_date == project.start_date and periods[-1].end_date == project.end_date
        for earlier, later in zip(periods, periods[1:], strict=False):
            assert (later.start_date - earlier.end_date).days == 1
        for period in periods:
            period.full_clean()
            assert 59 <= (period.report_due_date - period.end_date).days <= 92
    assert ReportingPeriod.objects.filter(project=seeded).count() == 6


def test_budgets_effort_and_contacts_exist(seeded):
    ku = seeded.partners.get(organisation__short_name="KU")
    assert ku.budget_lines.filter(budget_version__number=1, period__isnull=True).count() >= 4
    assert ku.budget_lines.filter(budget_version__number=1, period__isnull=False).count() == 6
    assert ku.planned_effort.exists()
    kinds = set(seeded.contacts.values_list("kind", flat=True))
    assert {"project_manager", "finance", "communication", "partner_contact"} <= kinds
    assert all(email.endswith("@example.org") for email in seeded.contacts.values_list("email", flat=True))


def test_reprounion_has_an_approved_budget_version_two_from_period_three_within_flexibility(seeded):
    from partners.budget_selectors import flexibility_check

    first, second = seeded.budget_versions.order_by("number")
    assert (first.status, first.applies_from, second.status, second.applies_from) == (
        "approved", 1, "approved", 3)
    assert not second.needs_programme_approval and not flexibility_check(second).exceeding
    changed = {(p.organisation.short_name, c, old, new) for p, c, old, new in flexibility_check(second).rows
               if old != new}
    assert {(short, category) for short, category, _old, _new in changed} == {
        ("KU", "travel"), ("KU", "external"), ("LU", "equipment"), ("LU", "external")}
    assert all(r.forecast_next_period for r in ProgressReport.objects.filter(partner__project=seeded))


def test_exchange_rates_cover_every_month_up_to_this_one(seeded):
    earliest = Project.objects.order_by("start_date").first().start_date
    month, this_month = earliest, first_of_month(local_today())
    while month <= this_month:
        assert set(ExchangeRate.objects.filter(month=month).values_list("currency", flat=True)) == {
            "DKK", "SEK", "NOK"}
        month = add_months(month, 1)
    sek = {str(rate) for rate in ExchangeRate.objects.filter(currency="SEK").values_list("rate", flat=True)}
    assert len(sek) > 1, "the SEK rate wiggles from month to month"


def test_demo_users_hold_their_roles(seeded):
    diaunion = Project.objects.get(acronym="DiaUnion")

    def role(username, project):
        return Membership.objects.get(user__username=username, project=project)

    assert role("mu", seeded).role == role("mu", diaunion).role == Role.MANAGEMENT_UNIT
    assert role("coordinator", seeded).role == Role.COORDINATOR
    assert role("reporter-ku", seeded).partner.organisation.short_name == "KU"
    assert role("reporter-lu", seeded).partner.organisation.short_name == "LU"
    assert role("viewer", diaunion).role == Role.VIEWER
    assert {p.organisation.short_name for p in role("controller-no", seeded).controlled_partners.all()} == {"OUS"}
    assert role("controller-dk", seeded).role == role("controller-se", seeded).role == Role.CONTROLLER
    assert not Membership.objects.filter(user__username="viewer", project=seeded).exists()
    mu = Membership.objects.get(user__username="mu", project=seeded).user
    assert mu.is_staff and not mu.is_superuser and mu.check_password("demo")
    assert not apps.get_model("auth", "User").objects.filter(is_superuser=True).exists()


def test_with_admin_creates_a_superuser(seeded):
    call_command("seed_demo", "--with-admin", stdout=StringIO())
    admin = apps.get_model("auth", "User").objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo")
