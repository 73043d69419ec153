"""Who may act on deliverables beyond reading the plan: the rules on top of consortium.permissions."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from consortium import permissions as perms
from consortium.permissions import Right
from workpackages.models import Deliverable


def deliverable_or_404(user, pk, *, right: Right = Right.READ_PLAN, project_id: int | None = None,
                       queryset: QuerySet | None = None) -> Deliverable:
    """A deliverable of one of the user's projects (of `project_id` if given) for an act needing `right`."""
    queryset = Deliverable.objects.select_related("project", "lead_partner") if queryset is None else queryset
    if project_id is not None:
        queryset = queryset.filter(project_id=project_id)
    return perms.get_for(user, queryset, pk, right=right)


def can_upload_document(user, deliverable: Deliverable) -> bool:
    """The MU, or a reporter of the deliverable's lead partner (who writes it)."""
    return (perms.has_right(user, Right.EDIT_PLAN, deliverable.project_id)
            or deliverable.lead_partner_id in perms.reporter_partner_ids(user))


def require_document_upload(user, deliverable: Deliverable) -> None:
    if not can_upload_document(user, deliverable):
        raise PermissionDenied("Only the management unit or the lead partner's reporter uploads the document.")
