"""Simplified cost options: hand-computed reference cases, to the cent, with the arithmetic beside each.

⌊x⌋ is x rounded down to the cent (flat rates); "half-up" is the rounding of line amounts.
"""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from reporting.cost_options import (
    CostOptions,
    OfficeOption,
    ProgrammeMaxima,
    StaffCostMethod,
    StaffOption,
    TravelOption,
    Violation,
    line_violations,
    option_violations,
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
    # Model fields will store these strings; changing one would need a data migration.
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
