"""Reads of the report pages (editor, review, queue); who may see what is reporting/access.py's."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from consortium.models import Project
from consortium.permissions import Right, project_ids, reporter_partner_ids
from partners.models import Partner
from reporting import access
from reporting.models import ProgressReport, ProjectReport
from reporting.selectors import open_period_for, report_lines, work_packages_needing_narrative
from workpackages.models import Deliverable, Indicator, WorkPackage


def report_for(user, project: Project, report_id: int) -> ProgressReport:
    """The project's report with what its pages show (404/403 as reporting.access decides)."""
    return access.report_or_404(user, report_id, project_id=project.pk, queryset=ProgressReport.objects.select_related(
        "partner__organisation", "partner__project__programme", "period", "submitted_by", "reviewed_by"))


def partner_of(project: Project, partner_id: int) -> Partner:
    """A partner of the project (404 if it is not one); who may act for it is reporting.access's."""
    partner = Partner.objects.select_related("organisation").filter(pk=partner_id, project=project).first()
    if partner is None:
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
    return report_lines(report).select_related("work_package", "unit_cost", "contract").prefetch_related("files")


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


def report_files(report: ProgressReport) -> QuerySet:
    """The files of the whole report (time sheets, salary statements, other evidence), oldest first."""
    return report.attachments.filter(expenditure__isnull=True).order_by("id")


def contracts_flagged(report: ProgressReport) -> list:
    """The partner's contracts at or above the programme's procurement threshold that name no procedure."""
    programme = report.partner.project.programme
    return [contract for contract in report.partner.contracts.order_by("id") if contract.needs_procedure(programme)]


def attachment_of(report: ProgressReport, attachment_id: int):
    """A file of this report (of the report or one of its lines), or 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(report.attachments.all(), pk=attachment_id)
