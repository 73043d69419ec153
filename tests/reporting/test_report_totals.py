"""reporting.selectors.report_totals sums reports' money in the database; summarise_report (the API's summary/)
sums each report's loaded lines. They must be one rule: the same figures for every report past submission, at two
sizes of the same data, and the dashboard's and the spending profile's totals equal to the summaries' sums.

The synthetic project (demo/synthetic.py: EUR, DKK, SEK and NOK lines at frozen rates, deductions, parked lines,
office flat rates) is varied where it is uniform: other flat rates (travel, staff, other costs), a partner reporting
in NOK, lump sums claimed and verified (one deducted), and parked lines verified with the partner's next report.
"""

from collections import defaultdict
from decimal import Decimal

import pytest

from consortium.models import Project
from demo.synthetic import seed_synthetic
from partners.cost_options import option_violations
from partners.models import LumpSum, LumpSumShare
from reporting.models import CertificateFigures, LineControl, LumpSumClaim, ProgressReport
from reporting.money import ZERO, summarise_report
from reporting.selectors import report_totals
from reporting.spending import spending_profile
from web.selectors import money_by_status

OPTIONS = [  # partner index -> cost options replacing the synthetic office flat rate
    {"office_option": "real", "office_flat_rate": None, "travel_option": "flat_staff",
     "travel_flat_rate": Decimal("15.00")},
    {"office_option": "flat_direct", "office_flat_rate": Decimal("7.00"), "staff_option": "flat_direct",
     "staff_flat_rate": Decimal("20.00")},
    {"office_option": "real", "office_flat_rate": None, "uses_other_costs_flat_rate": True,
     "other_costs_flat_rate": Decimal("40.00")},
]


def vary(project: Project) -> None:
    partners = list(project.partners.order_by("number"))
    for partner, options in zip(partners[1:], OPTIONS, strict=False):
        for name, value in options.items():
            setattr(partner, name, value)
        assert not option_violations(partner.cost_options)
        partner.save()
    norwegian = next(p for p in partners if p.organisation.country == "NO")
    norwegian.reporting_currency = "NOK"
    norwegian.save()

    reports = ProgressReport.objects.filter(partner__project=project, status__in=ProgressReport.DONE_STATUSES)
    for n, report in enumerate(reports.order_by("pk")[:6]):
        lump_sum = LumpSum.objects.create(project=project, name=f"Pilot {n}", amount=Decimal("3000.00"),
                                          period=report.period, achieved_date=report.period.end_date,
                                          evidence="Pilot report.")
        share = LumpSumShare.objects.create(lump_sum=lump_sum, partner=report.partner, amount=Decimal("1234.56"))
        claim = LumpSumClaim.objects.create(report=report, share=share, amount=share.amount)
        if report.status != ProgressReport.Status.APPROVED:
            verified = ZERO if n == 0 else claim.amount  # verified whole or not at all
            LineControl.objects.create(lump_sum_claim=claim, verified_amount=verified,
                                       certified_in=report if report.status == "certified" else None)

    # Lines parked and then verified with the partner's next certified report: one in another currency (the
    # synthetic parked line), one in EUR.
    controls = LineControl.objects.filter(expenditure__report__partner__project=project,
                                          expenditure__report__status="certified").order_by("pk")
    taken_up = set()
    for control in [*controls.filter(parked=True), *controls.filter(expenditure__currency="EUR")]:
        own = control.expenditure.report
        later = reports.filter(partner=own.partner, status="certified",
                               period__number__gt=own.period.number).order_by("period__number").first()
        in_eur = control.expenditure.currency == "EUR"
        if later is not None and in_eur not in taken_up:
            control.parked, control.verified_amount, control.certified_in = False, control.expenditure.amount, later
            control.save()
            taken_up.add(in_eur)
    assert taken_up == {True, False}
    # The above rewrites what certificates hold, which no service can (a certified report is read-only): the totals
    # stored when they were certified are forgotten, and stored again from what they hold now by the first reader.
    CertificateFigures.objects.filter(report__partner__project=project).delete()


@pytest.fixture(params=[1, 2], ids=["scale1", "scale2"])
def project(request, db):
    project = seed_synthetic(scale=request.param)
    vary(project)
    return project


def test_report_totals_equal_the_summaries_of_every_report(project):
    reports = ProgressReport.objects.filter(partner__project=project, status__in=ProgressReport.DONE_STATUSES)
    totals = {t.report_id: t for t in report_totals(reports)}
    assert set(totals) == set(reports.values_list("pk", flat=True))
    kinds = set()
    for report in reports.select_related("partner__project", "period"):
        summary, figures = summarise_report(report).eur, totals[report.pk]
        assert (figures.project_id, figures.partner_id, figures.period_number, figures.status) == (
            project.pk, report.partner_id, report.period.number, report.status)
        if report.status == ProgressReport.Status.CERTIFIED:
            assert (figures.verified_total, figures.verified_cofinancing, figures.eligible_total) == (
                summary.control.verified_total, summary.control.cofinancing, None), report
        else:
            assert (figures.eligible_total, figures.verified_total) == (summary.eligible_total, None), report
        kinds.add((report.status, report.partner.reporting_currency, bool(summary.lump_sums)))
    # Every status, a NOK partner's reports, and lump sums were compared.
    assert {k[0] for k in kinds} == set(ProgressReport.DONE_STATUSES)
    assert any(k[1] == "NOK" for k in kinds) and any(k[2] for k in kinds)


def test_dashboard_and_spending_profile_add_up_the_summaries(project):
    expected = defaultdict(lambda: ZERO)
    certified_by_period = defaultdict(lambda: ZERO)
    reports = ProgressReport.objects.filter(partner__project=project, status__in=ProgressReport.DONE_STATUSES)
    for report in reports.select_related("partner__project", "period"):
        summary = summarise_report(report).eur
        if report.status == ProgressReport.Status.CERTIFIED:
            expected["certified"] += summary.control.verified_total
            expected["certified_cofinancing"] += summary.control.cofinancing
            certified_by_period[report.period.number] += summary.control.verified_total
        else:
            expected[report.status] += summary.eligible_total
    money = money_by_status([project.pk])[project.pk]
    assert (money.certified, money.certified_cofinancing, money.in_control, money.approved) == (
        expected["certified"], expected["certified_cofinancing"], expected["in_control"], expected["approved"])
    profile = spending_profile(project)
    assert {p.number: p.certified for p in profile.periods if p.certified} == dict(certified_by_period)
