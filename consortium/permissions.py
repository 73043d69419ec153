"""Who may do what, declared once.

Every API view, export, web page and admin page asks this module: `role_of()` and `has_right()`
for one project, the scoping functions for querysets, and the lookups that decide 404 versus 403
(`project_or_404`, `object_or_404`, `require`). Apps add their own rules on top of these in their
`access.py` (reporting: reports and lines; workpackages: deliverables). A user's memberships are
read once per request and cached on the user object.

Status-code semantics (DESIGN.md): an object outside the user's projects is 404 (its existence is
not revealed); a member without the right is 403. The lookups raise Django's `Http404` and
`PermissionDenied`, which the API, the web and the admin all answer with those codes.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from consortium.models import Membership, Project, Role


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
    WRITE_PROJECT_REPORT = "write_project_report"  # the MU's narrative of the funder report per period
    # First-level control of the partners a controller's membership names (reporting.access): never the MU's,
    # who checks a report's content but must not verify the expenditure it claims.
    CONTROL_REPORTS = "control_reports"
    MANAGE_CLAIMS = "manage_claims"  # payment claims to the programme, payments received and passed on


ROLE_RIGHTS: dict[str, frozenset[Right]] = {
    Role.MANAGEMENT_UNIT: frozenset(Right) - {Right.CONTROL_REPORTS},
    Role.COORDINATOR: frozenset({Right.READ_PLAN, Right.READ_MONEY, Right.READ_ALL_REPORTS, Right.EXPORT}),
    Role.REPORTER: frozenset({Right.READ_PLAN, Right.READ_MONEY, Right.WRITE_OWN_REPORT}),
    Role.CONTROLLER: frozenset({Right.READ_PLAN, Right.CONTROL_REPORTS}),
    Role.VIEWER: frozenset({Right.READ_PLAN}),
}


def memberships(user) -> dict[int, Membership]:
    """project_id -> Membership for this user, read once and cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_consortium_memberships", None)
    if cached is None:
        # Unordered: the default order (project, user) joins the project table for nothing here.
        cached = {m.project_id: m for m in Membership.objects.filter(user=user).order_by()}
        user._consortium_memberships = cached
    return cached


def forget_memberships(user) -> None:
    """Call after changing a user's memberships within the same request."""
    user.__dict__.pop("_consortium_memberships", None)
    user.__dict__.pop("_consortium_controlled", None)


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


def controlled_partner_ids(user) -> list[int]:
    """The partners a controller controls, in every project: one query, made only for a controller, cached."""
    cached = getattr(user, "_consortium_controlled", None)
    if cached is None:
        controller_memberships = [m.pk for m in memberships(user).values() if m.role == Role.CONTROLLER]
        cached = (list(Membership.controlled_partners.through.objects.filter(membership_id__in=controller_memberships)
                       .values_list("partner_id", flat=True)) if controller_memberships else [])
        user._consortium_controlled = cached
    return cached


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


# --- lookups: the one place that decides 404 versus 403 ------------------------------------------

def project_id_of(obj: Model, path: str) -> int:
    """Follow `path` ("project", "report__partner__project", "pk" for a project) to the project's id.

    The last hop reads the foreign key's column, so following a path costs no query for it.
    """
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop)
    return getattr(obj, f"{last}_id")


def require(user, right: Right, project_id: int, message: str = "Your role does not give access to this.") -> None:
    """403 unless the user holds `right` in the project."""
    if not has_right(user, right, project_id):
        raise PermissionDenied(message)


# The largest id a 64-bit primary key holds: a larger number in a query would overflow the database.
MAX_ID = 2**63 - 1


def object_or_404(user, queryset: QuerySet, pk, *, project_field: str = "project"):
    """The object if it lies in one of the user's projects (any role), else 404."""
    if not str(pk).isdigit() or int(pk) > MAX_ID:
        raise Http404
    obj = scope_to_members(queryset, user, project_field=project_field).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def get_for(user, queryset: QuerySet, pk, *, right: Right, project_field: str = "project"):
    """The object for an act needing `right`: 404 outside the user's projects, 403 for a member without it."""
    obj = object_or_404(user, queryset, pk, project_field=project_field)
    require(user, right, project_id_of(obj, project_field))
    return obj


def project_or_404(user, project_id, right: Right = Right.READ_PLAN) -> Project:
    """The project (with its programme) for an act needing `right`: 404 for a stranger, 403 for a member."""
    return get_for(user, Project.objects.select_related("programme"), project_id, right=right, project_field="pk")
