"""The dashboard and the read-only project pages."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from consortium.models import local_today
from reporting.spending import spending_profile
from web import claim_selectors, selectors
from web.plan_forms import LumpSumAchievedForm
from web.spending_chart import spending_chart
from web.views.common import project_context, render_page


@login_required
def dashboard(request):
    projects = selectors.dashboard(request.user)
    # The money tile: asked only of projects with a claim sent (web.claim_selectors.with_sent_claims).
    money = {item.project.pk: tile for item in projects
             if (tile := claim_selectors.money_tile(request.user, item.project)) is not None}
    return render_page(request, "web/dashboard.html", {
        "projects": projects,
        "money": money,
        "feed": selectors.activity_feed(request.user),
        "due_soon_days": selectors.DUE_SOON_DAYS,
    })


@login_required
def project_overview(request, project_id: int):
    context = project_context(request, project_id)
    project = context["project"]
    periods = list(project.periods.order_by("number"))
    figures = selectors.project_figures(request.user, project)
    spending = None
    if context["can_read_money"] and periods:
        # The spending profile's certified money is the figures' certified reports: summed once for both.
        spending = spending_profile(project, report_totals=figures.money.reports if figures.money else None)
    return render_page(request, "web/project_overview.html", {
        **context,
        "figures": figures,
        "periods": periods,
        "today": local_today(),
        "section": "overview",
        "spending": spending,
        "spending_chart": spending_chart(spending) if spending else None,
        # The MU is the one to act on a partner falling behind its plan.
        "spending_lagging": spending.lagging if spending and context["can_edit_plan"] else (),
    })


@login_required
def project_partners(request, project_id: int):
    return render_partners(request, project_context(request, project_id))


def render_partners(request, context: dict, *, achieved_form=None, status: int = 200):
    """The partners page: partners (with their cost options), the plan's unit costs and lump sums, contacts.

    `achieved_form` is a refused "mark achieved" form (web/views/plan.py), shown at its lump sum.
    """
    project = context["project"]
    money = selectors.plan_money(project) if context["can_read_money"] else None
    if money is not None and context["can_edit_plan"]:
        for lump_sum in money.lump_sums:
            refused_here = achieved_form is not None and achieved_form.lump_sum.pk == lump_sum.pk
            lump_sum.achieved_form = achieved_form if refused_here else LumpSumAchievedForm(
                lump_sum=lump_sum, initial={"version": lump_sum.version})
    return render_page(request, "web/project_partners.html", {
        **context,
        "partners": selectors.partners_with_budgets(request.user, project),
        "plan_money": money,
        "contacts": selectors.contacts(project),
        "section": "partners",
    }, status=status)


@login_required
def project_workplan(request, project_id: int):
    context = project_context(request, project_id)
    project = context["project"]
    months = list(range(1, project.duration_months + 1))
    this_month = project.month_number(local_today())
    return render_page(request, "web/project_workplan.html", {
        **context,
        "rows": selectors.gantt_rows(project),
        "months": months,
        "today_month": this_month if 1 <= this_month <= project.duration_months else None,
        "section": "workplan",
    })


@login_required
def project_milestones(request, project_id: int):
    context = project_context(request, project_id)
    return render_page(request, "web/project_milestones.html", {
        **context,
        "milestones": selectors.milestones(context["project"]),
        "section": "milestones",
    })


@login_required
def project_reports(request, project_id: int):
    context = project_context(request, project_id)
    # Readers of all reports see every partner's row, reporters their own partner's; viewers nothing.
    if not context["can_see_reports"]:
        raise PermissionDenied
    matrix = selectors.report_matrix(request.user, context["project"], page=request.GET.get("page"),
                                     until=request.GET.get("until"))
    return render_page(request, "web/project_reports.html", {
        **context, "matrix": matrix, "periods": matrix.periods, "rows": matrix.rows, "section": "reports",
    })
