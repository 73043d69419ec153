"""The project's risk register: every member reads it, the management unit keeps it (as /api/risks/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consortium.models import local_today
from consortium.permissions import Right
from web import selectors
from web.people_forms import RiskForm
from web.views.common import project_context, render_page, require_anywhere
from workpackages import services


@login_required
@require_http_methods(["GET", "POST"])
def risks(request, project_id: int):
    """The register; the MU's form adds a risk (POST /api/risks/)."""
    right = Right.EDIT_PLAN if request.method == "POST" else Right.READ_PLAN
    if request.method == "POST":
        require_anywhere(request, right)
    context = project_context(request, project_id, right=right)
    project = context["project"]
    form = RiskForm(request.POST or None, project=project) if context["can_edit_plan"] else None
    if request.method == "POST" and form.is_valid():
        risk = form.call(request, services.risk_create, data={"project": project, **form.service_data()})
        if risk is not None:
            messages.success(request, _("The risk “%(title)s” is in the register.") % {"title": risk.title})
            return redirect(reverse("web:risks", args=[project.pk]) + f"#risk-{risk.pk}")
    return render_page(request, "web/project_risks.html", {
        **context, "risks": selectors.risks(project), "form": form, "today": local_today(), "section": "risks",
    }, status=form.status_code if form is not None else 200)


@login_required
@require_http_methods(["GET", "POST"])
def risk(request, project_id: int, risk_id: int):
    """Edit one risk with the version the page showed (PATCH /api/risks/{id}/): a stale page saves nothing."""
    context = project_context(request, project_id, right=Right.EDIT_PLAN)
    project = context["project"]
    risk = selectors.risk_of(project, risk_id)
    form = RiskForm(request.POST or None, project=project, risk=risk)
    if request.method == "POST" and form.is_valid():
        saved = form.call(request, services.risk_update, risk=risk, expected_version=form.cleaned_data["version"],
                          data=form.service_data())
        if saved is not None:
            messages.success(request, _("The risk “%(title)s” is saved.") % {"title": saved.title})
            return redirect(reverse("web:risks", args=[project.pk]) + f"#risk-{saved.pk}")
        if form.refused is not None and form.status_code == 412:
            risk.refresh_from_db()  # the page shows the other person's change; the form keeps what was typed
    return render_page(request, "web/risk.html", {**context, "risk": risk, "form": form, "section": "risks"},
                       status=form.status_code)
