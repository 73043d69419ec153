"""Read queries for the web pages, always scoped through consortium.permissions.

Each selector runs a fixed number of queries whatever the amount of data, so the page query
budgets pinned in tests hold for 5 or 500 deliverables.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Case, Count, F, Prefetch, Q, QuerySet, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from consortium.history import person
from consortium.models import Membership, Project, ReportingPeriod, Role, local_today
from consortium.permissions import (
    MAX_ID,
    Right,
    controlled_partner_ids,
    has_right,
    project_ids,
    reporter_partner_ids,
    role_of,
    scope_to_members,
)
from partners.budget_selectors import lines_in_force_today
from partners.models import BudgetLine, Contact, LumpSum, LumpSumShare, Partner, UnitCost
from reporting import access as report_access
from reporting.models import Expenditure, LineControl, ProgressReport, ProjectReport
from reporting.money import budget_by_partner, percent, project_budget_eur
from reporting.rates import currencies_without_rate
from reporting.selectors import report_statuses, report_totals
from web.claim_selectors import with_sent_claims
from workpackages.models import Activity, Deliverable, Milestone, Risk, WorkPackage

DUE_SOON_DAYS = 30
# The dashboard lists at most this many overdue and as many due-soon deliverables a project (the first due), with
# how many there are: the tracker lists them all, and a project ten times larger keeps a dashboard as quick.
ATTENTION_LENGTH = 10
FEED_LENGTH = 15


def visible_projects(user) -> QuerySet:
    """The projects the user is a member of (a superuser: all)."""
    return scope_to_members(Project.objects.select_related("programme"), user, project_field="pk")




# --- dashboard -------------------------------------------------------------------------------

@dataclass
class ProjectAttention:
    project: Project
    role: str | None
    due_soon: list = field(default_factory=list)
    overdue_count: int = 0  # all of them; `overdue` and `due_soon` hold the first ATTENTION_LENGTH
    due_soon_count: int = 0
    overdue: list = field(default_factory=list)
    reports_waiting: list = field(default_factory=list)
    overdue_reports: int = 0  # partner reports not submitted by their due date (those the user may see)
    budget_total: Decimal | None = None  # None: the user may not see money in this project
    money: "MoneyByStatus | None" = None  # with budget_total
    # For the MU: currencies its partners use that have no rate this month (reports cannot be submitted in them).
    missing_rates: list = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else ""

    @property
    def budget_used_percent(self) -> Decimal | None:
        if self.budget_total is None or not self.budget_total:
            return None
        return percent(self.money.certified, self.budget_total)


@dataclass
class FeedEntry:
    when: datetime
    who: str
    action: str  # "+", "~" or "-" (simple-history's history_type)
    kind: str  # the model's name, e.g. "deliverable"
    label: str
    project: Project | None

    @property
    def kind_label(self) -> str:
        return FEED_KIND_LABELS[self.kind]


# The audited models' names as the feed shows them (the models declare no translated verbose_name).
FEED_KIND_LABELS = {
    "deliverable": _("Deliverable"),
    "partner": _("Partner"),
    "progress report": _("Progress report"),
    "expenditure": _("Expenditure"),
    "budget line": _("Budget line"),
    "project report": _("Project report"),
}


def dashboard(user, *, today: date | None = None) -> list[ProjectAttention]:
    today = today or local_today()
    projects = list(with_sent_claims(visible_projects(user)))
    by_id = {p.pk: ProjectAttention(project=p, role=role_of(user, p.pk)) for p in projects}
    if not by_id:
        return []
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    # Open deliverables due by the horizon: overdue before today, else due soon.
    attention = Deliverable.objects.filter(
        project__in=list(by_id), status__in=Deliverable.OPEN_STATUSES, due_date__lte=horizon
    ).annotate(past_due=Case(When(due_date__lt=today, then=True), default=False, output_field=BooleanField()))
    for row in attention.order_by().values("project", "past_due").annotate(count=Count("pk")):
        item = by_id[row["project"]]
        if row["past_due"]:
            item.overdue_count = row["count"]
        else:
            item.due_soon_count = row["count"]
    first = attention.annotate(rank=Window(RowNumber(), partition_by=[F("project"), F("past_due")],
                                           order_by=[F("due_date").asc(), F("code").asc()]))
    for deliverable in first.filter(rank__lte=ATTENTION_LENGTH).select_related(
            "lead_partner__organisation", "project").order_by("due_date", "code"):
        item = by_id[deliverable.project_id]
        (item.overdue if deliverable.overdue_on(today) else item.due_soon).append(deliverable)

    for report in _reports_waiting(user, list(by_id)):
        by_id[report.partner.project_id].reports_waiting.append(report)
    for pid, count in overdue_reports(user, list(by_id), today=today).items():
        by_id[pid].overdue_reports = count

    reviewing = [pid for pid in by_id if has_right(user, Right.REVIEW_REPORTS, pid)]
    if reviewing:
        for pid, currencies in currencies_without_rate(reviewing, today=today).items():
            by_id[pid].missing_rates = currencies

    money_projects = [pid for pid in by_id if has_right(user, Right.READ_MONEY, pid)]
    if money_projects:
        for pid in money_projects:
            by_id[pid].budget_total = Decimal("0.00")
        partners = list(Partner.objects.filter(project__in=money_projects).select_related("project"))
        lines = lines_in_force_today(money_projects, today)  # each project's budget in force this period
        shares = LumpSumShare.objects.filter(partner__project__in=money_projects)
        budgets = budget_by_partner(lines, partners, shares)
        for pid in money_projects:
            # In EUR: a partner budgeting in NOK at its budget month's rate.
            by_id[pid].budget_total += project_budget_eur(budgets, [p for p in partners if p.project_id == pid])
        for pid, money in money_by_status(money_projects).items():
            by_id[pid].money = money
    return list(by_id.values())


@dataclass
class MoneyByStatus:
    """A project's reported money in EUR as far as it has gone: only certified money counts (what the
    controllers verified, docs/REPORTING.md); approved and in-control reports' declared totals are shown apart."""

    certified: Decimal = Decimal("0.00")  # the certificates' verified totals (lines, flat rates, lump sums)
    certified_cofinancing: Decimal = Decimal("0.00")  # the programme's co-financing of the verified totals
    in_control: Decimal = Decimal("0.00")  # declared eligible totals of reports in control
    approved: Decimal = Decimal("0.00")  # declared eligible totals of approved reports waiting for control
    # What the figures above add up: each report's ReportTotals (the overview hands them on to the spending profile).
    reports: list = field(default_factory=list)


def money_by_status(project_ids_: list[int]) -> dict[int, MoneyByStatus]:
    """project id -> its MoneyByStatus: a fixed number of queries whatever the number of reports, their money summed
    in the database (reporting.selectors.report_totals)."""
    found = {pid: MoneyByStatus() for pid in project_ids_}
    reports = ProgressReport.objects.filter(partner__project__in=project_ids_, status__in=ProgressReport.DONE_STATUSES)
    for totals in report_totals(reports):
        money = found[totals.project_id]
        money.reports.append(totals)
        if totals.status == ProgressReport.Status.CERTIFIED:
            money.certified += totals.verified_total
            money.certified_cofinancing += totals.verified_cofinancing
        elif totals.status == ProgressReport.Status.IN_CONTROL:
            money.in_control += totals.eligible_total
        else:
            money.approved += totals.eligible_total
    return found


def _reports_waiting(user, visible: list[int]) -> QuerySet:
    """MU: submitted reports to review; reporters: their own drafts and returned reports; controllers: their
    partners' reports waiting for control or in control."""
    reviewing = visible if user.is_superuser else [
        pid for pid in project_ids(user, Right.REVIEW_REPORTS) if pid in visible
    ]
    own = reporter_partner_ids(user)
    controlled = controlled_partner_ids(user)
    wanted = Q(partner__project__in=reviewing, status=ProgressReport.Status.SUBMITTED) | Q(
        partner__in=own, status__in=ProgressReport.EDITABLE_STATUSES
    ) | Q(partner__in=controlled, status__in=(ProgressReport.Status.APPROVED, ProgressReport.Status.IN_CONTROL)) | Q(
        partner__in=controlled, status=ProgressReport.Status.SUBMITTED, partner__project__review_before_control=False)
    return ProgressReport.objects.filter(wanted).select_related(
        "partner__organisation", "period"
    ).order_by("period__report_due_date", "partner__number")


def activity_feed(user, *, limit: int = FEED_LENGTH) -> list[FeedEntry]:
    """Recent changes to objects the user may read: one query per audited model."""
    superuser = user.is_superuser
    plan = None if superuser else project_ids(user, Right.READ_PLAN)
    money = None if superuser else project_ids(user, Right.READ_MONEY)
    all_reports = None if superuser else project_ids(user, Right.READ_ALL_REPORTS)

    def scoped(queryset, field_name, ids):
        return queryset if ids is None else queryset.filter(**{f"{field_name}__in": ids})

    def reports(queryset, partner_field):
        return report_access.readable(queryset, user, partner_field=partner_field)

    sources = [
        (scoped(Deliverable.history.select_related("project", "history_user"), "project", plan),
         Deliverable._meta.verbose_name, lambda h: f"{h.code} {h.title}", lambda h: h.project),
        # A partner's row carries its co-financing rate, so its changes are for readers of money only.
        (scoped(Partner.history.select_related("project", "organisation", "history_user"), "project", money),
         Partner._meta.verbose_name, lambda h: f"PP{h.number} {h.organisation.short_name}", lambda h: h.project),
        (reports(ProgressReport.history.select_related(
            "partner__organisation", "partner__project", "period", "history_user"), "partner"),
         ProgressReport._meta.verbose_name,
         lambda h: f"PP{h.partner.number} {h.partner.organisation.short_name} · P{h.period.number}",
         lambda h: h.partner.project),
        (reports(Expenditure.history.select_related(
            "report__partner__organisation", "report__partner__project", "report__period", "history_user"),
            "report__partner"),
         Expenditure._meta.verbose_name, lambda h: h.description, lambda h: h.report.partner.project),
        (scoped(BudgetLine.history.select_related("partner__organisation", "partner__project", "history_user"),
                "partner__project", money),
         BudgetLine._meta.verbose_name,
         lambda h: f"PP{h.partner.number} {h.partner.organisation.short_name} · {h.get_cost_category_display()}",
         lambda h: h.partner.project),
        (scoped(ProjectReport.history.select_related("project", "period", "history_user"), "project", all_reports),
         ProjectReport._meta.verbose_name, lambda h: f"P{h.period.number}", lambda h: h.project),
    ]
    entries = []
    for queryset, kind, label, project in sources:
        for record in queryset.order_by("-history_date")[:limit]:
            entries.append(FeedEntry(
                when=record.history_date,
                who=person(record.history_user),
                action=record.history_type, kind=str(kind), label=label(record), project=project(record),
            ))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


# --- project pages ---------------------------------------------------------------------------

@dataclass
class ProjectFigures:
    partners: int
    work_packages: int
    deliverables: int
    deliverables_done: int
    overdue: int
    overdue_reports: int
    milestones: int
    milestones_achieved: int
    current_month: int | None
    budget_total: Decimal | None
    money: MoneyByStatus | None = None  # with budget_total


def project_figures(user, project: Project, *, today: date | None = None) -> ProjectFigures:
    today = today or local_today()
    deliverables = Deliverable.objects.filter(project=project)
    milestones = Milestone.objects.filter(project=project)
    budget = money = None
    if has_right(user, Right.READ_MONEY, project.pk):
        money = money_by_status([project.pk])[project.pk]
        partners = list(project.partners.all())
        for partner in partners:
            partner.project = project
        budget = project_budget_eur(budget_by_partner(lines_in_force_today([project.pk], today), partners,
                                                      LumpSumShare.objects.filter(partner__project=project)), partners)
    month = project.month_number(today)
    return ProjectFigures(
        partners=project.partners.count(),
        work_packages=project.work_packages.count(),
        deliverables=deliverables.count(),
        deliverables_done=deliverables.filter(status__in=[Deliverable.Status.SUBMITTED,
                                                          Deliverable.Status.ACCEPTED]).count(),
        overdue=deliverables.overdue(today).count(),
        overdue_reports=overdue_reports(user, [project.pk], today=today)[project.pk],
        milestones=milestones.count(),
        milestones_achieved=milestones.filter(achieved_date__isnull=False).count(),
        current_month=month if 1 <= month <= project.duration_months else None,
        budget_total=budget,
        money=money,
    )


def partners_with_budgets(user, project: Project, *, today: date | None = None) -> list[Partner]:
    partners = Partner.objects.filter(project=project).select_related("organisation")
    partners = list(partners)
    if has_right(user, Right.READ_MONEY, project.pk):
        budgets = budget_by_partner(lines_in_force_today([project.pk], today or local_today()), partners,
                                    LumpSumShare.objects.filter(partner__project=project))
        for partner in partners:
            partner.budget_total = budgets.get(partner.pk, Decimal("0.00"))
    return partners


@dataclass
class PlanMoney:
    """The plan's unit costs and lump sums (with each partner's share and whether a report claimed it)."""

    unit_costs: list
    lump_sums: list


def plan_money(project: Project) -> PlanMoney:
    """One query for the unit costs, two for the lump sums and their shares (partners and claims joined)."""
    shares = LumpSumShare.objects.select_related("partner__organisation", "claim__report__period").order_by(
        "partner__number")
    return PlanMoney(
        unit_costs=list(UnitCost.objects.filter(project=project).order_by("cost_category", "name")),
        lump_sums=list(LumpSum.objects.filter(project=project).select_related("period")
                       .prefetch_related(Prefetch("shares", queryset=shares)).order_by("period__number", "name")),
    )


def lump_sum_of(project: Project, lump_sum_id: int) -> LumpSum:
    """A lump sum of the project (404 if it is not one); who may change it is the view's check."""
    lump_sum = LumpSum.objects.filter(pk=lump_sum_id, project=project).first()
    if lump_sum is None:
        raise Http404
    return lump_sum


def contacts(project: Project) -> QuerySet:
    return Contact.objects.filter(project=project).select_related("organisation")


@dataclass
class GanttRow:
    kind: str  # "wp", "activity" or "milestone"
    code: str
    title: str
    start: int
    end: int


def gantt_rows(project: Project) -> list[GanttRow]:
    rows = []
    work_packages = WorkPackage.objects.filter(project=project).prefetch_related(
        Prefetch("activities", queryset=Activity.objects.order_by("number")),
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "code")),
    )
    for wp in work_packages:
        rows.append(GanttRow("wp", wp.code, wp.title, wp.start_month, wp.end_month))
        for activity in wp.activities.all():
            rows.append(GanttRow("activity", f"A{wp.number}.{activity.number}", activity.title,
                                 activity.start_month, activity.end_month))
        for milestone in wp.milestones.all():
            month = project.month_number(milestone.due_date)
            rows.append(GanttRow("milestone", milestone.code, milestone.title, month, month))
    return rows


def milestones(project: Project) -> QuerySet:
    return Milestone.objects.filter(project=project).select_related("work_package").prefetch_related(
        "due_date_changes")


# The deliverable tracker's rows per page: a work package's deliverables for a year or two at a glance, and a page
# whose time does not grow with the project (docs/PERFORMANCE.md).
TRACKER_PAGE_SIZE = 50


def deliverables(project: Project) -> QuerySet:
    # The rescheduling history is the tracker's "rescheduled" badge: each move's dates and reason.
    return Deliverable.objects.filter(project=project).select_related(
        "work_package", "lead_partner__organisation", "project"
    ).prefetch_related("due_date_changes").order_by("due_date", "code")


@dataclass
class MatrixRow:
    partner: Partner
    cells: list  # one reporting.selectors.ReportStatus per started period, None for a period not yet started


# The report matrix shows a page of partners × a window of periods: an Interreg partnership (up to 20-30 partners)
# fits on one page, and six periods are three years of half-yearly reporting; the page's time then does not grow
# with a long project or a large partnership (docs/PERFORMANCE.md).
MATRIX_PARTNERS_PER_PAGE = 20
MATRIX_PERIODS = 6


@dataclass
class ReportMatrix:
    periods: list[ReportingPeriod]  # the window's periods, in order
    rows: list[MatrixRow]  # the page's partners
    partners: Page  # the page of partners (its paginator counts all the partners the user may see)
    all_periods: list[ReportingPeriod]  # every period of the project (the narrative links, the window's bounds)
    earlier: int | None = None  # the last period number of the window before this one (None: none before)
    later: int | None = None  # ... and of the window after it

    @property
    def window(self) -> tuple[int, int]:
        """The first and last period numbers shown."""
        return (self.periods[0].number, self.periods[-1].number) if self.periods else (0, 0)


def _report_partners(user, project: Project) -> QuerySet:
    """Every partner for readers of all reports, else the user's own partners."""
    return report_access.readable_partners(Partner.objects.filter(project=project), user)


def _matrix_until(periods: list[ReportingPeriod], until, today: date) -> int:
    """The last period number of the window: the one asked for, else the latest period that has started; kept
    within the project's periods and never short of a full window (a short project shows all its periods)."""
    numbers = [p.number for p in periods]
    if not numbers:
        return 0
    try:
        asked = int(until)
    except (TypeError, ValueError):
        # As report_statuses' start_date__lte: the latest period whose cells the matrix fills.
        asked = max((p.number for p in periods if p.start_date <= today), default=numbers[0])
    return min(max(asked, numbers[min(MATRIX_PERIODS, len(numbers)) - 1]), numbers[-1])


def report_matrix(user, project: Project, *, page=None, until=None, today: date | None = None) -> ReportMatrix:
    """One page of partner × period report statuses (overdue ones with their days late): the partners of page
    `page` and the MATRIX_PERIODS periods up to period number `until` (both as the URL gives them; a page or period
    out of range is the nearest one). Six queries whatever the number of partners and periods."""
    today = today or local_today()
    all_periods = list(ReportingPeriod.objects.filter(project=project).order_by("number"))
    last = _matrix_until(all_periods, until, today)
    end = sum(1 for p in all_periods if p.number <= last)  # the window ends after this many periods
    periods = all_periods[max(0, end - MATRIX_PERIODS):end]
    partners = Paginator(_report_partners(user, project).select_related("organisation").order_by("number"),
                         MATRIX_PARTNERS_PER_PAGE).get_page(page)
    by_partner = defaultdict(dict)
    for row in report_statuses(list(partners), today, period_numbers=[p.number for p in periods]):
        by_partner[row.partner.pk][row.period.pk] = row
    in_control = [row.report for rows in by_partner.values() for row in rows.values()
                  if row.report is not None and row.report.status == ProgressReport.Status.IN_CONTROL]
    progress = control_progress([r.pk for r in in_control])
    for report in in_control:
        report.control_progress = progress.get(report.pk, (0, 0))
    start = end - len(periods)
    return ReportMatrix(
        periods=periods,
        rows=[MatrixRow(p, [by_partner[p.pk].get(period.pk) for period in periods]) for p in partners],
        partners=partners, all_periods=all_periods,
        earlier=all_periods[start - 1].number if start > 0 else None,
        later=all_periods[min(end + MATRIX_PERIODS, len(all_periods)) - 1].number if end < len(all_periods) else None,
    )


def control_progress(report_ids: list[int]) -> dict[int, tuple[int, int]]:
    """report id -> (lines verified or parked, lines) of its own lines and lump sums: one query, none for no ids."""
    if not report_ids:
        return {}
    rows = (LineControl.objects.filter(Q(expenditure__report__in=report_ids) | Q(lump_sum_claim__report__in=report_ids))
            .annotate(report_id=Coalesce("expenditure__report_id", "lump_sum_claim__report_id"))
            .values("report_id")
            .annotate(lines=Count("pk"), done=Count("pk", filter=Q(parked=True) | Q(verified_amount__isnull=False))))
    return {row["report_id"]: (row["done"], row["lines"]) for row in rows}


def overdue_reports(user, project_ids_: list[int], *, today: date | None = None) -> dict[int, int]:
    """project id -> how many partner reports the user may see are overdue (readers of all reports: every
    partner's; reporters: their own partner's; others: none)."""
    if not project_ids_:
        return {}
    partners = report_access.readable_partners(Partner.objects.filter(project__in=project_ids_), user)
    counts = dict.fromkeys(project_ids_, 0)
    for row in report_statuses(partners, today):
        counts[row.partner.project_id] += row.overdue
    return counts


def members(project: Project) -> QuerySet:
    """The project's memberships for the people page, with each person and reporter's partner (one query)."""
    return (Membership.objects.filter(project=project).select_related("user", "project", "partner__organisation")
            .order_by("role", "user__last_name", "user__first_name", "user__username"))


def membership_of(project: Project, membership_id: int) -> Membership:
    """A membership of this project (the caller has checked the right to manage its members), else 404."""
    membership = members(project).filter(pk=membership_id).first() if membership_id <= MAX_ID else None
    if membership is None:
        raise Http404
    return membership


def my_memberships(user) -> QuerySet:
    """The profile page's list: each project the user is in, their role and (a reporter's) partner."""
    return (Membership.objects.filter(user=user).select_related("project__programme", "partner__organisation")
            .order_by("project__acronym"))


def risks(project: Project) -> list[Risk]:
    """The risk register, open risks first, the highest score first (likelihood × impact)."""
    rows = Risk.objects.filter(project=project).select_related("owner__organisation")
    return sorted(rows, key=lambda r: (not r.is_open, -r.score, r.review_date or date.max, r.title))


def risk_of(project: Project, risk_id: int) -> Risk:
    risk = Risk.objects.filter(project=project, pk=risk_id).first() if risk_id <= MAX_ID else None
    if risk is None:
        raise Http404
    return risk
