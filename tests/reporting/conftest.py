"""Reporting fixtures: this month's exchange rates and a draft report of partner A."""

from decimal import Decimal

import pytest

from consortium.models import first_of_month, local_today
from reporting import services
from reporting.models import ExchangeRate


@pytest.fixture
def this_month():
    return first_of_month(local_today())


@pytest.fixture
def rates(db, this_month):
    """DKK, SEK and NOK rates of the current month (units per EUR)."""
    return {
        currency: ExchangeRate.objects.create(currency=currency, month=this_month, rate=Decimal(rate))
        for currency, rate in (("DKK", "7.4600"), ("SEK", "11.2000"), ("NOK", "11.7000"))
    }


@pytest.fixture
def draft(world, reporter_a):
    """Partner A's draft for period 1, with the narrative of WP1 (the one WP it must report on)."""
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    return services.report_update(
        report=report, expected_version=report.version, user=reporter_a,
        data={"summary": "Kick-off held.", "work_package_progress": [
            {"work_package": world.wp1, "narrative": "Consortium set up.", "objective_status": "partly"}]},
    )

