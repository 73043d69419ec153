"""Small template helpers for the web pages."""

from django import template
from django.conf import settings

from web.forms import next_status_choices

register = template.Library()


@register.simple_tag
def debug_mode() -> bool:
    """The login page shows the demo hint only on a development run."""
    return settings.DEBUG


@register.filter
def next_statuses(deliverable):
    return next_status_choices(deliverable)


@register.filter
def gantt_span(row) -> str:
    """CSS grid columns of a bar: column 1 is the label, so month M sits in column M + 1."""
    return f"{row.start + 1} / {row.end + 2}"


@register.filter
def item(mapping, key):
    """`mapping[key]` in a template (None when absent): a claim's amount per cost category."""
    return mapping.get(key)


@register.simple_tag
def page_links(page) -> list:
    """The page numbers to link from a paginated list: the first and last, and two either side of the current one
    (Paginator.ELLIPSIS between), so that a long list keeps a short row of links on a phone."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
