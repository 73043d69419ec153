"""Changes to the plan from the web: a lump sum marked achieved, and the plan workbook uploaded.

The rest of the plan is edited through the API and the admin; marking a lump sum achieved is the step
in the reporting cycle that lets the partners' next reports claim their shares, so it is on the partners
page, next to the lump sum. The plan workbook (docs/PLAN_IMPORT.md) creates a project (superusers) or
updates one (its MU): a dry run first lists what would change.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consortium.permissions import Right, require
from partners import services
from web import selectors
from web.plan_forms import LumpSumAchievedForm, PlanImportForm
from web.views.common import project_context, render_page
from web.views.pages import render_partners
from workpackages import plan_workbook


@login_required
@require_POST
def lump_sum_achieved(request, project_id: int, lump_sum_id: int):
    """Mark a lump sum achieved on a date, with its evidence (the API's PATCH of achieved_date and evidence)."""
    context = project_context(request, project_id)
    lump_sum = selectors.lump_sum_of(context["project"], lump_sum_id)
    require(request.user, Right.EDIT_PLAN, context["project"].pk, "Only the management unit marks a lump sum "
                                                                  "achieved.")
    form = LumpSumAchievedForm(request.POST, lump_sum=lump_sum)
    if form.is_valid():
        form.call(request, services.lump_sum_update, lump_sum=lump_sum,
                  expected_version=form.cleaned_data["version"], data=form.service_data())
        if not form.refused:
            messages.success(request, _("%(name)s is marked achieved: each partner's next report claims its share.")
                             % {"name": lump_sum.name})
            return redirect(reverse("web:partners", args=[context["project"].pk]) + f"#lump-sum-{lump_sum.pk}")
    return render_partners(request, context, achieved_form=form, status=form.status_code)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request):
    """GET: the upload form; POST: a dry run lists what the workbook would change, a real run writes it all."""
    plan_workbook.require_import(request.user)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        dry_run = form.cleaned_data["dry_run"]
        result = form.call(request, plan_workbook.import_plan, upload=form.cleaned_data["file"], user=request.user,
                           dry_run=dry_run)
        if result is not None and not dry_run:
            messages.success(request, _("The plan of %(project)s is imported: %(created)s rows created, %(changed)s "
                                        "changed, %(removed)s removed.") % {
                "project": result.project.acronym, "created": len(result.of("create")),
                "changed": len(result.of("change")), "removed": len(result.of("remove"))})
            return redirect("web:project", project_id=result.project.pk)
    return render_page(request, "web/plan_import.html", {
        "form": form, "result": result,
        # Problems in the workbook are listed by sheet, row and column; the rest (the file itself) stay on the form.
        "sheet_problems": [problem for problem in form.refused.problems if problem.sheet] if form.refused else [],
    }, status=form.status_code)
