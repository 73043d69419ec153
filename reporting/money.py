"""Every money rule, in one place: conversion, staff rates, flat rates, co-financing, report totals.

The simplified cost options a partner may choose, and the report lines each rules out, are in
`partners.cost_options`; what they amount to is computed here (`compute_flat_rates`, the staff-cost
methods, unit costs and lump sums), in the order docs/REPORTING.md sets out.

The API's `summary/`, the web summary and the funder report all call `summarise_report()`; cumulative
figures are sums of per-report figures, so they agree by construction (DESIGN.md, "Money rules"). The
dashboard, the overview and the spending profile, which add up hundreds of reports, sum each uncertified report's
lines per category in the database and apply the same rules to the sums (`total_with_flat_rates`), and read a
certified report's totals as its certificate stored them (`CertificateTotals`, computed by `summarise_report`)
(`reporting.selectors.report_totals`); tests/reporting/test_report_totals.py holds both equal at two sizes.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.db.models import Q

from consortium.models import first_of_month, local_today
from partners.cost_options import (
    CostCategory,
    CostOptions,
    OfficeOption,
    StaffCostMethod,
    has_at_most_two_decimals,
    lump_sum_share_violations,
    option_violations,
)
from partners.models import LumpSumShare

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
# CPR Art. 55(2): hourly rate = latest documented annual gross employment cost ÷ 1,720 hours.
HOURS_PER_YEAR = Decimal(1720)
EUR = "EUR"


def round_half_up(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def round_down(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_DOWN)


def to_eur(amount: Decimal, currency: str, rate: Decimal | None) -> Decimal:
    """EUR = amount ÷ units-per-EUR, half-up to the cent (the Commission's and Jems' rule)."""
    if currency == EUR:
        return round_half_up(amount)
    if rate is None:
        raise ValueError(f"no exchange rate for {currency}")
    return round_half_up(Decimal(amount) / Decimal(rate))


@dataclass(frozen=True)
class InvoiceAmount:
    """An invoice line's declared amount, with how it follows from the invoice."""

    amount: Decimal
    computation: str


def invoice_declared_amount(*, invoice_total: Decimal, vat_amount: Decimal = ZERO, vat_recoverable: bool = False,
                            declared_share: Decimal = HUNDRED) -> InvoiceAmount:
    """Declared = (invoice total − VAT if the partner recovers it) × declared share, half-up to the cent, once.

    Recoverable VAT is never eligible (CPR Art. 64(1)(c)); VAT the partner cannot recover is a cost like any
    other and stays in. The share is the part of the invoice used for the project (e.g. 30 % of a laptop).
    """
    total, vat, share = Decimal(invoice_total), Decimal(vat_amount or 0), Decimal(declared_share)
    if total <= 0:
        raise ValueError(f"the invoice total must be positive; got {total}")
    if not ZERO <= vat <= total:
        raise ValueError(f"the VAT must lie between 0 and the invoice total; got {vat}")
    if not ZERO < share <= HUNDRED:
        raise ValueError(f"the declared share must be above 0 and at most 100 %; got {share}")
    base = total - vat if vat_recoverable else total
    amount = round_half_up(base * share / HUNDRED)
    if vat_recoverable and vat:
        worked = f"({total:,.2f} − {vat:,.2f} recoverable VAT) × {share:.2f} % = {amount:,.2f}"
    elif vat:
        worked = f"{total:,.2f} incl. {vat:,.2f} non-recoverable VAT × {share:.2f} % = {amount:,.2f}"
    else:
        worked = f"{total:,.2f} × {share:.2f} % = {amount:,.2f}"
    return InvoiceAmount(amount=amount, computation=worked)


def hourly_rate_from_annual_cost(annual_gross_cost: Decimal) -> Decimal:
    return round_half_up(Decimal(annual_gross_cost) / HOURS_PER_YEAR)


def staff_amount(hours: Decimal, hourly_rate: Decimal) -> Decimal:
    return round_half_up(Decimal(hours) * Decimal(hourly_rate))


def percent_of_down(base: Decimal, percent: Decimal) -> Decimal:
    """A flat rate or a co-financing share: rounded down to the cent, never up."""
    return round_down(Decimal(base) * Decimal(percent) / HUNDRED)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """part of whole in percent, half-up to 2 places; None when there is nothing to compare with."""
    if not whole:
        return None
    return round_half_up(Decimal(part) * HUNDRED / Decimal(whole))


def budget_by_partner_category(budget_lines: Iterable) -> dict[tuple[int, str], Decimal]:
    """partner × category -> budget: the whole-project line, else the sum of its per-period lines.

    A partner may hold both (a whole-project budget and its split over periods); the whole-project
    line is the approved figure, so adding the split to it would count the money twice.
    """
    whole, per_period = {}, defaultdict(lambda: ZERO)
    for line in budget_lines:
        key = (line.partner_id, line.cost_category)
        if line.period_id is None:
            whole[key] = line.amount
        else:
            per_period[key] += line.amount
    return {**per_period, **whole}


# Budget items that are not a cost category (partner_budgets).
OTHER_COSTS = "other_costs"
LUMP_SUMS = "lump_sums"


def partner_budgets(budget_lines: Iterable, partners: Iterable = (),
                    lump_sum_shares: Iterable = ()) -> dict[tuple[int, str], Decimal]:
    """partner × budget item -> budget: each cost category's budget lines (`budget_by_partner_category`);
    OTHER_COSTS, for a partner on the other-costs flat rate, as that rate of its staff budget (budget lines
    have no category for it; Jems budgets a flat rate on its budgeted base the same way); LUMP_SUMS, the
    partner's planned shares of the lump sums."""
    budgets = budget_by_partner_category(budget_lines)
    for partner in partners:
        if partner.uses_other_costs_flat_rate:
            staff = budgets.get((partner.pk, CostCategory.STAFF), ZERO)
            budgets[(partner.pk, OTHER_COSTS)] = percent_of_down(staff, partner.other_costs_flat_rate)
    for share in lump_sum_shares:
        key = (share.partner_id, LUMP_SUMS)
        budgets[key] = budgets.get(key, ZERO) + share.amount
    return budgets


def budget_by_partner(budget_lines: Iterable, partners: Iterable = (),
                      lump_sum_shares: Iterable = ()) -> dict[int, Decimal]:
    """Each partner's whole budget (`partner_budgets` summed)."""
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for (partner_id, _item), amount in partner_budgets(budget_lines, partners, lump_sum_shares).items():
        totals[partner_id] += amount
    return dict(totals)


def budget_rates(partners: Iterable) -> dict[tuple[str, date], Decimal]:
    """(currency, month) -> units per EUR for the budgets of partners not budgeting in EUR (one query, or none).

    Each partner's `project` should be loaded: its start month is the default budget month.
    """
    from reporting.models import ExchangeRate

    wanted = {(p.reporting_currency, p.budget_rate_month) for p in partners if p.reporting_currency != EUR}
    if not wanted:
        return {}
    condition = Q()
    for currency, month in wanted:
        condition |= Q(currency=currency, month=month)
    return {(r.currency, r.month): r.rate for r in ExchangeRate.objects.filter(condition)}


def budget_eur(partner, amount: Decimal, rates: Mapping[tuple[str, date], Decimal]) -> Decimal | None:
    """A partner's budget figure in EUR: as it is for EUR, else converted at the rate of the month the budget was
    approved (half-up, like a line); None while that month has no rate."""
    if partner.reporting_currency == EUR:
        return amount
    rate = rates.get((partner.reporting_currency, partner.budget_rate_month))
    return None if rate is None else to_eur(amount, partner.reporting_currency, rate)


def project_budget_eur(budgets: Mapping[int, Decimal], partners: Iterable) -> Decimal:
    """The EUR total of partners' budgets (`budget_by_partner`), a budget in NOK at its budget month's rate; a budget
    whose month has no rate yet counts nothing (the funder report lists the rates it used)."""
    partners = list(partners)
    rates = budget_rates(partners)
    return sum((budget_eur(p, budgets.get(p.pk, ZERO), rates) or ZERO for p in partners), ZERO)


def rates_for_month(month: date) -> dict[str, Decimal]:
    """currency -> units per EUR for one month (one query)."""
    from reporting.models import ExchangeRate

    return dict(ExchangeRate.objects.filter(month=first_of_month(month)).values_list("currency", "rate"))


def staff_line_amounts(*, hours: Decimal, annual_gross_cost: Decimal | None,
                       hourly_rate: Decimal | None) -> tuple[Decimal, Decimal]:
    """(hourly_rate, amount) of a staff line: the rate from the annual cost when it is given, else as entered."""
    if annual_gross_cost is not None:
        hourly_rate = hourly_rate_from_annual_cost(annual_gross_cost)
    if hourly_rate is None:
        raise ValueError("a staff line needs an annual gross cost or an hourly rate")
    return hourly_rate, staff_amount(hours, hourly_rate)


@dataclass(frozen=True)
class FlatRate:
    """One flat-rate amount with what it was computed from, so that a summary can show rate × base = amount."""

    rate: Decimal
    base: Decimal
    amount: Decimal

    @property
    def computation(self) -> str:
        return f"{self.rate:.2f} % × {self.base:,.2f} = {self.amount:,.2f}"


@dataclass(frozen=True)
class FlatRateResult:
    """The flat rates of one report; None where the partner does not use that flat rate."""

    staff: FlatRate | None = None
    travel: FlatRate | None = None
    office: FlatRate | None = None
    other_costs: FlatRate | None = None

    @property
    def total(self) -> Decimal:
        return sum((flat.amount for flat in (self.staff, self.travel, self.office, self.other_costs) if flat), ZERO)


def _flat_rate(rate: Decimal, base: Decimal) -> FlatRate:
    return FlatRate(rate=Decimal(rate), base=base, amount=percent_of_down(base, rate))


# The cost categories' values, once: `CostCategory.values` rebuilds its list (labels and all) on every read, and it
# was read twice per report summarised (issue 22: the funder report summarises every report).
COST_CATEGORIES = tuple(CostCategory.values)


def _option_violations(options: CostOptions) -> tuple:
    """option_violations of a partner's options, checked once per set of options (CostOptions is frozen), not once
    per report summarised. Keyed by its repr too: 15.000 equals 15.00, but has too many decimals."""
    return _violations_of(repr(options), options)


@lru_cache(maxsize=256)
def _violations_of(_key: str, options: CostOptions) -> tuple:
    return tuple(option_violations(options))


def compute_flat_rates(declared_by_category: Mapping[str, Decimal], options: CostOptions) -> FlatRateResult:
    """The flat rates of one report, each on the rounded results of the steps before it.

    `declared_by_category`: per cost category, the sum of the report's real and unit-cost lines in EUR
    (each line already half-up to the cent); lump sums are in no base. The order is the one Jems'
    BudgetCalculatorHelper follows: staff → travel → office → other costs. Real lines of a flat-rated
    category are left out of every base: submission refuses them (`cost_options.line_violations`).
    Options that break the regulations' ceilings or exclusions are refused, never computed.
    """
    if violations := _option_violations(options):
        raise ValueError("invalid cost options: " + " ".join(v.message for v in violations))

    def declared(category: str) -> Decimal:
        return declared_by_category.get(category, ZERO)

    other_direct = (declared(CostCategory.EXTERNAL) + declared(CostCategory.EQUIPMENT)
                    + declared(CostCategory.INFRASTRUCTURE))
    staff = travel = office = other_costs = None
    if options.staff_is_flat:
        # A travel flat rate sits on staff costs itself, so only real travel is a base of the staff flat rate.
        real_travel = ZERO if options.travel_is_flat else declared(CostCategory.TRAVEL)
        staff = _flat_rate(options.staff_flat_rate, other_direct + real_travel)
    staff_costs = staff.amount if staff else declared(CostCategory.STAFF)
    if options.travel_is_flat:
        travel = _flat_rate(options.travel_flat_rate, staff_costs)
    travel_costs = travel.amount if travel else declared(CostCategory.TRAVEL)
    if options.office_option == OfficeOption.FLAT_STAFF:
        office = _flat_rate(options.office_flat_rate, staff_costs)
    elif options.office_option == OfficeOption.FLAT_DIRECT:
        office = _flat_rate(options.office_flat_rate, staff_costs + travel_costs + other_direct)
    if options.uses_other_costs_flat_rate:
        other_costs = _flat_rate(options.other_costs_flat_rate, declared(CostCategory.STAFF))
    return FlatRateResult(staff=staff, travel=travel, office=office, other_costs=other_costs)


def eligible_total(*, declared_by_category: Mapping[str, Decimal], flat_rates: FlatRateResult,
                   lump_sums: Decimal = ZERO) -> Decimal:
    """Real and unit-cost lines + flat rates + achieved lump sums: what co-financing (`percent_of_down`) applies to."""
    return sum(declared_by_category.values(), ZERO) + flat_rates.total + lump_sums


def total_with_flat_rates(by_category: Mapping[str, Decimal], options: CostOptions, lump_sums: Decimal = ZERO
                          ) -> Decimal:
    """Lines per category + the flat rates on them + lump sums: on a report's declared lines and claimed lump sums
    its eligible total (`ReportSummary.eligible_total`). For callers that have the category sums and not the lines
    (`reporting.selectors.report_totals`)."""
    return eligible_total(declared_by_category=by_category, flat_rates=compute_flat_rates(by_category, options),
                          lump_sums=lump_sums)


@dataclass(frozen=True)
class ReportTotals:
    """A report's EUR totals without its lines (`reporting.selectors.report_totals` sums them in the database): the
    figures `summarise_report(...).eur` gives, by the same rules (`total_with_flat_rates`)."""

    report_id: int
    project_id: int
    partner_id: int
    period_number: int
    status: str
    cofinancing_rate: Decimal
    # Declared lines + flat rates + claimed lump sums (ReportSummary.eligible_total); None for a certified report,
    # whose money is its certificate's.
    eligible_total: Decimal | None
    verified_total: Decimal | None  # a certified report's ControlTotals.verified_total; None for any other

    @property
    def verified_cofinancing(self) -> Decimal | None:
        """ControlTotals.cofinancing: the partner's rate of the verified total, rounded down."""
        return None if self.verified_total is None else percent_of_down(self.verified_total, self.cofinancing_rate)


# Each flat rate of FlatRateResult, in the order computed, and the category it is claimed for (other costs
# cover every category but staff, so none).
FLAT_RATE_CATEGORIES = {"staff": CostCategory.STAFF, "travel": CostCategory.TRAVEL,
                        "office": CostCategory.OFFICE_ADMIN, "other_costs": None}
# category -> its flat rate's name: looked up for every category of every report summed (issue 22: the funder
# report sums thousands), so a dict rather than a scan of the above.
FLAT_RATE_OF_CATEGORY = {category.value: name for name, category in FLAT_RATE_CATEGORIES.items() if category}


@dataclass
class CategoryTotal:
    declared: Decimal = ZERO  # real and unit-cost lines, in EUR
    flat_rate: Decimal = ZERO  # the flat rate claimed for this category (staff, travel, office & administration)

    @property
    def total(self) -> Decimal:
        return self.declared + self.flat_rate


@dataclass(frozen=True)
class LumpSumItem:
    """A partner's whole share of an achieved lump sum, in one report."""

    lump_sum_id: int
    name: str
    period_number: int  # the lump sum's period
    amount: Decimal
    claimed: bool  # frozen at the report's submission; False: a draft claims it when it is submitted


@dataclass
class ReportSummary:
    report_id: int
    partner_id: int
    period_id: int
    status: str
    provisional: bool  # some EUR amounts use this month's rate, not a frozen one
    provisional_rate_month: date | None
    categories: dict[str, CategoryTotal]
    funding_source: str
    cofinancing_rate: Decimal
    missing_rates: list[str] = field(default_factory=list)  # currencies with no rate this month
    flat_rates: FlatRateResult = field(default_factory=FlatRateResult)  # rate × base = amount, for each
    lump_sums: list[LumpSumItem] = field(default_factory=list)
    # Lines paid before the report's period started (late claims of earlier costs: allowed, and shown as such).
    earlier_period_lines: list[int] = field(default_factory=list)
    earlier_period_total: Decimal = ZERO  # their amount (in `currency`), counted in the categories above
    # The currency of every figure above: the partner's reporting currency. A partner reporting in NOK has its
    # summary in NOK, computed without conversion, and `converted`: the same report in EUR for project totals,
    # its lines converted at their frozen rates (provisional while not frozen).
    currency: str = EUR
    converted: "ReportSummary | None" = None
    # First-level control, for a report in control or certified (None before): what its certificate holds.
    control: "ControlTotals | None" = None

    @property
    def eur(self) -> "ReportSummary":
        """The summary in EUR: itself for a partner reporting in EUR, else its conversion."""
        return self if self.converted is None else self.converted

    @property
    def declared_total(self) -> Decimal:
        return sum((c.declared for c in self.categories.values()), ZERO)

    @property
    def flat_rate_total(self) -> Decimal:
        """Every flat rate, the other-costs rate (which belongs to no one category) included."""
        return self.flat_rates.total

    @property
    def flat_rate_items(self) -> list[tuple[str, str | None, FlatRate]]:
        """(name, the category it is claimed for or None for other costs, FlatRate), in the order computed."""
        return [(name, category, flat) for name, category in FLAT_RATE_CATEGORIES.items()
                if (flat := getattr(self.flat_rates, name)) is not None]

    @property
    def other_costs_flat_rate(self) -> Decimal:
        return self.flat_rates.other_costs.amount if self.flat_rates.other_costs else ZERO

    @property
    def lump_sum_total(self) -> Decimal:
        return sum((item.amount for item in self.lump_sums), ZERO)

    @property
    def eligible_total(self) -> Decimal:
        return eligible_total(declared_by_category={k: c.declared for k, c in self.categories.items()},
                              flat_rates=self.flat_rates, lump_sums=self.lump_sum_total)

    @property
    def cofinancing(self) -> Decimal:
        return percent_of_down(self.eligible_total, self.cofinancing_rate)

    @property
    def declared_flat_rate_total(self) -> Decimal:
        return self.flat_rates.total


@dataclass
class ControlTotals:
    """A report's certificate in figures, in the summary's currency (docs/REPORTING.md, "First-level control").

    Per cost category, the real and unit-cost lines: `verified`, `deducted` (declared − verified of verified
    lines), `parked` (left for a later certificate) and `unverified` (neither yet, while in control). Lines
    parked in an earlier report of the partner and verified with this one count in `verified`/`deducted`
    (their ids in `brought_in`), not in the report's declared amounts. The flat rates are recomputed on the
    verified bases, rounded down like every flat rate; lump sums are verified whole or not at all; the
    co-financing is the partner's rate of the verified total, rounded down.
    """

    verified: dict[str, Decimal]
    deducted: dict[str, Decimal]
    parked: dict[str, Decimal]
    unverified: dict[str, Decimal]
    flat_rates: FlatRateResult
    declared_flat_rates: FlatRateResult
    lump_sums_verified: Decimal
    lump_sums_deducted: Decimal
    lump_sums_unverified: Decimal
    cofinancing_rate: Decimal
    brought_in: list[int] = field(default_factory=list)

    @property
    def verified_lines_total(self) -> Decimal:
        return sum(self.verified.values(), ZERO)

    @property
    def verified_total(self) -> Decimal:
        """What the certificate certifies: verified lines + flat rates on them + verified lump sums (the eligible
        total's rule, `eligible_total`, on the verified amounts)."""
        return eligible_total(declared_by_category=self.verified, flat_rates=self.flat_rates,
                              lump_sums=self.lump_sums_verified)

    @property
    def flat_rate_deducted(self) -> Decimal:
        """The flat rates lost with their bases' deductions (never negative: a base only shrinks)."""
        return max(self.declared_flat_rates.total - self.flat_rates.total, ZERO)

    @property
    def deducted_total(self) -> Decimal:
        return sum(self.deducted.values(), ZERO) + self.lump_sums_deducted + self.flat_rate_deducted

    @property
    def parked_total(self) -> Decimal:
        return sum(self.parked.values(), ZERO)

    @property
    def unverified_total(self) -> Decimal:
        return sum(self.unverified.values(), ZERO) + self.lump_sums_unverified

    @property
    def complete(self) -> bool:
        return self.unverified_total == ZERO

    @property
    def cofinancing(self) -> Decimal:
        return percent_of_down(self.verified_total, self.cofinancing_rate)

    def category_flat_rate(self, category: str) -> Decimal:
        """The flat rate claimed for `category`, recomputed on the verified bases (0 if none)."""
        name = FLAT_RATE_OF_CATEGORY.get(category)
        flat = getattr(self.flat_rates, name) if name else None
        return flat.amount if flat else ZERO

    def category_verified(self, category: str) -> Decimal:
        """A category's verified lines plus the flat rate claimed for it (as CategoryTotal.total is for declared)."""
        return self.verified.get(category, ZERO) + self.category_flat_rate(category)

    @property
    def flat_rate_items(self) -> list[tuple[str, str | None, FlatRate]]:
        """As ReportSummary.flat_rate_items, on the verified bases."""
        return [(name, category, flat) for name, category in FLAT_RATE_CATEGORIES.items()
                if (flat := getattr(self.flat_rates, name)) is not None]


# What of a partner a certificate's figures depend on besides the report's own read-only data (lines, control
# results, claimed lump sums, frozen rates): change one and a stored CertificateTotals no longer holds.
PARTNER_TERMS = ("cofinancing_rate", "reporting_currency", "office_option", "office_flat_rate", "travel_option",
                 "travel_flat_rate", "staff_option", "staff_flat_rate", "uses_other_costs_flat_rate",
                 "other_costs_flat_rate")


def partner_terms(partner) -> str:
    """The partner's terms a certificate was computed on, as one comparable string."""
    return "|".join(str(getattr(partner, name)) for name in PARTNER_TERMS)


@dataclass(frozen=True)
class CertificateTotals:
    """A certified report's totals as its certificate states them, in the partner's reporting currency: what
    lists of many certificates add up (claims, payments, the dashboard), taken from its summary's `control`."""

    currency: str
    declared: Decimal  # the report's declared eligible total
    verified: Decimal
    deducted: Decimal
    cofinancing: Decimal
    other_costs_flat_rate: Decimal
    lump_sums: Decimal
    verified_eur: Decimal  # `verified` in EUR (the summary's EUR conversion's): what lists in EUR add up
    categories: dict  # category -> verified lines + the flat rate claimed for it (ControlTotals.category_verified)

    @classmethod
    def of(cls, summary: ReportSummary) -> "CertificateTotals":
        control = summary.control
        other = control.flat_rates.other_costs
        return cls(currency=summary.currency, declared=summary.eligible_total, verified=control.verified_total,
                   deducted=control.deducted_total, cofinancing=control.cofinancing,
                   other_costs_flat_rate=other.amount if other else ZERO, lump_sums=control.lump_sums_verified,
                   verified_eur=summary.eur.control.verified_total,
                   categories={category: control.category_verified(category) for category in control.verified})


def certified_view(summary: ReportSummary) -> ReportSummary:
    """The summary as its certificate counts it: each category's verified lines and the flat rates recomputed on
    them, the verified lump sums (as one item), the co-financing of the verified total; for a NOK partner its EUR
    conversion likewise. The funder report counts these (DESIGN.md: money follows the certificate)."""
    control = summary.control
    if control is None:
        raise ValueError(f"report {summary.report_id} has no control figures")
    categories = {name: CategoryTotal(declared=control.verified[name], flat_rate=control.category_flat_rate(name))
                  for name in summary.categories}
    lump_sums = [LumpSumItem(lump_sum_id=0, name="verified lump sums", period_number=0,
                             amount=control.lump_sums_verified, claimed=True)] if control.lump_sums_verified else []
    return replace(summary, categories=categories, flat_rates=control.flat_rates, lump_sums=lump_sums,
                   converted=None if summary.converted is None else certified_view(summary.converted))


def empty_categories() -> dict[str, CategoryTotal]:
    return {category: CategoryTotal() for category in COST_CATEGORIES}


def line_eur(line, provisional_rates: dict[str, Decimal]) -> Decimal | None:
    """A line's EUR amount: frozen if frozen, else at this month's rate (None when no rate exists)."""
    if line.amount_eur is not None:
        return line.amount_eur
    if line.currency == EUR:
        return round_half_up(line.amount)
    rate = provisional_rates.get(line.currency)
    return None if rate is None else to_eur(line.amount, line.currency, rate)


def report_lump_sums(report) -> list[LumpSumItem]:
    """The lump-sum shares a report claims (one query): those frozen at its submission, and for a draft (or a
    returned report) the achieved shares of its partner that no report has claimed, of its period or earlier."""
    claimed = Q(claim__report_id=report.pk)
    wanted = claimed | claimable_filter(report) if report.is_editable else claimed
    shares = LumpSumShare.objects.filter(wanted).select_related("lump_sum__period", "claim")
    items = [LumpSumItem(share.lump_sum_id, share.lump_sum.name, share.lump_sum.period.number,
                         share.claim.amount if hasattr(share, "claim") else share.amount,
                         claimed=hasattr(share, "claim"))
             for share in shares]
    return sorted(items, key=lambda item: (item.period_number, item.name))


def claimed_lump_sums(claims: Iterable) -> list[LumpSumItem]:
    """The LumpSumItems of a submitted report's claims (LumpSumClaim rows with `share__lump_sum__period` loaded):
    all a submitted or approved report claims, for callers that prefetched them."""
    return [LumpSumItem(claim.share.lump_sum_id, claim.share.lump_sum.name, claim.share.lump_sum.period.number,
                        claim.amount, claimed=True) for claim in claims]


def claimable_filter(report) -> Q:
    """The partner's shares of achieved lump sums that no report has claimed, of the report's period or earlier.

    The report submitted first once a lump sum is achieved claims it (docs/REPORTING.md).
    """
    return Q(partner_id=report.partner_id, lump_sum__achieved_date__isnull=False,
             lump_sum__period__number__lte=report.period.number, claim__isnull=True)


def summarise_report(report, *, lines: Iterable | None = None, provisional_rates: dict[str, Decimal] | None = None,
                     lump_sums: Iterable[LumpSumItem] | None = None, today: date | None = None,
                     controls: Iterable | None = None) -> ReportSummary:
    """Totals of one report, in the order of computation of docs/REPORTING.md.

    Lines are summed per category in the partner's reporting currency (EUR: each line's EUR amount; NOK: the
    line amounts themselves, no conversion); the flat rates follow from those sums and the partner's cost
    options (`compute_flat_rates`, each rounded down); achieved lump sums add their shares; the co-financing
    is the rate of the eligible total, rounded down. A partner reporting in NOK gets `converted` too: the same
    computation on its lines' EUR amounts. A report in control or certified gets `control`, its certificate's
    figures (`ControlTotals`), from `controls`: the LineControl rows of `reporting.selectors.report_controls`.
    Pass `lines` (prefetched), `provisional_rates`, `lump_sums` and `controls` to avoid queries in loops.
    """
    partner = report.partner
    lines = list(report.expenditures.all() if lines is None else lines)
    month = first_of_month(today or local_today())
    if provisional_rates is None:
        provisional_rates = rates_for_month(month) if not _all_frozen(lines) else {}
    if lump_sums is None:
        lump_sums = report_lump_sums(report)
    lump_sums = list(lump_sums)
    if controls is None and report.status in CONTROLLED_STATUSES:
        from reporting.selectors import report_controls  # selectors read models; money stays import-light

        controls = report_controls(report)
    controls = None if controls is None else list(controls)
    in_eur = _summary(report, lines, lambda line: line_eur(line, provisional_rates), month, lump_sums)
    in_eur.control = _control_totals(report, in_eur, controls, EUR)
    currency = partner.reporting_currency
    if currency == EUR:
        return in_eur
    native = _summary(report, lines, lambda line: line.amount if line.currency == currency else None, month,
                      lump_sums, currency=currency)
    native.control = _control_totals(report, native, controls, currency)
    native.converted = in_eur
    return native


# The statuses whose summary holds control figures (ProgressReport.Status values, kept here as strings so that
# money needs no model import).
CONTROLLED_STATUSES = ("in_control", "certified")


def verified_value(line, amount: Decimal, currency: str) -> Decimal | None:
    """A verified amount of `line` (in the line's currency) in `currency`: EUR at the line's frozen rate."""
    if currency == EUR:
        return round_half_up(amount) if line.currency == EUR else to_eur(amount, line.currency, line.exchange_rate)
    return amount if line.currency == currency else None


def _control_totals(report, summary: ReportSummary, controls: list | None, currency: str) -> ControlTotals | None:
    """The certificate's figures of `report` from its LineControl rows; None when it has none to show."""
    if controls is None:
        return None
    categories = COST_CATEGORIES
    verified, deducted, parked, unverified = ({c: ZERO for c in categories} for _ in range(4))
    lump_verified = lump_deducted = ZERO
    lump_unverified = sum((item.amount for item in summary.lump_sums), ZERO)
    brought_in = []
    certified = report.status == "certified"
    for control in controls:
        if control.lump_sum_claim_id is not None:
            claim = control.lump_sum_claim
            if control.verified_amount is not None:
                lump_unverified -= claim.amount
                lump_verified += control.verified_amount
                lump_deducted += claim.amount - control.verified_amount
            continue
        line = control.expenditure
        own = line.report_id == report.pk
        declared = verified_value(line, line.amount, currency)
        if declared is None:
            continue
        category = line.cost_category
        if own:
            # A line of this report verified with a later one stays parked on this report's certificate.
            held_elsewhere = control.certified_in_id not in (None, report.pk)
            if control.parked or held_elsewhere or (certified and control.certified_in_id is None):
                parked[category] += declared
                continue
        else:
            brought_in.append(line.pk)
        if control.verified_amount is None:
            unverified[category] += declared
            continue
        value = verified_value(line, control.verified_amount, currency)
        verified[category] += value
        deducted[category] += declared - value
    # Every line of a report in control has its row (reporting.services.control_start creates them).
    options = report.partner.cost_options
    return ControlTotals(
        verified=verified, deducted=deducted, parked=parked, unverified=unverified,
        flat_rates=compute_flat_rates(verified, options), declared_flat_rates=summary.flat_rates,
        lump_sums_verified=lump_verified, lump_sums_deducted=lump_deducted,
        lump_sums_unverified=max(lump_unverified, ZERO), cofinancing_rate=summary.cofinancing_rate,
        brought_in=brought_in,
    )


def _summary(report, lines, value_of, month: date, lump_sums: list[LumpSumItem], *, currency: str = EUR
             ) -> ReportSummary:
    """One report's summary with each line valued by `value_of` (None: it cannot be valued, for want of a rate)."""
    partner = report.partner
    categories = empty_categories()
    provisional = False
    missing: set[str] = set()
    earlier, earlier_total = [], ZERO
    period_start = None
    for line in lines:
        if currency == EUR and line.amount_eur is None and line.currency != EUR:
            provisional = True
        value = value_of(line)
        if line.payment_date is not None:
            period_start = period_start or report.period.start_date
            if paid_in_earlier_period(line, period_start):
                earlier.append(line.pk)
                earlier_total += value or ZERO
        if value is None:
            missing.add(line.currency)
            continue
        categories[line.cost_category].declared += value
    flat_rates = compute_flat_rates({k: c.declared for k, c in categories.items()}, partner.cost_options)
    for name, category in FLAT_RATE_CATEGORIES.items():
        if category is not None and (flat := getattr(flat_rates, name)) is not None:
            categories[category].flat_rate = flat.amount
    return ReportSummary(
        report_id=report.pk,
        partner_id=partner.pk,
        period_id=report.period_id,
        status=report.status,
        provisional=provisional,
        provisional_rate_month=month if provisional else None,
        categories=categories,
        funding_source=partner.funding_source,
        cofinancing_rate=partner.cofinancing_rate,
        missing_rates=sorted(missing),
        flat_rates=flat_rates,
        lump_sums=lump_sums,
        earlier_period_lines=earlier,
        earlier_period_total=earlier_total,
        currency=currency,
    )


def paid_in_earlier_period(line, period_start: date) -> bool:
    """A cost paid before its report's period started: a late claim of an earlier cost, allowed and marked."""
    return line.payment_date is not None and line.payment_date < period_start


def _all_frozen(lines) -> bool:
    return all(line.amount_eur is not None or line.currency == EUR for line in lines)


@dataclass(frozen=True)
class StaffCost:
    """One staff line's cost: `rate` is per hour (hourly) or the monthly gross employment cost (the monthly methods)."""

    method: str
    rate: Decimal
    amount: Decimal
    computation: str


def hourly_staff_cost(*, hours: Decimal, annual_gross_cost: Decimal | None = None,
                      hourly_rate: Decimal | None = None) -> StaffCost:
    """Today's method: the hourly rate half-up to the cent, then × hours half-up (`staff_line_amounts`)."""
    rate, amount = staff_line_amounts(hours=hours, annual_gross_cost=annual_gross_cost, hourly_rate=hourly_rate)
    worked = f"{rate:,.2f} per hour × {Decimal(hours):,.2f} h = {amount:,.2f}"
    if annual_gross_cost is not None:
        worked = f"{Decimal(annual_gross_cost):,.2f} ÷ {HOURS_PER_YEAR:,} h = {worked}"
    return StaffCost(method=StaffCostMethod.HOURLY, rate=rate, amount=amount, computation=worked)


def fixed_percentage_staff_cost(*, monthly_gross_cost: Decimal, percentage: Decimal, months: Decimal) -> StaffCost:
    """Monthly gross employment cost × fixed percentage of time × months, half-up to the cent in one step.

    One rounding, at the end, so that a period's amount does not depend on how it is split into months.
    """
    percentage = Decimal(percentage)
    if not (ZERO < percentage <= HUNDRED and has_at_most_two_decimals(percentage)):
        raise ValueError(f"the percentage of time must be above 0 and at most 100, with 2 decimals; got {percentage}")
    _check_months(months)
    amount = round_half_up(Decimal(monthly_gross_cost) * percentage / HUNDRED * Decimal(months))
    worked = (f"{Decimal(monthly_gross_cost):,.2f} per month × {percentage:.2f} % × {_months(months)} "
              f"= {amount:,.2f}")
    return StaffCost(method=StaffCostMethod.FIXED_PERCENTAGE, rate=Decimal(monthly_gross_cost), amount=amount,
                     computation=worked)


def full_time_staff_cost(*, monthly_gross_cost: Decimal, months: Decimal) -> StaffCost:
    """Monthly gross employment cost × months, half-up to the cent."""
    _check_months(months)
    amount = round_half_up(Decimal(monthly_gross_cost) * Decimal(months))
    worked = f"{Decimal(monthly_gross_cost):,.2f} per month × {_months(months)} = {amount:,.2f}"
    return StaffCost(method=StaffCostMethod.FULL_TIME, rate=Decimal(monthly_gross_cost), amount=amount,
                     computation=worked)


def staff_line_cost(*, method: str, hours: Decimal | None = None, annual_gross_cost: Decimal | None = None,
                    hourly_rate: Decimal | None = None, monthly_gross_cost: Decimal | None = None,
                    percentage: Decimal | None = None, months: Decimal | None = None) -> StaffCost:
    """A staff line's cost by its method (an empty method is hourly, the method of every older line)."""
    if method == StaffCostMethod.FIXED_PERCENTAGE:
        return fixed_percentage_staff_cost(monthly_gross_cost=monthly_gross_cost, percentage=percentage, months=months)
    if method == StaffCostMethod.FULL_TIME:
        return full_time_staff_cost(monthly_gross_cost=monthly_gross_cost, months=months)
    return hourly_staff_cost(hours=hours, annual_gross_cost=annual_gross_cost, hourly_rate=hourly_rate)


def line_computation(line) -> str:
    """How a line's amount was computed: from the invoice, the staff method's figures or the unit cost."""
    if line.unit_cost_id is not None:
        return unit_cost_amount(units=line.units, price_per_unit=line.unit_cost.price_per_unit,
                                unit=line.unit_cost.unit).computation
    if line.cost_category != CostCategory.STAFF:
        if line.invoice_total is None:
            return ""
        return invoice_declared_amount(invoice_total=line.invoice_total, vat_amount=line.vat_amount,
                                       vat_recoverable=line.vat_recoverable,
                                       declared_share=line.declared_share).computation
    return staff_line_cost(method=line.staff_method, hours=line.hours, annual_gross_cost=line.annual_gross_cost,
                           hourly_rate=line.hourly_rate, monthly_gross_cost=line.monthly_gross_cost,
                           percentage=line.percentage, months=line.months).computation


def _check_months(months: Decimal) -> None:
    """Months may be partial (someone employed from the 16th), to 2 decimals; the caller bounds them by the period."""
    months = Decimal(months)
    if months <= 0 or not has_at_most_two_decimals(months):
        raise ValueError(f"months must be positive, with at most 2 decimals; got {months}")


def _months(months: Decimal) -> str:
    months = Decimal(months)
    count = f"{months:,.0f}" if months == months.to_integral_value() else f"{months:,.2f}"
    return f"{count} month" if months == 1 else f"{count} months"


@dataclass(frozen=True)
class UnitCostAmount:
    amount: Decimal
    computation: str


def unit_cost_amount(*, units: Decimal, price_per_unit: Decimal, unit: str) -> UnitCostAmount:
    """A unit-cost line: units × price per unit, half-up to the cent, like every other line amount."""
    units = Decimal(units)
    if units <= 0:
        raise ValueError(f"the number of units must be positive; got {units}")
    amount = round_half_up(units * Decimal(price_per_unit))
    return UnitCostAmount(amount=amount,
                          computation=f"{units:,} {unit} × {Decimal(price_per_unit):,.2f} = {amount:,.2f}")


def lump_sum_claims(*, amount: Decimal, shares: Mapping[Hashable, Decimal], achieved: bool) -> dict[Hashable, Decimal]:
    """Each partner's claim: its whole planned share once the lump sum is achieved, nothing before; never a part."""
    if violations := lump_sum_share_violations(amount, shares):
        raise ValueError(" ".join(v.message for v in violations))
    return {partner: share if achieved else ZERO for partner, share in shares.items()}
