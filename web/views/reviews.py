"""The management unit's side: the queue of submitted reports, the review page, the project report narrative."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consortium.permissions import Right, has_right, has_right_anywhere, require
from reporting import access, services
from reporting.money import summarise_report
from reporting.project_report_services import project_report_save
from reporting.selectors import report_history
from web import report_selectors as selectors
from web.report_forms import ProjectReportForm, ReviewForm, project_report_initial
from web.views.common import project_context, render_page
from web.views.reports import report_context


@login_required
def queue(request):
    """Submitted reports across the user's projects; only for those who approve reports somewhere."""
    if not has_right_anywhere(request.user, Right.REVIEW_REPORTS):
        raise PermissionDenied
    return render_page(request, "web/reviews/queue.html", {"reports": selectors.review_queue(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def review(request, project_id: int, report_id: int):
    """The report, its summary, invoices and audit history; approve, or return with a comment."""
    context = report_context(request, project_id, report_id)
    report = context["report"]
    access.require_review(request.user, report)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = "approve" in request.POST
        form.call(request, services.report_approve if approve else services.report_return, report=report,
                  user=request.user, comment=form.cleaned_data["comment"])
        if not form.refused:
            messages.success(request, _("Report approved.") if approve
                             else _("Report returned to the partner with your comment."))
            return redirect("web:review-queue")
    lines = list(selectors.lines(report))
    return render_page(request, "web/reviews/review.html", {
        **context,
        "form": form,
        "lines": selectors.lines_page(lines, request.GET.get("page")),
        "report_files": selectors.report_files(report),
        "contracts_flagged": selectors.contracts_flagged(report),
        "summary": summarise_report(report, lines=lines),  # the whole report's, not the page's
        "history": report_history(report),
        "progress": report.work_package_progress.select_related("work_package").order_by("work_package__number"),
        "effort": report.effort.select_related("work_package").order_by("work_package__number"),
        "contributions": report.deliverable_contributions.select_related("deliverable").order_by("deliverable__code"),
        "indicator_values": report.indicator_progress.select_related("indicator").order_by("indicator__code"),
    }, status=form.status_code)


@login_required
@require_http_methods(["GET", "POST"])
def project_report(request, project_id: int, period_number: int):
    """The MU writes the funder report's narrative for one period; the coordinator reads it."""
    context = project_context(request, project_id, right=Right.READ_ALL_REPORTS)
    project = context["project"]
    period = project.periods.filter(number=period_number).first()
    if period is None:
        raise Http404
    existing = selectors.project_report(project, period)
    can_edit = has_right(request.user, Right.WRITE_PROJECT_REPORT, project.pk)
    if request.method == "POST":
        require(request.user, Right.WRITE_PROJECT_REPORT, project.pk)
        form = ProjectReportForm(request.POST)
        if form.is_valid():
            form.call(request, project_report_save, project=project, period=period, data=form.cleaned_data,
                      expected_version=form.cleaned_data["version"])
            if not form.refused:
                messages.success(request, _("Project report narrative saved."))
                return redirect("web:project-report", project_id=project.pk, period_number=period.number)
    else:
        form = ProjectReportForm(initial=project_report_initial(existing))
    return render_page(request, "web/reports/project_report.html", {
        **context, "period": period, "periods": project.periods.order_by("number"), "form": form,
        "existing": existing, "can_edit": can_edit, "section": "reports",
    }, status=form.status_code)
