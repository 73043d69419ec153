"""Reports in a given state with frozen lines, built directly rather than through the report services, so that a
test fixes the exact state, rates and dates it checks."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from reporting.models import (
    EffortReported,
    Expenditure,
    IndicatorProgress,
    LineControl,
    ProgressReport,
    WorkPackageProgress,
)
from reporting.money import staff_amount, to_eur
from reporting.selectors import certificate_totals


def make_report(partner, period, status="approved", **kwargs) -> ProgressReport:
    stamped = status in ("submitted", "approved", "returned")
    return ProgressReport.objects.create(
        partner=partner, period=period, status=status,
        submitted_at=timezone.now() if stamped else None,
        reviewed_at=timezone.now() if status in ("approved", "returned") else None,
        **kwargs,
    )


def add_line(report, cost_category="travel", amount="100.00", currency="EUR", rate=None,
             rate_month=date(2026, 1, 1), **kwargs) -> Expenditure:
    """A line frozen as at submission: EUR lines keep their amount, others convert at `rate`."""
    amount = Decimal(amount)
    rate = Decimal(rate) if rate is not None else None
    return Expenditure.objects.create(
        report=report, cost_category=cost_category, description=kwargs.pop("description", f"{cost_category} line"),
        amount=amount, currency=currency, exchange_rate=rate, rate_month=rate_month if rate else None,
        amount_eur=to_eur(amount, currency, rate), **kwargs,
    )


def add_staff_line(report, hours="100.00", hourly_rate="45.35", **kwargs) -> Expenditure:
    amount = staff_amount(Decimal(hours), Decimal(hourly_rate))
    return add_line(report, "staff", str(amount), hours=Decimal(hours), hourly_rate=Decimal(hourly_rate),
                    employee=kwargs.pop("employee", "Researcher"), **kwargs)


def add_parts(report, work_package, indicator=None, narrative="Work progressed as planned.", value="2",
              person_months="3.50") -> None:
    WorkPackageProgress.objects.create(report=report, work_package=work_package, narrative=narrative,
                                       objective_status="partly")
    EffortReported.objects.create(report=report, work_package=work_package, person_months=Decimal(person_months))
    if indicator is not None:
        IndicatorProgress.objects.create(report=report, indicator=indicator, value=Decimal(value))


def certify(report, **verified) -> ProgressReport:
    """The approved report certified, every line verified as declared unless `verified` gives a line (by id) its
    verified amount (the rest deducted as ineligible)."""
    for line in report.expenditures.all():
        amount = Decimal(verified.get(line.pk, line.amount))
        LineControl.objects.create(expenditure=line, verified_amount=amount, certified_in=report,
                                   deduction_type="" if amount == line.amount else "ineligible")
    report.status, report.certified_at = ProgressReport.Status.CERTIFIED, timezone.now()
    report.save()
    certificate_totals([report])  # stored, as reporting.services.report_certify stores them
    return report
