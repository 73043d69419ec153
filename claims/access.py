"""Who may read and write claims and payments (on top of consortium.permissions).

The MU writes (Right.MANAGE_CLAIMS); coordinators read every claim of their projects; a reporter reads the
claims holding its partner's reports — its partner's lines and payments only; a controller reads the claims
holding reports it certified; viewers read nothing of money. Outside one's projects a claim is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from claims.models import Claim
from consortium import permissions as perms
from consortium.permissions import Right


def _is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def readable(queryset: QuerySet, user) -> QuerySet:
    """The claims the user may read (whole or, for a reporter, its partner's part)."""
    if _is_superuser(user):
        return queryset
    return queryset.filter(
        Q(project__in=perms.project_ids(user, Right.READ_ALL_REPORTS))
        | Q(entries__report__partner__in=perms.reporter_partner_ids(user))
        | Q(entries__report__certified_by=user, project__in=perms.project_ids(user, Right.CONTROL_REPORTS))
    ).distinct()


def partner_scope(user, claim: Claim) -> list[int] | None:
    """The partners whose part of the claim the user sees: None for all (MU, coordinators, controllers),
    else a reporter's own partners."""
    if _is_superuser(user) or perms.has_right(user, Right.READ_ALL_REPORTS, claim.project_id) \
            or perms.has_right(user, Right.CONTROL_REPORTS, claim.project_id):
        return None
    return perms.reporter_partner_ids(user)


def claim_or_404(user, pk, *, queryset: QuerySet | None = None) -> Claim:
    """A claim the user may read: 404 for a stranger, 403 for a member who reads none of it."""
    queryset = Claim.objects.select_related("project", "period") if queryset is None else queryset
    claim = perms.object_or_404(user, queryset, pk)
    if not readable(Claim.objects.filter(pk=claim.pk), user).exists():
        raise PermissionDenied("Your role does not give access to this claim.")
    return claim


def can_manage(user, project_id: int) -> bool:
    return perms.has_right(user, Right.MANAGE_CLAIMS, project_id)


def require_manage(user, project_id: int) -> None:
    if not can_manage(user, project_id):
        raise PermissionDenied("Only the management unit makes claims and records payments.")


def may_read_payments(user, project_id: int) -> bool:
    """The payments overview: the MU and coordinators whole; a reporter its partner's row."""
    return perms.has_right(user, Right.READ_ALL_REPORTS, project_id) or perms.has_right(
        user, Right.WRITE_OWN_REPORT, project_id)


def claim_404_for_strangers(user, project_id: int) -> None:
    if not perms.is_member(user, project_id):
        raise Http404


def may_read_claims_somewhere(user) -> bool:
    """The claims list: the MU and coordinators, reporters (their partner's claims) and controllers."""
    return any(perms.has_right_anywhere(user, right) for right in (
        Right.READ_ALL_REPORTS, Right.WRITE_OWN_REPORT, Right.CONTROL_REPORTS))


def may_read_payments_somewhere(user) -> bool:
    return perms.has_right_anywhere(user, Right.READ_ALL_REPORTS) or perms.has_right_anywhere(
        user, Right.WRITE_OWN_REPORT)


def payments_scope(user, project_id: int) -> list[int] | None:
    """The partners whose payments the user sees in a project: None for all (the MU, coordinators), else a
    reporter's own partners."""
    if perms.has_right(user, Right.READ_ALL_REPORTS, project_id):
        return None
    return perms.reporter_partner_ids(user)


def readable_payments(queryset: QuerySet, user) -> QuerySet:
    """Programme payments and transfers (both have `claim` and `partner`) the user may list: every row of the
    projects where it reads all reports; a reporter the rows paid to its own partner."""
    if _is_superuser(user):
        return queryset
    return queryset.filter(Q(claim__project__in=perms.project_ids(user, Right.READ_ALL_REPORTS))
                           | Q(partner__in=perms.reporter_partner_ids(user)))


def payment_or_404(user, queryset: QuerySet, pk):
    """A payment or transfer: 404 for a stranger and for a reporter when it is not its partner's (as another
    partner's report is); 403 for a member who reads no money rows (viewers, controllers)."""
    row = perms.object_or_404(user, queryset, pk, project_field="claim__project")
    project_id = row.claim.project_id
    if not may_read_payments(user, project_id):
        raise PermissionDenied("Your role does not give access to payments.")
    scope = payments_scope(user, project_id)
    if scope is not None and row.partner_id not in scope:
        raise Http404
    return row
