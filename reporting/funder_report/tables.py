"""The funder report's tables, described once so that the PDF and the XLSX show the same figures.

Each table is a list of typed cells (Decimal, int, date, bool, str); the PDF formats them as text
with `format_cell()`, the XLSX writes them as numbers and dates with a number format. Titles are in
the active language (the downloading user's); `key`, the XLSX sheet's name, stays the same in all.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from reporting.funder_report.collect import FunderReport


@dataclass(frozen=True)
class Column:
    title: str
    kind: str  # text | int | money | number | percent | rate (4 decimals) | date | month | flag
    width: int  # in characters (XLSX); the PDF scales them to the page width


@dataclass(frozen=True)
class Table:
    key: str  # the XLSX sheet name
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    total_rows: frozenset[int] = frozenset()  # indices of rows drawn in bold
    note: str = ""


def format_money(value: Decimal) -> str:
    return f"{value:,.2f}"


def format_cell(value, kind: str) -> str:
    if value is None:
        return "–" if kind in ("percent", "money", "number") else ""
    if kind == "flag":
        return _("yes") if value else ""
    if kind in ("money", "number"):
        return format_money(value)
    if kind == "percent":
        return f"{value:,.2f} %"
    if kind == "rate":
        return f"{value:,.4f}"
    if kind == "month":
        return value.strftime("%Y-%m")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def C(title: str, kind: str = "text", width: int = 12) -> Column:  # noqa: N802 - a terse table-spec constructor
    return Column(title, kind, width)


def report_tables(report: FunderReport) -> list[Table]:
    """Every tabular section of the report, in the order the PDF prints them."""
    finance_totals = frozenset(i for i, r in enumerate(report.finances) if r.is_total)
    return [
        Table("Partnership", _("Partnership"), (
            C(_("No.")), C(_("Role"), width=6), C(_("Organisation"), width=40), C(_("Short name")),
            C(_("Country"), width=8), C(_("Contact person"), width=24), C(_("E-mail"), width=30),
        ), tuple((p.code, p.role, p.organisation, p.short_name, p.country, p.contact_person, p.contact_email)
                 for p in report.partners)),
        Table("Deliverables", _("Deliverables"), (
            C(_("Code"), width=8), C(_("Title"), width=28), C(_("WP"), width=6), C(_("Lead"), width=14),
            C(_("Type"), width=7), C(_("Diss."), width=6), C(_("Original due"), "date"), C(_("Due"), "date"),
            C(_("Month"), "int", 8), C(_("Submitted"), "date"), C(_("Status"), width=14), C(_("Late"), "flag", 6),
            C(_("Overdue"), "flag", 9), C(_("Resched."), "flag", 10), C(_("Rescheduled: dates and reason"), width=28),
        ), tuple((d.code, d.title, d.work_package, d.lead_partner, d.type, d.dissemination_level,
                  d.original_due_date, d.due_date, d.due_month, d.submitted_date, d.status, d.late, d.overdue,
                  d.rescheduled, d.reschedules) for d in report.deliverables)),
        Table("Milestones", _("Milestones"), (
            C(_("Code"), width=8), C(_("Title"), width=30), C(_("WP"), width=6),
            C(_("Means of verification"), width=32), C(_("Due"), "date"), C(_("Month"), "int", 8),
            C(_("Achieved"), "date"), C(_("Rescheduled: dates and reason"), width=28),
        ), tuple((m.code, m.title, m.work_package, m.means_of_verification, m.due_date, m.due_month, m.achieved_date,
                  m.reschedules) for m in report.milestones)),
        Table("Indicators", _("Indicators"), (
            C(_("Code"), width=9), C(_("Indicator"), width=36), C(_("Unit"), width=14), C(_("Baseline"), "number"),
            C(_("Target"), "number"), C(_("This period"), "number"), C(_("Cumulative"), "number"),
            # xgettext:no-python-format
            C(_("% of target"), "percent"),
        ), tuple((i.code, i.name, i.unit, i.baseline, i.target, i.this_period, i.cumulative, i.percent_of_target)
                 for i in report.indicators),
            note=_("Values reported in partner reports whose content the management unit approved, summed over "
                   "partners.")),
        Table("Effort", _("Effort (person-months)"), (
            C(_("Partner"), width=16), C(_("WP"), width=6), C(_("Planned"), "number"), C(_("Reported"), "number"),
            # xgettext:no-python-format
            C(_("% used"), "percent"),
        ), tuple((e.partner, e.work_package, e.planned, e.reported, e.percent_used) for e in report.effort),
            note=_("Reported effort from partner reports whose content the management unit approved, cumulative to "
                   "the end of the period.")),
        Table("Finances", _("Budget and reported costs (EUR; a partner reporting in NOK in NOK, then converted)"), (
            C(_("Partner"), width=16), C(_("Cost category"), width=30), C(_("Budget"), "money", 14),
            C(_("This period"), "money", 14), C(_("Cumulative"), "money", 14),
            # xgettext:no-python-format
            C(_("% used"), "percent", 9), C(_("Remaining"), "money", 14), C(_("Currency"), width=9),
        ), tuple((f.partner, f.cost_category, f.budget, f.this_period, f.cumulative, f.percent_used, f.remaining,
                  f.currency) for f in report.finances), finance_totals,
            note=report.money_basis + " " + _("A partner reporting in NOK is computed in NOK; its row converted to "
                                              "EUR counts its lines at their frozen monthly rates and its budget at "
                                              "the rate of the month its budget was approved (see Exchange "
                                              "rates).")),
        Table("Control", _("First-level control: declared, verified and deducted per partner and category"), (
            C(_("Partner"), width=16), C(_("Cost category"), width=30), C(_("Declared"), "money", 14),
            C(_("Verified"), "money", 14), C(_("Deducted"), "money", 14), C(_("Parked"), "money", 14),
            C(_("Currency"), width=9),
        ), tuple((r.partner, r.cost_category, r.declared, r.verified, r.deducted, r.parked, r.currency)
                 for r in report.control), frozenset(i for i, r in enumerate(report.control) if r.is_total),
            note=_("Certified partner reports, cumulative to the end of the period. A category's flat rate is "
                   "recomputed on its verified base; a parked line counts in the later certificate that verifies "
                   "it.")),
        Table("Not yet certified", _("Approved and in control, not yet certified (declared; not counted above)"), (
            C(_("Partner"), width=16), C(_("Status"), width=14), C(_("Reports"), "int", 8),
            C(_("Eligible, this period"), "money", 18), C(_("Eligible, cumulative"), "money", 18),
            C(_("Currency"), width=9), C(_("Eligible, cumulative (EUR)"), "money", 18),
        ), tuple((r.partner, r.status, r.reports, r.eligible_this_period, r.eligible_cumulative, r.currency,
                  r.eligible_cumulative_eur) for r in report.pending)),
        Table("Flat rates", _("Flat rates: rate × base = amount"), (
            C(_("Partner"), width=16), C(_("Flat rate"), width=34), C(_("Rate"), "percent", 9),
            C(_("Base, this period"), "money", 16), C(_("Flat rate, this period"), "money", 18),
            C(_("Base, cumulative"), "money", 16), C(_("Flat rate, cumulative"), "money", 18),
            C(_("Currency"), width=9),
        ), tuple((r.partner, r.flat_rate, r.rate, r.base_this_period, r.amount_this_period, r.base_cumulative,
                  r.amount_cumulative, r.currency) for r in report.flat_rates),
            note=_("Computed per report, in the order staff → travel → office & administration → other costs, "
                   "each on the rounded amounts before it and rounded down to the cent; cumulative = sum over "
                   "reports. A partner with nothing counted yet is one line naming its flat rates.")),
        Table("Lump sums", _("Lump sums (EUR)"), (
            C(_("Lump sum"), width=30), C(_("Period"), "int", 7), C(_("Partner"), width=16),
            C(_("Share"), "money", 14), C(_("Achieved"), "date"), C(_("Claimed in"), width=10),
            C(_("This period"), "money", 14), C(_("Cumulative"), "money", 14),
        ), tuple((r.lump_sum, r.period_number, r.partner, r.share, r.achieved_date, r.claimed_in, r.this_period,
                  r.cumulative) for r in report.lump_sums),
            note=_("Claimed whole, once achieved, by the partner's first report submitted afterwards; counted "
                   "when that report is certified, as its controller verified it.")),
        Table("Unit costs", _("Unit costs (EUR)"), (
            C(_("Partner"), width=16), C(_("Unit cost"), width=28), C(_("Unit"), width=16),
            C(_("Price"), "money", 11), C(_("Cost category"), width=24), C(_("Units, this period"), "number", 12),
            C(_("This period"), "money", 14), C(_("Units, cumulative"), "number", 12),
            C(_("Cumulative"), "money", 14),
        ), tuple((r.partner, r.unit_cost, r.unit, r.price_per_unit, r.cost_category, r.units_this_period,
                  r.amount_this_period, r.units_cumulative, r.amount_cumulative) for r in report.unit_costs),
            note=_("Units × price per unit, each line half-up to the cent; the amounts verified in certified "
                   "reports, included in their category above.")),
        Table("Co-financing", _("Co-financing per partner"), (
            C(_("Partner"), width=16), C(_("Funding source"), width=30), C(_("Rate"), "percent", 9),
            C(_("Eligible, this period"), "money", 18), C(_("Co-financing, this period"), "money", 20),
            C(_("Eligible, cumulative"), "money", 18), C(_("Co-financing, cumulative"), "money", 20),
            C(_("Currency"), width=9),
        ), tuple((c.partner, c.funding_source, c.rate, c.eligible_this_period, c.cofinancing_this_period,
                  c.eligible_cumulative, c.cofinancing_cumulative, c.currency) for c in report.cofinancing),
            note=report.money_basis),
        Table("Funding sources", _("Co-financing per funding source"), (
            C(_("Funding source"), width=34), C(_("Eligible, cumulative"), "money", 18),
            C(_("Co-financing, this period"), "money", 20), C(_("Co-financing, cumulative"), "money", 20),
            C(_("Currency"), width=9),
        ), tuple((s.funding_source, s.eligible_cumulative, s.cofinancing_this_period, s.cofinancing_cumulative,
                  s.currency) for s in report.funding_sources)),
        Table("Exchange rates", _("Exchange rates used (units per EUR, frozen at submission)"), (
            C(_("Currency"), width=9), C(_("Month"), "month", 9), C(_("Rate"), "rate", 12), C(_("Lines"), "int", 7),
            C(_("Used for"), width=24),
        ), tuple((r.currency, r.month, r.rate, r.lines, r.used_for) for r in report.exchange_rates)),
        Table("Risks", _("Open risks"), (
            C(_("Risk"), width=34), C(_("Likelihood"), width=11), C(_("Impact"), width=9), C(_("Score"), "int", 7),
            C(_("Owner"), width=16), C(_("Mitigation"), width=40), C(_("Status"), width=12),
            C(_("Review date"), "date"), C(_("Review overdue"), "flag", 9),
        ), tuple((r.title, r.likelihood, r.impact, r.score, r.owner, r.mitigation, r.status, r.review_date,
                  r.review_overdue) for r in report.risks),
            note=_("The risk register's risks not closed (open or monitored); score = likelihood × impact, "
                   "low 1, medium 2, high 3.")),
        Table("Partner reports", _("Partner reports of this period"), (
            C(_("Partner"), width=16), C(_("Period"), "int", 7), C(_("Status"), width=12), C(_("Submitted"), "date"),
            C(_("Reviewed"), "date"), C(_("In money figures"), "flag", 16),
        ), tuple((r.partner, r.period_number, r.status, r.submitted_at, r.reviewed_at, r.counted)
                 for r in report.reports)),
        *_spending_tables(report),
    ]


def _spending_tables(report: FunderReport) -> list[Table]:
    """Planned (the budget version in force) against certified and forecast, per period (reporting/spending.py)."""
    if report.spending is None:
        return []
    return [Table("Spending profile", _("Spending profile (EUR)"), (
        C(_("Period"), "int", 7), C(_("Budget version"), "int", 9), C(_("Planned"), "money", 14),
        C(_("Certified"), "money", 14), C(_("Deviation"), "percent", 11), C(_("Forecast"), "money", 14),
        C(_("Forecast deviation"), "percent", 11),
    ), tuple((p.number, p.budget_version, p.planned, p.certified, p.deviation, p.forecast, p.forecast_deviation)
             for p in report.spending.periods),
        note=_("Planned: the budget version in force for each period. Certified: the certificates of certified "
               "reports. Forecast: what the partners' reports of the period before expect."))]
