"""The management unit's plan editing on the web, through the same services as the API, and the plan
workbook's upload.

The plan pages (`plan_index`, `plan_list`, `plan_edit`, `plan_delete`) edit every part of the plan that
web/plan_forms.py's KINDS lists; a stale page is refused and shows the stored values next to the user's.
Marking a lump sum achieved is the step in the reporting cycle that lets the partners' next reports claim
their shares, so it is on the partners page, next to the lump sum. The plan workbook (docs/PLAN_IMPORT.md)
creates a project (superusers) or updates one (its MU): a dry run first lists what would change.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consortium.errors import VersionConflict
from consortium.permissions import Right, require
from partners import access as organisation_access
from partners import services
from partners.models import Organisation
from web import selectors
from web.errors import ActionForm
from web.plan_forms import (
    KINDS,
    PROJECT_KIND,
    RESCHEDULE_REASON,
    LumpSumAchievedForm,
    PlanImportForm,
    PlanKind,
    label_of,
    shown,
    stored_value,
)
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


# ---------------------------------------------------------------------------------------------
# Plan editing: the project's details and every part of its plan (web/plan_forms.py's KINDS).

def _kind_or_404(slug: str) -> PlanKind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404
    return kind


def _object_or_404(kind: PlanKind, project, object_id: int, user, *, changing: bool):
    obj = kind.rows(project).filter(pk=object_id).first()
    if obj is None:
        raise Http404
    if kind.model is Organisation and changing:
        # Shared between projects: the MU of each project it partners in decides (as in the API).
        organisation_access.require_change_organisation(user, obj)
    return obj


def _cells(kind: PlanKind, obj) -> list[str]:
    return [shown(kind.model, name, stored_value(obj, name)) for name in kind.list_columns]


def _row_context(context: dict, kind: PlanKind, obj) -> dict:
    return {**context, "kind": kind, "obj": obj, "cells": _cells(kind, obj)}


def _save(request, kind: PlanKind, form, obj):
    """Call the kind's update service; a stale page keeps the user's input and shows the stored values."""
    data = form.service_data()
    reason = form.cleaned_data.get(RESCHEDULE_REASON, "")
    saved = form.call(None, kind.update, obj=obj, version=form.cleaned_data["version"], data=data,
                      user=request.user, reason=reason)
    if isinstance(form.refused, VersionConflict):
        form.show_stale(kind.rows(form.project).get(pk=obj.pk))
    return saved


@login_required
def plan_index(request, project_id: int):
    """The plan's sections, and the project's own details (acronym, title, dates, status) to edit."""
    context = project_context(request, project_id, right=Right.EDIT_PLAN)
    project = context["project"]
    form = PROJECT_KIND.form(request.POST if request.method == "POST" else None, project=project,
                             user=request.user, instance=project)
    if request.method == "POST" and form.is_valid():
        if _save(request, PROJECT_KIND, form, project) is not None:
            messages.success(request, _("The project's details are saved."))
            return redirect("web:plan", project.pk)
    sections = [{"kind": kind, "count": kind.rows(project).count()} for kind in KINDS.values()]
    return render_page(request, "web/plan/index.html", {
        **context, "form": form, "sections": sections, "section": "plan",
    }, status=form.status_code)


@login_required
def plan_list(request, project_id: int, kind: str):
    """One part of the plan: its rows (each editable inline) and the form that adds one."""
    context = project_context(request, project_id, right=Right.EDIT_PLAN)
    project, kind = context["project"], _kind_or_404(kind)
    form = kind.form(request.POST if request.method == "POST" else None, project=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        created = form.call(request, kind.create, project=project, data=form.service_data(), user=request.user)
        if created is not None:
            messages.success(request, _("%(object)s is added.") % {"object": created})
            return redirect(reverse("web:plan-list", args=[project.pk, kind.slug]) + f"#{kind.slug}-{created.pk}")
    rows = [{"obj": obj, "cells": _cells(kind, obj)} for obj in kind.rows(project)]
    return render_page(request, "web/plan/list.html", {
        **context, "kind": kind, "rows": rows, "form": form, "section": "plan",
        "headers": [label_of(kind.model, name) for name in kind.list_columns],
    }, status=form.status_code)


@login_required
def plan_edit(request, project_id: int, kind: str, object_id: int):
    """One plan object's form. With htmx it is the row of the list that turns into the form and back."""
    context = project_context(request, project_id, right=Right.EDIT_PLAN)
    project, kind = context["project"], _kind_or_404(kind)
    obj = _object_or_404(kind, project, object_id, request.user, changing=True)
    inline = bool(request.headers.get("HX-Request"))
    form = kind.form(request.POST if request.method == "POST" else None, project=project, user=request.user,
                     instance=obj)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, kind, form, obj)
        if saved is not None:
            saved = kind.rows(project).get(pk=saved.pk)
            if inline:
                return render(request, "web/plan/_row.html", {**_row_context(context, kind, saved), "saved": True})
            messages.success(request, _("%(object)s is saved.") % {"object": saved})
            return redirect(reverse("web:plan-list", args=[project.pk, kind.slug]) + f"#{kind.slug}-{saved.pk}")
    page = {**context, "kind": kind, "obj": obj, "form": form, "section": "plan",
            "columns": len(kind.list_columns) + 1}
    if inline:
        # htmx swaps only a 2xx answer: the refused form comes back as one, in place of the row.
        return render(request, "web/plan/_form_row.html", page)
    if kind.reschedules:
        page["due_date_changes"] = obj.due_date_changes.select_related("changed_by")
    return render_page(request, "web/plan/edit.html", page, status=form.status_code)


@login_required
def plan_delete(request, project_id: int, kind: str, object_id: int):
    """Ask, then delete through the kind's service (a row still in use, or a period not the last, is a 409)."""
    context = project_context(request, project_id, right=Right.EDIT_PLAN)
    project, kind = context["project"], _kind_or_404(kind)
    if kind.delete is None:
        raise Http404
    obj = _object_or_404(kind, project, object_id, request.user, changing=True)
    form = ActionForm(request.POST or None)
    if request.method == "POST":
        form.call(request, kind.delete, instance=obj)
        if not form.refused:
            messages.success(request, _("%(object)s is deleted.") % {"object": obj})
            return redirect("web:plan-list", project.pk, kind.slug)
    return render_page(request, "web/plan/delete.html", {
        **context, "kind": kind, "obj": obj, "form": form, "section": "plan",
    }, status=form.status_code)
