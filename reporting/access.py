"""Who may read and write progress reports and their lines: the rules on top of consortium.permissions.

The API's viewsets, the web pages, the exports and the admin ask these functions; nothing else
decides who sees a report. A reporter finds only their own partner's reports: another partner's
report is a 404 for them (its existence is not revealed), while a viewer — who reads no reports —
finds any report of their project and gets 403, as DESIGN.md's status order asks. A first-level
controller is like a reporter of each partner it controls: it reads (and controls) their reports and
finds no other partner's.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from consortium import permissions as perms
from consortium.models import Role
from consortium.permissions import Right
from reporting.models import Expenditure, ProgressReport


def _is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def own_partner_ids(user) -> list[int]:
    """The partners whose reports the user reads one by one: a reporter's own, a controller's controlled ones."""
    return perms.reporter_partner_ids(user) + perms.controlled_partner_ids(user)


def readable_filter(user, *, partner_field: str = "partner") -> Q:
    """Reports the user may read: a project's all for the MU and coordinators, the own partner's for reporters
    and the controlled partners' for controllers."""
    return Q(**{f"{partner_field}__project__in": perms.project_ids(user, Right.READ_ALL_REPORTS)}) | Q(
        **{f"{partner_field}__in": own_partner_ids(user)}
    )


def readable(queryset: QuerySet, user, *, partner_field: str = "partner") -> QuerySet:
    """Reports (or rows hanging off them through `partner_field`) that the user may read: for lists."""
    if _is_superuser(user):
        return queryset
    return queryset.filter(readable_filter(user, partner_field=partner_field))


def readable_partners(queryset: QuerySet, user) -> QuerySet:
    """Partners whose reports the user may read (a queryset of Partner): for report status lists."""
    if _is_superuser(user):
        return queryset
    return queryset.filter(Q(project__in=perms.project_ids(user, Right.READ_ALL_REPORTS))
                           | Q(pk__in=own_partner_ids(user)))


def findable_filter(user, *, partner_field: str = "partner") -> Q:
    """Rows the user may learn exist: their projects' reports, without other partners' for a reporter or a
    controller."""
    if _is_superuser(user):
        return Q()
    per_partner = (Role.REPORTER, Role.CONTROLLER)
    whole_projects = [pid for pid, m in perms.memberships(user).items() if m.role not in per_partner]
    return Q(**{f"{partner_field}__project__in": whole_projects}) | Q(**{f"{partner_field}__in": own_partner_ids(user)})


def findable(queryset: QuerySet, user, *, partner_field: str = "partner") -> QuerySet:
    """Rows the user may learn exist (`findable_filter`)."""
    return queryset.filter(findable_filter(user, partner_field=partner_field))


# Rows that hang off a report through one of several paths (a line control: its expenditure's or its lump-sum
# claim's report): the same rules, on whichever path the row has.

def readable_filter_any(user, partner_fields) -> Q:
    if _is_superuser(user):
        return Q()
    condition = Q(pk__in=[])
    for field in partner_fields:
        condition |= readable_filter(user, partner_field=field)
    return condition


def findable_filter_any(user, partner_fields) -> Q:
    if _is_superuser(user):
        return Q()
    condition = Q(pk__in=[])
    for field in partner_fields:
        condition |= findable_filter(user, partner_field=field)
    return condition


REPORT_RIGHTS = (Right.READ_ALL_REPORTS, Right.WRITE_OWN_REPORT, Right.CONTROL_REPORTS)


def may_read_reports_somewhere(user) -> bool:
    return any(perms.has_right_anywhere(user, right) for right in REPORT_RIGHTS)


def may_read_reports_in(user, project_id: int) -> bool:
    """Some reports of the project: all of them, or the own partner's."""
    return any(perms.has_right(user, right, project_id) for right in REPORT_RIGHTS)


def require_reports_in(user, project_id: int) -> None:
    if not may_read_reports_in(user, project_id):
        raise PermissionDenied("Your role does not give access to reports.")


def can_read(user, report: ProgressReport) -> bool:
    if _is_superuser(user):
        return True
    return (perms.has_right(user, Right.READ_ALL_REPORTS, report.partner.project_id)
            or report.partner_id in own_partner_ids(user))


def can_write_partner(user, partner) -> bool:
    """Create, edit and submit the partner's reports: its reporters, and the MU (who may fix a draft for them)."""
    if _is_superuser(user):
        return True
    return partner.pk in perms.reporter_partner_ids(user) or perms.has_right(user, Right.EDIT_PLAN, partner.project_id)


def can_write(user, report: ProgressReport) -> bool:
    return can_write_partner(user, report.partner)


def can_review(user, report: ProgressReport) -> bool:
    return perms.has_right(user, Right.REVIEW_REPORTS, report.partner.project_id)


def can_control(user, report: ProgressReport) -> bool:
    """Verify its lines, certify it or send it back: the first-level controller of the report's partner."""
    return _is_superuser(user) or report.partner_id in perms.controlled_partner_ids(user)


def require_read(user, report: ProgressReport) -> None:
    if not can_read(user, report):
        raise PermissionDenied("Your role does not give access to reports.")


def require_write(user, report: ProgressReport) -> None:
    if not can_write(user, report):
        raise PermissionDenied("Your role may not change this report.")


def require_review(user, report: ProgressReport) -> None:
    if not can_review(user, report):
        raise PermissionDenied("Only the management unit approves or returns reports.")


def require_control(user, report: ProgressReport) -> None:
    if not can_control(user, report):
        raise PermissionDenied("Only the partner's first-level controller verifies and certifies its reports.")


def require_create(user, partner) -> None:
    """Start a report for `partner`: 404 outside the user's projects, 403 for another partner's reporter."""
    if not perms.is_member(user, partner.project_id):
        raise Http404
    if not can_write_partner(user, partner):
        raise PermissionDenied("You may start reports for your own organisation only.")


def report_or_404(user, pk, *, queryset: QuerySet | None = None, project_id: int | None = None) -> ProgressReport:
    """A report the user may read: 404 if they may not know it exists, 403 for a member whose role reads none."""
    queryset = ProgressReport.objects.select_related("partner__project") if queryset is None else queryset
    if project_id is not None:
        queryset = queryset.filter(partner__project_id=project_id)
    report = findable(queryset, user).filter(pk=pk).first()
    if report is None:
        raise Http404
    require_read(user, report)
    return report


def line_or_404(user, pk, *, queryset: QuerySet | None = None, report: ProgressReport | None = None) -> Expenditure:
    """An expenditure line whose report the user may read (the same 404/403 rule as the report's)."""
    queryset = Expenditure.objects.select_related("report__partner__project") if queryset is None else queryset
    if report is not None:
        queryset = queryset.filter(report=report)
    line = findable(queryset, user, partner_field="report__partner").filter(pk=pk).first()
    if line is None:
        raise Http404
    require_read(user, line.report)
    return line


# --- exchange rates: shared by every project ------------------------------------------------------

def may_set_exchange_rates(user) -> bool:
    """A site administrator: a superuser, or a user given Django's permission to change exchange rates.

    Not an MU: a rate is the same for every project, so one project's MU would move every other's money.
    """
    return bool(getattr(user, "is_active", False)) and (
        bool(getattr(user, "is_superuser", False)) or user.has_perm("reporting.change_exchangerate"))


def require_set_exchange_rates(user) -> None:
    if not may_set_exchange_rates(user):
        raise PermissionDenied("Only a site administrator enters exchange rates: they are shared by every project.")
