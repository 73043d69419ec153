"""The figures of claims and payments, computed from the certificates of the reports in them.

Every figure is a sum of per-report figures of `reporting.money` (a report's certificate: its verified total
and co-financing), so a claim, its exports, the payments page and the API agree to the cent by construction.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from claims.models import Claim, ClaimAcceptance, ClaimReport, PartnerTransfer, ProgrammePayment
from partners.budget_selectors import lines_in_force
from partners.models import FundingSource, LumpSumShare
from reporting.money import ZERO, budget_by_partner, percent_of_down, summarise_report
from reporting.selectors import controls_by_report

Status = Claim.Status
# Claims the programme has: what is "claimed"; finalised ones are what it owes.
SENT_STATUSES = (Status.SUBMITTED, Status.IN_VERIFICATION, Status.FINALISED)


@dataclass
class PartnerClaim:
    """One partner's part of a claim, in the partner's reporting currency (NOK for a partner reporting in NOK)."""

    partner: object
    fund: str
    currency: str
    cofinancing_rate: Decimal
    reports: list = field(default_factory=list)
    summaries: list = field(default_factory=list)  # ReportSummary of each report, with its certificate
    declared: Decimal = ZERO  # the reports' declared eligible totals
    claimed: Decimal = ZERO  # their certified (verified) totals: what the claim asks the programme to accept
    deducted: Decimal = ZERO
    claimed_cofinancing: Decimal = ZERO  # the sum of the certificates' co-financing
    categories: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))  # category -> verified (+ flat)
    other_costs_flat_rate: Decimal = ZERO
    lump_sums: Decimal = ZERO
    acceptance: ClaimAcceptance | None = None
    budget: Decimal = ZERO  # the partner's budget in the version in force for the claim's period

    @property
    def budget_remaining(self) -> Decimal:
        return self.budget - self.claimed

    @property
    def accepted(self) -> Decimal | None:
        """The eligible expenditure the programme accepted (None until the claim is finalised)."""
        return None if self.acceptance is None else self.acceptance.eligible

    @property
    def accepted_cofinancing(self) -> Decimal | None:
        """Co-financing on the accepted amount, rounded down; as claimed when accepted in full (so that the
        sum of the certificates' co-financing, each rounded down, is not rounded again)."""
        if self.acceptance is None:
            return None
        if self.acceptance.eligible == self.claimed:
            return self.claimed_cofinancing
        return percent_of_down(self.acceptance.eligible, self.cofinancing_rate)


@dataclass
class ClaimFigures:
    claim: Claim
    partners: list[PartnerClaim]

    def by_fund(self) -> dict[tuple[str, str], dict[str, Decimal | None]]:
        """(fund, currency) -> requested, accepted co-financing: what the claim asks of each fund."""
        funds: dict = {}
        for part in self.partners:
            if part.fund == FundingSource.NONE:
                continue
            row = funds.setdefault((part.fund, part.currency), {"requested": ZERO, "accepted": None})
            row["requested"] += part.claimed_cofinancing
            if part.accepted_cofinancing is not None:
                row["accepted"] = (row["accepted"] or ZERO) + part.accepted_cofinancing
        return funds


def claim_reports(claim: Claim) -> list:
    return [entry.report for entry in ClaimReport.objects.filter(claim=claim).select_related(
        "report__partner__organisation", "report__partner__project", "report__period").order_by(
        "report__partner__number", "report__period__number")]


def claim_figures(claim: Claim, reports: list | None = None) -> ClaimFigures:
    """Per partner, what the claim holds: certified totals per category, co-financing, the accepted amount."""
    reports = claim_reports(claim) if reports is None else reports
    controls = controls_by_report(reports)
    lines = defaultdict(list)
    for report in reports:
        lines[report.pk] = list(report.expenditures.all())
    acceptances = {a.partner_id: a for a in ClaimAcceptance.objects.filter(claim=claim)}
    budgets = budget_by_partner(lines_in_force(claim.project_id, claim.period.number),
                                {r.partner for r in reports},
                                LumpSumShare.objects.filter(partner__project=claim.project_id))
    parts: dict[int, PartnerClaim] = {}
    for report in reports:
        partner = report.partner
        summary = summarise_report(report, lines=lines[report.pk], provisional_rates={},
                                   controls=controls[report.pk])
        control = summary.control
        part = parts.setdefault(partner.pk, PartnerClaim(
            partner=partner, fund=partner.funding_source, currency=summary.currency,
            cofinancing_rate=partner.cofinancing_rate, acceptance=acceptances.get(partner.pk),
            budget=budgets.get(partner.pk, ZERO)))
        part.reports.append(report)
        part.summaries.append(summary)
        part.declared += summary.eligible_total
        part.claimed += control.verified_total
        part.deducted += control.deducted_total
        part.claimed_cofinancing += control.cofinancing
        for category in control.verified:
            part.categories[category] += control.category_verified(category)
        part.other_costs_flat_rate += control.flat_rates.other_costs.amount if control.flat_rates.other_costs else ZERO
        part.lump_sums += control.lump_sums_verified
    return ClaimFigures(claim=claim, partners=sorted(parts.values(), key=lambda p: p.partner.number))


@dataclass
class PartnerPayments:
    """One partner's money across the project's claims, in its fund's currency."""

    partner: object
    fund: str
    currency: str
    claimed: Decimal = ZERO  # co-financing requested in claims sent to the programme
    accepted: Decimal = ZERO  # accepted co-financing in finalised claims: the partner's due share
    received: Decimal = ZERO  # paid to it: passed on by the lead partner, or paid directly (Norwegian funds)

    @property
    def outstanding(self) -> Decimal:
        return self.accepted - self.received


@dataclass
class ClaimPayments:
    """One claim's money per fund: accepted co-financing against what the programme paid."""

    claim: Claim
    fund: str
    currency: str
    requested: Decimal = ZERO
    accepted: Decimal | None = None
    received: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal | None:
        return None if self.accepted is None else self.accepted - self.received


@dataclass
class ProjectPayments:
    partners: list[PartnerPayments]
    claims: list[ClaimPayments]


def project_payments(project, claims: QuerySet | None = None) -> ProjectPayments:
    """Received, claimed, passed on and outstanding per partner and fund, and per claim (GET …/payments/)."""
    claims = list((claims if claims is not None else Claim.objects.filter(project=project))
                  .filter(status__in=SENT_STATUSES).select_related("period").order_by("number"))
    partners: dict[int, PartnerPayments] = {}
    per_claim: list[ClaimPayments] = []
    payments = defaultdict(list)
    for payment in ProgrammePayment.objects.filter(claim__in=claims):
        payments[payment.claim_id].append(payment)
    for claim in claims:
        figures = claim_figures(claim)
        rows: dict[tuple[str, str], ClaimPayments] = {}
        for part in figures.partners:
            if part.fund == FundingSource.NONE:
                continue
            money = partners.setdefault(part.partner.pk, PartnerPayments(part.partner, part.fund, part.currency))
            money.claimed += part.claimed_cofinancing
            row = rows.setdefault((part.fund, part.currency), ClaimPayments(claim, part.fund, part.currency))
            row.requested += part.claimed_cofinancing
            if part.accepted_cofinancing is not None:
                money.accepted += part.accepted_cofinancing
                row.accepted = (row.accepted or ZERO) + part.accepted_cofinancing
        for payment in payments[claim.pk]:
            row = rows.setdefault((payment.fund, payment.currency), ClaimPayments(claim, payment.fund,
                                                                                 payment.currency))
            row.received += payment.amount
            if payment.partner_id in partners:  # Norwegian funds: paid to the partner directly
                partners[payment.partner_id].received += payment.amount
        per_claim.extend(rows.values())
    for transfer in PartnerTransfer.objects.filter(claim__in=claims):
        if transfer.partner_id in partners:
            partners[transfer.partner_id].received += transfer.amount
    return ProjectPayments(partners=sorted(partners.values(), key=lambda p: p.partner.number), claims=per_claim)
