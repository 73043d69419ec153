"""The admin: every model browsable by the MU; one mixin scopes rows and choices to the MU's projects."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from consortium.models import Project, Role
from partners.models import Organisation, Partner
from reporting.models import (
    DeliverableContribution,
    EffortReported,
    ExchangeRate,
    Expenditure,
    IndicatorProgress,
    ProgressReport,
    ProjectReport,
    WorkPackageProgress,
)
from tests import factories as f
from workpackages.models import Deliverable

OUR_APPS = {"consortium", "partners", "workpackages", "reporting", "claims", "sso"}
SUPERUSER_ONLY = {"consortium.calendarfeedtoken", "consortium.profile", "consortium.passwordresetrequest",
                  "reporting.remindersent", "sso.oidcidentity"}


@pytest.fixture
def demo(demo):
    """The session's demo (tests/conftest.py), plus every part of a report so that each reporting admin and
    inline has a row to show (rolled back after each test, like anything a test writes)."""
    repro = demo
    ku = repro.partners.get(organisation__short_name="KU")
    period = repro.periods.get(number=1)
    wp = repro.work_packages.get(number=2)
    report, _ = ProgressReport.objects.get_or_create(partner=ku, period=period)
    WorkPackageProgress.objects.get_or_create(report=report, work_package=wp,
                                              defaults={"narrative": "Data model drafted."})
    DeliverableContribution.objects.get_or_create(report=report, deliverable=repro.deliverables.get(code="D2.1"))
    IndicatorProgress.objects.get_or_create(report=report, indicator=repro.indicators.get(code="RCO87"),
                                            defaults={"value": Decimal("3")})
    EffortReported.objects.get_or_create(report=report, work_package=wp, defaults={"person_months": Decimal("4.50")})
    Expenditure.objects.create(report=report, cost_category="travel", description="Train Copenhagen–Lund",
                               amount=Decimal("240.00"), currency="DKK", invoice_date=date(2025, 6, 3))
    ProjectReport.objects.get_or_create(project=repro, period=period, defaults={"highlights": "Kick-off held."})
    _claim_rows(repro, period, ku)
    return repro


def _claim_rows(repro, period, ku) -> None:
    """A claim with a report, a verdict, a payment and a transfer, unless the demo holds each already."""
    from claims.models import Claim, ClaimAcceptance, ClaimReport, PartnerTransfer, ProgrammePayment

    claim = repro.claims.order_by("number").last() or Claim.objects.create(project=repro, period=period, number=1)
    if not ClaimReport.objects.filter(claim__project=repro).exists():
        report = ProgressReport.objects.filter(partner__project=repro, claim_entry__isnull=True).first()
        ClaimReport.objects.create(claim=claim, report=report)
    if not ClaimAcceptance.objects.filter(claim__project=repro).exists():
        ClaimAcceptance.objects.create(claim=claim, partner=ku, eligible=Decimal("100.00"))
    if not ProgrammePayment.objects.filter(claim__project=repro).exists():
        ProgrammePayment.objects.create(claim=claim, fund="erdf", date=date(2025, 9, 1), amount=Decimal("60.00"))
    if not PartnerTransfer.objects.filter(claim__project=repro).exists():
        PartnerTransfer.objects.create(claim=claim, partner=ku, date=date(2025, 9, 5), amount=Decimal("60.00"))


@pytest.fixture
def mu_client(client, demo):
    client.force_login(get_user_model().objects.get(username="mu"))
    return client


@pytest.fixture
def diaunion_mu(demo):
    """MU staff of DiaUnion only: a stranger to ReproUnion."""
    user = f.make_user("dia-mu", is_staff=True)
    f.add_member(user, Project.objects.get(acronym="DiaUnion"), Role.MANAGEMENT_UNIT)
    return user


def our_model_admins():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in OUR_APPS]


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def changelist_rows(client, model) -> list:
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    return list(response.context["cl"].queryset)


def test_every_project_model_has_an_admin():
    registered = {model._meta.label_lower for model, _ in our_model_admins()}
    expected = {m._meta.label_lower for m in apps.get_models()
                if m._meta.app_label in OUR_APPS and not m.__name__.startswith("Historical")}
    inline_only = {"reporting.workpackageprogress", "reporting.deliverablecontribution",
                   "reporting.indicatorprogress", "reporting.effortreported", "reporting.lumpsumclaim",
                   "partners.lumpsumshare", "reporting.attachment", "claims.claimreport", "claims.claimacceptance",
                   "reporting.certificatefigures"}
    assert expected - registered == inline_only


def test_audited_models_show_their_history_in_the_admin():
    audited = {model.__name__ for model, model_admin in our_model_admins()
               if isinstance(model_admin, SimpleHistoryAdmin)}
    assert audited == {"Partner", "BudgetLine", "Deliverable", "ProgressReport", "ProjectReport", "Expenditure",
                       "UnitCost", "LumpSum", "Contract", "LineControl", "Claim", "ProgrammePayment",
                       "PartnerTransfer", "Risk", "BudgetVersion"}


@pytest.fixture
def demo_in_control(demo):
    """A demo report in first-level control, so that line controls have rows to browse (taken into control here
    while the demo has none of its own)."""
    from reporting import services
    from reporting.models import LineControl, ProgressReport

    project = Project.objects.get(acronym="ReproUnion")
    if not LineControl.objects.filter(expenditure__report__partner__project=project).exists():
        report = ProgressReport.objects.filter(partner__project=project, status="approved").first()
        controller = f.make_user("demo-flc")
        f.add_member(controller, project, Role.CONTROLLER, controlled_partners=[report.partner])
        services.control_start(report=report, user=controller, notify=False)


@pytest.mark.usefixtures("demo_in_control")
def test_mu_browses_every_changelist_and_change_page(mu_client):
    for model, model_admin in our_model_admins():
        if model._meta.label_lower in SUPERUSER_ONLY:
            assert mu_client.get(url(model, "changelist")).status_code == 403
            continue
        rows = changelist_rows(mu_client, model)
        assert rows, f"{model.__name__} changelist is empty for the MU"
        change = mu_client.get(url(model, "change", rows[0].pk))
        assert change.status_code == 200, model.__name__
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert mu_client.get(url(model, "history", rows[0].pk)).status_code == 200, model.__name__


def test_mu_sees_both_demo_projects(mu_client):
    assert {p.acronym for p in changelist_rows(mu_client, Project)} == {"ReproUnion", "DiaUnion"}


def test_deliverable_flags_are_read_only_columns_and_status_follows_the_lifecycle(mu_client, demo):
    overdue = Deliverable.objects.filter(project=demo).overdue().first()
    response = mu_client.get(url(Deliverable, "change", overdue.pk))
    form = response.context["adminform"].form
    # The due date moves only with its reason, on the plan pages or through the API (DueDateChange).
    assert "status" not in form.fields and "due_date" not in form.fields and "title" in form.fields
    assert {"overdue", "late", "rescheduled", "due_month", "due_date"} <= set(
        response.context["adminform"].readonly_fields)
    assert f"M{overdue.due_month}" in response.content.decode()


def test_mu_staff_sees_only_their_projects(client, diaunion_mu, demo):
    client.force_login(diaunion_mu)
    assert [p.acronym for p in changelist_rows(client, Project)] == ["DiaUnion"]
    assert {p.project.acronym for p in changelist_rows(client, Partner)} == {"DiaUnion"}
    assert {d.project.acronym for d in changelist_rows(client, Deliverable)} == {"DiaUnion"}
    assert {r.partner.project.acronym for r in changelist_rows(client, ProgressReport)} <= {"DiaUnion"}


def test_foreign_objects_are_out_of_reach_for_mu_staff_of_another_project(client, diaunion_mu, demo):
    client.force_login(diaunion_mu)
    foreign_partner = demo.partners.get(organisation__short_name="FERRING")
    response = client.get(url(Partner, "change", foreign_partner.pk))
    assert response.status_code == 302 and response.url == reverse("admin:index")
    foreign_deliverable = demo.deliverables.first()
    assert client.get(url(Deliverable, "history", foreign_deliverable.pk)).status_code in (403, 404)
    report = ProgressReport.objects.filter(partner__project=demo).first()
    assert client.get(url(ProgressReport, "change", report.pk)).status_code == 302


def test_foreign_key_choices_are_scoped_to_the_users_projects(client, diaunion_mu, demo):
    client.force_login(diaunion_mu)
    form = client.get(url(Deliverable, "add")).context["adminform"].form
    assert {p.acronym for p in form.fields["project"].queryset} == {"DiaUnion"}
    assert {p.project.acronym for p in form.fields["lead_partner"].queryset} == {"DiaUnion"}
    assert {wp.project.acronym for wp in form.fields["work_package"].queryset} == {"DiaUnion"}


def test_mu_staff_cannot_add_a_partner_to_a_foreign_project(client, diaunion_mu, demo):
    client.force_login(diaunion_mu)
    organisation = f.make_organisation(short_name="NEWCO")
    response = client.post(url(Partner, "add"), {
        "project": demo.pk, "organisation": organisation.pk, "number": 40, "role": "partner",
        "cofinancing_rate": "60.00", "funding_source": "erdf", "office_flat_rate": "15.00",
        "budget_lines-TOTAL_FORMS": 0, "budget_lines-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200
    assert "project" in response.context["adminform"].form.errors
    assert not Partner.objects.filter(organisation=organisation).exists()


def test_only_a_superuser_creates_or_deletes_projects(mu_client, demo):
    assert mu_client.get(url(Project, "add")).status_code == 403
    assert mu_client.get(url(Project, "delete", demo.pk)).status_code == 403
    assert mu_client.get(url(Project, "change", demo.pk)).status_code == 200


def test_superuser_sees_everything(client, superuser, diaunion_mu, demo):
    client.force_login(superuser)
    assert {p.acronym for p in changelist_rows(client, Project)} == {"ReproUnion", "DiaUnion"}
    assert len(changelist_rows(client, Partner)) == Partner.objects.count()
    assert client.get(url(Partner, "change", demo.partners.first().pk)).status_code == 200


def test_staff_without_the_mu_role_sees_nothing_project_owned(client, demo):
    coordinator = get_user_model().objects.get(username="coordinator")
    coordinator.is_staff = True
    coordinator.save()
    client.force_login(coordinator)
    assert client.get(reverse("admin:index")).context["app_list"] == []
    assert client.get(url(Project, "changelist")).status_code == 403
    assert client.get(url(Partner, "change", demo.partners.first().pk)).status_code in (302, 403)


def test_exchange_rates_are_read_only_for_mu_staff(mu_client):
    rate = ExchangeRate.objects.first()
    response = mu_client.get(url(ExchangeRate, "change", rate.pk))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    assert mu_client.post(url(ExchangeRate, "change", rate.pk), {"currency": "SEK", "month": rate.month,
                                                                   "rate": "1.0000"}).status_code == 403
    assert mu_client.get(url(ExchangeRate, "add")).status_code == 403


def test_a_staff_user_given_the_exchange_rate_permission_maintains_rates(client, demo):
    from django.contrib.auth.models import Permission

    keeper = f.make_user("rate-keeper", is_staff=True)
    keeper.user_permissions.add(Permission.objects.get(codename="change_exchangerate"))
    client.force_login(keeper)
    rate = ExchangeRate.objects.first()
    response = client.get(url(ExchangeRate, "change", rate.pk))
    assert response.status_code == 200 and response.context["has_change_permission"]
    assert client.post(url(ExchangeRate, "change", rate.pk), {"currency": rate.currency, "month": rate.month,
                                                              "rate": "1.2345"}).status_code == 302
    rate.refresh_from_db()
    assert rate.rate == Decimal("1.2345")


def test_an_admin_edit_bumps_the_version_that_api_clients_send_back(mu_client):
    organisation = Organisation.objects.get(short_name="MAU")
    response = mu_client.post(url(Organisation, "change", organisation.pk), {
        "name": organisation.name, "short_name": "MAU", "country": "SE", "legal_status": "public",
        "nuts_region": "SE224", "vat_or_pic": "SE202100468701", "website": "",
    })
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.vat_or_pic, organisation.version) == ("SE202100468701", 2)
