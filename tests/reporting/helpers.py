"""Small helpers of the reporting tests."""

from decimal import Decimal

from reporting import services


def line(report, user, **data):
    defaults = {"cost_category": "travel", "description": "Train ticket", "amount": Decimal("100.00"),
                "currency": "EUR", "invoice_date": report.period.start_date}
    return services.expenditure_add(report=report, user=user, data={**defaults, **data})
