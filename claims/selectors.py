"""The figures of claims and payments, computed from the certificates of the reports in them.

Every figure is a sum of per-report figures of `reporting.money` (a report's certificate: its verified total
and co-financing), so a claim, its exports, the payments page and the API agree to the cent by construction.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import F, Prefetch, QuerySet, Sum

from claims.models import Claim, ClaimAcceptance, PartnerTransfer, ProgrammePayment
from consortium.models import ReportingPeriod
from partners.budget_selectors import budget_rows, versions_by_period
from partners.models import FundingSource, LumpSumShare, Partner
from reporting.models import CertificateFigures, LumpSumClaim, ProgressReport
from reporting.money import (
    ZERO,
    budget_by_partner,
    percent_of_down,
    verified_value,
)
from reporting.selectors import certificate_totals, controls_by_report, store_stale_certificates

Status = Claim.Status
LUMP_SUM_CLAIMS = Prefetch("lump_sum_claims", queryset=LumpSumClaim.objects.select_related("share__lump_sum__period"))
# Claims the programme has: what is "claimed"; finalised ones are what it owes.
SENT_STATUSES = (Status.SUBMITTED, Status.IN_VERIFICATION, Status.FINALISED)


@dataclass
class PartnerSums:
    """One partner's money in a claim, in the partner's reporting currency (NOK for a partner reporting in NOK):
    its certificates' totals added up, and what the programme accepted. What lists of many claims read
    (`claims_sums`); a claim's own page and exports read the fuller `PartnerClaim`."""

    partner: object
    fund: str
    currency: str
    cofinancing_rate: Decimal
    declared: Decimal = ZERO  # the reports' declared eligible totals
    claimed: Decimal = ZERO  # their certified (verified) totals: what the claim asks the programme to accept
    deducted: Decimal = ZERO
    claimed_cofinancing: Decimal = ZERO  # the sum of the certificates' co-financing
    acceptance: ClaimAcceptance | None = None  # from `claims_sums`, its `Accepted` record

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
class PartnerClaim(PartnerSums):
    """`PartnerSums` with what its sums are made of: the reports and their certificates, the verified amounts
    per category, and the partner's budget in the version in force for the claim's period."""

    reports: list = field(default_factory=list)
    certificates: dict = field(default_factory=dict)  # report id -> its certificate's totals (CertificateTotals)
    categories: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))  # category -> verified (+ flat)
    other_costs_flat_rate: Decimal = ZERO
    lump_sums: Decimal = ZERO
    budget: Decimal = ZERO

    @property
    def budget_remaining(self) -> Decimal:
        return self.budget - self.claimed


@dataclass
class ClaimFigures:
    claim: Claim
    partners: list[PartnerClaim]  # PartnerSums from `claims_sums`

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


class ClaimedReport:
    """A report in a claim as the claims' figures read it (`claims_reports(figures_only=True)`): a plain record,
    hundreds of which cost a fraction of as many model instances; `certificate_totals` loads the report itself
    only to compute a certificate's totals it has not stored."""

    __slots__ = ("pk", "partner_id", "period_id", "status", "certified_at", "in_claim", "partner", "period")

    def __init__(self, pk, partner_id, period_id, status, certified_at, in_claim):
        self.pk, self.partner_id, self.period_id, self.status = pk, partner_id, period_id, status
        self.certified_at, self.in_claim = certified_at, in_claim
        self.partner = self.period = None


def claims_reports(claims, *, figures_only: bool = False) -> dict[int, list]:
    """claim id -> its reports, with their partner, period and claimed lump sums: the same few queries for one
    claim or all of a project's, with one report or twenty each. `figures_only`: the reports as claim figures
    read them (the claims list, payments and the money tile: the certificates' totals hold the rest), hundreds at
    once. A partner or period is one object however many reports share it. Their lines come with their control
    rows (`claim_lines`)."""
    claims = list(claims)
    found: dict[int, list] = {claim.pk: [] for claim in claims}
    reports = ProgressReport.objects.filter(claim_entry__claim__in=claims).annotate(
        in_claim=F("claim_entry__claim")).order_by("in_claim", "partner__number", "period__number")
    if figures_only:
        reports = [ClaimedReport(*row) for row in reports.values_list(*ClaimedReport.__slots__[:-2])]
    else:
        reports = list(reports.prefetch_related(LUMP_SUM_CLAIMS))
    partners = Partner.objects.select_related("organisation", "project").in_bulk({r.partner_id for r in reports})
    periods = ReportingPeriod.objects.in_bulk({r.period_id for r in reports})
    for report in reports:
        report.partner, report.period = partners[report.partner_id], periods[report.period_id]
        found[report.in_claim].append(report)
    return found


def claim_reports(claim: Claim) -> list:
    """One claim's reports (`claims_reports`)."""
    return claims_reports([claim])[claim.pk]


def _budgets_in_force(claims: list[Claim], reports: dict[int, list]) -> dict[int, dict[int, Decimal]]:
    """claim id -> partner id -> the partner's budget in the version in force for the claim's period: the approved
    versions of each project in one query (the rule of partners.budget_selectors.versions_by_period), their lines
    and the projects' lump-sum shares in one query each."""
    by_project = defaultdict(list)
    for claim in claims:
        by_project[claim.project_id].append(claim)
    versions = {}  # claim id -> version in force (or None)
    for project_id, of_project in by_project.items():
        in_force = versions_by_period(project_id, [claim.period for claim in of_project])
        versions.update({claim.pk: in_force[claim.period.number] for claim in of_project})
    lines = budget_rows(versions.values())
    shares = defaultdict(list)
    for share in LumpSumShare.objects.filter(partner__project__in=list(by_project)).select_related("partner"):
        shares[share.partner.project_id].append(share)
    # Claims of the same version share its budgets: each version is added up once, with the partners of all of
    # them (a partner's budget does not depend on which others are in the claim).
    partners = {r.partner for claim in claims for r in reports[claim.pk]}
    by_version: dict = {}
    for claim in claims:
        version = versions[claim.pk]
        key = version.pk if version else None
        if key not in by_version:
            by_version[key] = budget_by_partner(lines.get(key, ()), partners, shares[claim.project_id])
    return {claim.pk: by_version[versions[claim.pk].pk if versions[claim.pk] else None] for claim in claims}


def claims_figures(claims, reports: dict[int, list] | None = None) -> dict[int, ClaimFigures]:
    """claim id -> its figures (`claim_figures`), for many claims in the same few queries as for one. Lists of a
    project's claims need only their sums (`claims_sums`). `reports`: claim id -> the reports to count
    (`claims_reports`, or a part of them)."""
    claims = list(claims)
    reports = claims_reports(claims, figures_only=True) if reports is None else reports
    totals = certificate_totals([report for claim in claims for report in reports[claim.pk]])
    acceptances = defaultdict(dict)
    for acceptance in ClaimAcceptance.objects.filter(claim__in=claims):
        acceptances[acceptance.claim_id][acceptance.partner_id] = acceptance
    budgets = _budgets_in_force(claims, reports)
    return {claim.pk: _figures(claim, reports[claim.pk], totals, acceptances[claim.pk], budgets[claim.pk])
            for claim in claims}


def claim_figures(claim: Claim, reports: list | None = None) -> ClaimFigures:
    """Per partner, what the claim holds: certified totals per category, co-financing, the accepted amount."""
    return claims_figures([claim], None if reports is None else {claim.pk: reports})[claim.pk]


def claims_sums(claims) -> dict[int, ClaimFigures]:
    """claim id -> its partners' money (`PartnerSums`): the stored certificates' totals summed per claim and partner
    in the database, so that lists of every claim of a project (the claims list, payments, the dashboard's tile) read
    a row per claim and partner instead of every report. The same sums as `claims_figures` (a test holds them
    equal), of the same stored certificate figures: those missing or computed on terms a partner no longer has are
    stored first (reporting.selectors.store_stale_certificates)."""
    claims = list(claims)
    in_claims = ProgressReport.objects.filter(claim_entry__claim__in=claims)
    partners = {partner.pk: partner for partner in Partner.objects.filter(
        pk__in=in_claims.values("partner_id")).select_related("organisation", "project")}
    store_stale_certificates(in_claims, partners)
    acceptances = defaultdict(dict)
    for claim_id, partner_id, eligible in ClaimAcceptance.objects.filter(claim__in=claims).values_list(
            "claim_id", "partner_id", "eligible"):
        acceptances[claim_id][partner_id] = Accepted(eligible)
    parts = defaultdict(list)
    sums = (CertificateFigures.objects.filter(report__claim_entry__claim__in=claims)
            .values_list("report__claim_entry__claim", "report__partner", "currency")
            .annotate(*(Sum(stored) for stored in _SUMMED.values())).order_by("report__partner__number"))
    for claim_id, partner_id, currency, *amounts in sums:
        partner = partners[partner_id]
        parts[claim_id].append(PartnerSums(
            partner=partner, fund=partner.funding_source, currency=currency, cofinancing_rate=partner.cofinancing_rate,
            acceptance=acceptances[claim_id].get(partner_id), **dict(zip(_SUMMED, amounts, strict=True))))
    return {claim.pk: ClaimFigures(claim=claim, partners=parts[claim.pk]) for claim in claims}


class Accepted(NamedTuple):
    """What `PartnerSums` reads of a ClaimAcceptance, hundreds of which a list of claims reads at once."""

    eligible: Decimal


# PartnerSums' amounts -> the CertificateFigures field each adds up.
_SUMMED = {"declared": "declared", "claimed": "verified", "deducted": "deducted", "claimed_cofinancing": "cofinancing"}


def _figures(claim: Claim, reports: list, totals: dict, acceptances: dict, budgets: dict) -> ClaimFigures:
    """THE arithmetic of a claim's figures: each report's certificate totals (`certificate_totals`) added up per
    partner."""
    parts: dict[int, PartnerClaim] = {}
    for report in reports:
        partner = report.partner
        certificate = totals[report.pk]
        part = parts.setdefault(partner.pk, PartnerClaim(
            partner=partner, fund=partner.funding_source, currency=certificate.currency,
            cofinancing_rate=partner.cofinancing_rate, acceptance=acceptances.get(partner.pk),
            budget=budgets.get(partner.pk, ZERO)))
        part.reports.append(report)
        part.certificates[report.pk] = certificate
        part.declared += certificate.declared
        part.claimed += certificate.verified
        part.deducted += certificate.deducted
        part.claimed_cofinancing += certificate.cofinancing
        for category, amount in certificate.categories.items():
            part.categories[category] += amount
        part.other_costs_flat_rate += certificate.other_costs_flat_rate
        part.lump_sums += certificate.lump_sums
    return ClaimFigures(claim=claim, partners=sorted(parts.values(), key=lambda p: p.partner.number))


LUMP_SUM = "lump_sum"  # the cost category shown for a verified lump sum in the list of expenditure


@dataclass
class ClaimLine:
    """One certified line of the list of expenditure: a real or unit-cost line, or a verified lump sum.

    `declared` and `verified` are in the line's own currency (`line_currency`); `declared_claimed` and
    `verified_claimed` in the claim's currency for the partner (`currency`: EUR, or NOK for a partner
    reporting in NOK), at the line's frozen rate — the verified ones add up to the certificate's verified lines.
    """

    report: object
    partner: object
    period_number: int
    expenditure_id: int | None
    lump_sum_claim_id: int | None
    cost_category: str
    description: str
    supplier: str
    invoice_number: str
    invoice_date: object
    line_currency: str
    declared: Decimal
    verified: Decimal
    currency: str
    declared_claimed: Decimal
    verified_claimed: Decimal
    deduction_type: str
    comment: str

    @property
    def deducted_claimed(self) -> Decimal:
        return self.declared_claimed - self.verified_claimed


def claim_lines(claim: Claim, partner_ids: list[int] | None = None, reports: list | None = None) -> list[ClaimLine]:
    """The list of expenditure: every line whose verified amount a certificate of one of the claim's reports holds
    (parked lines of an earlier report included, with the report that certified them), in partner, period and
    line order; only `partner_ids`' lines when given (a reporter's part)."""
    reports = claim_reports(claim) if reports is None else reports
    if partner_ids is not None:
        reports = [r for r in reports if r.partner_id in set(partner_ids)]
    controls = controls_by_report(reports)
    rows: list[ClaimLine] = []
    for report in reports:
        currency = report.partner.reporting_currency
        for control in controls[report.pk]:
            if control.verified_amount is None:
                continue
            if control.lump_sum_claim_id is not None:
                claim_of_lump_sum = control.lump_sum_claim
                if claim_of_lump_sum.report_id != report.pk:
                    continue
                rows.append(ClaimLine(
                    report=report, partner=report.partner, period_number=report.period.number, expenditure_id=None,
                    lump_sum_claim_id=claim_of_lump_sum.pk, cost_category=LUMP_SUM,
                    description=claim_of_lump_sum.share.lump_sum.name, supplier="", invoice_number="",
                    invoice_date=None, line_currency=currency, declared=claim_of_lump_sum.amount,
                    verified=control.verified_amount, currency=currency, declared_claimed=claim_of_lump_sum.amount,
                    verified_claimed=control.verified_amount, deduction_type=control.deduction_type,
                    comment=control.comment))
                continue
            line = control.expenditure
            if control.certified_in_id != report.pk:
                continue  # parked here, or held by another report's certificate
            declared = verified_value(line, line.amount, currency)
            verified = verified_value(line, control.verified_amount, currency)
            if declared is None or verified is None:
                continue  # a line the certificate cannot value in this currency is not in its totals either
            rows.append(ClaimLine(
                report=report, partner=report.partner, period_number=line.report.period.number if
                line.report_id != report.pk else report.period.number, expenditure_id=line.pk,
                lump_sum_claim_id=None, cost_category=line.cost_category, description=line.description,
                supplier=line.supplier, invoice_number=line.invoice_number, invoice_date=line.invoice_date,
                line_currency=line.currency, declared=line.amount, verified=control.verified_amount,
                currency=currency, declared_claimed=declared, verified_claimed=verified,
                deduction_type=control.deduction_type, comment=control.comment))
    rows.sort(key=lambda row: (row.partner.number, row.report.period.number, row.lump_sum_claim_id is not None,
                               row.expenditure_id or row.lump_sum_claim_id))
    return rows


@dataclass
class PartnerClaimMoney:
    """One partner's money in one claim, in its fund's currency."""

    claim: Claim
    claimed: Decimal = ZERO
    accepted: Decimal | None = None
    received: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal | None:
        return None if self.accepted is None else self.accepted - self.received


@dataclass
class PartnerPayments:
    """One partner's money across the project's claims, in its fund's currency."""

    partner: object
    fund: str
    currency: str
    claimed: Decimal = ZERO  # co-financing requested in claims sent to the programme
    accepted: Decimal = ZERO  # accepted co-financing in finalised claims: the partner's due share
    received: Decimal = ZERO  # paid to it: passed on by the lead partner, or paid directly (Norwegian funds)
    passed_on: Decimal = ZERO  # the part of `received` the lead partner passed on (ERDF)
    paid_directly: Decimal = ZERO  # the part of `received` the programme paid it directly (Norwegian funds)
    claims: dict = field(default_factory=dict)  # claim id -> PartnerClaimMoney

    @property
    def outstanding(self) -> Decimal:
        return self.accepted - self.received


class Received(NamedTuple):
    """Money recorded for a claim, summed per partner (and fund and currency): what the programme paid
    (`payments_received`; `partner_id` None for a payment to the lead partner) or what the lead partner passed on
    (`transfers_received`, EUR)."""

    claim_id: int
    partner_id: int | None
    fund: str
    currency: str
    amount: Decimal


def payments_received(claims) -> dict[int, list[Received]]:
    """claim id -> the programme's payments for it, summed per partner, fund and currency (one query)."""
    found = defaultdict(list)
    for row in (ProgrammePayment.objects.filter(claim__in=claims).order_by().values_list(
            "claim_id", "partner_id", "fund", "currency").annotate(Sum("amount"))):
        found[row[0]].append(Received(*row))
    return found


def transfers_received(claims, partners: list[int] | None = None) -> dict[int, list[Received]]:
    """claim id -> the lead partner's transfers for it, summed per partner (one query); only to `partners` when
    given."""
    transfers = PartnerTransfer.objects.filter(claim__in=claims)
    if partners is not None:
        transfers = transfers.filter(partner__in=partners)
    found = defaultdict(list)
    for claim_id, partner_id, amount in transfers.order_by().values_list("claim_id", "partner_id").annotate(
            Sum("amount")):
        found[claim_id].append(Received(claim_id, partner_id, FundingSource.ERDF, "EUR", amount))
    return found


@dataclass
class ClaimPayments:
    """One claim's money per fund: accepted co-financing against what the programme paid."""

    claim: Claim
    fund: str
    currency: str
    requested: Decimal = ZERO
    accepted: Decimal | None = None
    received: Decimal = ZERO
    passed_on: Decimal = ZERO  # ERDF the lead partner passed on to the partners for this claim

    @property
    def outstanding(self) -> Decimal | None:
        return None if self.accepted is None else self.accepted - self.received


@dataclass
class FundPayments:
    """A fund's money across the project's claims: requested, accepted, received from the programme, passed on
    by the lead partner, and still owed by the programme (`outstanding`) or held by the lead partner (`held`)."""

    fund: str
    currency: str
    requested: Decimal = ZERO
    accepted: Decimal = ZERO
    received: Decimal = ZERO
    passed_on: Decimal = ZERO
    paid_directly: Decimal = ZERO

    @property
    def outstanding(self) -> Decimal:
        return self.accepted - self.received

    @property
    def held(self) -> Decimal:
        """Received by the lead partner and not passed on yet (ERDF); nothing for funds paid directly."""
        return self.received - self.passed_on - self.paid_directly


@dataclass
class ProjectPayments:
    partners: list[PartnerPayments]
    claims: list[ClaimPayments]
    funds: list[FundPayments] = field(default_factory=list)


def project_payments(project, claims: QuerySet | None = None) -> ProjectPayments:
    """Received, claimed, passed on and outstanding per partner and fund, and per claim (GET …/payments/)."""
    claims = list((claims if claims is not None else Claim.objects.filter(project=project))
                  .filter(status__in=SENT_STATUSES).select_related("project", "period").order_by("number"))
    partners: dict[int, PartnerPayments] = {}
    per_claim: list[ClaimPayments] = []
    payments, transfers = payments_received(claims), transfers_received(claims)
    every = claims_sums(claims)
    for claim in claims:
        figures = every[claim.pk]
        rows: dict[tuple[str, str], ClaimPayments] = {}
        for part in figures.partners:
            if part.fund == FundingSource.NONE:
                continue
            money = partners.setdefault(part.partner.pk, PartnerPayments(part.partner, part.fund, part.currency))
            in_claim = money.claims.setdefault(claim.pk, PartnerClaimMoney(claim))
            money.claimed += part.claimed_cofinancing
            in_claim.claimed += part.claimed_cofinancing
            row = rows.setdefault((part.fund, part.currency), ClaimPayments(claim, part.fund, part.currency))
            row.requested += part.claimed_cofinancing
            if part.accepted_cofinancing is not None:
                money.accepted += part.accepted_cofinancing
                in_claim.accepted = (in_claim.accepted or ZERO) + part.accepted_cofinancing
                row.accepted = (row.accepted or ZERO) + part.accepted_cofinancing
        for payment in payments[claim.pk]:
            row = rows.setdefault((payment.fund, payment.currency), ClaimPayments(claim, payment.fund,
                                                                                 payment.currency))
            row.received += payment.amount
            if payment.partner_id in partners:  # Norwegian funds: paid to the partner directly
                money = partners[payment.partner_id]
                money.received += payment.amount
                money.paid_directly += payment.amount
                money.claims.setdefault(claim.pk, PartnerClaimMoney(claim)).received += payment.amount
        for transfer in transfers[claim.pk]:
            row = rows.setdefault((FundingSource.ERDF, "EUR"), ClaimPayments(claim, FundingSource.ERDF, "EUR"))
            row.passed_on += transfer.amount
            if transfer.partner_id in partners:
                money = partners[transfer.partner_id]
                money.received += transfer.amount
                money.passed_on += transfer.amount
                money.claims.setdefault(claim.pk, PartnerClaimMoney(claim)).received += transfer.amount
        per_claim.extend(rows.values())
    funds: dict[tuple[str, str], FundPayments] = {}
    for row in per_claim:
        fund = funds.setdefault((row.fund, row.currency), FundPayments(row.fund, row.currency))
        fund.requested += row.requested
        fund.accepted += row.accepted or ZERO
        fund.received += row.received
        fund.passed_on += row.passed_on
    for money in partners.values():
        if money.paid_directly and (money.fund, money.currency) in funds:
            funds[(money.fund, money.currency)].paid_directly += money.paid_directly
    return ProjectPayments(partners=sorted(partners.values(), key=lambda p: p.partner.number), claims=per_claim,
                           funds=sorted(funds.values(), key=lambda f: (f.fund != FundingSource.ERDF, f.fund,
                                                                       f.currency)))
