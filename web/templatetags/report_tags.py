"""Template helpers of the report pages and the reporter's dashboard card."""

from django import template

from consortium.models import Role, local_today
from consortium.permissions import Right, has_right
from partners.models import CostCategory, FundingSource
from web import report_selectors

register = template.Library()


@register.filter
def category_label(value: str) -> str:
    return CostCategory(value).label


@register.filter
def funding_label(value: str) -> str:
    return FundingSource(value).label


@register.inclusion_tag("web/reports/_dashboard_card.html")
def open_report_card(user, item):
    """"Report for period N: start / continue / returned — see comments" on a reporter's project card."""
    if item.role != Role.REPORTER:
        return {"open": None}
    partner = report_selectors.own_partner(user, item.project)
    return {"open": report_selectors.open_report(partner) if partner else None, "project": item.project}


@register.filter
def has_started(period) -> bool:
    """A report can be started for a period once it has begun (the matrix links only those cells)."""
    return period.start_date <= local_today()


@register.simple_tag
def may_read_all_reports(user, project) -> bool:
    return has_right(user, Right.READ_ALL_REPORTS, project.pk)


@register.simple_tag
def cells_with_periods(row, periods) -> list:
    """The report matrix row's cells paired with their periods: (period, report or None)."""
    return list(zip(periods, row.cells, strict=True))
