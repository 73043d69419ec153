"""Which budget is in force, and how two budget versions differ (docs/BUDGET.md).

Every reader of budget lines — the funder report, the dashboard, the project pages, claims, the spending
profile — takes its lines from `lines_in_force`, so all of them use the version in force for the period they
show. A version holds its full set of lines, so "the budget in force" is one filter on one version.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import QuerySet

from consortium.models import FlexibilityBasis, Project, ReportingPeriod
from partners.models import BudgetLine, BudgetVersion

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def _latest(versions: Iterable[BudgetVersion], period_number: int) -> BudgetVersion | None:
    """The approved version with the latest applies-from period ≤ `period_number` (a later number wins a tie)."""
    eligible = [v for v in versions if v.is_approved and v.applies_from <= period_number]
    return max(eligible, key=lambda v: (v.applies_from, v.number), default=None)


def version_in_force(project: Project | int, period_number: int) -> BudgetVersion | None:
    """THE rule: the budget version in force for a period of the project (None before any is approved)."""
    project_id = getattr(project, "pk", project)
    return _latest(BudgetVersion.objects.filter(project_id=project_id, status=BudgetVersion.Status.APPROVED,
                                                applies_from__lte=period_number), period_number)


def lines_of(version: BudgetVersion | None) -> QuerySet:
    """A version's budget lines (none for no version: nothing is in force before version 1 is approved)."""
    return BudgetLine.objects.filter(budget_version=version) if version else BudgetLine.objects.none()


def lines_in_force(project: Project | int, period_number: int) -> QuerySet:
    """The budget lines in force for a period of the project (one query for the version, the lines lazily)."""
    return lines_of(version_in_force(project, period_number))


def current_period_numbers(project_ids: Iterable[int], today: date) -> dict[int, int]:
    """project -> the number of the period `today` lies in (the last one after the end, 1 before the start)."""
    numbers: dict[int, int] = {}
    for period in ReportingPeriod.objects.filter(project__in=list(project_ids), start_date__lte=today).order_by(
            "project", "number"):
        numbers[period.project_id] = period.number  # ordered: the latest started period stays
    return {pid: numbers.get(pid, 1) for pid in project_ids}


def versions_in_force(periods: dict[int, int]) -> dict[int, BudgetVersion]:
    """project -> its version in force for the given period number, for many projects in one query."""
    by_project = defaultdict(list)
    for version in BudgetVersion.objects.filter(project__in=list(periods), status=BudgetVersion.Status.APPROVED):
        by_project[version.project_id].append(version)
    found = {pid: _latest(by_project[pid], number) for pid, number in periods.items()}
    return {pid: v for pid, v in found.items() if v is not None}


def lines_in_force_today(project_ids: Iterable[int], today: date) -> QuerySet:
    """The budget lines in force today in each of the projects (the dashboard's budgets): two queries, then lazy."""
    versions = versions_in_force(current_period_numbers(list(project_ids), today))
    return BudgetLine.objects.filter(budget_version__in=[v.pk for v in versions.values()])


def versions_by_period(project: Project, periods: Iterable[ReportingPeriod]) -> dict[int, BudgetVersion | None]:
    """period number -> version in force, for every period of the project in one query (the spending profile)."""
    versions = list(BudgetVersion.objects.filter(project=project, status=BudgetVersion.Status.APPROVED))
    return {p.number: _latest(versions, p.number) for p in periods}


class BudgetRow(NamedTuple):
    """A budget line as lists of many read it (`budget_rows`): what reporting.money's budget sums and the spending
    profile use of a BudgetLine, as a plain row (a version holds every partner's lines: hundreds at once)."""

    partner_id: int
    cost_category: str
    period_id: int | None
    amount: Decimal
    budget_version_id: int


def budget_rows(versions: Iterable[BudgetVersion | None]) -> dict[int, list[BudgetRow]]:
    """version id -> its lines as `BudgetRow`s, for many versions in one query (none for no version)."""
    wanted = {version.pk for version in versions if version is not None}
    found: dict[int, list[BudgetRow]] = {pk: [] for pk in wanted}
    if wanted:
        for row in BudgetLine.objects.filter(budget_version__in=wanted).order_by().values_list(*BudgetRow._fields):
            found[row[-1]].append(BudgetRow(*row))
    return found


# --- comparing versions and the flexibility check ------------------------------------------------------------

def category_totals(lines: Iterable[BudgetLine]) -> dict[tuple[int, str], Decimal]:
    """partner × category -> budget: the whole-project line, else the sum of the per-period lines.

    The same rule as reporting.money.budget_by_partner_category (a partner may hold both; the whole-project line
    is the budget and its split is not added again); partners cannot import reporting, hence this twin.
    """
    whole, per_period = {}, defaultdict(lambda: ZERO)
    for line in lines:
        key = (line.partner_id, line.cost_category)
        if line.period_id is None:
            whole[key] = line.amount
        else:
            per_period[key] += line.amount
    return {**per_period, **whole}


@dataclass(frozen=True)
class Shift:
    """One measured budget item in two versions: a cost category (and partner, per the programme's basis)."""

    partner: object | None  # None when measured at project level
    cost_category: str
    currency: str
    before: Decimal
    after: Decimal

    @property
    def change(self) -> Decimal:
        return self.after - self.before

    @property
    def percent(self) -> Decimal | None:
        """The change in percent of the earlier budget; None when there was none (a new item)."""
        if not self.before:
            return None
        return (self.change * HUNDRED / self.before).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    def exceeds(self, threshold: Decimal) -> bool:
        if not self.change:
            return False
        return self.percent is None or abs(self.percent) > threshold


@dataclass(frozen=True)
class Comparison:
    base: BudgetVersion | None
    other: BudgetVersion
    basis: str
    threshold: Decimal
    rows: tuple  # per partner × category: (partner, category, before, after)
    shifts: tuple[Shift, ...]  # measured per the programme's basis
    total_before: dict  # currency -> total
    total_after: dict

    @property
    def exceeding(self) -> tuple[Shift, ...]:
        return tuple(s for s in self.shifts if s.exceeds(self.threshold))

    @property
    def total_increases(self) -> bool:
        return any(self.total_after.get(c, ZERO) > self.total_before.get(c, ZERO) for c in self.total_after)

    @property
    def needs_programme_approval(self) -> bool:
        """Over the flexibility (a shift above the threshold), or more money in total: the programme decides.

        A first version (nothing in force before it) is the budget the programme approved with the application.
        """
        if self.base is None:
            return False
        return bool(self.exceeding) or self.total_increases


def base_of(version: BudgetVersion) -> BudgetVersion | None:
    """What a version changes: the approved version in force at its first period, itself excluded."""
    versions = BudgetVersion.objects.filter(project_id=version.project_id, status=BudgetVersion.Status.APPROVED,
                                            applies_from__lte=version.applies_from).exclude(pk=version.pk)
    return _latest(versions, version.applies_from)


def compare(other: BudgetVersion, base: BudgetVersion | None) -> Comparison:
    """`other` against `base` line by line, and the shifts the programme's flexibility rule measures."""
    programme = other.project.programme
    lines = list(BudgetLine.objects.filter(budget_version__in=[v.pk for v in (other, base) if v])
                 .select_related("partner__organisation"))
    partners = {line.partner_id: line.partner for line in lines}
    before = category_totals([x for x in lines if base and x.budget_version_id == base.pk])
    after = category_totals([x for x in lines if x.budget_version_id == other.pk])
    keys = sorted(set(before) | set(after), key=lambda k: (partners[k[0]].number, k[1]))
    rows = tuple((partners[p], c, before.get((p, c), ZERO), after.get((p, c), ZERO)) for p, c in keys)
    basis = programme.budget_flexibility_basis
    measured = defaultdict(lambda: [ZERO, ZERO])
    total_before, total_after = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for partner, category, old, new in rows:
        currency = partner.reporting_currency
        # Amounts are in each partner's currency, so a project-level item is per currency too.
        key = (partner if basis == FlexibilityBasis.PARTNER_CATEGORY else None, category, currency)
        measured[key][0] += old
        measured[key][1] += new
        total_before[currency] += old
        total_after[currency] += new
    shifts = tuple(Shift(p, c, cur, old, new) for (p, c, cur), (old, new) in measured.items())
    return Comparison(base=base, other=other, basis=basis, threshold=programme.budget_flexibility_percent,
                      rows=rows, shifts=shifts, total_before=dict(total_before), total_after=dict(total_after))


def flexibility_check(version: BudgetVersion) -> Comparison:
    """The version against the one it changes (`base_of`), measured as the programme says."""
    return compare(version, base_of(version))
