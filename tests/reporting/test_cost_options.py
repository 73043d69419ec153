"""Simplified cost options: hand-computed reference cases, to the cent, with the arithmetic beside each.

⌊x⌋ is x rounded down to the cent (flat rates); "half-up" is the rounding of line amounts.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from partners.cost_options import (
    CostOptions,
    OfficeOption,
    ProgrammeMaxima,
    StaffCostMethod,
    StaffOption,
    TravelOption,
    Violation,
    excluded_categories,
    line_violations,
    lump_sum_share_violations,
    option_violations,
)
from reporting.money import (
    FlatRate,
    compute_flat_rates,
    eligible_total,
    fixed_percentage_staff_cost,
    full_time_staff_cost,
    hourly_staff_cost,
    lump_sum_claims,
    percent_of_down,
    unit_cost_amount,
)

D = Decimal

OFFICE_15_ON_STAFF = CostOptions(office_option=OfficeOption.FLAT_STAFF, office_flat_rate=D("15.00"))
OFFICE_7_ON_DIRECT = CostOptions(office_option=OfficeOption.FLAT_DIRECT, office_flat_rate=D("7.00"))
TRAVEL_15_ON_STAFF = CostOptions(travel_option=TravelOption.FLAT_STAFF, travel_flat_rate=D("15.00"))
STAFF_20_ON_DIRECT = CostOptions(staff_option=StaffOption.FLAT_DIRECT, staff_flat_rate=D("20.00"))
OTHER_COSTS_40 = CostOptions(uses_other_costs_flat_rate=True, other_costs_flat_rate=D("40.00"))
STAFF_20_AND_OFFICE_15 = CostOptions(staff_option=StaffOption.FLAT_DIRECT, staff_flat_rate=D("20.00"),
                                     office_option=OfficeOption.FLAT_STAFF, office_flat_rate=D("15.00"))
TRAVEL_15_AND_OFFICE_7_ON_DIRECT = CostOptions(travel_option=TravelOption.FLAT_STAFF, travel_flat_rate=D("15.00"),
                                               office_option=OfficeOption.FLAT_DIRECT, office_flat_rate=D("7.00"))
WHOLE_CHAIN = CostOptions(staff_option=StaffOption.FLAT_DIRECT, staff_flat_rate=D("20.00"),
                          travel_option=TravelOption.FLAT_STAFF, travel_flat_rate=D("15.00"),
                          office_option=OfficeOption.FLAT_DIRECT, office_flat_rate=D("7.00"))


def test_stored_option_values_are_stable():
    # Partner and expenditure fields store these strings; changing one would need a data migration.
    assert (OfficeOption.values, TravelOption.values, StaffOption.values, StaffCostMethod.values) == (
        ["real", "flat_staff", "flat_direct"], ["real", "flat_staff"], ["real", "flat_direct"],
        ["hourly", "fixed_percentage", "full_time"])


# Options, where they are set ----------------------------------------------------------------------

@pytest.mark.parametrize("options", [
    pytest.param(CostOptions(), id="all-real"),
    pytest.param(OFFICE_15_ON_STAFF, id="KU-office-15-on-staff"),
    pytest.param(STAFF_20_AND_OFFICE_15, id="LU-staff-20-and-office-15"),
    pytest.param(OTHER_COSTS_40, id="FERRING-other-costs-40"),
    pytest.param(TRAVEL_15_AND_OFFICE_7_ON_DIRECT, id="MVA-travel-15-and-office-7-on-direct"),
    pytest.param(WHOLE_CHAIN, id="whole-chain"),
    pytest.param(CostOptions(office_option=OfficeOption.FLAT_STAFF, office_flat_rate=D("1.00")), id="lowest-rate"),
    pytest.param(CostOptions(office_flat_rate=D("0.00")), id="zero-rate-on-real-costs"),
])
def test_valid_options(options):
    assert option_violations(options) == []


@pytest.mark.parametrize("options, field, message", [
    pytest.param(CostOptions(office_option=OfficeOption.FLAT_STAFF, office_flat_rate=D("15.01")), "office_flat_rate",
                 "The office & administration flat rate on direct staff costs may be at most 15.00 %",
                 id="office-on-staff-above-15"),
    pytest.param(CostOptions(office_option=OfficeOption.FLAT_DIRECT, office_flat_rate=D("7.01")), "office_flat_rate",
                 "The office & administration flat rate on direct costs may be at most 7.00 %",
                 id="office-on-direct-above-7"),
    pytest.param(CostOptions(travel_option=TravelOption.FLAT_STAFF, travel_flat_rate=D("15.01")), "travel_flat_rate",
                 "The travel & accommodation flat rate on direct staff costs may be at most 15.00 %",
                 id="travel-above-15"),
    pytest.param(CostOptions(staff_option=StaffOption.FLAT_DIRECT, staff_flat_rate=D("20.01")), "staff_flat_rate",
                 "The staff flat rate on direct costs other than staff costs may be at most 20.00 %",
                 id="staff-above-20"),
    pytest.param(CostOptions(uses_other_costs_flat_rate=True, other_costs_flat_rate=D("40.01")),
                 "other_costs_flat_rate", "The other-costs flat rate on direct staff costs may be at most 40.00 %",
                 id="other-costs-above-40"),
    pytest.param(CostOptions(office_option=OfficeOption.FLAT_STAFF, office_flat_rate=D("0.99")), "office_flat_rate",
                 "must be at least 1.00 %", id="flat-rate-below-1"),
    pytest.param(CostOptions(travel_option=TravelOption.FLAT_STAFF), "travel_flat_rate",
                 "The travel & accommodation flat rate on direct staff costs needs a rate", id="flat-rate-missing"),
    pytest.param(CostOptions(office_option=OfficeOption.FLAT_STAFF, office_flat_rate=D("12.125")), "office_flat_rate",
                 "has at most 2 decimals", id="three-decimals"),
    pytest.param(CostOptions(office_flat_rate=D("15.00")), "office_flat_rate",
                 "The office & administration costs are claimed as real costs; leave the flat rate empty.",
                 id="rate-on-real-costs"),
    pytest.param(CostOptions(other_costs_flat_rate=D("40.00")), "other_costs_flat_rate",
                 "The other-costs flat rate is not used; leave its rate empty.", id="rate-on-unused-other-costs"),
    pytest.param(CostOptions(staff_option="flat_staff"), "staff_option",
                 "'flat_staff' is not an option for staff costs; choose one of real, flat_direct.",
                 id="unknown-option"),
    pytest.param(CostOptions(uses_other_costs_flat_rate=True, other_costs_flat_rate=D("40.00"),
                             office_option=OfficeOption.FLAT_DIRECT, office_flat_rate=D("7.00")),
                 "uses_other_costs_flat_rate", "it cannot be combined with an office & administration flat rate",
                 id="other-costs-excludes-office-flat-rate"),
    pytest.param(CostOptions(uses_other_costs_flat_rate=True, other_costs_flat_rate=D("40.00"),
                             travel_option=TravelOption.FLAT_STAFF, travel_flat_rate=D("15.00")),
                 "uses_other_costs_flat_rate", "it cannot be combined with a travel & accommodation flat rate",
                 id="other-costs-excludes-travel-flat-rate"),
    pytest.param(CostOptions(uses_other_costs_flat_rate=True, other_costs_flat_rate=D("40.00"),
                             staff_option=StaffOption.FLAT_DIRECT, staff_flat_rate=D("20.00")),
                 "uses_other_costs_flat_rate", "it cannot be combined with the staff flat rate",
                 id="staff-flat-rate-and-other-costs-exclude-each-other"),
])
def test_each_option_rule(options, field, message):
    [violation] = option_violations(options)
    assert violation.field == field
    assert message in violation.message


def test_a_programme_may_set_a_lower_maximum():
    options = CostOptions(office_option=OfficeOption.FLAT_STAFF, office_flat_rate=D("15.00"))
    assert option_violations(options, ProgrammeMaxima(office_on_staff=D("10.00"))) == [Violation(
        "office_flat_rate",
        "The office & administration flat rate on direct staff costs may be at most 10.00 % in this programme; "
        "15.00 % was given.")]


def test_option_violations_are_listed_all_at_once():
    options = CostOptions(office_option=OfficeOption.FLAT_STAFF, office_flat_rate=D("16.00"),
                          travel_flat_rate=D("3.00"),
                          staff_option=StaffOption.FLAT_DIRECT, staff_flat_rate=D("0.50"),
                          uses_other_costs_flat_rate=True, other_costs_flat_rate=D("40.00"))
    assert [(v.field, v.message) for v in option_violations(options)] == [
        ("office_flat_rate", "The office & administration flat rate on direct staff costs may be at most 15.00 % "
                             "in this programme; 16.00 % was given."),
        ("travel_flat_rate", "The travel & accommodation costs are claimed as real costs; leave the flat rate empty."),
        ("staff_flat_rate", "The staff flat rate on direct costs other than staff costs must be at least 1.00 %; "
                            "0.50 % was given."),
        ("uses_other_costs_flat_rate", "The other-costs flat rate already covers office & administration; it cannot "
                                       "be combined with an office & administration flat rate."),
        ("uses_other_costs_flat_rate", "The other-costs flat rate is calculated on real staff costs; it cannot be "
                                       "combined with the staff flat rate."),
    ]


# Lines, at submission -----------------------------------------------------------------------------

def lines(*categories: str) -> list[SimpleNamespace]:
    return [SimpleNamespace(cost_category=category) for category in categories]


@pytest.mark.parametrize("options, refused, allowed", [
    pytest.param(OFFICE_15_ON_STAFF, ["office_admin"], ["staff", "travel", "external", "equipment", "infrastructure"],
                 id="office-flat-rate-takes-no-real-office-lines"),
    pytest.param(OFFICE_7_ON_DIRECT, ["office_admin"], ["staff", "travel", "external", "equipment", "infrastructure"],
                 id="office-on-direct-takes-no-real-office-lines"),
    pytest.param(TRAVEL_15_ON_STAFF, ["travel"], ["staff", "office_admin", "external", "equipment", "infrastructure"],
                 id="travel-flat-rate-takes-no-real-travel-lines"),
    pytest.param(STAFF_20_ON_DIRECT, ["staff"], ["office_admin", "travel", "external", "equipment", "infrastructure"],
                 id="staff-flat-rate-takes-no-real-staff-lines"),
    pytest.param(OTHER_COSTS_40, ["office_admin", "travel", "external", "equipment", "infrastructure"], ["staff"],
                 id="other-costs-take-only-staff-lines"),
    pytest.param(CostOptions(), [], ["staff", "office_admin", "travel", "external", "equipment", "infrastructure"],
                 id="real-costs-take-every-line"),
])
def test_each_line_exclusion(options, refused, allowed):
    report_lines = lines(*refused, *allowed)
    assert [v.field for v in line_violations(options, report_lines)] == [
        f"expenditures[{index}].cost_category" for index in range(len(refused))]


@pytest.mark.parametrize("options, excluded", [
    pytest.param(CostOptions(), set(), id="all-real"),
    pytest.param(STAFF_20_AND_OFFICE_15, {"staff", "office_admin"}, id="staff-and-office-flat"),
    pytest.param(OTHER_COSTS_40, {"office_admin", "travel", "external", "equipment", "infrastructure"},
                 id="other-costs-leave-only-staff"),
])
def test_excluded_categories_tell_an_editor_what_not_to_offer(options, excluded):
    assert set(excluded_categories(options)) == excluded


def test_a_unit_cost_line_counts_as_a_real_line_of_its_category():
    per_diem = SimpleNamespace(cost_category="travel", unit_cost="Per diem", units=D("3"))
    assert [v.field for v in line_violations(TRAVEL_15_ON_STAFF, [per_diem])] == ["expenditures[0].cost_category"]


def test_two_exclusions_are_listed_at_once_by_line():
    # LU: staff 20 % on direct costs and office 15 % on staff; line 1 is real staff, line 3 real office.
    report_lines = lines("external", "staff", "equipment", "office_admin")
    assert line_violations(STAFF_20_AND_OFFICE_15, report_lines) == [
        Violation("expenditures[1].cost_category",
                  "Your organisation claims the staff flat rate on direct costs other than staff costs (20.00 %); "
                  "real staff costs cannot be declared as well."),
        Violation("expenditures[3].cost_category",
                  "Your organisation claims the office & administration flat rate on direct staff costs (15.00 %); "
                  "real office & administration costs cannot be declared as well."),
    ]


def test_other_costs_exclusion_names_the_category():
    [violation] = line_violations(OTHER_COSTS_40, lines("staff", "external"))
    assert violation == Violation(
        "expenditures[1].cost_category",
        "Your organisation claims the other-costs flat rate of 40.00 % of direct staff costs, which covers external "
        "expertise & services costs; real external expertise & services costs cannot be declared.")


# Flat rates, per report, in one order -------------------------------------------------------------

def flat(rate: str, base: str, amount: str) -> FlatRate:
    return FlatRate(rate=D(rate), base=D(base), amount=D(amount))


REFERENCE_CASES = [
    pytest.param(
        OFFICE_15_ON_STAFF, {"staff": D("1234.57")},
        # office 15 % × staff 1,234.57 = 185.1855 → ⌊185.18⌋
        {"office": flat("15.00", "1234.57", "185.18")},
        id="office-15-on-staff",
    ),
    pytest.param(
        OFFICE_7_ON_DIRECT,
        {"staff": D("10000.00"), "travel": D("1234.56"), "external": D("2000.00"), "equipment": D("345.67"),
         "office_admin": D("0.00")},
        # office 7 % × (staff 10,000.00 + travel 1,234.56 + external 2,000.00 + equipment 345.67 = 13,580.23)
        #   = 950.6161 → ⌊950.61⌋
        {"office": flat("7.00", "13580.23", "950.61")},
        id="office-7-on-direct-costs",
    ),
    pytest.param(
        TRAVEL_15_ON_STAFF, {"staff": D("8333.33"), "external": D("500.00")},
        # travel 15 % × staff 8,333.33 = 1,249.9995 → ⌊1,249.99⌋ (half-up would give 1,250.00)
        {"travel": flat("15.00", "8333.33", "1249.99")},
        id="travel-15-on-staff",
    ),
    pytest.param(
        STAFF_20_ON_DIRECT,
        {"travel": D("1000.01"), "external": D("4000.00"), "equipment": D("999.99"), "infrastructure": D("2500.03")},
        # staff 20 % × (travel 1,000.01 + external 4,000.00 + equipment 999.99 + infrastructure 2,500.03
        #   = 8,500.03; travel is real, so it is in the base) = 1,700.006 → ⌊1,700.00⌋
        {"staff": flat("20.00", "8500.03", "1700.00")},
        id="staff-20-on-direct-costs-other-than-staff",
    ),
    pytest.param(
        OTHER_COSTS_40, {"staff": D("12345.67")},
        # other costs 40 % × real staff 12,345.67 = 4,938.268 → ⌊4,938.26⌋
        {"other_costs": flat("40.00", "12345.67", "4938.26")},
        id="other-costs-40-on-staff",
    ),
    pytest.param(
        STAFF_20_AND_OFFICE_15, {"external": D("10000.00"), "equipment": D("2500.57")},
        # staff 20 % × (external 10,000.00 + equipment 2,500.57 = 12,500.57) = 2,500.114 → ⌊2,500.11⌋
        # office 15 % × flat-rated staff 2,500.11 = 375.0165 → ⌊375.01⌋
        {"staff": flat("20.00", "12500.57", "2500.11"), "office": flat("15.00", "2500.11", "375.01")},
        id="staff-20-then-office-15-on-flat-rated-staff",
    ),
    pytest.param(
        TRAVEL_15_AND_OFFICE_7_ON_DIRECT, {"staff": D("20000.03"), "external": D("1500.00")},
        # travel 15 % × staff 20,000.03 = 3,000.0045 → ⌊3,000.00⌋
        # office 7 % × (staff 20,000.03 + flat travel 3,000.00 + external 1,500.00 = 24,500.03) = 1,715.0021
        #   → ⌊1,715.00⌋
        {"travel": flat("15.00", "20000.03", "3000.00"), "office": flat("7.00", "24500.03", "1715.00")},
        id="travel-15-then-office-7-on-direct-costs-including-flat-travel",
    ),
    pytest.param(
        WHOLE_CHAIN, {"external": D("16072.00"), "equipment": D("3448.67"), "infrastructure": D("3646.00")},
        # 2. staff 20 % × (external 16,072.00 + equipment 3,448.67 + infrastructure 3,646.00 = 23,166.67;
        #    travel is a flat rate, so not in the base) = 4,633.334 → ⌊4,633.33⌋
        # 3. travel 15 % × flat staff 4,633.33 = 694.9995 → ⌊694.99⌋
        # 4. office 7 % × (staff 4,633.33 + travel 694.99 + 23,166.67 = 28,494.99) = 1,994.6493 → ⌊1,994.64⌋
        {"staff": flat("20.00", "23166.67", "4633.33"), "travel": flat("15.00", "4633.33", "694.99"),
         "office": flat("7.00", "28494.99", "1994.64")},
        id="whole-chain-staff-flat-travel-on-staff-office-on-direct",
    ),
    pytest.param(
        CostOptions(office_option=OfficeOption.FLAT_STAFF, office_flat_rate=D("12.50")), {"staff": D("1234.57")},
        # a rate with decimals: office 12.50 % × 1,234.57 = 154.32125 → ⌊154.32⌋
        {"office": flat("12.50", "1234.57", "154.32")},
        id="rate-with-two-decimals",
    ),
    pytest.param(
        CostOptions(), {"staff": D("1000.00"), "office_admin": D("150.00"), "travel": D("99.99")},
        # all real costs: no flat rate at all
        {},
        id="all-real-costs",
    ),
]


def flat_rates_by_name(result) -> dict[str, FlatRate]:
    names = ("staff", "travel", "office", "other_costs")
    return {name: getattr(result, name) for name in names if getattr(result, name) is not None}


@pytest.mark.parametrize("options, declared, expected", REFERENCE_CASES)
def test_flat_rate_reference_cases(options, declared, expected):
    assert flat_rates_by_name(compute_flat_rates(declared, options)) == expected


@pytest.mark.parametrize("options, staff, expected", [
    # office 15 % × 66.73 = 10.0095 → 10.00: a fraction of a cent above 10.00 is dropped, not rounded up
    pytest.param(OFFICE_15_ON_STAFF, "66.73", "10.00", id="0.0095-down"),
    # other costs 40 % × 2,499.99 = 999.996 → 999.99 (half-up would give 1,000.00)
    pytest.param(OTHER_COSTS_40, "2499.99", "999.99", id="0.006-down-not-up"),
    # office 15 % × 0.06 = 0.009 → 0.00
    pytest.param(OFFICE_15_ON_STAFF, "0.06", "0.00", id="0.009-down-to-zero"),
    # office 15 % × 1,000.00 = 150.00 exactly
    pytest.param(OFFICE_15_ON_STAFF, "1000.00", "150.00", id="exact"),
])
def test_flat_rates_round_down_to_the_cent(options, staff, expected):
    result = compute_flat_rates({"staff": D(staff)}, options)
    assert (result.office or result.other_costs).amount == D(expected)


def test_each_step_uses_the_rounded_results_of_the_steps_before():
    # Rounding only at the end would carry 4,633.334 into travel (15 % = 695.0001 → 695.00) and
    # 28,495.0041 into office (7 % = 1,994.650287 → 1,994.65); step by step they are 694.99 and 1,994.64.
    result = compute_flat_rates(
        {"external": D("16072.00"), "equipment": D("3448.67"), "infrastructure": D("3646.00")}, WHOLE_CHAIN)
    assert (result.staff.amount, result.travel.amount, result.office.amount) == (D("4633.33"), D("694.99"),
                                                                                 D("1994.64"))


def test_eligible_total_and_cofinancing_of_the_whole_chain_with_a_lump_sum():
    declared = {"external": D("16072.00"), "equipment": D("3448.67"), "infrastructure": D("3646.00")}
    flat_rates = compute_flat_rates(declared, WHOLE_CHAIN)
    # flat rates 4,633.33 + 694.99 + 1,994.64 = 7,322.96; lump sums are in no base
    assert flat_rates.total == D("7322.96")
    # declared 23,166.67 + flat 7,322.96 + lump sum 5,000.00 = 35,489.63; ERDF 60 % = 21,293.778 → ⌊21,293.77⌋
    total = eligible_total(declared_by_category=declared, flat_rates=flat_rates, lump_sums=D("5000.00"))
    assert (total, percent_of_down(total, D("60.00"))) == (D("35489.63"), D("21293.77"))


def test_real_lines_of_a_flat_rated_category_are_in_no_base():
    # A draft may still hold real staff and travel lines that submission will refuse; the flat rates
    # replace them in every base:
    # staff 20 % × external 1,000.00 = 200.00 (real travel 800.00 is not in it: travel is a flat rate);
    # travel 15 % × flat staff 200.00 = 30.00;
    # office 7 % × (200.00 + 30.00 + 1,000.00 = 1,230.00) = 86.10, not on real staff 5,000.00 or travel 800.00.
    result = compute_flat_rates({"staff": D("5000.00"), "travel": D("800.00"), "external": D("1000.00")},
                                WHOLE_CHAIN)
    assert flat_rates_by_name(result) == {"staff": flat("20.00", "1000.00", "200.00"),
                                          "travel": flat("15.00", "200.00", "30.00"),
                                          "office": flat("7.00", "1230.00", "86.10")}


def test_flat_rate_shows_its_computation():
    result = compute_flat_rates({"staff": D("1234.57")}, OFFICE_15_ON_STAFF)
    assert result.office.computation == "15.00 % × 1,234.57 = 185.18"


def test_invalid_options_are_never_computed():
    both = CostOptions(staff_option=StaffOption.FLAT_DIRECT, staff_flat_rate=D("20.00"),
                       uses_other_costs_flat_rate=True, other_costs_flat_rate=D("40.00"))
    with pytest.raises(ValueError, match="cannot be combined with the staff flat rate"):
        compute_flat_rates({"staff": D("100.00")}, both)


# Staff-cost methods -------------------------------------------------------------------------------

def test_hourly_staff_cost_from_annual_gross_cost():
    # 612,000.00 ÷ 1,720 h = 355.8139… → 355.81 per hour (half-up); × 420.00 h = 149,440.20
    cost = hourly_staff_cost(hours=D("420.00"), annual_gross_cost=D("612000.00"))
    assert (cost.method, cost.rate, cost.amount) == (StaffCostMethod.HOURLY, D("355.81"), D("149440.20"))
    assert cost.computation == "612,000.00 ÷ 1,720 h = 355.81 per hour × 420.00 h = 149,440.20"


def test_hourly_staff_cost_at_an_entered_rate():
    # 355.81 × 37.50 h = 13,342.875 → 13,342.88 (half-up)
    cost = hourly_staff_cost(hours=D("37.50"), hourly_rate=D("355.81"))
    assert (cost.rate, cost.amount, cost.computation) == (D("355.81"), D("13342.88"),
                                                          "355.81 per hour × 37.50 h = 13,342.88")


def test_fixed_percentage_staff_cost_rounds_once_for_the_period():
    # 4,123.45 × 33.33 % × 6 months = 8,246.07531 → 8,246.08; rounding each month first would give
    # 1,374.35 × 6 = 8,246.10.
    cost = fixed_percentage_staff_cost(monthly_gross_cost=D("4123.45"), percentage=D("33.33"), months=D("6"))
    assert (cost.method, cost.rate, cost.amount) == (StaffCostMethod.FIXED_PERCENTAGE, D("4123.45"), D("8246.08"))
    assert cost.computation == "4,123.45 per month × 33.33 % × 6 months = 8,246.08"


@pytest.mark.parametrize("monthly, months, amount, computation", [
    # 5,000.00 × 6 = 30,000.00
    pytest.param("5000.00", "6", "30000.00", "5,000.00 per month × 6 months = 30,000.00", id="whole-months"),
    # 4,123.47 × 5.50 = 22,679.085 → 22,679.09 (half-up; banker's rounding would give 22,679.08)
    pytest.param("4123.47", "5.50", "22679.09", "4,123.47 per month × 5.50 months = 22,679.09", id="part-month"),
    pytest.param("4123.47", "1", "4123.47", "4,123.47 per month × 1 month = 4,123.47", id="one-month"),
])
def test_full_time_staff_cost(monthly, months, amount, computation):
    cost = full_time_staff_cost(monthly_gross_cost=D(monthly), months=D(months))
    assert (cost.method, cost.amount, cost.computation) == (StaffCostMethod.FULL_TIME, D(amount), computation)


@pytest.mark.parametrize("percentage, months", [
    pytest.param("0.00", "6", id="no-time"),
    pytest.param("100.01", "6", id="more-than-full-time"),
    pytest.param("50.00", "0", id="no-months"),
    pytest.param("50.00", "1.005", id="months-with-three-decimals"),
])
def test_monthly_methods_refuse_impossible_input(percentage, months):
    with pytest.raises(ValueError):
        fixed_percentage_staff_cost(monthly_gross_cost=D("4000.00"), percentage=D(percentage), months=D(months))


# Unit costs and lump sums -------------------------------------------------------------------------

@pytest.mark.parametrize("units, price, amount, computation", [
    # 12.5 × 84.21 = 1,052.625 → 1,052.63 (half-up; banker's rounding would give 1,052.62)
    pytest.param("12.5", "84.21", "1052.63", "12.5 participant-days × 84.21 = 1,052.63", id="half-a-cent-up"),
    # 3 × 1,499.99 = 4,499.97
    pytest.param("3", "1499.99", "4499.97", "3 participant-days × 1,499.99 = 4,499.97", id="whole-units"),
])
def test_unit_cost_line_amount(units, price, amount, computation):
    result = unit_cost_amount(units=D(units), price_per_unit=D(price), unit="participant-days")
    assert (result.amount, result.computation) == (D(amount), computation)


def test_unit_cost_line_needs_units():
    with pytest.raises(ValueError):
        unit_cost_amount(units=D("0"), price_per_unit=D("84.21"), unit="participant-days")


SHARES = {"PP1": D("12000.00"), "PP2": D("10000.01"), "PP3": D("7999.99")}  # 30,000.00 together


def test_achieved_lump_sum_is_claimed_whole_by_each_partner():
    claims = lump_sum_claims(amount=D("30000.00"), shares=SHARES, achieved=True)
    assert claims == SHARES
    assert sum(claims.values()) == D("30000.00")


def test_lump_sum_not_achieved_is_not_claimed_at_all():
    assert lump_sum_claims(amount=D("30000.00"), shares=SHARES, achieved=False) == {
        "PP1": D("0.00"), "PP2": D("0.00"), "PP3": D("0.00")}


def test_lump_sum_shares_must_add_up_to_the_lump_sum():
    shares = {"PP1": D("12000.00"), "PP2": D("-1.00"), "PP3": D("7999.995")}
    assert lump_sum_share_violations(D("30000.00"), shares) == [
        Violation("shares[PP2]", "A share must be a positive amount in cents; -1.00 was given."),
        Violation("shares[PP3]", "A share must be a positive amount in cents; 7999.995 was given."),
        Violation("shares", "The partners' shares add up to 19,998.995, not to the lump sum of 30,000.00."),
    ]
    with pytest.raises(ValueError, match="add up to 19,998.995"):
        lump_sum_claims(amount=D("30000.00"), shares=shares, achieved=True)
