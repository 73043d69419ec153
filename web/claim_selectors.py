"""Reads of the claims and payments pages, on top of claims.selectors (whose figures the API and the exports
share): the web only narrows them to what the user may see (claims.access.partner_scope) and shapes them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet

from claims import access
from claims.models import Claim, PartnerTransfer, ProgrammePayment
from claims.selectors import (
    SENT_STATUSES,
    ClaimFigures,
    PartnerPayments,
    claim_figures,
    claims_sums,
    payments_received,
    project_payments,
    transfers_received,
)
from consortium import permissions as perms
from consortium.permissions import Right
from partners.cost_options import CostCategory
from partners.models import FundingSource, Partner
from reporting.models import LineControl, ProjectReport
from reporting.money import ZERO

EXPENDITURE_PAGE_SIZE = 25


def in_scope(partner_id: int, scope: list[int] | None) -> bool:
    return scope is None or partner_id in scope


@dataclass
class FundMoney:
    """Co-financing of one fund in one currency: asked for, accepted by the programme, received."""

    fund: str
    currency: str
    claimed: Decimal = ZERO
    accepted: Decimal | None = None
    received: Decimal = ZERO

    @property
    def fund_label(self) -> str:
        return FundingSource(self.fund).label

    @property
    def outstanding(self) -> Decimal | None:
        return None if self.accepted is None else self.accepted - self.received


@dataclass
class ClaimView:
    """One claim as the user may see it: the partners in scope, their money per fund."""

    claim: Claim
    figures: ClaimFigures
    scope: list[int] | None
    funds: list[FundMoney] = field(default_factory=list)

    @property
    def partners(self) -> list:
        return [part for part in self.figures.partners if in_scope(part.partner.pk, self.scope)]


def claim_view(claim: Claim, user, *, figures: ClaimFigures | None = None, scope: list[int] | None | bool = False,
               payments: list | None = None, transfers: list | None = None) -> ClaimView:
    """The claim's figures narrowed to the user's partners, with co-financing per fund: received is what the
    programme paid (readers of the whole claim) or what reached the reporter's partner. `claim_views` passes
    what it read for all the claims at once (`scope` False: ask claims.access)."""
    scope = access.partner_scope(user, claim) if scope is False else scope
    view = ClaimView(claim=claim, figures=figures or claim_figures(claim), scope=scope)
    funds: dict[tuple[str, str], FundMoney] = {}
    for part in view.partners:
        if part.fund == FundingSource.NONE:
            continue
        row = funds.setdefault((part.fund, part.currency), FundMoney(part.fund, part.currency))
        row.claimed += part.claimed_cofinancing
        if part.accepted_cofinancing is not None:
            row.accepted = (row.accepted or ZERO) + part.accepted_cofinancing
    if payments is None:
        payments = payments_received([claim])[claim.pk]
    if transfers is None:
        transfers = transfers_received([claim], scope)[claim.pk] if scope is not None else []
    if scope is None:
        for payment in payments:
            funds.setdefault((payment.fund, payment.currency), FundMoney(payment.fund, payment.currency)
                             ).received += payment.amount
    else:
        partners = {part.partner.pk: part for part in view.partners}
        for payment in payments:
            if payment.partner_id in scope:
                funds.setdefault((payment.fund, payment.currency), FundMoney(payment.fund, payment.currency)
                                 ).received += payment.amount
        for transfer in transfers:
            part = partners.get(transfer.partner_id)
            if part is not None and transfer.partner_id in scope:
                funds.setdefault((part.fund, "EUR"), FundMoney(part.fund, "EUR")).received += transfer.amount
    view.funds = sorted(funds.values(), key=lambda row: (row.fund, row.currency))
    return view


# Claims per page of the claims list, the latest first: a project's claims of two or three years on one page, and
# a page whose time does not grow with a longer project (docs/PERFORMANCE.md).
CLAIMS_PAGE_SIZE = 10


def claim_views(user, project, *, page=None) -> Page:
    """A page of the claims list (`page`: its number from the URL): the claims the user reads (`claims_of`), the
    latest first, each as `claim_view`, their sums, payments and transfers read once for the page, so that it costs
    the same queries for three claims or thirty."""
    pager = Paginator(claims_of(user, project), CLAIMS_PAGE_SIZE).get_page(page)
    claims = list(pager.object_list)
    figures = claims_sums(claims)
    # The scope depends on the project only (claims.access.partner_scope): asked once.
    scope = access.partner_scope(user, claims[0]) if claims else None
    payments = payments_received(claims)
    # Passed on to the partners in scope: what reached a reporter's partner (readers of the whole claim count what
    # the programme paid).
    transfers = transfers_received(claims, scope) if scope is not None else defaultdict(list)
    pager.object_list = [claim_view(claim, user, figures=figures[claim.pk], scope=scope, payments=payments[claim.pk],
                                    transfers=transfers[claim.pk]) for claim in claims]
    return pager


def claims_of(user, project) -> QuerySet:
    """The project's claims the user may read (a reporter: those holding its partner's reports)."""
    return access.readable(Claim.objects.filter(project=project), user).select_related("period", "project"
                                                                                      ).order_by("-number")


def categories_used(views: list) -> list[tuple[str, str]]:
    """The cost categories with an amount in any partner's part (the table's columns), in the usual order."""
    used = {category for part in views for category, amount in part.categories.items() if amount}
    return [(value, label) for value, label in CostCategory.choices if value in used]


def expenditure_list(claim: Claim, scope: list[int] | None) -> QuerySet:
    """The list of expenditure: every certified line of the claim's reports with its verified amount (a line
    parked in an earlier report counts where its certificate is: `certified_in`)."""
    controls = LineControl.objects.filter(certified_in__claim_entry__claim=claim, expenditure__isnull=False)
    if scope is not None:
        controls = controls.filter(certified_in__partner__in=scope)
    return controls.select_related("expenditure__report__partner__organisation", "expenditure__report__period",
                                   "certified_in__period").order_by(
        "certified_in__partner__number", "certified_in__period__number", "expenditure__id")


def narrative(claim: Claim) -> ProjectReport | None:
    return ProjectReport.objects.filter(project=claim.project, period=claim.period).first()


# --- payments -----------------------------------------------------------------------------------

RECORDED_PAGE_SIZE = 25  # payments and transfers per page: the page does not grow with the claims paid


@dataclass
class PaymentsPage:
    partners: list[PartnerPayments]
    claims: list  # claims.selectors.ClaimPayments, per claim and fund (readers of the whole project only)
    payments: list[ProgrammePayment]  # this page of them, the latest first
    transfers: list[PartnerTransfer]
    whole: bool  # False: a reporter's view of its own partner
    payments_pager: Page | None = None
    transfers_pager: Page | None = None


def payments_page(user, project, *, payments_page=None, transfers_page=None) -> PaymentsPage:
    """Everything for readers of all reports; a reporter its own partner's row and the money it received. The
    payments and transfers recorded are paged (`payments_page`, `transfers_page`: page numbers from the URL)."""
    whole = perms.has_right(user, Right.READ_ALL_REPORTS, project.pk)
    scope = None if whole else perms.reporter_partner_ids(user)
    figures = project_payments(project)
    payments = ProgrammePayment.objects.filter(claim__project=project).select_related(
        "claim__period", "partner__organisation").order_by("-date", "-id")
    transfers = PartnerTransfer.objects.filter(claim__project=project).select_related(
        "claim__period", "partner__organisation").order_by("-date", "-id")
    if scope is not None:
        payments = payments.filter(partner__in=scope)
        transfers = transfers.filter(partner__in=scope)
    payments_pager = Paginator(payments, RECORDED_PAGE_SIZE).get_page(payments_page)
    transfers_pager = Paginator(transfers, RECORDED_PAGE_SIZE).get_page(transfers_page)
    return PaymentsPage(
        partners=[row for row in figures.partners if in_scope(row.partner.pk, scope)],
        claims=figures.claims if whole else [],
        payments=list(payments_pager.object_list), transfers=list(transfers_pager.object_list), whole=whole,
        payments_pager=payments_pager, transfers_pager=transfers_pager)


# --- the dashboard's tile -----------------------------------------------------------------------

@dataclass
class MoneyTile:
    """Owed by the programme (accepted, not yet paid) and owed to partners (their due share not yet received),
    per currency; for a reporter its partner's received and outstanding."""

    owed_by_programme: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    owed_to_partners: dict = field(default_factory=lambda: defaultdict(lambda: ZERO))
    partners: list = field(default_factory=list)  # a reporter's PartnerPayments

    def totals(self) -> dict:
        return {"programme": dict(self.owed_by_programme), "partners": dict(self.owed_to_partners)}

    @property
    def programme_rows(self) -> list[tuple[str, Decimal]]:
        """(currency, amount) pairs: a template must not look into a defaultdict (it would add keys)."""
        return sorted(self.owed_by_programme.items())

    @property
    def partner_rows(self) -> list[tuple[str, Decimal]]:
        return sorted(self.owed_to_partners.items())


def with_sent_claims(projects: QuerySet) -> QuerySet:
    """Annotate `has_sent_claims`, so that the dashboard asks nothing more of a project without claims."""
    return projects.annotate(has_sent_claims=Exists(Claim.objects.filter(project=OuterRef("pk"),
                                                                         status__in=SENT_STATUSES)))


def money_tile(user, project) -> MoneyTile | None:
    """The tile of one project, or None when the user reads no payments or nothing was claimed yet."""
    if not getattr(project, "has_sent_claims", True) or not access.may_read_payments(user, project.pk):
        return None
    figures = project_payments(project)
    tile = MoneyTile()
    if perms.has_right(user, Right.READ_ALL_REPORTS, project.pk):
        for row in figures.claims:
            if row.outstanding is not None:
                tile.owed_by_programme[row.currency] += row.outstanding
        for part in figures.partners:
            tile.owed_to_partners[part.currency] += part.outstanding
    else:
        own = perms.reporter_partner_ids(user)
        tile.partners = [row for row in figures.partners if row.partner.pk in own]
        if not tile.partners:  # nothing of its partner claimed yet: no tile (never the project's totals)
            return None
    return tile


def partners_paid_by_programme(project) -> QuerySet:
    """The partners a programme pays directly (Norwegian funds): the payment form's partner choices."""
    return Partner.objects.filter(project=project, funding_source=FundingSource.NORWEGIAN).select_related(
        "organisation").order_by("number")


def partners_passed_on(project) -> QuerySet:
    """The partners the lead partner passes ERDF on to: the transfer form's choices."""
    return Partner.objects.filter(project=project, funding_source=FundingSource.ERDF).select_related(
        "organisation").order_by("number")
