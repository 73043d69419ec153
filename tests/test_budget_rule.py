"""One budget rule everywhere: a whole-project line is the budget; per-period lines count only without one."""

from decimal import Decimal

from reporting.funder_report.collect import collect_funder_report
from tests import factories as f
from web import selectors


def test_web_pages_and_funder_report_agree_on_a_budget_split_over_periods(world, mu):
    partner = world.partner_a
    f.make_budget_line(partner, "staff", Decimal("100000.00"))  # the approved whole-project figure
    f.make_budget_line(partner, "staff", Decimal("50000.00"), period=world.period1)  # its split: not added again
    f.make_budget_line(partner, "staff", Decimal("50000.00"), period=world.period2)
    f.make_budget_line(partner, "travel", Decimal("4000.00"), period=world.period1)  # no whole line: the sum
    f.make_budget_line(partner, "travel", Decimal("6000.00"), period=world.period2)
    f.make_budget_line(world.partner_b, "external", Decimal("2500.00"))
    expected = Decimal("112500.00")

    item = next(i for i in selectors.dashboard(mu) if i.project == world.project)
    assert item.budget_total == expected
    assert selectors.project_figures(mu, world.project).budget_total == expected
    budgets = {p.pk: p.budget_total for p in selectors.partners_with_budgets(mu, world.project)}
    assert budgets[partner.pk] == Decimal("110000.00") and budgets[world.partner_b.pk] == Decimal("2500.00")
    figures = {k.label: k.value for k in collect_funder_report(world.project, world.period2).key_figures}
    assert figures["Total budget (EUR; NOK budgets converted)"] == expected
