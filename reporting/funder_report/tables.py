"""The funder report's tables, described once so that the PDF and the XLSX show the same figures.

Each table is a list of typed cells (Decimal, int, date, bool, str); the PDF formats them as text
with `format_cell()`, the XLSX writes them as numbers and dates with a number format.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
        return "yes" if value else ""
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
        Table("Partnership", "Partnership", (
            C("No."), C("Role", width=6), C("Organisation", width=40), C("Short name"), C("Country", width=8),
            C("Contact person", width=24), C("E-mail", width=30),
        ), tuple((p.code, p.role, p.organisation, p.short_name, p.country, p.contact_person, p.contact_email)
                 for p in report.partners)),
        Table("Deliverables", "Deliverables", (
            C("Code", width=8), C("Title", width=33), C("WP", width=6), C("Lead", width=17), C("Type", width=7),
            C("Diss.", width=6), C("Original due", "date"), C("Due", "date"), C("Month", "int", 8),
            C("Submitted", "date"), C("Status", width=16), C("Late", "flag", 6), C("Overdue", "flag", 9),
            C("Resched.", "flag", 10),
        ), tuple((d.code, d.title, d.work_package, d.lead_partner, d.type, d.dissemination_level,
                  d.original_due_date, d.due_date, d.due_month, d.submitted_date, d.status, d.late, d.overdue,
                  d.rescheduled) for d in report.deliverables)),
        Table("Milestones", "Milestones", (
            C("Code", width=8), C("Title", width=36), C("WP", width=6), C("Means of verification", width=40),
            C("Due", "date"), C("Month", "int", 8), C("Achieved", "date"),
        ), tuple((m.code, m.title, m.work_package, m.means_of_verification, m.due_date, m.due_month, m.achieved_date)
                 for m in report.milestones)),
        Table("Indicators", "Indicators", (
            C("Code", width=9), C("Indicator", width=36), C("Unit", width=14), C("Baseline", "number"),
            C("Target", "number"), C("This period", "number"), C("Cumulative", "number"), C("% of target", "percent"),
        ), tuple((i.code, i.name, i.unit, i.baseline, i.target, i.this_period, i.cumulative, i.percent_of_target)
                 for i in report.indicators),
            note="Values reported in approved partner reports, summed over partners."),
        Table("Effort", "Effort (person-months)", (
            C("Partner", width=16), C("WP", width=6), C("Planned", "number"), C("Reported", "number"),
            C("% used", "percent"),
        ), tuple((e.partner, e.work_package, e.planned, e.reported, e.percent_used) for e in report.effort),
            note="Reported effort from approved partner reports, cumulative to the end of the period."),
        Table("Finances", "Budget and reported costs (EUR)", (
            C("Partner", width=16), C("Cost category", width=30), C("Budget", "money", 14),
            C("This period", "money", 14), C("Cumulative", "money", 14), C("% used", "percent", 9),
            C("Remaining", "money", 14),
        ), tuple((f.partner, f.cost_category, f.budget, f.this_period, f.cumulative, f.percent_used, f.remaining)
                 for f in report.finances), finance_totals, note=report.money_basis),
        Table("Flat rates", "Flat rates: rate × base = amount (EUR)", (
            C("Partner", width=16), C("Flat rate", width=34), C("Rate", "percent", 9),
            C("Base, this period", "money", 16), C("Flat rate, this period", "money", 18),
            C("Base, cumulative", "money", 16), C("Flat rate, cumulative", "money", 18),
        ), tuple((r.partner, r.flat_rate, r.rate, r.base_this_period, r.amount_this_period, r.base_cumulative,
                  r.amount_cumulative) for r in report.flat_rates),
            note="Computed per report, in the order staff → travel → office & administration → other costs, each "
                 "on the rounded amounts before it and rounded down to the cent; cumulative = sum over reports. "
                 "A partner with nothing counted yet is one line naming its flat rates."),
        Table("Lump sums", "Lump sums (EUR)", (
            C("Lump sum", width=30), C("Period", "int", 7), C("Partner", width=16), C("Share", "money", 14),
            C("Achieved", "date"), C("Claimed in", width=10), C("This period", "money", 14),
            C("Cumulative", "money", 14),
        ), tuple((r.lump_sum, r.period_number, r.partner, r.share, r.achieved_date, r.claimed_in, r.this_period,
                  r.cumulative) for r in report.lump_sums),
            note="Claimed whole, once achieved, by the partner's first report submitted afterwards; counted when "
                 "that report is approved."),
        Table("Unit costs", "Unit costs (EUR)", (
            C("Partner", width=16), C("Unit cost", width=28), C("Unit", width=16), C("Price", "money", 11),
            C("Cost category", width=24), C("Units, this period", "number", 12), C("This period", "money", 14),
            C("Units, cumulative", "number", 12), C("Cumulative", "money", 14),
        ), tuple((r.partner, r.unit_cost, r.unit, r.price_per_unit, r.cost_category, r.units_this_period,
                  r.amount_this_period, r.units_cumulative, r.amount_cumulative) for r in report.unit_costs),
            note="Units × price per unit, each line half-up to the cent; included in their category above."),
        Table("Co-financing", "Co-financing per partner (EUR)", (
            C("Partner", width=16), C("Funding source", width=30), C("Rate", "percent", 9),
            C("Eligible, this period", "money", 18), C("Co-financing, this period", "money", 20),
            C("Eligible, cumulative", "money", 18), C("Co-financing, cumulative", "money", 20),
        ), tuple((c.partner, c.funding_source, c.rate, c.eligible_this_period, c.cofinancing_this_period,
                  c.eligible_cumulative, c.cofinancing_cumulative) for c in report.cofinancing),
            note=report.money_basis),
        Table("Funding sources", "Co-financing per funding source (EUR)", (
            C("Funding source", width=34), C("Eligible, cumulative", "money", 18),
            C("Co-financing, this period", "money", 20), C("Co-financing, cumulative", "money", 20),
        ), tuple((s.funding_source, s.eligible_cumulative, s.cofinancing_this_period, s.cofinancing_cumulative)
                 for s in report.funding_sources)),
        Table("Exchange rates", "Exchange rates used (units per EUR, frozen at submission)", (
            C("Currency", width=9), C("Month", "month", 9), C("Rate", "rate", 12), C("Lines", "int", 7),
        ), tuple((r.currency, r.month, r.rate, r.lines) for r in report.exchange_rates)),
        Table("Partner reports", "Partner reports of this period", (
            C("Partner", width=16), C("Period", "int", 7), C("Status", width=12), C("Submitted", "date"),
            C("Reviewed", "date"), C("In money figures", "flag", 16),
        ), tuple((r.partner, r.period_number, r.status, r.submitted_at, r.reviewed_at, r.counted)
                 for r in report.reports)),
    ]
