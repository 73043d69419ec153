"""The hand-computed reference cases of the cost options, end to end: a partner on each option set reports the
case's lines, the report is submitted and approved, and the API's summary and the funder report (its dataclass
and the XLSX cells) show the case's amounts to the cent. Then the exclusions, each refused at submission by line.

The amounts are those of tests/reporting/test_cost_options.py's REFERENCE_CASES, whose comments work out every
step; the eligible totals and co-financing below are worked out here. ⌊x⌋ rounds down to the cent.
"""

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from partners import services as partner_services
from partners.cost_options import CostOptions
from reporting import services
from reporting.funder_report.collect import collect_funder_report
from reporting.funder_report.xlsx import render_xlsx
from reporting.models import Expenditure, LumpSumClaim, ProgressReport
from tests.reporting.helpers import certify_as_declared
from tests.reporting.test_cost_options import (
    OFFICE_7_ON_DIRECT,
    OFFICE_15_ON_STAFF,
    OTHER_COSTS_40,
    REFERENCE_CASES,
    STAFF_20_AND_OFFICE_15,
    STAFF_20_ON_DIRECT,
    TRAVEL_15_ON_STAFF,
    WHOLE_CHAIN,
)

D = Decimal

# case id -> (eligible total, ERDF 60 % co-financing): declared lines + flat rates, then ⌊60 % × eligible⌋.
TOTALS = {
    # 1,234.57 + office 185.18 = 1,419.75; × 60 % = 851.85
    "office-15-on-staff": ("1419.75", "851.85"),
    # 10,000.00 + 1,234.56 + 2,000.00 + 345.67 = 13,580.23; + office 950.61 = 14,530.84; × 60 % = 8,718.504 → 8,718.50
    "office-7-on-direct-costs": ("14530.84", "8718.50"),
    # 8,333.33 + 500.00 = 8,833.33; + travel 1,249.99 = 10,083.32; × 60 % = 6,049.992 → 6,049.99
    "travel-15-on-staff": ("10083.32", "6049.99"),
    # 1,000.01 + 4,000.00 + 999.99 + 2,500.03 = 8,500.03; + staff 1,700.00 = 10,200.03; × 60 % = 6,120.018 → 6,120.01
    "staff-20-on-direct-costs-other-than-staff": ("10200.03", "6120.01"),
    # 12,345.67 + other costs 4,938.26 = 17,283.93; × 60 % = 10,370.358 → 10,370.35
    "other-costs-40-on-staff": ("17283.93", "10370.35"),
    # 10,000.00 + 2,500.57 = 12,500.57; + staff 2,500.11 + office 375.01 = 15,375.69; × 60 % = 9,225.414 → 9,225.41
    "staff-20-then-office-15-on-flat-rated-staff": ("15375.69", "9225.41"),
    # 20,000.03 + 1,500.00 = 21,500.03; + travel 3,000.00 + office 1,715.00 = 26,215.03; × 60 % = 15,729.018 → 15,729.01
    "travel-15-then-office-7-on-direct-costs-including-flat-travel": ("26215.03", "15729.01"),
    # 16,072.00 + 3,448.67 + 3,646.00 = 23,166.67; + 4,633.33 + 694.99 + 1,994.64 = 30,489.63;
    # × 60 % = 18,293.778 → 18,293.77
    "whole-chain-staff-flat-travel-on-staff-office-on-direct": ("30489.63", "18293.77"),
    # 1,234.57 + office 154.32 = 1,388.89; × 60 % = 833.334 → 833.33
    "rate-with-two-decimals": ("1388.89", "833.33"),
    # 1,000.00 + 150.00 + 99.99 = 1,249.99; × 60 % = 749.994 → 749.99
    "all-real-costs": ("1249.99", "749.99"),
}


def options_data(options: CostOptions) -> dict:
    return {name: getattr(options, name) for name in (
        "office_option", "office_flat_rate", "travel_option", "travel_flat_rate", "staff_option", "staff_flat_rate",
        "uses_other_costs_flat_rate", "other_costs_flat_rate")}


def set_options(partner, options: CostOptions):
    return partner_services.partner_update(partner=partner, expected_version=partner.version,
                                           data=options_data(options))


def line_data(category: str, amount: Decimal) -> dict:
    """One EUR line of `amount`: a staff line costed full time for one month (its amount is the monthly cost)."""
    if category == "staff":
        return {"cost_category": "staff", "description": "Researcher", "employee": "A. Jensen",
                "staff_method": "full_time", "monthly_gross_cost": amount, "months": D("1"), "currency": "EUR"}
    return {"cost_category": category, "description": f"{category} invoice", "supplier": "Supplier A/S",
            "amount": amount, "currency": "EUR"}


def certified_report(world, reporter, mu, declared: dict[str, Decimal]) -> ProgressReport:
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter)
    report = services.report_update(report=report, expected_version=report.version, user=reporter, data={
        "work_package_progress": [{"work_package": world.wp1, "narrative": "Done.", "objective_status": "fully"}]})
    for category, amount in declared.items():
        if amount:
            services.expenditure_add(report=report, user=reporter, data=line_data(category, amount))
    services.report_submit(report=report, user=reporter, notify=False)
    services.report_approve(report=report, user=mu, notify=False)
    return certify_as_declared(report)  # the funder report counts certified money


def xlsx_rows(report, sheet: str) -> list[tuple]:
    workbook = load_workbook(BytesIO(render_xlsx(report)))
    return [row for row in workbook[sheet].iter_rows(min_row=2, values_only=True) if row[0]]


@pytest.mark.parametrize("options, declared, expected", REFERENCE_CASES)
def test_reference_case_equals_the_api_summary_and_the_funder_report(request, world, reporter_a, mu, api_client,
                                                                     options, declared, expected):
    case = request.node.callspec.id
    eligible, cofinancing = (D(figure) for figure in TOTALS[case])
    set_options(world.partner_a, options)
    report = certified_report(world, reporter_a, mu, declared)

    summary = api_client(mu).get(f"/api/progress-reports/{report.pk}/summary/").json()
    api_flat = {row["flat_rate"]: (D(row["rate"]), D(row["base"]), D(row["amount"])) for row in summary["flat_rates"]}
    assert api_flat == {name: (flat.rate, flat.base, flat.amount) for name, flat in expected.items()}
    assert (D(summary["eligible_total"]), D(summary["cofinancing"][0]["amount"])) == (eligible, cofinancing)
    assert D(summary["flat_rate_total"]) == sum((flat.amount for flat in expected.values()), D("0.00"))

    funder = collect_funder_report(world.project, world.period1)
    rows = [r for r in funder.flat_rates if r.partner == "PP1 KU"]
    assert sorted((r.rate, r.base_this_period, r.amount_this_period) for r in rows) == sorted(
        (flat.rate, flat.base, flat.amount) for flat in expected.values())
    assert all((r.base_cumulative, r.amount_cumulative) == (r.base_this_period, r.amount_this_period) for r in rows)
    ku_cofinancing = next(r for r in funder.cofinancing if r.partner == "PP1 KU")
    assert (ku_cofinancing.eligible_this_period, ku_cofinancing.cofinancing_this_period) == (eligible, cofinancing)
    ku_total = next(r for r in funder.finances if r.partner == "PP1 KU" and r.is_total)
    assert ku_total.this_period == eligible

    # What the renderer writes is what the dataclass holds: the XLSX cells, read back.
    sheet = {row[1]: row for row in xlsx_rows(funder, "Flat rates") if row[0] == "PP1 KU"}
    assert sorted((D(str(row[2])), D(str(row[3])), D(str(row[4]))) for row in sheet.values()) == sorted(
        (flat.rate, flat.base, flat.amount) for flat in expected.values())
    cofinancing_cells = next(row for row in xlsx_rows(funder, "Co-financing") if row[0] == "PP1 KU")
    assert (D(str(cofinancing_cells[3])), D(str(cofinancing_cells[4]))) == (eligible, cofinancing)


# One per exclusion: (options, the line categories of the report, the lines refused, what the refusal says).
EXCLUSIONS = [
    pytest.param(OFFICE_15_ON_STAFF, ["staff", "office_admin"], [1], "office & administration flat rate on direct "
                 "staff costs (15.00 %); real office & administration costs", id="office-flat-rate-no-real-office"),
    pytest.param(OFFICE_7_ON_DIRECT, ["office_admin", "external"], [0], "office & administration flat rate on "
                 "direct costs (7.00 %)", id="office-on-direct-no-real-office"),
    pytest.param(TRAVEL_15_ON_STAFF, ["staff", "travel"], [1], "travel & accommodation flat rate on direct staff "
                 "costs (15.00 %); real travel", id="travel-flat-rate-no-real-travel"),
    pytest.param(STAFF_20_ON_DIRECT, ["staff", "external"], [0], "staff flat rate on direct costs other than staff "
                 "costs (20.00 %); real staff costs", id="staff-flat-rate-no-real-staff"),
    pytest.param(OTHER_COSTS_40, ["staff", "travel", "external", "equipment", "infrastructure", "office_admin"],
                 [1, 2, 3, 4, 5], "other-costs flat rate of 40.00 % of direct staff costs, which covers",
                 id="other-costs-only-staff"),
]


@pytest.mark.parametrize("options, categories, refused, message", EXCLUSIONS)
def test_each_exclusion_is_refused_at_submission_by_line(world, reporter_a, api_client, options, categories,
                                                         refused, message):
    set_options(world.partner_a, options)
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    report = services.report_update(report=report, expected_version=report.version, user=reporter_a, data={
        "work_package_progress": [{"work_package": world.wp1, "narrative": "Done."}]})
    lines = [services.expenditure_add(report=report, user=reporter_a, data=line_data(category, D("100.00")))
             for category in categories]
    response = api_client(reporter_a).post(f"/api/progress-reports/{report.pk}/submit/")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert sorted(fields) == [f"expenditures[{index}].cost_category" for index in refused]
    assert all(message in messages[0] for messages in fields.values())
    report.refresh_from_db()
    assert report.status == "draft" and not Expenditure.objects.filter(pk__in=[x.pk for x in lines],
                                                                       amount_eur__isnull=False).exists()


def test_a_submission_violating_two_exclusions_lists_both_by_line_and_changes_nothing(world, reporter_b,
                                                                                      api_client, rates):
    # LU: staff 20 % of the other direct costs, office 15 % of that staff: real staff and real office are refused.
    set_options(world.partner_b, STAFF_20_AND_OFFICE_15)
    client = api_client(reporter_b)
    report = client.post("/api/progress-reports/", {"partner": world.partner_b.pk, "period": world.period1.pk,
                                                    "work_package_progress": [{"work_package": world.wp2.pk,
                                                                               "narrative": "Cohort recruited."}]},
                         format="json").json()
    bodies = [
        {"cost_category": "external", "description": "Lab analyses", "amount": "4000.00", "currency": "SEK"},
        {"cost_category": "staff", "description": "Postdoc", "employee": "E. Berg", "hours": "100",
         "annual_gross_cost": "780000.00", "currency": "SEK"},
        {"cost_category": "equipment", "description": "Freezer", "amount": "900.00", "currency": "EUR"},
        {"cost_category": "office_admin", "description": "Rent", "amount": "1200.00", "currency": "SEK"},
    ]
    ids = [client.post("/api/expenditures/", {"report": report["id"], **body}, format="json").json()["id"]
           for body in bodies]
    history_before = (ProgressReport.history.count(), Expenditure.history.count())

    response = client.post(f"/api/progress-reports/{report['id']}/submit/")

    assert response.status_code == 400
    assert response.json()["fields"] == {
        "expenditures[1].cost_category": [
            "Your organisation claims the staff flat rate on direct costs other than staff costs (20.00 %); real staff "
            "costs cannot be declared as well."],
        "expenditures[3].cost_category": [
            "Your organisation claims the office & administration flat rate on direct staff costs (15.00 %); real "
            "office & administration costs cannot be declared as well."],
    }
    assert "2 problem(s)" in response.json()["detail"]
    stored = ProgressReport.objects.get(pk=report["id"])
    assert (stored.status, stored.version, stored.submitted_at) == ("draft", report["version"], None)
    assert list(Expenditure.objects.filter(pk__in=ids).values_list("amount_eur", "exchange_rate")) == [(None, None)] * 4
    assert (ProgressReport.history.count(), Expenditure.history.count()) == history_before
    assert not LumpSumClaim.objects.exists()


def test_the_whole_chain_summary_shows_each_flat_rate_as_rate_times_base(world, reporter_a, mu, api_client):
    set_options(world.partner_a, WHOLE_CHAIN)
    report = certified_report(world, reporter_a, mu, {"external": D("16072.00"), "equipment": D("3448.67"),
                                                     "infrastructure": D("3646.00")})
    summary = api_client(reporter_a).get(f"/api/progress-reports/{report.pk}/summary/").json()
    assert [(row["flat_rate"], row["cost_category"], row["computation"]) for row in summary["flat_rates"]] == [
        ("staff", "staff", "20.00 % × 23,166.67 = 4,633.33"),
        ("travel", "travel", "15.00 % × 4,633.33 = 694.99"),
        ("office", "office_admin", "7.00 % × 28,494.99 = 1,994.64"),
    ]
    categories = {row["cost_category"]: row for row in summary["categories"]}
    assert (categories["staff"]["declared"], categories["staff"]["flat_rate"], categories["staff"]["total"]) == (
        "0.00", "4633.33", "4633.33")
    assert summary["other_costs_flat_rate"] == "0.00" and summary["flat_rate_total"] == "7322.96"
