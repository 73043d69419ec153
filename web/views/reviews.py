"""The management unit's side: the queue of submitted reports, the review page, the project report narrative."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consortium.errors import DomainError, StateConflict, VersionConflict
from consortium.permissions import Right, has_right, has_right_anywhere
from reporting import services
from reporting.money import summarise_report
from reporting.project_report_services import project_report_save
from reporting.selectors import report_history
from web import report_selectors as selectors
from web.report_forms import ProjectReportForm, ReviewForm, project_report_initial, show_domain_errors
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
    if not context["can_review"]:
        raise PermissionDenied
    report = context["report"]
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if "approve" in request.POST:
                services.report_approve(report=report, user=request.user, comment=comment)
                messages.success(request, _("Report approved."))
            else:
                services.report_return(report=report, user=request.user, comment=comment)
                messages.success(request, _("Report returned to the partner with your comment."))
        except StateConflict as error:
            messages.error(request, error.message)
            status = error.status_code
        except DomainError as error:
            show_domain_errors(form, error)
            status = 400
        else:
            return redirect("web:review-queue")
    lines = list(selectors.lines(report))
    return render_page(request, "web/reviews/review.html", {
        **context,
        "form": form,
        "lines": lines,
        "summary": summarise_report(report, lines=lines),
        "history": report_history(report),
        "progress": report.work_package_progress.select_related("work_package").order_by("work_package__number"),
        "effort": report.effort.select_related("work_package").order_by("work_package__number"),
        "contributions": report.deliverable_contributions.select_related("deliverable").order_by("deliverable__code"),
        "indicator_values": report.indicator_progress.select_related("indicator").order_by("indicator__code"),
    }, status=status)


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
    can_edit = has_right(request.user, Right.REVIEW_REPORTS, project.pk)
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = ProjectReportForm(request.POST)
        if form.is_valid():
            try:
                project_report_save(project=project, period=period, data=form.cleaned_data,
                                    expected_version=form.cleaned_data["version"])
            except (StateConflict, VersionConflict) as error:
                messages.error(request, _("Someone else saved this narrative since you opened it: nothing was "
                                          "saved. Reload the page to see their text."))
                status = error.status_code
            except DomainError as error:
                show_domain_errors(form, error)
                status = 400
            else:
                messages.success(request, _("Project report narrative saved."))
                return redirect("web:project-report", project_id=project.pk, period_number=period.number)
        else:
            status = 400
    else:
        form = ProjectReportForm(initial=project_report_initial(existing))
    return render_page(request, "web/reports/project_report.html", {
        **context, "period": period, "periods": project.periods.order_by("number"), "form": form,
        "existing": existing, "can_edit": can_edit, "section": "reports",
    }, status=status)
