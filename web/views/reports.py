"""A partner's progress report: start it, fill it in, its expenditure lines, import, submit.

Views validate forms, call reporting.services through them (web/errors.py places any refusal), and
render; who may do what is reporting/access.py's, the same as the API's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consortium.errors import ROW
from consortium.models import local_today
from consortium.permissions import Right
from consortium.uploads import download
from reporting import access, imports, services
from reporting.money import summarise_report
from web import report_selectors as selectors
from web.errors import ActionForm
from web.report_forms import AttachmentForm, EvidenceForm, ExpenditureForm, ImportForm, ReportForm, line_initial
from web.views.common import project_context, render_page


def report_context(request, project_id: int, report_id: int) -> dict:
    context = project_context(request, project_id)
    report = selectors.report_for(request.user, context["project"], report_id)
    return {**context, "report": report, "section": "reports",
            "can_write": access.can_write(request.user, report),
            "can_review": access.can_review(request.user, report),
            "can_control": access.can_control(request.user, report),
            # Submission and approval open the day after the period ends; until then a draft only.
            "submission_open": local_today() >= report.period.submission_opens}


def _writable(request, project_id: int, report_id: int) -> dict:
    """The report for a write: 403 for a reader who may not change it."""
    context = report_context(request, project_id, report_id)
    access.require_write(request.user, context["report"])
    return context


def _back(report, anchor: str = ""):
    return redirect(reverse("web:report", args=[report.partner.project_id, report.pk]) + anchor)


@login_required
@require_http_methods(["GET", "POST"])
def start(request, project_id: int, partner_id: int):
    """The partner's report for its open period: straight to it if it exists, else a page to start it."""
    context = project_context(request, project_id)
    partner = selectors.partner_of(context["project"], partner_id)
    access.require_create(request.user, partner)
    current = selectors.open_report(partner)
    if current.report is not None:
        return _back(current.report)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and current.period is not None:
        report = form.call(request, services.report_create, partner=partner, period=current.period,
                           user=request.user)
        if not form.refused:
            messages.success(request, _("Report for period %(number)s started.") % {"number": current.period.number})
            return _back(report)
    return render_page(request, "web/reports/start.html", {**context, "open": current, "form": form,
                                                           "section": "reports"}, status=form.status_code)


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
    page = selectors.lines_page(lines, request.GET.get("page"))
    if submit_errors:  # each problem's line on its page of the list
        anchors, url = [f"line-{line.pk}" for line in lines], reverse("web:report", args=[report.partner.project_id,
                                                                                          report.pk])
        submit_errors = [(message, selectors.on_its_page(anchor, anchors, page, url, request.GET))
                         for message, anchor in submit_errors]
    editable = context["can_write"] and report.is_editable
    parts = selectors.editor_parts(report)
    if editable and form is None:
        form = ReportForm(report=report, parts=parts)
    if editable and line_form is None:
        line_form = ExpenditureForm(report=report)
    return render_page(request, "web/reports/report.html", {
        **context,
        "editable": editable,
        "parts": parts,
        "form": form,
        "line_form": line_form,
        "import_form": import_form or ImportForm(),
        "import_errors": import_errors,
        "submit_errors": submit_errors,
        "lines": page,
        "report_files": selectors.report_files(report),
        "evidence_form": EvidenceForm(),
        "summary": summarise_report(report, lines=lines),  # the whole report's, not the page's
        "earlier": selectors.earlier_reports(report),
        "progress": report.work_package_progress.select_related("work_package").order_by("work_package__number"),
        "effort": report.effort.select_related("work_package").order_by("work_package__number"),
        "contributions": report.deliverable_contributions.select_related("deliverable").order_by("deliverable__code"),
        "indicator_values": report.indicator_progress.select_related("indicator").order_by("indicator__code"),
    }, status=status)


def _submit_problems(error) -> list[tuple[str, str]]:
    """Every submission problem as (message, #anchor of what to fix): the line or WP it names, else the form."""
    problems = []
    for problem in error.problems:
        if problem.collection == "expenditures":
            anchor = f"#line-{problem.object_id}"
        elif problem.field == "work_package_progress":
            anchor = f"#wp-{problem.object_id}" if problem.object_id else "#work-packages"
        else:
            anchor = "#report-form"
        problems.append((problem.message, anchor))
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
    access.require_write(request.user, context["report"])
    report = context["report"]
    form = ReportForm(request.POST, report=report, parts=selectors.editor_parts(report))
    if form.is_valid():
        form.call(request, services.report_update, report=report, expected_version=form.cleaned_data["version"],
                  data=form.service_data(), user=request.user)
    if not form.is_valid() or form.refused:
        return _render_report(request, context, form=form, status=form.status_code)
    if "submit" not in request.POST:
        messages.success(request, _("Draft saved."))
        return _back(report)
    submission = ActionForm({})
    submission.call(request, services.report_submit, report=report, user=request.user)
    if submission.refused:
        problems = None if submission.status_code != 400 else _submit_problems(submission.refused)
        return _render_report(request, context, submit_errors=problems, status=submission.status_code)
    messages.success(request, _("Report submitted. The management unit will review it."))
    return _back(report)


@login_required
@require_POST
def line_add(request, project_id: int, report_id: int):
    context = _writable(request, project_id, report_id)
    report = context["report"]
    form = ExpenditureForm(request.POST, report=report)
    if form.is_valid():
        line = form.call(request, services.expenditure_add, report=report, data=form.service_data(),
                         user=request.user)
        if not form.refused:
            messages.success(request, _("Line added: %(description)s") % {"description": line.description})
            return _back(report, f"#line-{line.pk}")
    return _render_report(request, context, line_form=form, status=form.status_code)


def _line(request, context, line_id: int):
    return access.line_or_404(request.user, line_id, report=context["report"],
                              queryset=selectors.lines(context["report"]))


def _render_line(request, context, line, *, form=None, attachment_form=None, evidence_form=None, status: int = 200):
    return render_page(request, "web/reports/line.html", {
        **context, "line": line, "evidence_form": evidence_form or EvidenceForm(),
        "form": form or ExpenditureForm(initial=line_initial(line), report=context["report"], line=line),
        "attachment_form": attachment_form or AttachmentForm(),
        "editable": context["can_write"] and context["report"].is_editable,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request, project_id: int, report_id: int, line_id: int):
    """Change one line with the version it was shown with; upload its invoice on the same page."""
    context = report_context(request, project_id, report_id)
    line = _line(request, context, line_id)
    if request.method == "GET":
        return _render_line(request, context, line)
    access.require_write(request.user, context["report"])
    form = ExpenditureForm(request.POST, report=context["report"], line=line)
    if form.is_valid():
        form.call(request, services.expenditure_update, expenditure=line,
                  expected_version=form.cleaned_data["version"], data=form.service_data(), user=request.user)
        if not form.refused:
            messages.success(request, _("Line saved."))
            return _back(context["report"], f"#line-{line.pk}")
    return _render_line(request, context, line, form=form, status=form.status_code)


@login_required
@require_http_methods(["GET", "POST"])
def line_delete(request, project_id: int, report_id: int, line_id: int):
    """GET asks first (the page without JavaScript; with it, the editor asks in a dialog and posts); POST deletes."""
    context = _writable(request, project_id, report_id)
    line = _line(request, context, line_id)
    if request.method == "GET":
        return render_page(request, "web/reports/line_delete.html", {**context, "line": line})
    form = ActionForm({})
    form.call(request, services.expenditure_delete, expenditure=line, user=request.user)
    if form.refused:
        return _render_report(request, context, status=form.status_code)
    messages.success(request, _("Line deleted: %(description)s") % {"description": line.description})
    return _back(context["report"], "#expenditure")


@login_required
@require_http_methods(["GET", "POST"])
def line_attachment(request, project_id: int, report_id: int, line_id: int):
    """GET: the invoice, to whoever may read the report. POST: upload it, validated as the API does."""
    context = report_context(request, project_id, report_id)
    line = _line(request, context, line_id)
    if request.method == "GET":
        if not line.attachment:
            raise Http404
        return download(line.attachment, line.attachment_name)
    access.require_write(request.user, context["report"])
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        form.call(request, services.expenditure_attach_invoice, expenditure=line, uploaded=form.cleaned_data["file"],
                  user=request.user)
        if not form.refused:
            messages.success(request, _("Invoice attached: %(name)s") % {"name": line.attachment_name})
            return _back(context["report"], f"#line-{line.pk}")
    return _render_line(request, context, line, attachment_form=form, status=form.status_code)


@login_required
@require_POST
def files_add(request, project_id: int, report_id: int):
    """Add a file of evidence to the report, or (`line`) to one of its lines, checked as every upload is."""
    context = _writable(request, project_id, report_id)
    report = context["report"]
    line_id = request.POST.get("line", "")
    if line_id and not line_id.isdigit():
        raise Http404
    line = _line(request, context, int(line_id)) if line_id else None
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        added = form.call(request, services.attachment_add, report=report, expenditure=line,
                          kind=form.cleaned_data["kind"], uploaded=form.cleaned_data["file"], user=request.user)
        if not form.refused:
            messages.success(request, _("File added: %(name)s") % {"name": added.file_name})
            return _back(report, f"#line-{line.pk}" if line else "#evidence")
    if line is not None:
        return _render_line(request, context, line, evidence_form=form, status=form.status_code)
    return _render_report(request, context, status=form.status_code)


@login_required
def file_download(request, project_id: int, report_id: int, file_id: int):
    """A file of the report or of one of its lines, to whoever may read the report (reporting/access.py)."""
    context = report_context(request, project_id, report_id)
    attachment = selectors.attachment_of(context["report"], file_id)
    return download(attachment.file, attachment.file_name)


def _row_errors(error) -> list[tuple[str, str, str]]:
    """(row, column, message) of an import's refusal, in the file's order; problems of the file have no row."""
    found = [(str(p.index) if p.collection == ROW else "", p.field, p.message) for p in error.problems]
    return sorted(found, key=lambda item: int(item[0] or 0))


@login_required
@require_POST
def import_lines(request, project_id: int, report_id: int):
    """Add the lines of a CSV/XLSX file, all or none; every bad row is listed with its number."""
    context = _writable(request, project_id, report_id)
    report = context["report"]
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        created = form.call(request, imports.import_expenditure_file, report=report, upload=upload,
                            user=request.user)
        if not form.refused:
            messages.success(request, _("%(count)s lines imported.") % {"count": len(created)})
            return _back(report, "#expenditure")
        if form.status_code == 400:
            messages.error(request, _("Nothing was imported. Fix the rows below in your file and upload it again."))
            return _render_report(request, context, import_form=ImportForm(), import_errors=_row_errors(form.refused),
                                  status=400)
    return _render_report(request, context, import_form=form, status=form.status_code)

