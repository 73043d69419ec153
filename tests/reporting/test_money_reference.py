"""Hand-computed reference cases, to the cent. The arithmetic is written out beside each case."""

from decimal import Decimal

import pytest

from reporting import services
from reporting.models import ExchangeRate
from reporting.money import summarise_report
from tests.reporting.helpers import line

D = Decimal


def _narrated_draft(partner, period, user, wp):
    report = services.report_create(partner=partner, period=period, user=user)
    return services.report_update(report=report, expected_version=report.version, user=user, data={
        "work_package_progress": [{"work_package": wp, "narrative": "Work done."}]})


def test_conversion_at_exactly_half_a_cent_rounds_up_and_is_frozen(draft, reporter_a, this_month):
    # 100.05 DKK ÷ 6.4032 DKK/EUR = 15.625 exactly → half-up 15.63 (banker's rounding would give 15.62).
    ExchangeRate.objects.create(currency="DKK", month=this_month, rate=D("6.4032"))
    expense = line(draft, reporter_a, amount=D("100.05"), currency="DKK")
    services.report_submit(report=draft, user=reporter_a)
    expense.refresh_from_db()
    assert (expense.exchange_rate, expense.rate_month, expense.amount_eur) == (D("6.4032"), this_month, D("15.63"))


def test_staff_line_from_annual_cost(draft, reporter_a, rates):
    # 612,000.00 DKK ÷ 1,720 h = 355.8139… → 355.81 DKK/h (half-up);
    # 355.81 × 37.5 h = 13,342.875 → 13,342.88 DKK; ÷ 7.4600 = 1,788.5898… → 1,788.59 EUR.
    staff = line(draft, reporter_a, cost_category="staff", description="Researcher, March", employee="A. Jensen",
                 annual_gross_cost=D("612000.00"), hours=D("37.5"), amount=None, currency="DKK")
    assert (staff.hourly_rate, staff.amount) == (D("355.81"), D("13342.88"))
    services.report_submit(report=draft, user=reporter_a)
    staff.refresh_from_db()
    assert staff.amount_eur == D("1788.59")


def test_office_flat_rate_rounds_down_and_cofinancing_of_danish_partner(draft, reporter_a):
    # Staff 1.00 h × 1,234.57 EUR/h = 1,234.57 EUR. Flat rate 15 % = 185.1855 → 185.18 (down).
    # Eligible 1,234.57 + 185.18 = 1,419.75; ERDF 60 % = 851.85.
    line(draft, reporter_a, cost_category="staff", description="Coordinator", hours=D("1.00"),
         hourly_rate=D("1234.57"), amount=None)
    summary = summarise_report(draft)
    assert summary.categories["staff"].declared == D("1234.57")
    assert summary.categories["office_admin"].flat_rate == D("185.18")
    assert (summary.eligible_total, summary.funding_source, summary.cofinancing) == (D("1419.75"), "erdf",
                                                                                      D("851.85"))
    assert not summary.provisional


def test_cofinancing_rounds_down_for_danish_swedish_and_norwegian_partners(world, reporter_a, rates):
    # DK (60 % ERDF): 333.33 EUR × 60 % = 199.998 → 199.99.
    dk = _narrated_draft(world.partner_a, world.period1, reporter_a, world.wp1)
    line(dk, reporter_a, amount=D("333.33"))
    # SE (60 % ERDF): 150.36 SEK ÷ 11.2000 = 13.425 → 13.43 EUR (half-up); × 60 % = 8.058 → 8.05.
    se = _narrated_draft(world.partner_b, world.period1, reporter_a, world.wp2)
    line(se, reporter_a, amount=D("150.36"), currency="SEK")
    # NO (50 % Norwegian national funds): 1,170.12 NOK ÷ 11.7000 = 100.0102… → 100.01 EUR; × 50 % = 50.005 → 50.00.
    no = _narrated_draft(world.partner_no, world.period1, reporter_a, world.wp2)
    line(no, reporter_a, amount=D("1170.12"), currency="NOK")

    results = {}
    for report in (dk, se, no):
        s = summarise_report(report)
        results[report.partner.organisation.short_name] = (s.eligible_total, s.funding_source, s.cofinancing)
    assert results == {
        "KU": (D("333.33"), "erdf", D("199.99")),
        "LU": (D("13.43"), "erdf", D("8.05")),
        "OUS": (D("100.01"), "norwegian_national", D("50.00")),
    }


def test_draft_summary_is_provisional_at_this_months_rate_then_frozen(draft, reporter_a, rates, this_month):
    # 746.00 DKK ÷ 7.4600 = 100.00 EUR, provisional while a draft, frozen at submission.
    line(draft, reporter_a, amount=D("746.00"), currency="DKK")
    before = summarise_report(draft)
    assert (before.provisional, before.provisional_rate_month, before.declared_total) == (True, this_month,
                                                                                           D("100.00"))
    services.report_submit(report=draft, user=reporter_a)
    after = summarise_report(draft)
    assert (after.provisional, after.declared_total) == (False, D("100.00"))


@pytest.mark.parametrize("amount, rate, expected", [
    # 0.01 SEK ÷ 11.2000 = 0.000892… → 0.00 EUR: a line can convert to zero, never negative.
    (D("0.01"), D("11.2000"), D("0.00")),
    # 1,000,000.00 SEK ÷ 11.2345 = 89,011.5269… → 89,011.53.
    (D("1000000.00"), D("11.2345"), D("89011.53")),
])
def test_conversion_edges(draft, reporter_a, this_month, amount, rate, expected):
    ExchangeRate.objects.create(currency="SEK", month=this_month, rate=rate)
    expense = line(draft, reporter_a, amount=amount, currency="SEK")
    services.report_submit(report=draft, user=reporter_a)
    expense.refresh_from_db()
    assert expense.amount_eur == expected
