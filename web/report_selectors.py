"""Reads of the report pages (editor, review, queue), scoped through consortium.permissions."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from consortium.models import Project, Role
from consortium.permissions import Right, can_read_report, project_ids, reporter_partner_ids, role_of
from partners.models import Partner
from reporting.models import ProgressReport, ProjectReport
from reporting.selectors import open_period_for, report_lines, work_packages_needing_narrative
from workpackages.models import Deliverable, Indicator, WorkPackage


def report_for(user, project: Project, report_id: int) -> ProgressReport:
    """The report: 404 for another partner's report seen by a reporter (its existence is not revealed),
    403 for a member whose role reads no reports (a viewer). The caller has checked project membership."""
    report = ProgressReport.objects.select_related(
        "partner__organisation", "partner__project__programme", "period", "submitted_by", "reviewed_by",
    ).filter(pk=report_id, partner__project=project).first()
    if report is None:
        raise Http404
    if not can_read_report(user, report):
        if role_of(user, project.pk) == Role.REPORTER:
            raise Http404
        raise PermissionDenied
    return report


def partner_for(user, project: Project, partner_id: int) -> Partner:
    """A partner of the project whose report the user may open: reporters only their own (else 404)."""
    partner = Partner.objects.select_related("organisation").filter(pk=partner_id, project=project).first()
    if partner is None:
        raise Http404
    if role_of(user, project.pk) == Role.REPORTER and partner.pk not in reporter_partner_ids(user):
        raise Http404
    return partner


def own_partner(user, project: Project) -> Partner | None:
    """The partner a reporter reports for in this project (None for other roles)."""
    return Partner.objects.select_related("organisation").filter(
        project=project, pk__in=reporter_partner_ids(user)).first()


@dataclass
class OpenReport:
    """A partner's open period and its report there, if started: what the dashboard card and start page show."""

    partner: Partner
    period: object  # ReportingPeriod or None when every started period is approved
    report: ProgressReport | None
    latest_approved: ProgressReport | None = None  # shown when nothing is open


def open_report(partner: Partner) -> OpenReport:
    period = open_period_for(partner)
    if period is not None:
        return OpenReport(partner, period, ProgressReport.objects.filter(partner=partner, period=period).first())
    latest = ProgressReport.objects.filter(partner=partner).select_related("period").order_by("-period__number").first()
    return OpenReport(partner, None, None, latest)


@dataclass
class EditorParts:
    """What a report's form lists: the WPs (those needing a narrative first), deliverables, indicators."""

    work_packages: list[WorkPackage]
    required_ids: set[int]
    deliverables: list[Deliverable]
    indicators: list[Indicator]


def editor_parts(report: ProgressReport) -> EditorParts:
    required = list(work_packages_needing_narrative(report))
    required_ids = {wp.pk for wp in required}
    others = [wp for wp in WorkPackage.objects.filter(project_id=report.partner.project_id).order_by("number")
              if wp.pk not in required_ids]
    deliverables = list(Deliverable.objects.filter(work_package__in=required_ids).select_related("work_package")
                        .order_by("work_package__number", "code"))
    indicators = list(Indicator.objects.filter(project_id=report.partner.project_id).order_by("code"))
    return EditorParts(required + others, required_ids, deliverables, indicators)


def lines(report: ProgressReport) -> QuerySet:
    """The report's lines in the order the submission errors number them (expenditures[i])."""
    return report_lines(report).select_related("work_package")


def earlier_reports(report: ProgressReport) -> QuerySet:
    return ProgressReport.objects.filter(
        partner=report.partner, period__number__lt=report.period.number,
    ).select_related("period").order_by("-period__number")


def review_queue(user) -> QuerySet:
    """Submitted reports in every project where the user approves reports, the longest waiting first."""
    reports = ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED)
    if not user.is_superuser:
        reports = reports.filter(partner__project__in=project_ids(user, Right.REVIEW_REPORTS))
    return reports.select_related("partner__organisation", "partner__project", "period").order_by(
        "submitted_at", "partner__project__acronym", "partner__number")


def project_report(project: Project, period) -> ProjectReport | None:
    return ProjectReport.objects.filter(project=project, period=period).first()
