"""Everything a certificate shows, gathered once; the renderers (render.py) draw from the dataclass alone.

The figures are the report summary's control figures (`reporting.money.summarise_report(...).control`), so
the certificate, the API's summary and the funder report agree by construction. A partner reporting in NOK
has its totals in NOK and again converted to EUR at its lines' frozen rates.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consortium.history import person
from consortium.models import local_today
from partners.models import CostCategory, FundingSource
from reporting.models import DeductionType, LineControl, ProgressReport
from reporting.money import ZERO, ReportSummary, summarise_report
from reporting.selectors import report_controls

CATEGORY_LABELS = dict(CostCategory.choices)
DEDUCTION_LABELS = dict(DeductionType.choices)
SOURCE_LABELS = dict(FundingSource.choices)
FLAT_RATE_LABELS = {"staff": gettext_noop("Staff flat rate"),
                    "travel": gettext_noop("Travel & accommodation flat rate"),
                    "office": gettext_noop("Office & administration flat rate"),
                    "other_costs": gettext_noop("Other costs flat rate")}


@dataclass(frozen=True)
class TotalRow:
    """One line of the totals: a cost category's lines, a flat rate, the lump sums, or the total."""

    label: str
    declared: Decimal
    verified: Decimal
    deducted: Decimal
    parked: Decimal
    unverified: Decimal
    is_total: bool = False


@dataclass(frozen=True)
class Totals:
    currency: str
    rows: tuple[TotalRow, ...]
    funding_source: str
    cofinancing_rate: Decimal
    cofinancing: Decimal  # on the verified total, rounded down
    converted: bool  # EUR figures of a partner reporting in another currency


@dataclass(frozen=True)
class LineRow:
    """One line or lump sum: declared = verified + deducted + parked (+ unverified while in control)."""

    line_id: int
    kind: str  # "line" or "lump sum"
    report_period: int  # the period of the report the line was declared in (earlier for a brought-in line)
    cost_category: str
    description: str
    supplier: str
    invoice_number: str
    currency: str
    declared: Decimal
    verified: Decimal | None
    deducted: Decimal
    parked: Decimal
    deduction_type: str
    comment: str
    sampled: bool
    brought_in: bool  # parked by an earlier report of the partner and verified with this one


@dataclass(frozen=True)
class Certificate:
    programme: str
    project: str
    partner: str  # "PP1 KU – Københavns Universitet"
    report_id: int
    period_number: int
    period_start: date
    period_end: date
    status: str
    certified: bool
    controller: str
    certified_on: date | None
    generated_on: date
    totals: tuple[Totals, ...]  # in the partner's currency, then in EUR when that is another
    lines: tuple[LineRow, ...]

    @property
    def deductions(self) -> tuple[LineRow, ...]:
        return tuple(row for row in self.lines if row.deducted)

    @property
    def parked(self) -> tuple[LineRow, ...]:
        return tuple(row for row in self.lines if row.parked)

    @property
    def brought_in(self) -> tuple[LineRow, ...]:
        return tuple(row for row in self.lines if row.brought_in)


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def _totals(summary: ReportSummary, converted: bool) -> Totals:
    control = summary.control
    rows = []
    for category, total in summary.categories.items():
        figures = (total.declared, control.verified[category], control.deducted[category], control.parked[category],
                   control.unverified[category])
        if any(figures):
            rows.append(TotalRow(str(CATEGORY_LABELS[category]), *figures))
    verified_flat = {name: flat for name, _c, flat in control.flat_rate_items}
    for name, _category, flat in summary.flat_rate_items:
        now = verified_flat[name].amount if name in verified_flat else ZERO
        label = f"{_(FLAT_RATE_LABELS[name])} ({flat.rate:.2f} %)"
        rows.append(TotalRow(label, flat.amount, now, max(flat.amount - now, ZERO), ZERO, ZERO))
    if summary.lump_sums:
        rows.append(TotalRow(_("Lump sums"), summary.lump_sum_total, control.lump_sums_verified,
                             control.lump_sums_deducted, ZERO, control.lump_sums_unverified))
    rows.append(TotalRow(_("Total"), summary.eligible_total, control.verified_total, control.deducted_total,
                         control.parked_total, control.unverified_total, is_total=True))
    return Totals(currency=summary.currency, rows=tuple(rows),
                  funding_source=str(SOURCE_LABELS.get(summary.funding_source, summary.funding_source)),
                  cofinancing_rate=summary.cofinancing_rate, cofinancing=control.cofinancing, converted=converted)


def _line_row(control: LineControl, report: ProgressReport) -> LineRow:
    verified = control.verified_amount
    if control.expenditure_id:
        line = control.expenditure
        common = dict(kind="line", report_period=line.report.period.number, cost_category=str(
            CATEGORY_LABELS[line.cost_category]), description=line.description or line.employee,
            supplier=line.supplier, invoice_number=line.invoice_number, currency=line.currency)
    else:
        claim = control.lump_sum_claim
        common = dict(kind="lump sum", report_period=report.period.number, cost_category=str(_("Lump sums")),
                      description=claim.share.lump_sum.name, supplier="", invoice_number="", currency="EUR")
    own = control.line.report_id == report.pk
    held_here = control.certified_in_id in (None, report.pk)
    parked = control.parked or (own and not held_here) or (
        own and report.status == ProgressReport.Status.CERTIFIED and control.certified_in_id is None)
    return LineRow(
        line_id=control.line.pk, **common, declared=control.declared_amount,
        verified=None if parked else verified, deducted=ZERO if parked else control.deducted_amount,
        parked=control.declared_amount if parked else ZERO,
        deduction_type=str(DEDUCTION_LABELS.get(control.deduction_type, "")) if control.deduction_type else "",
        comment=control.comment, sampled=control.sampled, brought_in=not own,
    )


def collect_certificate(report: ProgressReport, *, today: date | None = None) -> Certificate:
    """The certificate of a report in control (a draft of it) or certified."""
    report = (ProgressReport.objects.select_related("partner__project__programme", "partner__organisation", "period",
                                                    "certified_by", "control_started_by").get(pk=report.pk))
    controls = report_controls(report)
    summary = summarise_report(report, controls=controls)
    # The rows' own report and period, and each lump sum's name, for the line list (a certificate is read one at
    # a time: a few queries more are fine).
    details = {c.pk: c for c in LineControl.objects.filter(pk__in=[c.pk for c in controls]).select_related(
        "expenditure__report__period", "lump_sum_claim__share__lump_sum")}
    controls = [details[c.pk] for c in controls]
    totals = [_totals(summary, converted=False)]
    if summary.converted is not None:
        totals.append(_totals(summary.converted, converted=True))
    partner = report.partner
    certified = report.status == ProgressReport.Status.CERTIFIED
    return Certificate(
        programme=partner.project.programme.name, project=partner.project.acronym,
        partner=f"{partner.code} {partner.organisation.short_name} – {partner.organisation.name}",
        report_id=report.pk, period_number=report.period.number, period_start=report.period.start_date,
        period_end=report.period.end_date, status=str(report.get_status_display()), certified=certified,
        controller=person(report.certified_by if certified else report.control_started_by),
        certified_on=_local_date(report.certified_at), generated_on=today or local_today(),
        totals=tuple(totals),
        lines=tuple(sorted((_line_row(c, report) for c in controls), key=lambda r: (r.brought_in, r.kind, r.line_id))),
    )
