"""First-level control on the web: the controller's queue and the control page of one report.

Anyone who may read the report sees its control page (the MU, coordinators and the partner's reporters follow
the control's progress there, read-only); only the partner's controller acts (reporting.access.require_control,
the API's check). Every act is a reporting.services call through a form (web/errors.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consortium.permissions import Right, has_right_anywhere
from reporting import access, services
from reporting.models import ProgressReport
from reporting.money import summarise_report
from reporting.selectors import pending_parked_controls, report_controls
from web import report_selectors as selectors
from web.control_forms import (
    ControlFilterForm,
    ControlReturnForm,
    LineControlForm,
    VerifyLinesForm,
    line_control_initial,
)
from web.errors import ActionForm
from web.views.common import render_page
from web.views.reports import report_context

Status = ProgressReport.Status


@login_required
def queue(request):
    """The controller's desk: reports waiting for control and those in control, with their days in control."""
    if not has_right_anywhere(request.user, Right.CONTROL_REPORTS):
        raise PermissionDenied
    reports = selectors.control_queue(request.user)
    now = timezone.now()
    for report in reports:
        report.days_in_control = (now - report.control_started_at).days if report.control_started_at else None
    return render_page(request, "web/control/queue.html", {
        "waiting": [r for r in reports if r.status != Status.IN_CONTROL],
        "in_control": [r for r in reports if r.status == Status.IN_CONTROL],
    })


def _acting(request, project_id: int, report_id: int) -> dict:
    """The report for a control act: 404 as reading it, 403 for anyone but the partner's controller."""
    context = report_context(request, project_id, report_id)
    access.require_control(request.user, context["report"])
    return context


def _back(request, report, anchor: str = ""):
    """To the control page, with the filters the act was made under."""
    query = request.POST.get("filters", "")
    url = reverse("web:control", args=[report.partner.project_id, report.pk])
    return redirect(url + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else ""))


def _parts(request, context: dict, *, bound=None) -> dict:
    """What the control page shows of the report: its figures, its rows (each with the controller's form while in
    control; `bound`, a refused one, at its line) and the lines parked by earlier certificates."""
    report = context["report"]
    lines = list(selectors.lines(report))
    controls = report_controls(report) if report.status in (Status.IN_CONTROL, Status.CERTIFIED) else []
    summary = summarise_report(report, lines=lines, controls=controls or None)
    rows = selectors.control_rows(report, lines, controls)
    parked = selectors.parked_rows(report, controls)
    acting = context["can_control"] and report.status == Status.IN_CONTROL
    editing = request.GET.get("edit", "")
    if acting:
        for row in rows + parked:
            if row.control is None:
                continue
            if bound is not None and bound.prefix == f"c{row.control.pk}":
                row.form = bound
            elif not row.brought_in or editing == str(row.control.pk):
                # A line parked by an earlier certificate gets its form when the controller asks for it (`?edit=`,
                # a link in its row): such lines pile up with the partner's history, and a form per line is what
                # made the page's time grow with it (docs/PERFORMANCE.md).
                row.form = LineControlForm(prefix=f"c{row.control.pk}", initial=line_control_initial(row.control))
    return {"summary": summary, "totals": summary.control, "all_rows": rows, "parked_rows": parked, "acting": acting,
            # What the forms return to after an act: the filters and page, not a parked line's opened form.
            "filters_query": urlencode({k: v for k, v in request.GET.items() if v and k != "edit"})}


def _render(request, context: dict, *, bound=None, verify_form=None, return_form=None, open_lines=None,
            status: int = 200):
    """The control page; `bound` is a refused line form (shown at its line), `open_lines` a refused certificate's
    lines that are neither verified nor parked."""
    report = context["report"]
    parts = _parts(request, context, bound=bound)
    rows = parts["all_rows"]
    filters = ControlFilterForm(request.GET or None)
    shown = [row for row in rows if filters.keep(row)]
    page = selectors.lines_page(shown, request.GET.get("page"))
    if open_lines:  # each open line on its page of the (filtered) list
        anchors, url = [row.anchor for row in shown], reverse("web:control", args=[report.partner.project_id,
                                                                                   report.pk])
        open_lines = [(message, selectors.on_its_page(anchor, anchors, page, url, request.GET))
                      for message, anchor in open_lines]
    return render_page(request, "web/control/control.html", {
        **context,
        **parts,
        # One page of the lines the filters keep; the totals and the counts above them are the whole report's.
        "rows": page,
        "hidden_rows": len(rows) - len(shown),
        "filters": filters,
        "may_start": context["can_control"] and services.may_start_control(report),
        "verify_form": verify_form or VerifyLinesForm(),
        "return_form": return_form or ControlReturnForm(),
        "open_lines": open_lines,
        "open_count": sum(1 for row in rows if not row.done),
    }, status=status)


def _render_row(request, context: dict, control_id: int, *, bound=None, message: str, ok: bool):
    """htmx's answer to a line's form: the line's row (the refused form in it) and the figures, out of band. Always
    200, as htmx swaps only successful answers; the message in the row says what happened."""
    parts = _parts(request, context, bound=bound)
    row = next(row for row in parts["all_rows"] if row.control is not None and row.control.pk == control_id)
    return render(request, "web/control/_row_update.html", {**context, **parts, "row": row, "message": message,
                                                             "ok": ok})


@login_required
def control(request, project_id: int, report_id: int):
    """The lines with their evidence and verification, the running totals, and the controller's buttons."""
    return _render(request, report_context(request, project_id, report_id))


@login_required
@require_POST
def start(request, project_id: int, report_id: int):
    context = _acting(request, project_id, report_id)
    form = ActionForm({})
    form.call(request, services.control_start, report=context["report"], user=request.user)
    if form.refused:
        return _render(request, context, status=form.status_code)
    messages.success(request, _("Control started: verify every line, then certify."))
    return _back(request, context["report"])


@login_required
@require_POST
def verify(request, project_id: int, report_id: int):
    """Verify the ticked lines for their declared amounts, all or none."""
    context = _acting(request, project_id, report_id)
    report = context["report"]
    form = VerifyLinesForm(request.POST)
    if form.is_valid():
        done = form.call(request, services.lines_verify_as_declared, report=report,
                         control_ids=form.cleaned_data["ids"], user=request.user)
        if not form.refused:
            messages.success(request, _("%(count)s lines verified as declared.") % {"count": len(done)})
            return _back(request, report)
    return _render(request, context, verify_form=form, status=form.status_code)


@login_required
@require_POST
def line(request, project_id: int, report_id: int, control_id: int):
    """One line's verification with the version its form showed: a stale form is refused, nothing written."""
    context = _acting(request, project_id, report_id)
    report = context["report"]
    candidates = report_controls(report)
    if report.status == Status.IN_CONTROL:
        candidates += list(pending_parked_controls(report))
    control = next((c for c in candidates if c.pk == control_id), None)
    if control is None:
        raise Http404
    # htmx swaps the row of one of the report's own lines; a parked line of an earlier report reloads the page.
    inline = bool(request.headers.get("HX-Request")) and (control.lump_sum_claim_id is not None
                                                          or control.expenditure.report_id == report.pk)
    form = LineControlForm(request.POST, prefix=f"c{control.pk}")
    if form.is_valid():
        form.call(None if inline else request, services.line_control_update, control=control,
                  expected_version=form.cleaned_data["version"], data=form.service_data(), user=request.user)
    saved = form.is_valid() and not form.refused
    if inline:
        message = (_("Line saved: %(line)s") if saved else _("Not saved: see the form.")) % {"line": control.line}
        return _render_row(request, context, control.pk, bound=None if saved else form, message=message, ok=saved)
    if saved:
        messages.success(request, _("Line saved: %(line)s") % {"line": control.line})
        return _back(request, report, ("line-" if control.expenditure_id else "lump-sum-")
                     + str(control.expenditure_id or control.lump_sum_claim_id))
    return _render(request, context, bound=form, status=form.status_code)


@login_required
@require_POST
def certify(request, project_id: int, report_id: int):
    """Sign the certificate; refused, the page lists every line neither verified nor parked."""
    context = _acting(request, project_id, report_id)
    report = context["report"]
    form = ActionForm({})
    form.call(request, services.report_certify, report=report, user=request.user)
    if form.refused:
        open_lines = [(problem.message, f"#{'line' if problem.collection == 'expenditures' else 'lump-sum'}-"
                                        f"{problem.object_id}") for problem in form.refused.problems] or None
        return _render(request, context, open_lines=open_lines, status=form.status_code)
    messages.success(request, _("Report certified. The partner and the management unit have been told."))
    return redirect("web:control-queue")


@login_required
@require_POST
def send_back(request, project_id: int, report_id: int):
    """Back to the partner with the controller's findings (required)."""
    context = _acting(request, project_id, report_id)
    report = context["report"]
    form = ControlReturnForm(request.POST)
    if form.is_valid():
        form.call(request, services.report_control_return, report=report, user=request.user,
                  comment=form.cleaned_data["comment"])
        if not form.refused:
            messages.success(request, _("Report sent back to the partner with your findings."))
            return redirect("web:control-queue")
    return _render(request, context, return_form=form, status=form.status_code)
