"""Budget versions on the web: every version readable by those who read budgets, two compared side by side;
the management unit starts a draft, changes its lines, marks the programme's approval, approves or deletes it.
The same services as the API (partners/budget_versions.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consortium.permissions import Right, require
from partners import budget_versions as services
from partners.budget_selectors import base_of, compare
from partners.models import BudgetVersion, CostCategory, Partner
from web.budget_forms import BudgetLineForm, BudgetVersionEditForm, BudgetVersionForm
from web.errors import ActionForm
from web.views.common import project_context, render_page


def _version_of(project, version_id: int) -> BudgetVersion:
    version = BudgetVersion.objects.filter(project=project, pk=version_id).select_related(
        "project__programme", "created_by", "approved_by").first()
    if version is None:
        raise Http404
    return version


def _require_mu(request, project) -> None:
    require(request.user, Right.EDIT_PLAN, project.pk, _("Only the management unit changes the budget."))


@login_required
def budget_versions(request, project_id: int):
    """Every version of the budget; the MU starts a draft here (POST)."""
    context = project_context(request, project_id, right=Right.READ_MONEY)
    project = context["project"]
    form = None
    if context["can_edit_plan"]:
        form = BudgetVersionForm(request.POST or None, project=project, initial={"applies_from": 1})
    if request.method == "POST":
        _require_mu(request, project)
        if form.is_valid():
            version = form.call(request, services.budget_version_create, project=project, user=request.user,
                                **form.service_data())
            if version is not None:
                messages.success(request, _("Budget version %(number)s is started as a draft, holding the budget "
                                            "in force at its first period.") % {"number": version.number})
                return redirect("web:budget-version", project_id=project.pk, version_id=version.pk)
    return render_page(request, "web/budget_versions.html", {
        **context, "versions": BudgetVersion.objects.filter(project=project).order_by("-number"),
        "form": form, "section": "budget"}, status=form.status_code if form is not None else 200)


def _render_version(request, context: dict, version: BudgetVersion, *, edit_form=None, line_form=None,
                    status: int = 200):
    project = context["project"]
    other = request.GET.get("with", "")
    base = base_of(version)
    if other.isdigit():
        base = BudgetVersion.objects.filter(project=project, number=int(other)).first() or base
    comparison = compare(version, base)
    editable = context["can_edit_plan"] and not version.is_approved
    if editable:
        partners = list(Partner.objects.filter(project=project).select_related("organisation").order_by("number"))
        edit_form = edit_form or BudgetVersionEditForm(project=project, initial={
            "reason": version.reason, "decision_date": version.decision_date, "applies_from": version.applies_from,
            "programme_approved": version.programme_approved, "version": version.version})
        line_form = line_form or BudgetLineForm(partners=partners)
    return render_page(request, "web/budget_version.html", {
        **context, "version": version, "comparison": comparison, "editable": editable,
        "edit_form": edit_form, "line_form": line_form, "section": "budget",
        "others": BudgetVersion.objects.filter(project=project).exclude(pk=version.pk).order_by("number"),
        "rows": [{"partner": p, "category": CostCategory(c).label, "before": b, "after": a, "change": a - b}
                 for p, c, b, a in comparison.rows],
        "shifts": [{"partner": s.partner, "category": CostCategory(s.cost_category).label, "currency": s.currency,
                    "before": s.before, "after": s.after, "percent": s.percent,
                    "exceeds": s.exceeds(comparison.threshold)} for s in comparison.shifts if s.change],
        "threshold": comparison.threshold,
    }, status=status)


@login_required
def budget_version(request, project_id: int, version_id: int):
    """One version against the one it changes (or `?with=N`): lines side by side, the shifts measured."""
    context = project_context(request, project_id, right=Right.READ_MONEY)
    return _render_version(request, context, _version_of(context["project"], version_id))


def _acting_on(request, project_id: int, version_id: int):
    """The page's context and the version an MU's action changes (the action views' common start)."""
    context = project_context(request, project_id, right=Right.READ_MONEY)
    version = _version_of(context["project"], version_id)
    _require_mu(request, context["project"])
    return context, version


@login_required
@require_POST
def budget_version_edit(request, project_id: int, version_id: int):
    context, version = _acting_on(request, project_id, version_id)
    form = BudgetVersionEditForm(request.POST, project=context["project"])
    if form.is_valid():
        form.call(request, services.budget_version_update, version=version,
                  expected_version=form.cleaned_data["version"], data=form.service_data())
        if not form.refused:
            messages.success(request, _("Saved."))
            return redirect("web:budget-version", project_id=project_id, version_id=version.pk)
    return _render_version(request, context, version, edit_form=form, status=form.status_code)


@login_required
@require_POST
def budget_version_line(request, project_id: int, version_id: int):
    context, version = _acting_on(request, project_id, version_id)
    partners = list(Partner.objects.filter(project=context["project"]).select_related("organisation"))
    form = BudgetLineForm(request.POST, partners=partners)
    if form.is_valid():
        form.call(request, services.budget_version_set_line, version=version,
                  partner=form.partners[form.cleaned_data["partner"]],
                  cost_category=form.cleaned_data["cost_category"], amount=form.cleaned_data["amount"])
        if not form.refused:
            messages.success(request, _("The budget line is set."))
            return redirect("web:budget-version", project_id=project_id, version_id=version.pk)
    return _render_version(request, context, version, line_form=form, status=form.status_code)


@login_required
@require_POST
def budget_version_approve(request, project_id: int, version_id: int):
    context, version = _acting_on(request, project_id, version_id)
    form = ActionForm(request.POST)
    form.call(request, services.budget_version_approve, version=version, user=request.user)
    if not form.refused:
        messages.success(request, _("Budget version %(number)s is approved: it is in force from period %(period)s.")
                         % {"number": version.number, "period": version.applies_from})
        return redirect("web:budget-version", project_id=project_id, version_id=version.pk)
    return _render_version(request, context, version, status=form.status_code)


@login_required
@require_POST
def budget_version_delete(request, project_id: int, version_id: int):
    context, version = _acting_on(request, project_id, version_id)
    form = ActionForm(request.POST)
    form.call(request, services.budget_version_delete, version=version)
    if not form.refused:
        messages.success(request, _("The draft is deleted."))
        return redirect("web:budget-versions", project_id=project_id)
    return _render_version(request, context, version, status=form.status_code)
