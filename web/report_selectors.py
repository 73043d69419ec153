"""Reads of the report pages (editor, review, queue); who may see what is reporting/access.py's."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404, QueryDict

from consortium.models import Project
from consortium.permissions import Right, controlled_partner_ids, project_ids, reporter_partner_ids
from partners.models import Partner
from reporting import access
from reporting.models import Expenditure, ProgressReport, ProjectReport
from reporting.selectors import (
    open_period_for,
    pending_parked_controls,
    report_lines,
    work_packages_needing_narrative,
)
from workpackages.models import Deliverable, Indicator, WorkPackage


def report_for(user, project: Project, report_id: int) -> ProgressReport:
    """The project's report with what its pages show (404/403 as reporting.access decides)."""
    return access.report_or_404(user, report_id, project_id=project.pk, queryset=ProgressReport.objects.select_related(
        "partner__organisation", "partner__project__programme", "period", "submitted_by", "reviewed_by",
        "control_started_by", "certified_by"))


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


# Expenditure lines per page of the report editor, review and control pages: a report of a few hundred lines is
# still a page a reader scrolls through, and a page's rendering (a control form per line) does not grow with it. Only
# the list is paged: the figures (summary, certificate totals, "not verified yet") are always the whole report's.
LINES_PAGE_SIZE = 50


def lines_page(rows: list, number) -> Page:
    """The page of a report's lines (or control rows) that the URL's ?page= asks for: out of range, the last page;
    not a number, the first (Paginator.get_page)."""
    return Paginator(rows, LINES_PAGE_SIZE).get_page(number)


def on_its_page(anchor: str, anchors: list[str], shown: Page, url: str, query: QueryDict) -> str:
    """A link to `anchor` ("#line-12"): on the page `shown`, the anchor alone; on another page of the list, that
    page's URL with the list's filters. A submission problem or a refused certificate names lines that may be on
    another page than the one shown."""
    if anchor.lstrip("#") not in anchors:
        return anchor
    number = anchors.index(anchor.lstrip("#")) // LINES_PAGE_SIZE + 1
    if number == shown.number:
        return anchor
    query = query.copy()
    query["page"] = number
    return f"{url}?{query.urlencode()}{anchor}"


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


# --- first-level control --------------------------------------------------------------------------------------

@dataclass
class ControlRow:
    """One line (or claimed lump sum) on the control page: the line, its control row (None before control
    starts) and, for the controller, its form."""

    line: object  # an Expenditure or a LumpSumClaim
    control: object | None
    form: object = None
    brought_in: bool = False  # parked by an earlier certificate of the partner, verified with this report

    @property
    def is_lump_sum(self) -> bool:
        return not isinstance(self.line, Expenditure)

    @property
    def category(self) -> str:
        return "" if self.is_lump_sum else self.line.cost_category

    @property
    def amount(self):
        return self.line.amount

    @property
    def currency(self) -> str:
        return "EUR" if self.is_lump_sum else self.line.currency

    @property
    def has_evidence(self) -> bool:
        return not self.is_lump_sum and bool(self.line.attachment or self.line.files.all())

    @property
    def done(self) -> bool:
        return self.control is not None and self.control.is_done

    @property
    def anchor(self) -> str:
        if self.brought_in:
            return f"parked-{self.line.pk}"
        return f"lump-sum-{self.line.pk}" if self.is_lump_sum else f"line-{self.line.pk}"


def control_rows(report: ProgressReport, lines: list, controls: list) -> list[ControlRow]:
    """The report's own lines and lump sum claims with their control rows, in the report's order (no query but
    the claims': `lines` and `controls` come from the caller)."""
    by_line = {c.expenditure_id: c for c in controls if c.expenditure_id}
    by_claim = {c.lump_sum_claim_id: c for c in controls if c.lump_sum_claim_id}
    rows = [ControlRow(line, by_line.get(line.pk)) for line in lines]
    claims = report.lump_sum_claims.select_related("share__lump_sum").order_by("pk")
    rows += [ControlRow(claim, by_claim.get(claim.pk)) for claim in claims]
    return rows


def parked_rows(report: ProgressReport, controls: list) -> list[ControlRow]:
    """Lines parked by the partner's earlier certificates: those still waiting (for a report in control) and those
    already verified with this report."""
    rows = [ControlRow(c.expenditure, c, brought_in=True)
            for c in controls if c.expenditure_id and c.expenditure.report_id != report.pk]
    if report.status == ProgressReport.Status.IN_CONTROL:
        rows += [ControlRow(c.expenditure, c, brought_in=True) for c in pending_parked_controls(report)]
    # Their evidence in one query, as the report's own lines have theirs (ControlRow.has_evidence reads it).
    prefetch_related_objects([row.line for row in rows], "files")
    return rows


def control_queue(user) -> list[ProgressReport]:
    """The reports of the partners the user controls that wait for control or are in control, the oldest first."""
    waiting = Q(status=ProgressReport.Status.APPROVED) | Q(status=ProgressReport.Status.IN_CONTROL) | Q(
        status=ProgressReport.Status.SUBMITTED, partner__project__review_before_control=False)
    reports = ProgressReport.objects.filter(waiting)
    if not user.is_superuser:
        reports = reports.filter(partner__in=controlled_partner_ids(user))
    return list(reports.select_related("partner__organisation", "partner__project", "period").order_by(
        "control_started_at", "reviewed_at", "submitted_at", "partner__project__acronym", "partner__number"))
