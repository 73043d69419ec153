"""The spending profile: per period, planned (the budget in force) against certified and forecast (docs/BUDGET.md).

Planned: each partner's budget lines of the version in force for the period — a per-period line where the
version splits a category over periods, else the whole-project line pro rata to the period's months (half-up to
the cent) — plus the other-costs flat rate on that staff plan and the lump sums of the period. Certified: the
verified totals of the period's certified reports (their certificates, summed by
`reporting.selectors.report_totals`). Forecast: what
the partners' reports of the period before expected to spend in this one. All in EUR; a NOK budget and forecast
convert at the budget month's rate, as budgets do.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from consortium.models import Project, local_today, month_number
from partners.budget_selectors import budget_rows, versions_by_period
from partners.models import CostCategory, LumpSumShare, Partner
from reporting.models import ProgressReport
from reporting.money import ZERO, ReportTotals, budget_eur, budget_rates, percent, percent_of_down, round_half_up
from reporting.selectors import report_totals as totals_of


@dataclass(frozen=True)
class SpendingPeriod:
    number: int
    start_date: date
    end_date: date
    budget_version: int | None  # the number of the version in force
    planned: Decimal
    certified: Decimal
    forecast: Decimal | None  # None: no report of the period before gave one

    @property
    def deviation(self) -> Decimal | None:
        """Certified against planned, in percent (negative: behind plan)."""
        return percent(self.certified - self.planned, self.planned)

    @property
    def forecast_deviation(self) -> Decimal | None:
        return None if self.forecast is None else percent(self.forecast - self.planned, self.planned)


@dataclass(frozen=True)
class PartnerLag:
    """A partner whose cumulative certified spending is further behind its plan than the programme accepts."""

    partner: str
    planned: Decimal  # cumulative, EUR, periods whose report is due
    certified: Decimal
    behind: Decimal  # percent of planned


@dataclass(frozen=True)
class SpendingProfile:
    periods: tuple[SpendingPeriod, ...]
    warning_percent: Decimal
    lagging: tuple[PartnerLag, ...]

    @property
    def highest(self) -> Decimal:
        """The largest figure of the chart (its scale)."""
        return max((max(p.planned, p.certified, p.forecast or ZERO) for p in self.periods), default=ZERO)


class _Plan:
    """One partner's lines of one budget version, grouped once for all the periods they plan (module docstring):
    a category's whole-project line, or its per-period lines."""

    def __init__(self, partner, lines, project_months: int):
        self.partner, self.project_months = partner, project_months
        self.whole, self.split = {}, defaultdict(dict)
        for line in lines:
            if line.period_id is None:
                self.whole[line.cost_category] = line.amount
            else:
                self.split[line.cost_category][line.period_id] = line.amount
        self._pro_rata = {}  # period months -> category -> the whole lines' share, the same for periods as long

    def planned(self, period, lump_sums: Decimal) -> Decimal:
        """The partner's plan for the period, in its currency."""
        months = month_number(period.start_date, period.end_date)
        if months not in self._pro_rata:
            self._pro_rata[months] = {category: round_half_up(amount * months / self.project_months)
                                      for category, amount in self.whole.items() if category not in self.split}
        plan = {**self._pro_rata[months], **{category: by_period.get(period.pk, ZERO)
                                             for category, by_period in self.split.items()}}
        total = sum(plan.values(), ZERO) + lump_sums
        if self.partner.uses_other_costs_flat_rate:
            total += percent_of_down(plan.get(CostCategory.STAFF, ZERO), self.partner.other_costs_flat_rate)
        return total


def spending_profile(project: Project, *, today: date | None = None,
                     report_totals: Iterable[ReportTotals] | None = None) -> SpendingProfile:
    """The project's spending profile and its lagging partners (a fixed number of queries).

    `report_totals`: the project's reports' ReportTotals when the caller has them already (the overview's figures
    sum them; their certified ones are used), else they are summed here."""
    today = today or local_today()
    project = Project.objects.select_related("programme").get(pk=project.pk)
    periods = list(project.periods.order_by("number"))
    partners = list(Partner.objects.filter(project=project).select_related("organisation").order_by("number"))
    for partner in partners:
        partner.project = project
    rates = budget_rates(partners)
    versions = versions_by_period(project, periods)
    lines = defaultdict(list)  # (version, partner) -> lines
    for of_version in budget_rows(versions.values()).values():
        for line in of_version:
            lines[(line.budget_version_id, line.partner_id)].append(line)
    plans = {}  # (version, partner) -> _Plan
    shares = defaultdict(lambda: ZERO)  # (partner, period number) -> planned lump sums
    for share in LumpSumShare.objects.filter(partner__project=project).select_related("lump_sum__period"):
        shares[(share.partner_id, share.lump_sum.period.number)] += share.amount
    by_id = {p.pk: p for p in partners}
    certified = defaultdict(lambda: ZERO)  # (partner, period number) -> EUR
    if report_totals is None:
        report_totals = totals_of(ProgressReport.objects.filter(partner__project=project,
                                                                status=ProgressReport.Status.CERTIFIED))
    for totals in report_totals:
        if totals.status == ProgressReport.Status.CERTIFIED:
            certified[(totals.partner_id, totals.period_number)] += totals.verified_total
    forecasts = defaultdict(list)  # period number forecast for -> EUR amounts
    for partner_id, number, forecast in ProgressReport.objects.filter(
            partner__project=project, forecast_next_period__isnull=False).values_list(
            "partner_id", "period__number", "forecast_next_period"):
        forecasts[number + 1].append(budget_eur(by_id[partner_id], forecast, rates) or ZERO)

    months = project.duration_months
    rows, planned_of = [], {}
    for period in periods:
        version = versions[period.number]
        for partner in partners:
            key = (version.pk if version else None, partner.pk)
            if key not in plans:
                plans[key] = _Plan(partner, lines[key], months)
            native = plans[key].planned(period, shares[(partner.pk, period.number)])
            planned_of[(partner.pk, period.number)] = budget_eur(partner, native, rates) or ZERO
        rows.append(SpendingPeriod(
            number=period.number, start_date=period.start_date, end_date=period.end_date,
            budget_version=version.number if version else None,
            planned=sum((planned_of[(p.pk, period.number)] for p in partners), ZERO),
            certified=sum((certified[(p.pk, period.number)] for p in partners), ZERO),
            forecast=sum(forecasts[period.number], ZERO) if forecasts[period.number] else None,
        ))
    warning = project.programme.spending_warning_percent
    due = [p.number for p in periods if p.report_due_date < today]
    lagging = []
    for partner in partners:
        plan = sum((planned_of[(partner.pk, n)] for n in due), ZERO)
        done = sum((certified[(partner.pk, n)] for n in due), ZERO)
        behind = percent(plan - done, plan)
        if behind is not None and behind > warning:
            lagging.append(PartnerLag(f"{partner.code} {partner.organisation.short_name}", plan, done, behind))
    return SpendingProfile(periods=tuple(rows), warning_percent=warning, lagging=tuple(lagging))
