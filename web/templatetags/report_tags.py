"""Template helpers of the report pages and the reporter's dashboard card."""

from django import template

from consortium.models import Role
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
