"""Each database constraint refuses a violating row even when clean() is bypassed."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from consortium.models import Membership, Programme, Project, ReportingPeriod, Role
from partners.models import BudgetLine, Partner
from reporting.models import ExchangeRate, Expenditure, ProgressReport
from tests import factories as f
from workpackages.models import Activity, Effort, Indicator, WorkPackage


def assert_refused(insert) -> None:
    """The insert raises IntegrityError; the savepoint keeps the test's transaction usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        insert()


def test_acronym_is_unique_per_programme_but_not_across_programmes(world):
    assert_refused(lambda: f.make_project(world.project.programme, acronym="ALPHA"))
    assert f.make_project(f.make_programme(), acronym="ALPHA").pk


def test_partner_number_is_unique_per_project(world):
    assert_refused(lambda: f.make_partner(world.project, number=1))


def test_an_organisation_is_partner_once_per_project(world):
    assert_refused(lambda: f.make_partner(world.project, world.partner_a.organisation, number=9))


def test_a_project_has_one_lead_partner(world):
    assert_refused(lambda: f.make_partner(world.project, number=9, role=Partner.PartnerRole.LEAD))
    assert f.make_partner(world.project, number=9, role=Partner.PartnerRole.PARTNER).pk


def test_work_package_number_is_unique_per_project(world):
    assert_refused(lambda: f.make_work_package(world.project, world.partner_a, number=1))


def test_deliverable_code_is_unique_per_project_but_not_across_projects(world):
    f.make_deliverable(world.wp1, code="D1.1")
    assert_refused(lambda: f.make_deliverable(world.wp2, code="D1.1"))
    assert f.make_deliverable(world.other_wp, code="D1.1").pk


def test_milestone_code_is_unique_per_project(world):
    f.make_milestone(world.wp1, code="MS1")
    assert_refused(lambda: f.make_milestone(world.wp2, code="MS1"))


def test_indicator_code_is_unique_per_project(world):
    f.make_indicator(world.project, code="RCO84")
    assert_refused(lambda: f.make_indicator(world.project, code="RCO84"))
    assert f.make_indicator(world.other_project, code="RCO84").pk


def test_project_must_end_after_it_starts(world):
    assert_refused(lambda: Project.objects.create(
        programme=world.project.programme, acronym="BACKWARDS", title="t",
        start_date=date(2026, 1, 1), end_date=date(2025, 12, 31)))


def test_period_must_not_end_before_it_starts(world):
    assert_refused(lambda: ReportingPeriod.objects.create(
        project=world.project, number=3, start_date=date(2027, 6, 1), end_date=date(2027, 5, 31),
        report_due_date=date(2027, 8, 31)))


def test_period_report_is_not_due_before_the_period_ends(world):
    assert_refused(lambda: ReportingPeriod.objects.create(
        project=world.project, number=3, start_date=date(2027, 1, 1), end_date=date(2027, 12, 31),
        report_due_date=date(2027, 12, 30)))


def test_work_package_must_not_end_before_it_starts(world):
    assert_refused(lambda: WorkPackage.objects.create(
        project=world.project, number=7, title="t", lead_partner=world.partner_a, start_month=10, end_month=9))


def test_activity_must_not_end_before_it_starts(world):
    assert_refused(lambda: Activity.objects.create(work_package=world.wp1, number=9, title="t",
                                                   start_month=5, end_month=4))


@pytest.mark.parametrize("rate", [Decimal("-0.01"), Decimal("100.01")])
def test_partner_cofinancing_rate_is_a_percentage(world, rate):
    assert_refused(lambda: f.make_partner(world.project, number=9, cofinancing_rate=rate))


@pytest.mark.parametrize("rate", [Decimal("-1.00"), Decimal("0.50"), Decimal("100.50")])
def test_partner_office_flat_rate_is_a_percentage_from_one(world, rate):
    assert_refused(lambda: f.make_partner(world.project, number=9, office_flat_rate=rate))


@pytest.mark.parametrize("options", [
    {"office_option": "real"},  # the default 15 % left on a real-cost option
    {"office_option": "flat_direct", "office_flat_rate": None},  # a flat rate without a rate
    {"travel_option": "flat_staff"},
    {"staff_flat_rate": Decimal("20.00")},  # a rate on real staff costs
    {"uses_other_costs_flat_rate": True},  # no rate for it
    # the other-costs rate with the office flat rate (CPR Art. 56)
    {"uses_other_costs_flat_rate": True, "other_costs_flat_rate": Decimal("40.00")},
])
def test_partner_cost_options_are_consistent(world, options):
    assert_refused(lambda: f.make_partner(world.project, number=9, **options))


def test_programme_flat_rate_maxima_are_within_the_regulations(db):
    assert_refused(lambda: Programme.objects.create(name="P3", start_year=2021, end_year=2027,
                                                    max_office_on_direct=Decimal("7.01")))
    assert_refused(lambda: Programme.objects.create(name="P4", start_year=2021, end_year=2027,
                                                    max_other_costs_on_staff=Decimal("0.99")))
    assert Programme.objects.create(name="P5", start_year=2021, end_year=2027, max_staff_on_direct=Decimal("12.50"))


def test_unit_cost_lines_are_in_eur_with_units(world):
    from partners.models import UnitCost

    unit_cost = UnitCost.objects.create(project=world.project, name="Day", unit="day", price_per_unit=Decimal("9"),
                                        cost_category="travel")
    report = ProgressReport.objects.create(partner=world.partner_a, period=world.period1)
    line = {"report": report, "cost_category": "travel", "description": "d", "amount": Decimal("9.00")}
    assert_refused(lambda: Expenditure.objects.create(**line, unit_cost=unit_cost))
    assert_refused(lambda: Expenditure.objects.create(**line, unit_cost=unit_cost, units=Decimal("1"),
                                                      currency="DKK"))
    assert_refused(lambda: Expenditure.objects.create(**line, staff_method="hourly"))
    assert Expenditure.objects.create(**line, unit_cost=unit_cost, units=Decimal("1")).pk


def test_an_achieved_lump_sum_has_evidence_and_its_shares_are_positive(world):
    from partners.models import LumpSum, LumpSumShare

    assert_refused(lambda: LumpSum.objects.create(project=world.project, name="A", amount=Decimal("1.00"),
                                                  period=world.period1, achieved_date=date(2025, 5, 1)))
    lump_sum = LumpSum.objects.create(project=world.project, name="B", amount=Decimal("1.00"), period=world.period1)
    assert_refused(lambda: LumpSumShare.objects.create(lump_sum=lump_sum, partner=world.partner_a, amount=0))


def test_programme_default_rates_are_percentages(db):
    assert_refused(lambda: Programme.objects.create(name="P1", start_year=2021, end_year=2027,
                                                    default_cofinancing_rate=Decimal("101")))
    assert_refused(lambda: Programme.objects.create(name="P2", start_year=2021, end_year=2027,
                                                    default_office_flat_rate=Decimal("-1")))


def test_budget_line_amount_is_not_negative(world):
    assert_refused(lambda: f.make_budget_line(world.partner_a, amount=Decimal("-0.01")))
    assert f.make_budget_line(world.partner_a, amount=Decimal("0.00")).pk


def test_expenditure_amount_is_positive(world):
    report = ProgressReport.objects.create(partner=world.partner_a, period=world.period1)
    assert_refused(lambda: Expenditure.objects.create(report=report, cost_category="travel", description="Train",
                                                      amount=Decimal("0.00")))
    assert_refused(lambda: Expenditure.objects.create(report=report, cost_category="staff", description="Staff",
                                                      amount=Decimal("10.00"), hours=Decimal("0")))


def test_exchange_rate_is_positive(db):
    assert_refused(lambda: ExchangeRate.objects.create(currency="SEK", month=date(2026, 1, 1), rate=Decimal("0")))


def test_exchange_rate_is_unique_per_currency_and_month(db):
    ExchangeRate.objects.create(currency="SEK", month=date(2026, 1, 1), rate=Decimal("11.2000"))
    assert_refused(lambda: ExchangeRate.objects.create(currency="SEK", month=date(2026, 1, 1), rate=Decimal("11.3")))


def test_indicator_target_and_baseline_are_not_negative(world):
    assert_refused(lambda: Indicator.objects.create(project=world.project, code="RCO1", name="n", unit="u",
                                                    target=Decimal("-1")))
    assert_refused(lambda: Indicator.objects.create(project=world.project, code="RCO2", name="n", unit="u",
                                                    target=Decimal("1"), baseline=Decimal("-1")))


def test_planned_effort_is_not_negative_and_unique_per_partner_and_work_package(world):
    assert_refused(lambda: Effort.objects.create(partner=world.partner_a, work_package=world.wp1,
                                                 person_months=Decimal("-1")))
    f.make_effort(world.partner_a, world.wp1)
    assert_refused(lambda: f.make_effort(world.partner_a, world.wp1))


def test_a_reporter_membership_names_a_partner(world):
    user = f.make_user()
    assert_refused(lambda: Membership.objects.create(user=user, project=world.project, role=Role.REPORTER))


def test_only_a_reporter_membership_names_a_partner(world):
    user = f.make_user()
    assert_refused(lambda: Membership.objects.create(user=user, project=world.project, role=Role.VIEWER,
                                                     partner=world.partner_a))


def test_one_membership_per_user_and_project(world):
    user = f.make_user()
    f.add_member(user, world.project, Role.VIEWER)
    assert_refused(lambda: f.add_member(user, world.project, Role.COORDINATOR))


def test_whole_project_budget_line_is_unique_per_partner_and_category(world):
    f.make_budget_line(world.partner_a, "staff")
    assert_refused(lambda: BudgetLine.objects.create(partner=world.partner_a, cost_category="staff", period=None,
                                                     amount=Decimal("1.00")))


def test_period_budget_line_is_unique_per_partner_category_and_period(world):
    f.make_budget_line(world.partner_a, "travel", period=world.period1)
    assert_refused(lambda: f.make_budget_line(world.partner_a, "travel", period=world.period1))
    assert f.make_budget_line(world.partner_a, "travel", period=world.period2).pk


def test_progress_report_is_unique_per_partner_and_period(world):
    ProgressReport.objects.create(partner=world.partner_a, period=world.period1)
    assert_refused(lambda: ProgressReport.objects.create(partner=world.partner_a, period=world.period1))


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the exclusion constraint on overlapping periods exists on PostgreSQL only")
def test_postgres_exclusion_constraint_refuses_overlapping_periods(world):
    assert_refused(lambda: ReportingPeriod.objects.create(
        project=world.project, number=3, start_date=date(2026, 6, 1), end_date=date(2027, 5, 31),
        report_due_date=date(2027, 7, 31)))
    # The same dates in another project (it overlaps ALPHA's period 2) are fine.
    assert ReportingPeriod.objects.create(
        project=world.other_project, number=2, start_date=date(2026, 1, 1), end_date=date(2026, 6, 30),
        report_due_date=date(2026, 8, 31)).pk
