from collections import defaultdict
from decimal import Decimal

from partners.models import CostCategory
from reporting.funder_report.collect import collect_funder_report
from reporting.money import ZERO, summarise_report
from tests.funder_report.conftest import NORDIC, TODAY, build_reported

LABELS = dict(CostCategory.choices)


def expected_money(approved, period):
    """partner code -> category label -> (this period, cumulative), straight from summarise_report()."""
    figures = defaultdict(lambda: defaultdict(lambda: [ZERO, ZERO]))
    cofinancing = defaultdict(lambda: [ZERO, ZERO])
    for report in approved:
        summary = summarise_report(report)
        label = f"{report.partner.code} {report.partner.organisation.short_name}"
        for category, total in summary.categories.items():
            figures[label][str(LABELS[category])][1] += total.total
            if report.period_id == period.pk:
                figures[label][str(LABELS[category])][0] += total.total
        cofinancing[label][1] += summary.cofinancing
        if report.period_id == period.pk:
            cofinancing[label][0] += summary.cofinancing
    return figures, cofinancing


def test_finances_equal_summarise_report_per_partner_and_category(reported, world):
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    figures, _ = expected_money(reported.approved, world.period2)
    rows = {(r.partner, r.cost_category): r for r in report.finances}
    for partner, categories in figures.items():
        for category, (this_period, cumulative) in categories.items():
            if not (this_period or cumulative):
                continue
            row = rows[(partner, category)]
            assert (row.this_period, row.cumulative) == (this_period, cumulative), (partner, category)
            assert row.remaining == row.budget - row.cumulative
        total = rows[(partner, "All categories")]
        assert total.cumulative == sum((c[1] for c in categories.values()), ZERO)


def test_cofinancing_equals_summarise_report_and_splits_by_funding_source(reported, world):
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    _, cofinancing = expected_money(reported.approved, world.period2)
    rows = {r.partner: r for r in report.cofinancing}
    for partner, (this_period, cumulative) in cofinancing.items():
        assert (rows[partner].cofinancing_this_period, rows[partner].cofinancing_cumulative) == (this_period,
                                                                                                   cumulative)
    sources = {s.funding_source: s.cofinancing_cumulative for s in report.funding_sources}
    assert sources == {
        "ERDF (EU)": cofinancing["PP1 KU"][1] + cofinancing["PP2 LU"][1],
        "Norwegian national Interreg funds": cofinancing["PP3 OUS"][1],
    }


def test_submitted_report_is_listed_but_not_counted_in_money(reported, world):
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    lu_travel = next(r for r in report.finances
                     if r.partner == "PP2 LU" and r.cost_category == "Travel & accommodation")
    assert lu_travel.this_period == ZERO  # the 77,777.77 line sits in a submitted report
    statuses = {(r.partner, r.status, r.counted) for r in report.reports}
    assert statuses == {("PP1 KU", "Certified", True), ("PP2 LU", "Submitted", False), ("PP3 OUS", "Draft", False)}
    assert "certified amounts only" in report.money_basis


def test_flat_rate_is_fifteen_percent_of_staff_rounded_down_per_report(reported, world):
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    ku = next(r for r in report.flat_rates if r.partner == "PP1 KU")
    # P1: 120.50 h × 45.35 = 5,464.68 → 819.70 (819.702); P2: 80 h × 52.33 = 4,186.40 → 627.96
    assert (ku.flat_rate, ku.rate) == ("Office & administration on direct staff costs", Decimal("15.00"))
    assert (ku.base_this_period, ku.base_cumulative, ku.amount_this_period, ku.amount_cumulative) == (
        Decimal("4186.40"), Decimal("9651.08"), Decimal("627.96"), Decimal("1447.66"))


def test_cover_narrative_partners_and_plan_are_collected(reported, world):
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    cover = report.cover
    assert (cover.project_acronym, cover.period_number, cover.lead_partner, cover.generated_on, cover.version) == (
        "ALPHA", 2, "University of Copenhagen", TODAY, 1)
    assert report.narrative.highlights == f"Highlights: {NORDIC}"
    assert [(p.code, p.role, p.country) for p in report.partners] == [("PP1", "LP", "DK"), ("PP2", "PP", "SE"),
                                                                        ("PP3", "PP", "NO")]
    assert report.partners[0].contact_person.startswith("Søren")
    assert [b.code for b in report.gantt.bars] == ["WP1", "WP2", "A2.1"]
    assert report.gantt.today_month == 23 and report.gantt.period_months == (13, 24)
    assert {(m.code, m.month, m.achieved) for m in report.gantt.milestones} == {("MS1", 3, True), ("MS2", 21, False)}
    assert {d.code for d in report.deliverables} == {d.code for d in reported.deliverables}


def test_deliverable_flags_are_computed_against_the_report_date(reported, world):
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    rows = {d.code: d for d in report.deliverables}
    for deliverable in reported.deliverables:
        row = rows[deliverable.code]
        assert row.overdue == deliverable.overdue_on(TODAY)
        assert (row.late, row.rescheduled, row.due_month) == (deliverable.late, deliverable.rescheduled,
                                                              deliverable.due_month)


def test_indicators_effort_and_progress_come_from_approved_reports(reported, world):
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    (indicator,) = report.indicators
    # P1: three approved reports × 2; P2: KU × 1 (LU's submitted report has no values)
    assert (indicator.this_period, indicator.cumulative, indicator.percent_of_target) == (
        Decimal("1"), Decimal("7"), Decimal("87.50"))
    effort = {(e.partner, e.work_package): (e.planned, e.reported) for e in report.effort}
    assert effort[("PP1 KU", "WP1")] == (Decimal("6.00"), Decimal("7.00"))
    assert effort[("PP2 LU", "WP2")] == (Decimal("24.00"), ZERO)
    wp1 = next(s for s in report.work_packages if s.code == "WP1")
    assert [(e.partner, e.period_number) for e in wp1.entries] == [("PP1 KU", 2)]


def test_exchange_rates_used_are_the_frozen_ones(reported, world):
    report = collect_funder_report(world.project, world.period2, today=TODAY)
    assert {(r.currency, str(r.rate), r.lines) for r in report.exchange_rates} == {
        ("DKK", "7.4613", 1), ("DKK", "7.4600", 1), ("NOK", "11.7925", 1), ("SEK", "11.2034", 1)}


# The collect step's queries, whatever the data size:
#  1 project + programme        2 partners + organisations     3 partner contacts
#  4 work packages              5 activities                   6 milestones
#  7 deliverables               8 indicators                   9 planned effort
# 10 budget lines              11 the MU's project report     12 partner reports up to the period
# 13 expenditure lines         14 WP narratives               15 indicator values
# 16 reported effort (13–16 of reports whose content the MU approved: approved, in control, certified)
# 17 lump sums                 18 their shares                19 the shares those reports claimed
# 20 the line controls of the reports in control or certified (their certificates: the money counted)
# 21 the risks not closed       22 the due date changes (the rescheduling history)
# 23 the budget version in force for the period (10 is then its lines)
# 24-36 the spending profile (reporting/spending.py): project, periods, partners, approved budget versions,
#       their lines, lump-sum shares, the certified reports' verified totals (reporting.selectors.report_totals:
#       six queries whatever the number of lines, the certificates' stored totals read in one after one finding any
#       not stored yet; issue 22), and the reports' forecasts
COLLECT_QUERIES = 36


def test_collect_runs_a_fixed_number_of_queries_on_a_small_dataset(world, django_assert_num_queries):
    build_reported(world, scale=1)
    with django_assert_num_queries(COLLECT_QUERIES):
        collect_funder_report(world.project, world.period2, today=TODAY)


def test_collect_runs_the_same_number_of_queries_on_a_ten_times_larger_dataset(world, django_assert_num_queries):
    data = build_reported(world, scale=10)
    assert len(data.deliverables) == 100
    with django_assert_num_queries(COLLECT_QUERIES):
        report = collect_funder_report(world.project, world.period2, today=TODAY)
    assert len(report.deliverables) == 100
