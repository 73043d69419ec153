"""A partner's progress report: start it, fill it in, its expenditure lines, import, submit.

Views validate forms, call reporting.services, and render; every rule (who, when, what is valid)
is the services' and consortium.permissions', the same as the API's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consortium.errors import DomainError, StateConflict, VersionConflict
from consortium.permissions import Right, can_write_report, has_right
from consortium.uploads import attach_file, download
from reporting import imports, services
from reporting.money import summarise_report
from reporting.selectors import work_packages_needing_narrative
from web import report_selectors as selectors
from web.report_forms import (
    AttachmentForm,
    ExpenditureForm,
    ImportForm,
    ReportForm,
    line_initial,
    show_domain_errors,
)
from web.views.common import project_context, render_page


def report_context(request, project_id: int, report_id: int) -> dict:
    context = project_context(request, project_id)
    report = selectors.report_for(request.user, context["project"], report_id)
    return {**context, "report": report, "section": "reports",
            "can_write": can_write_report(request.user, report),
            "can_review": has_right(request.user, Right.REVIEW_REPORTS, report.partner.project_id)}


def _writable(request, project_id: int, report_id: int) -> dict:
    """The report for a write: 403 for a reader who may not change it."""
    context = report_context(request, project_id, report_id)
    if not context["can_write"]:
        raise PermissionDenied
    return context


def _conflict_message(error: DomainError) -> str:
    if isinstance(error, VersionConflict):
        return _("Someone else changed this since you opened it: nothing was saved. Reload the page to see "
                 "their changes, then make yours again.")
    return _("This report can no longer be changed: %(reason)s") % {"reason": error.message}


def _refused(request, context: dict, error: StateConflict):
    """A write to a submitted or approved report: the read-only report, the reason, and a 409."""
    messages.error(request, _conflict_message(error))
    return _render_report(request, context, status=error.status_code)


def _back(report, anchor: str = ""):
    return redirect(reverse("web:report", args=[report.partner.project_id, report.pk]) + anchor)


@login_required
@require_http_methods(["GET", "POST"])
def start(request, project_id: int, partner_id: int):
    """The partner's report for its open period: straight to it if it exists, else a page to start it."""
    context = project_context(request, project_id)
    partner = selectors.partner_for(request.user, context["project"], partner_id)
    if not (has_right(request.user, Right.WRITE_OWN_REPORT, project_id)
            or has_right(request.user, Right.EDIT_PLAN, project_id)):
        raise PermissionDenied
    current = selectors.open_report(partner)
    if current.report is not None:
        return _back(current.report)
    if request.method == "POST" and current.period is not None:
        try:
            report = services.report_create(partner=partner, period=current.period, user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Report for period %(number)s started.") % {"number": current.period.number})
            return _back(report)
    return render_page(request, "web/reports/start.html", {**context, "open": current, "section": "reports"})


@login_required
def my_report(request, project_id: int):
    """A reporter's shortcut to their own partner's open report; others pick a partner in the report matrix."""
    context = project_context(request, project_id, right=Right.WRITE_OWN_REPORT)
    partner = selectors.own_partner(request.user, context["project"])
    if partner is None:
        return redirect("web:reports", project_id=project_id)
    return redirect("web:report-start", project_id=project_id, partner_id=partner.pk)


def _render_report(request, context: dict, *, form=None, line_form=None, import_form=None, import_errors=None,
                   submit_errors=None, status: int = 200):
    report = context["report"]
    lines = list(selectors.lines(report))
    editable = context["can_write"] and report.is_editable
    parts = selectors.editor_parts(report)
    if editable and form is None:
        form = ReportForm(report=report, parts=parts)
    if editable and line_form is None:
        line_form = ExpenditureForm(project=context["project"])
    return render_page(request, "web/reports/report.html", {
        **context,
        "editable": editable,
        "parts": parts,
        "form": form,
        "line_form": line_form,
        "import_form": import_form or ImportForm(),
        "import_errors": import_errors,
        "submit_errors": submit_errors,
        "lines": lines,
        "summary": summarise_report(report, lines=lines),
        "earlier": selectors.earlier_reports(report),
        "progress": report.work_package_progress.select_related("work_package").order_by("work_package__number"),
        "effort": report.effort.select_related("work_package").order_by("work_package__number"),
        "contributions": report.deliverable_contributions.select_related("deliverable").order_by("deliverable__code"),
        "indicator_values": report.indicator_progress.select_related("indicator").order_by("indicator__code"),
    }, status=status)


def _submit_problems(report, lines, error: DomainError) -> list[tuple[str, str]]:
    """Every submission problem as (message, #anchor of the field to fix)."""
    missing = [wp for wp in work_packages_needing_narrative(report)
               if not report.work_package_progress.filter(work_package=wp).exclude(narrative="").exists()]
    problems = []
    for key, texts in error.errors.items():
        if key == "work_package_progress":
            anchors = [f"#wp-{wp.pk}" for wp in missing] + ["#work-packages"] * len(texts)
            problems += list(zip(texts, anchors, strict=False))
        elif key.startswith("expenditures["):
            index = int(key[len("expenditures["):key.index("]")])
            anchor = f"#line-{lines[index].pk}" if index < len(lines) else "#expenditure"
            problems += [(text, anchor) for text in texts]
        else:
            problems += [(text, "#report-form") for text in texts]
    return problems


@login_required
@require_http_methods(["GET", "POST"])
def report(request, project_id: int, report_id: int):
    """The editor for a writer of a draft or returned report; read-only for everyone else and afterwards.

    POST saves the whole form with the version it was rendered with; "submit" saves, then submits.
    """
    context = report_context(request, project_id, report_id)
    if request.method == "GET":
        return _render_report(request, context)
    if not context["can_write"]:
        raise PermissionDenied
    report = context["report"]
    form = ReportForm(request.POST, report=report, parts=selectors.editor_parts(report))
    if not form.is_valid():
        return _render_report(request, context, form=form, status=400)
    try:
        services.report_update(report=report, expected_version=form.cleaned_data["version"],
                               data=form.service_data(), user=request.user)
    except (StateConflict, VersionConflict) as error:
        messages.error(request, _conflict_message(error))
        return _render_report(request, context, form=form, status=error.status_code)
    except DomainError as error:
        show_domain_errors(form, error)
        return _render_report(request, context, form=form, status=400)
    if "submit" not in request.POST:
        messages.success(request, _("Draft saved."))
        return _back(report)
    try:
        services.report_submit(report=report, user=request.user)
    except StateConflict as error:
        return _refused(request, context, error)
    except DomainError as error:
        lines = list(selectors.lines(report))
        return _render_report(request, context, submit_errors=_submit_problems(report, lines, error), status=400)
    messages.success(request, _("Report submitted. The management unit will review it."))
    return _back(report)


@login_required
@require_POST
def line_add(request, project_id: int, report_id: int):
    context = _writable(request, project_id, report_id)
    report = context["report"]
    form = ExpenditureForm(request.POST, project=context["project"])
    if form.is_valid():
        try:
            line = services.expenditure_add(report=report, data=form.service_data(), user=request.user)
        except StateConflict as error:
            return _refused(request, context, error)
        except DomainError as error:
            show_domain_errors(form, error)
        else:
            messages.success(request, _("Line added: %(description)s") % {"description": line.description})
            return _back(report, f"#line-{line.pk}")
    return _render_report(request, context, line_form=form, status=400)


def _line(context, line_id: int):
    line = selectors.lines(context["report"]).filter(pk=line_id).first()
    if line is None:
        raise Http404
    return line


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request, project_id: int, report_id: int, line_id: int):
    """Change one line with the version it was shown with; upload its invoice on the same page."""
    context = report_context(request, project_id, report_id)
    report = context["report"]
    line = _line(context, line_id)
    status = 200
    if request.method == "POST":
        if not context["can_write"]:
            raise PermissionDenied
        form = ExpenditureForm(request.POST, project=context["project"])
        if form.is_valid():
            try:
                services.expenditure_update(expenditure=line, expected_version=form.cleaned_data["version"],
                                            data=form.service_data(), user=request.user)
            except (StateConflict, VersionConflict) as error:
                messages.error(request, _conflict_message(error))
                status = error.status_code
            except DomainError as error:
                show_domain_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Line saved."))
                return _back(report, f"#line-{line.pk}")
        else:
            status = 400
    else:
        form = ExpenditureForm(initial=line_initial(line), project=context["project"])
    return render_page(request, "web/reports/line.html", {
        **context, "line": line, "form": form, "attachment_form": AttachmentForm(),
        "editable": context["can_write"] and report.is_editable,
    }, status=status)


@login_required
@require_POST
def line_delete(request, project_id: int, report_id: int, line_id: int):
    context = _writable(request, project_id, report_id)
    line = _line(context, line_id)
    try:
        services.expenditure_delete(expenditure=line, user=request.user)
    except StateConflict as error:
        return _refused(request, context, error)
    messages.success(request, _("Line deleted: %(description)s") % {"description": line.description})
    return _back(context["report"], "#expenditure")


@login_required
@require_http_methods(["GET", "POST"])
def line_attachment(request, project_id: int, report_id: int, line_id: int):
    """GET: the invoice, to whoever may read the report. POST: upload it, validated as the API does."""
    context = report_context(request, project_id, report_id)
    line = _line(context, line_id)
    if request.method == "GET":
        if not line.attachment:
            raise Http404
        return download(line.attachment, line.attachment_name)
    if not context["can_write"]:
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    try:
        services.require_editable(context["report"])
        attach_file(instance=line, file_field="attachment", name_field="attachment_name",
                    uploaded=request.FILES.get("file"), user=request.user)
    except StateConflict as error:
        return _refused(request, context, error)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invoice attached: %(name)s") % {"name": line.attachment_name})
        return _back(context["report"], f"#line-{line.pk}")
    return render_page(request, "web/reports/line.html", {
        **context, "line": line, "attachment_form": form, "editable": context["report"].is_editable,
        "form": ExpenditureForm(initial=line_initial(line), project=context["project"]),
    }, status=400)


def _row_errors(error: DomainError) -> list[tuple[str, str, str]]:
    """(row, field, message) from the import's "row 7.amount" keys, in the file's order."""
    found = []
    for key, texts in error.errors.items():
        where, _dot, field = key.partition(".")
        row = where.removeprefix("row ").strip() if where.startswith("row ") else ""
        found += [(row, field or ("" if row else where), text) for text in texts]
    return sorted(found, key=lambda item: int(item[0]) if item[0].isdigit() else 0)


@login_required
@require_POST
def import_lines(request, project_id: int, report_id: int):
    """Add the lines of a CSV/XLSX file, all or none; every bad row is listed with its number."""
    context = _writable(request, project_id, report_id)
    report = context["report"]
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_report(request, context, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        services.require_editable(report)
        rows = imports.parse_expenditure_file(name=upload.name, content=upload.read(), report=report)
        created = services.expenditures_import(report=report, rows=rows, user=request.user)
    except StateConflict as error:
        return _refused(request, context, error)
    except DomainError as error:
        messages.error(request, _("Nothing was imported. Fix the rows below in your file and upload it again."))
        return _render_report(request, context, import_form=form, import_errors=_row_errors(error), status=400)
    messages.success(request, _("%(count)s lines imported.") % {"count": len(created)})
    return _back(report, "#expenditure")
