"""Reads of the reporting app that the API, the web and the services share."""

from datetime import date

from django.db.models import Q, QuerySet

from consortium.models import ReportingPeriod, last_of_month, local_today
from reporting.models import Expenditure, ProgressReport
from workpackages.models import WorkPackage


def open_period_for(partner, today: date | None = None) -> ReportingPeriod | None:
    """The earliest period that has started and in which the partner has no approved report (None if none)."""
    today = today or local_today()
    approved = ProgressReport.objects.filter(partner=partner, status=ProgressReport.Status.APPROVED)
    return (
        ReportingPeriod.objects.filter(project_id=partner.project_id, start_date__lte=today)
        .exclude(pk__in=approved.values("period_id"))
        .order_by("start_date")
        .first()
    )


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


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Bookkeeping columns that change on every save and say nothing to a reader of the audit.
_UNTRACKED = {"id", "version", "updated_at", "created_at"}


def _history_entries(records, object_type: str, describe) -> list[dict]:
    """Audit entries of one model's history records; `records` sorted by object and time."""
    entries, previous = [], {}
    fields = None
    for record in records:
        if fields is None:
            fields = [f.attname for f in record.instance_type._meta.concrete_fields if f.attname not in _UNTRACKED]
        before = previous.get(record.id)
        changes = []
        if record.history_type == "~" and before is not None:
            for name in fields:
                old, new = getattr(before, name), getattr(record, name)
                if old != new:
                    changes.append({"field": name, "old": None if old is None else str(old),
                                    "new": None if new is None else str(new)})
        previous[record.id] = record
        entries.append({
            "when": record.history_date,
            "who": record.history_user.username if record.history_user_id else None,
            "action": _ACTIONS[record.history_type],
            "object": describe(record),
            "object_type": object_type,
            "object_id": record.id,
            "changes": changes,
        })
    return entries


def report_history(report: ProgressReport) -> list[dict]:
    """The report's and its lines' audit records merged by time (deleted lines included), oldest first."""
    report_records = report.history.select_related("history_user").order_by("history_date", "history_id")
    line_records = (
        Expenditure.history.filter(report_id=report.pk).select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    entries = _history_entries(report_records, "progress_report", lambda r: f"Report {report}")
    entries += _history_entries(line_records, "expenditure", lambda r: f"Expenditure #{r.id}: {r.description}")
    return sorted(entries, key=lambda e: e["when"])
