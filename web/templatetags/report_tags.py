"""Template helpers of the report pages and the reporter's dashboard card."""

from django import template
from django.utils.translation import gettext as _

from consortium.models import Role, local_today
from consortium.permissions import Right, has_right
from partners.cost_options import OfficeOption
from partners.models import CostCategory, FundingSource
from web import report_selectors

register = template.Library()


@register.filter
def category_label(value: str) -> str:
    return CostCategory(value).label


@register.filter
def funding_label(value: str) -> str:
    return FundingSource(value).label


@register.filter
def cost_options_text(partner) -> list[str]:
    """A partner's flat rates in words, in the order they are computed (empty: every category at real cost)."""
    options = partner.cost_options
    texts = []
    if options.staff_is_flat:
        texts.append(_("Staff %(rate)s %% of direct costs other than staff") % {"rate": options.staff_flat_rate})
    if options.travel_is_flat:
        texts.append(_("Travel %(rate)s %% of staff costs") % {"rate": options.travel_flat_rate})
    if options.office_option == OfficeOption.FLAT_STAFF:
        texts.append(_("Office %(rate)s %% of staff costs") % {"rate": options.office_flat_rate})
    elif options.office_option == OfficeOption.FLAT_DIRECT:
        texts.append(_("Office %(rate)s %% of direct costs") % {"rate": options.office_flat_rate})
    if options.uses_other_costs_flat_rate:
        texts.append(_("Other costs %(rate)s %% of staff costs") % {"rate": options.other_costs_flat_rate})
    return texts


@register.simple_tag
def flat_rate_label(name: str, partner) -> str:
    """A flat rate of a report's summary (reporting.money.FLAT_RATE_CATEGORIES) and what it sits on."""
    if name == "office":
        if partner.office_option == OfficeOption.FLAT_DIRECT:
            return _("Office & administration flat rate on direct costs")
        return _("Office & administration flat rate on direct staff costs")
    return {
        "staff": _("Staff flat rate on direct costs other than staff costs"),
        "travel": _("Travel & accommodation flat rate on direct staff costs"),
        "other_costs": _("Other-costs flat rate on direct staff costs"),
    }[name]


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


@register.simple_tag
def control_cells(totals, category: str) -> dict:
    """One cost category's row of a certificate's figures: deducted, parked, not yet verified, and whether any is
    non-zero (rows of categories the report does not use are left out)."""
    cells = {"verified": totals.verified[category], "deducted": totals.deducted[category],
             "parked": totals.parked[category], "unverified": totals.unverified[category]}
    return {**cells, "any": any(cells.values())}


@register.simple_tag
def control_flat_rates(totals) -> list[tuple]:
    """The flat rates recomputed on the verified bases: (name, FlatRate, what was lost against the declared one)."""
    rows = []
    for name in ("staff", "travel", "office", "other_costs"):
        flat = getattr(totals.flat_rates, name)
        if flat is not None:
            declared = getattr(totals.declared_flat_rates, name)
            rows.append((name, flat, max((declared.amount if declared else flat.amount) - flat.amount, 0)))
    return rows

