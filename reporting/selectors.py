"""Reads of the reporting app that the API, the web and the services share."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from consortium.history import person, record_changes
from consortium.models import ReportingPeriod, last_of_month, local_today
from reporting.models import Expenditure, LineControl, ProgressReport
from workpackages.models import WorkPackage


def open_period_for(partner, today: date | None = None) -> ReportingPeriod | None:
    """The earliest period that has started and in which the partner has no report past its part (approved, in
    control or certified; None if none)."""
    today = today or local_today()
    done = ProgressReport.objects.filter(partner=partner, status__in=ProgressReport.DONE_STATUSES)
    return (
        ReportingPeriod.objects.filter(project_id=partner.project_id, start_date__lte=today)
        .exclude(pk__in=done.values("period_id"))
        .order_by("start_date")
        .first()
    )


# A report in one of these states by its due date is on time; any other (no report, a draft, a returned
# report waiting to be submitted again) is overdue the day after the due date.
ON_TIME_STATUSES = (ProgressReport.Status.SUBMITTED, *ProgressReport.DONE_STATUSES)
NOT_STARTED = "not_started"


@dataclass(frozen=True)
class ReportStatus:
    """One partner × started period: its report (None: not started), its due date and whether it is overdue."""

    partner: object
    period: ReportingPeriod
    report: ProgressReport | None
    today: date

    @property
    def status(self) -> str:
        return self.report.status if self.report is not None else NOT_STARTED

    @property
    def due_date(self) -> date:
        return self.period.report_due_date

    @property
    def overdue(self) -> bool:
        return self.status not in ON_TIME_STATUSES and self.today > self.due_date

    @property
    def days_late(self) -> int:
        return (self.today - self.due_date).days if self.overdue else 0


def report_statuses(partners, today: date | None = None, *, period_numbers=None) -> list[ReportStatus]:
    """One row per partner × period of its project that has started, by partner and period number.

    Three queries whatever the number of partners (partners, periods, reports); `partners` is a queryset, or a list
    of partners with their organisation (a page of the report matrix: two queries then). `period_numbers`, if given,
    keeps only those periods (the matrix's window), so that a page's work does not grow with the project's length.
    """
    today = today or local_today()
    if isinstance(partners, QuerySet):
        partners = list(partners.select_related("organisation").order_by("project_id", "number"))
    started = ReportingPeriod.objects.filter(project__in={p.project_id for p in partners}, start_date__lte=today)
    if period_numbers is not None:
        started = started.filter(number__in=period_numbers)
    periods = defaultdict(list)
    for period in started.order_by("number"):
        periods[period.project_id].append(period)
    reports = ProgressReport.objects.filter(partner__in=partners)
    if period_numbers is not None:
        reports = reports.filter(period__number__in=period_numbers)
    reports = {(r.partner_id, r.period_id): r for r in reports.only(
        "pk", "partner_id", "period_id", "status", "version")}
    return [ReportStatus(partner, period, reports.get((partner.pk, period.pk)), today)
            for partner in partners for period in periods[partner.project_id]]


def work_packages_needing_narrative(report: ProgressReport) -> QuerySet:
    """WPs the partner leads or has an activity in, whose months overlap the report's period."""
    partner, period = report.partner, report.period
    project = partner.project
    candidates = (
        WorkPackage.objects.filter(project=project)
        .filter(Q(lead_partner=partner) | Q(activities__partners=partner))
        .distinct()
        .order_by("number")
    )
    overlapping = [
        wp.pk for wp in candidates
        if project.month_start(wp.start_month) <= period.end_date
        and last_of_month(project.month_start(wp.end_month)) >= period.start_date
    ]
    return WorkPackage.objects.filter(pk__in=overlapping).order_by("number")


def report_lines(report: ProgressReport) -> QuerySet:
    """A report's expenditure lines in the order the API lists them (the submission errors' indexes)."""
    return report.expenditures.order_by("id")


# --- first-level control -----------------------------------------------------------------------

def _controls_of(report_ids) -> QuerySet:
    return (LineControl.objects.filter(Q(expenditure__report__in=report_ids) | Q(lump_sum_claim__report__in=report_ids)
                                       | Q(certified_in__in=report_ids))
            .select_related("expenditure", "lump_sum_claim").order_by("id"))


def report_controls(report: ProgressReport) -> list[LineControl]:
    """The control rows a report's certificate is made of (one query): its own lines' and lump sums', and the
    lines parked in an earlier report of the partner and verified with this one."""
    return list(_controls_of([report.pk]))


def controls_by_report(reports) -> dict[int, list[LineControl]]:
    """report id -> its control rows (as `report_controls`), for many reports in one query."""
    ids = [r.pk for r in reports]
    grouped: dict[int, list[LineControl]] = {pk: [] for pk in ids}
    for control in _controls_of(ids):
        line = control.expenditure or control.lump_sum_claim
        for pk in {line.report_id, control.certified_in_id}:
            if pk in grouped:
                grouped[pk].append(control)
    return grouped


def pending_parked_controls(report: ProgressReport) -> QuerySet:
    """Lines the partner's earlier certified reports parked and no certificate holds yet: the controller of
    `report` may verify them with it (reporting.services.line_control_update)."""
    return (LineControl.objects.filter(parked=True, certified_in__isnull=True,
                                       expenditure__report__partner_id=report.partner_id,
                                       expenditure__report__status=ProgressReport.Status.CERTIFIED,
                                       expenditure__report__period__number__lt=report.period.number)
            .select_related("expenditure__report__period").order_by("expenditure__report__period__number", "id"))


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _history_entries(records, object_type: str, describe) -> list[dict]:
    """Audit entries of one model's history records (sorted by object and time), changes by record_changes()."""
    entries, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        changes = []
        if record.history_type == "~" and before is not None:
            changes = [vars(change) for change in record_changes(before, record)]
        previous[record.id] = record
        user = record.history_user if record.history_user_id else None
        entries.append({
            "when": record.history_date,
            "who": user.username if user else None,
            "who_name": person(user) or None,
            "action": _ACTIONS[record.history_type],
            "object": describe(record),
            "object_type": object_type,
            "object_id": record.id,
            "changes": changes,
        })
    return entries


def report_history(report: ProgressReport) -> list[dict]:
    """The report's and its lines' audit records merged by time (deleted lines included), oldest first.

    Field labels, values and object names are in the active language (consortium.history).
    """
    report_records = (report.history.select_related("history_user", "submitted_by", "reviewed_by", "created_by")
                      .order_by("history_date", "history_id"))
    line_records = (
        Expenditure.history.filter(report_id=report.pk).select_related("history_user", "work_package", "unit_cost")
        .order_by("id", "history_date", "history_id")
    )
    entries = _history_entries(report_records, "progress_report",
                               lambda r: gettext("Report %(report)s") % {"report": report})
    entries += _history_entries(line_records, "expenditure",
                                lambda r: gettext("Expenditure line #%(id)s: %(description)s")
                                % {"id": r.id, "description": r.description})
    return sorted(entries, key=lambda e: e["when"])
