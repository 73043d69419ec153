"""The demo's partner reports: every state, rates frozen by the services, KU's open period empty, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from reporting.models import Expenditure, ProgressReport
from reporting.selectors import open_period_for


@pytest.fixture
def seeded(demo, settings):
    """The session's demo (tests/conftest.py); DEBUG on, so that a test may run seed_demo again."""
    settings.DEBUG = True
    return demo


def test_demo_has_reports_in_every_state_with_frozen_rates(seeded):
    assert set(ProgressReport.objects.values_list("status", flat=True)) == set(ProgressReport.Status.values)
    assert set(Expenditure.objects.values_list("currency", flat=True)) >= {"EUR", "DKK", "SEK"}
    submitted_lines = Expenditure.objects.exclude(report__status="draft")
    assert submitted_lines.exists() and not submitted_lines.filter(amount_eur__isnull=True).exists()
    assert not Expenditure.objects.filter(report__status="draft", amount_eur__isnull=False).exists()
    returned = ProgressReport.objects.filter(status="returned").first()
    assert returned.review_comment and returned.history.filter(history_user__username="mu").exists()


def test_ku_has_no_report_in_its_open_period(seeded):
    ku = seeded.partners.get(organisation__short_name="KU")
    period = open_period_for(ku)
    assert period is not None
    assert ku.progress_reports.filter(status="approved").exists()
    assert not ku.progress_reports.filter(period=period).exists()


def test_seeding_again_creates_no_reports(seeded):
    before = (ProgressReport.objects.count(), Expenditure.objects.count(), Expenditure.history.count())
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert (ProgressReport.objects.count(), Expenditure.objects.count(), Expenditure.history.count()) == before
    assert "Demo reports already exist" in output.getvalue()


def test_demo_partners_report_on_several_cost_option_sets(seeded):
    options = {p.organisation.short_name: p.cost_options for p in seeded.partners.select_related("organisation")}
    option_sets = {(o.office_option, o.travel_option, o.staff_option, o.uses_other_costs_flat_rate)
                   for o in options.values()}
    assert len(option_sets) >= 4
    assert (options["LU"].staff_is_flat, options["FERRING"].uses_other_costs_flat_rate,
            options["MVA"].office_option) == (True, True, "flat_direct")
    # Each declares only what its options leave at real cost.
    assert not Expenditure.objects.filter(report__partner__organisation__short_name="LU",
                                          report__partner__project=seeded, cost_category="staff").exists()
    assert set(Expenditure.objects.filter(report__partner__organisation__short_name="FERRING",
                                          report__partner__project=seeded).values_list("cost_category", flat=True)) \
        == {"staff"}


def test_demo_has_an_earlier_lump_sum_claimed_a_unit_cost_and_a_fixed_percentage_staff_line(seeded):
    from reporting.models import LumpSumClaim

    claims = LumpSumClaim.objects.filter(report__partner__project=seeded).select_related("share__lump_sum__period",
                                                                                        "report__period")
    assert claims.exists()
    assert all(claim.report.period.number == claim.share.lump_sum.period.number == 1 for claim in claims)
    assert all(claim.share.lump_sum.achieved_date <= claim.report.period.end_date for claim in claims)
    lines = Expenditure.objects.filter(report__partner__project=seeded)
    assert lines.filter(unit_cost__isnull=False, report__status="approved").exists()
    assert lines.filter(staff_method="fixed_percentage", report__status="approved").exists()
    assert lines.filter(staff_method="full_time").exists()


def test_demo_controllers_certified_reports_with_every_deduction_type_a_parked_line_and_nok(seeded):
    """controller-dk, -se and -no control their countries' partners of ReproUnion; the certified reports deduct for
    every reason, one line waits parked, one report is in control, and OUS's certificate is in NOK."""
    from consortium.models import Membership
    from reporting.models import DeductionType, LineControl
    from reporting.money import summarise_report

    controlled = {m.user.username: {p.organisation.country for p in m.controlled_partners.all()}
                  for m in Membership.objects.filter(project=seeded, role="controller").select_related("user")}
    assert controlled == {"controller-dk": {"DK"}, "controller-se": {"SE"}, "controller-no": {"NO"}}
    assert set(LineControl.objects.exclude(deduction_type="").values_list("deduction_type", flat=True)) \
        == set(DeductionType.values)
    assert LineControl.objects.filter(parked=True, certified_in__isnull=True).count() == 1
    assert ProgressReport.objects.filter(status="in_control").count() == 1
    ous = ProgressReport.objects.get(status="certified", partner__organisation__short_name="OUS")
    summary = summarise_report(ous)
    assert summary.currency == "NOK" and summary.control.complete
    assert summary.control.verified_total == summary.eligible_total - summary.control.deducted_total
