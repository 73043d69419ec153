"""Who may see and change organisations, which belong to no one project: the rules on top of consortium.permissions."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from consortium import permissions as perms
from consortium.permissions import Right
from partners.models import Organisation, Partner


def visible_organisations(user) -> QuerySet:
    """Every organisation for an MU; for other roles those partnering in their projects.

    Organisations are shared between projects: an MU adding a partner picks any of them, one that
    partners only in other projects included (and one just created, which partners nowhere yet).
    Which projects an organisation partners in is not shown through it (the `project` filter matches
    only the user's projects); changing it needs the MU of every one of them (require_change_organisation).
    """
    if user.is_superuser or perms.has_right_anywhere(user, Right.EDIT_PLAN):
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=Partner.objects.filter(project__in=perms.project_ids(user)).values("organisation"))


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
