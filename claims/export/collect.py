"""A claim's export, gathered: the one place that queries; `pdf` and `xlsx` draw the dataclass it returns.

The same pipeline as the funder report (reporting/funder_report): collect → dataclass → renderer. Every money
figure comes from claims.selectors (the reports' certificates, the programme's verdict, payments and transfers),
so the PDF, the workbook, `GET /api/claims/{id}/` and `GET /api/projects/{id}/payments/` agree to the cent.
A reporter's export holds its own partner's part only (`partner_ids`).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from claims.models import Claim, PartnerTransfer, ProgrammePayment
from claims.selectors import (
    ClaimLine,
    PartnerClaim,
    claim_figures,
    claim_lines,
    claim_reports,
    project_payments,
)
from consortium.models import local_today
from partners.models import FundingSource, Partner
from reporting.funder_report.collect import Narrative
from reporting.models import ProjectReport

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ClaimCover:
    programme: str
    project_acronym: str
    project_title: str
    funder_reference: str
    claim_number: int
    period_number: int
    period_start: date
    period_end: date
    status: str  # Claim.Status value
    status_label: str
    submitted_on: date | None
    finalised_on: date | None
    lead_partner: str
    generated_on: date
    partial: str  # the partner(s) of a partial export ("KU"), empty for the whole claim
    return_comment: str


@dataclass(frozen=True)
class ReportEntry:
    partner: str
    period_number: int
    certified_on: date | None
    currency: str
    claimed: Decimal


@dataclass(frozen=True)
class FundRow:
    fund: str
    fund_label: str
    currency: str
    requested: Decimal
    accepted: Decimal | None


@dataclass(frozen=True)
class PaymentStatusRow:
    """One partner's money in this claim: the same figures as the payments endpoint's `partners[].claims[]`."""

    partner: str
    fund: str
    currency: str
    claimed: Decimal
    accepted: Decimal | None
    received: Decimal
    passed_on: Decimal
    paid_directly: Decimal

    @property
    def outstanding(self) -> Decimal | None:
        return None if self.accepted is None else self.accepted - self.received


@dataclass(frozen=True)
class PaymentRow:
    date: date
    fund_label: str
    paid_to: str
    amount: Decimal
    currency: str
    reference: str


@dataclass(frozen=True)
class ClaimDocument:
    cover: ClaimCover
    narrative: Narrative | None
    reports: tuple[ReportEntry, ...]
    partners: tuple[PartnerClaim, ...]
    funds: tuple[FundRow, ...]
    lines: tuple[ClaimLine, ...]
    payment_status: tuple[PaymentStatusRow, ...]
    payments: tuple[PaymentRow, ...]
    transfers: tuple[PaymentRow, ...]


def _label(partner: Partner) -> str:
    return f"{partner.code} {partner.organisation.short_name}"


def _day(moment) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def collect_claim(claim: Claim, *, partner_ids: list[int] | None = None, today: date | None = None) -> ClaimDocument:
    """The claim's export, whole or (`partner_ids`) a reporter's part of it."""
    claim = Claim.objects.select_related("project__programme", "period").get(pk=claim.pk)
    project = claim.project
    wanted = None if partner_ids is None else set(partner_ids)
    reports = [r for r in claim_reports(claim) if wanted is None or r.partner_id in wanted]
    figures = claim_figures(claim, reports=reports)
    parts = tuple(figures.partners)
    lead = project.partners.filter(role=Partner.PartnerRole.LEAD).select_related("organisation").first()
    project_report = ProjectReport.objects.filter(project=project, period=claim.period).first()
    sources = dict(FundingSource.choices)

    funds = tuple(FundRow(fund, str(sources.get(fund, fund)), currency, row["requested"], row["accepted"])
                  for (fund, currency), row in figures.by_fund().items())

    money = {row.partner.pk: row for row in project_payments(project, Claim.objects.filter(pk=claim.pk)).partners}
    status_rows = []
    for part in parts:
        row = money.get(part.partner.pk)
        in_claim = row.claims.get(claim.pk) if row is not None else None
        if part.fund == FundingSource.NONE:
            continue
        status_rows.append(PaymentStatusRow(
            partner=_label(part.partner), fund=str(sources.get(part.fund, part.fund)), currency=part.currency,
            claimed=part.claimed_cofinancing, accepted=part.accepted_cofinancing,
            received=in_claim.received if in_claim else ZERO,
            passed_on=row.passed_on if row else ZERO, paid_directly=row.paid_directly if row else ZERO))

    payments = ProgrammePayment.objects.filter(claim=claim).select_related("partner__organisation")
    transfers = PartnerTransfer.objects.filter(claim=claim).select_related("partner__organisation")
    if wanted is not None:
        payments, transfers = payments.filter(partner__in=wanted), transfers.filter(partner__in=wanted)
    lead_label = _label(lead) if lead else ""
    return ClaimDocument(
        cover=ClaimCover(
            programme=project.programme.name, project_acronym=project.acronym, project_title=project.title,
            funder_reference=getattr(project, "funder_reference", "") or "", claim_number=claim.number,
            period_number=claim.period.number, period_start=claim.period.start_date,
            period_end=claim.period.end_date, status=claim.status, status_label=str(claim.get_status_display()),
            submitted_on=_day(claim.submitted_at), finalised_on=_day(claim.finalised_at),
            lead_partner=lead.organisation.name if lead else "", generated_on=today or local_today(),
            partial=", ".join(_label(p.partner) for p in parts) if wanted is not None else "",
            return_comment=claim.return_comment),
        narrative=Narrative(project_report.highlights, project_report.deviations, project_report.cross_border_value,
                            project_report.next_steps) if project_report and wanted is None else None,
        reports=tuple(ReportEntry(_label(r.partner), r.period.number, _day(r.certified_at),
                                  next(p.currency for p in parts if p.partner.pk == r.partner_id),
                                  next(p.certificates[r.pk].verified for p in parts if r.pk in p.certificates))
                      for r in reports),
        partners=parts,
        funds=funds,
        lines=tuple(claim_lines(claim, reports=reports)),
        payment_status=tuple(status_rows),
        payments=tuple(PaymentRow(p.date, str(sources.get(p.fund, p.fund)),
                                  _label(p.partner) if p.partner else lead_label, p.amount, p.currency, p.reference)
                       for p in payments),
        transfers=tuple(PaymentRow(t.date, str(sources[FundingSource.ERDF]), _label(t.partner), t.amount, "EUR",
                                   t.reference) for t in transfers),
    )
