"""Who may do what, declared once.

Every API view, export and web page asks this module: `role_of()` for one project, the scoping
functions for querysets. A user's memberships are read once per request and cached on the user
object. Status-code semantics (see DESIGN.md): an object outside the user's projects is 404; a
member without the right is 403.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from consortium.models import Membership, Role


class Right(StrEnum):
    READ_PLAN = "read_plan"  # project, partners (without money), contacts, WPs, deliverables...
    READ_MONEY = "read_money"  # budgets, co-financing rates, money on dashboards
    READ_ALL_REPORTS = "read_all_reports"  # every partner's progress reports and expenditure
    WRITE_OWN_REPORT = "write_own_report"  # a reporter: their own partner's reports only
    REVIEW_REPORTS = "review_reports"  # approve / return
    EDIT_PLAN = "edit_plan"  # partners, WPs, deliverables, periods, budgets, contacts, rates
    EXPORT = "export"  # funder reports
    READ_HISTORY = "read_history"  # the audit history
    MANAGE_MEMBERS = "manage_members"  # invite people, change or end memberships


ROLE_RIGHTS: dict[str, frozenset[Right]] = {
    Role.MANAGEMENT_UNIT: frozenset(Right),
    Role.COORDINATOR: frozenset({Right.READ_PLAN, Right.READ_MONEY, Right.READ_ALL_REPORTS, Right.EXPORT}),
    Role.REPORTER: frozenset({Right.READ_PLAN, Right.READ_MONEY, Right.WRITE_OWN_REPORT}),
    Role.VIEWER: frozenset({Right.READ_PLAN}),
}


def memberships(user) -> dict[int, Membership]:
    """project_id -> Membership for this user, read once and cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_consortium_memberships", None)
    if cached is None:
        cached = {m.project_id: m for m in Membership.objects.filter(user=user)}
        user._consortium_memberships = cached
    return cached


def forget_memberships(user) -> None:
    """Call after changing a user's memberships within the same request."""
    user.__dict__.pop("_consortium_memberships", None)


def role_of(user, project_id: int) -> str | None:
    membership = memberships(user).get(project_id)
    return membership.role if membership else None


def is_member(user, project_id: int) -> bool:
    return bool(getattr(user, "is_superuser", False)) or project_id in memberships(user)


def has_right(user, right: Right, project_id: int) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    role = role_of(user, project_id)
    return role is not None and right in ROLE_RIGHTS[role]


def project_ids(user, right: Right = Right.READ_PLAN) -> list[int]:
    """The projects in which the user holds `right` (superusers: use `is_superuser` first)."""
    return [pid for pid, m in memberships(user).items() if right in ROLE_RIGHTS[m.role]]


def reporter_partner_ids(user) -> list[int]:
    return [m.partner_id for m in memberships(user).values() if m.role == Role.REPORTER]


def has_right_anywhere(user, right: Right) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(project_ids(user, right))


def scope_to_projects(queryset: QuerySet, user, *, project_field: str = "project",
                      right: Right = Right.READ_PLAN) -> QuerySet:
    """Rows of the projects in which the user holds `right`; everything for a superuser."""
    if getattr(user, "is_superuser", False):
        return queryset
    return queryset.filter(**{f"{project_field}__in": project_ids(user, right)})


def scope_to_members(queryset: QuerySet, user, *, project_field: str = "project") -> QuerySet:
    """Rows of every project the user is a member of, whatever the role (for 404-vs-403)."""
    if getattr(user, "is_superuser", False):
        return queryset
    return queryset.filter(**{f"{project_field}__in": list(memberships(user))})


def report_filter(user, *, partner_field: str = "partner") -> Q:
    """Reports the user may read: all of a project's for the MU and coordinators, own partner's for reporters."""
    return Q(**{f"{partner_field}__project__in": project_ids(user, Right.READ_ALL_REPORTS)}) | Q(
        **{f"{partner_field}__in": reporter_partner_ids(user)}
    )


def scope_reports(queryset: QuerySet, user, *, partner_field: str = "partner") -> QuerySet:
    """Progress reports (or rows hanging off them) that the user may read."""
    if getattr(user, "is_superuser", False):
        return queryset
    return queryset.filter(report_filter(user, partner_field=partner_field))


def can_read_report(user, report) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    project_id = report.partner.project_id
    return has_right(user, Right.READ_ALL_REPORTS, project_id) or report.partner_id in reporter_partner_ids(user)


def can_write_report(user, report) -> bool:
    """Edit/submit a report: the reporters of its partner (and the MU, who may fix a draft for them)."""
    if getattr(user, "is_superuser", False):
        return True
    return report.partner_id in reporter_partner_ids(user) or has_right(
        user, Right.EDIT_PLAN, report.partner.project_id
    )
