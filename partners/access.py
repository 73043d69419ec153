"""Who may see and change organisations, which belong to no one project: the rules on top of consortium.permissions."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from consortium import permissions as perms
from consortium.permissions import Right
from partners.models import Organisation, Partner


def visible_organisations(user) -> QuerySet:
    """Organisations partnering in the user's projects, and for an MU those not partnering anywhere yet."""
    if user.is_superuser:
        return Organisation.objects.all()
    visible = Q(pk__in=Partner.objects.filter(project__in=perms.project_ids(user)).values("organisation"))
    if perms.has_right_anywhere(user, Right.EDIT_PLAN):
        # What an MU has just created must be findable before it joins a project.
        visible |= ~Q(pk__in=Partner.objects.values("organisation"))
    return Organisation.objects.filter(visible)


def organisation_or_404(user, pk, *, queryset: QuerySet | None = None) -> Organisation:
    queryset = visible_organisations(user) if queryset is None else queryset & visible_organisations(user)
    organisation = queryset.filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def require_create_organisation(user) -> None:
    if not perms.has_right_anywhere(user, Right.EDIT_PLAN):
        raise PermissionDenied("Only the management unit creates organisations.")


def require_change_organisation(user, organisation: Organisation) -> None:
    """The MU of every project it partners in (any MU while it partners nowhere): it is shared data."""
    if user.is_superuser:
        return
    project_ids = set(organisation.partnerships.values_list("project_id", flat=True))
    if not project_ids:
        require_create_organisation(user)
        return
    if not all(perms.has_right(user, Right.EDIT_PLAN, p) for p in project_ids):
        raise PermissionDenied("Only the management unit of every project this organisation partners in may change it.")
