"""Shared set-up of the report page tests: a draft of partner A with one line, and URL helpers."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from consortium.models import first_of_month, local_today
from reporting import services
from reporting.models import ExchangeRate


def report_url(report, name="web:report", **extra):
    return reverse(name, kwargs={"project_id": report.partner.project_id, "report_id": report.pk, **extra})


def make_draft(world, user):
    report = services.report_create(partner=world.partner_a, period=world.period1, user=user)
    services.expenditure_add(report=report, user=user, data={
        "cost_category": "travel", "description": "Train to Lund", "supplier": "DSB", "invoice_number": "T-1",
        "invoice_date": date(2025, 3, 2), "payment_date": date(2025, 3, 9), "amount": Decimal("745.00"),
        "currency": "DKK"})
    return report


def this_months_rates():
    month = first_of_month(local_today())
    for currency, rate in (("DKK", "7.4600"), ("SEK", "11.2000"), ("NOK", "11.7000")):
        ExchangeRate.objects.create(currency=currency, month=month, rate=Decimal(rate))


def submit_ready(world, report, user):
    """Give the report every narrative it needs, then submit it."""
    services.report_update(report=report, expected_version=report.version, user=user, data={
        "work_package_progress": [{"work_package": world.wp1, "narrative": "Kick-off held.",
                                   "objective_status": "fully"}]})
    return services.report_submit(report=report, user=user, notify=False)
