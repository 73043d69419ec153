from collections import defaultdict
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import PartnerTransfer, ProgrammePayment
from consortium.models import Project
from reporting.funder_report.collect import collect_funder_report
from reporting.models import Expenditure, LineControl, ProgressReport
from reporting.money import ZERO, summarise_report


def test_scale_one_has_the_demo_proportions(db):
    call_command("seed_synthetic", "--scale", "1", stdout=StringIO())
    project = Project.objects.get(acronym="SYNTH1")
    reports = ProgressReport.objects.filter(partner__project=project)
    assert (project.partners.count(), project.work_packages.count(), project.deliverables.count()) == (14, 6, 30)
    # The last round (period 3: reports 29–35) is at every step of the workflow; the rounds before it certified.
    assert reports.count() == 35
    assert sorted(reports.filter(period__number=3).values_list("status", flat=True)) == [
        "approved", "certified", "draft", "draft", "in_control", "submitted", "submitted"]
    assert set(reports.filter(period__number__lt=3).values_list("status", flat=True)) == {"certified"}
    assert Expenditure.objects.filter(report__in=reports).count() == 350
    assert not Expenditure.objects.filter(report__in=reports, amount_eur__isnull=True).exists()
    controls = LineControl.objects.filter(expenditure__report__in=reports)
    assert controls.filter(parked=True).exists() and controls.exclude(deduction_type="").exists()
    assert controls.filter(expenditure__report__status="in_control", verified_amount__isnull=True).exists()
    # What follows the certificates: a claim per round (the last a draft), paid and passed on; budget versions.
    assert list(project.claims.order_by("number").values_list("status", flat=True)) == [
        "finalised", "finalised", "draft"]
    assert ProgrammePayment.objects.filter(claim__project=project).exists()
    assert PartnerTransfer.objects.filter(claim__project=project).exists()
    assert list(project.budget_versions.order_by("number").values_list("status", flat=True)) == [
        "approved", "approved", "draft"]
    roles = dict(project.memberships.values_list("user__username", "role"))
    assert roles == {"synth1-mu": "management_unit", "synth1-coordinator": "coordinator",
                     "synth1-reporter": "reporter", "synth1-controller": "controller", "synth1-viewer": "viewer"}


def test_scale_three_multiplies_data_and_doubles_partners_and_work_packages(db):
    call_command("seed_synthetic", "--scale", "3", stdout=StringIO())
    project = Project.objects.get(acronym="SYNTH3")
    assert (project.partners.count(), project.work_packages.count(), project.deliverables.count()) == (28, 12, 90)
    assert ProgressReport.objects.filter(partner__project=project).count() == 105


def test_synthetic_project_is_reportable_and_money_is_frozen(db):
    from demo.synthetic import seed_synthetic

    project = seed_synthetic(scale=1, today=date(2026, 11, 15))
    last = ProgressReport.objects.filter(partner__project=project).order_by("-period__number").first()
    report = collect_funder_report(project, last.period, today=date(2026, 11, 15))
    total = next(r for r in report.finances if r.partner == "Total")
    certified = ProgressReport.objects.filter(partner__project=project, status="certified").select_related("partner")
    # The funder report counts certified money: what the controllers verified, below what was declared (deductions
    # and parked lines).
    verified = sum(summarise_report(r).control.verified_total for r in certified)
    assert total.cumulative == verified
    assert verified < sum(summarise_report(r).eligible_total for r in certified)


def test_existing_synthetic_project_is_left_alone(db):
    call_command("seed_synthetic", "--scale", "1", stdout=StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("seed_synthetic", "--scale", "1", stdout=StringIO())


@pytest.mark.parametrize("last", [True, False], ids=["last period", "earlier period"])
def test_the_reports_spending_profile_is_the_projects(db, last):
    """The funder report hands the spending profile its certified figures (issue 22: not summarised twice); the
    chart must still be the one the dashboard draws, also for an earlier period, whose later reports it loads."""
    from demo.synthetic import seed_synthetic
    from reporting.spending import spending_profile

    today = date(2026, 11, 15)
    project = seed_synthetic(scale=1, today=today)
    numbers = sorted(set(ProgressReport.objects.filter(partner__project=project)
                         .values_list("period__number", flat=True)))
    period = project.periods.get(number=numbers[-1] if last else numbers[-2])
    report = collect_funder_report(project, period, today=today)
    assert report.spending == spending_profile(project, today=today)
    assert any(p.certified for p in report.spending.periods if p.number > period.number) is not last


@pytest.mark.parametrize("scale", [1, 2])
def test_report_money_equals_each_reports_own_summary(db, scale):
    """The funder report sums its money from lines and controls loaded once for all reports, as plain records
    (issue 22); each partner's totals must equal those of summarise_report run on each report alone (its own
    queries, model instances): certified (verified, declared, deducted, parked) and not yet certified."""
    from demo.synthetic import seed_synthetic

    today = date(2026, 11, 15)
    project = seed_synthetic(scale=scale, today=today)
    period = ProgressReport.objects.filter(partner__project=project).order_by("-period__number").first().period
    report = collect_funder_report(project, period, today=today)
    certified, pending = defaultdict(lambda: [ZERO] * 4), defaultdict(lambda: ZERO)
    for item in ProgressReport.objects.filter(partner__project=project).select_related("partner__organisation"):
        label = f"{item.partner.code} {item.partner.organisation.short_name}"
        summary = summarise_report(item)
        if item.status == "certified":
            control = summary.control
            for index, value in enumerate((summary.eligible_total, control.verified_total, control.deducted_total,
                                           control.parked_total)):
                certified[label][index] += value
        elif item.status in ("approved", "in_control"):
            pending[(label, item.get_status_display())] += summary.eligible_total
    control_rows = {r.partner: r for r in report.control if r.is_total}
    finance_rows = {r.partner: r for r in report.finances if r.cost_category == "All categories"}
    assert certified and set(control_rows) == set(certified)
    for label, (declared, verified, deducted, parked) in certified.items():
        row = control_rows[label]
        assert (row.declared, row.verified, row.deducted, row.parked) == (declared, verified, deducted, parked)
        assert finance_rows[label].cumulative == verified
    assert pending and {(r.partner, r.status): r.eligible_cumulative for r in report.pending} == pending
