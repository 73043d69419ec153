"""What every project page needs: the project (404 for strangers), the user's rights, the top bar."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from claims import access as claim_access
from consortium.models import Role
from consortium.permissions import Right, has_right, has_right_anywhere, project_or_404, role_of
from reporting import access as report_access
from web import selectors


def project_context(request, project_id: int, *, right: Right = Right.READ_PLAN) -> dict:
    """404 when the user is not a member of the project, 403 when a member lacks `right`."""
    project = project_or_404(request.user, project_id, right)
    user = request.user
    role = role_of(user, project.pk)
    return {
        "project": project,
        "role": role,
        "role_label": Role(role).label if role else "",
        "can_read_money": has_right(user, Right.READ_MONEY, project.pk),
        "can_edit_plan": has_right(user, Right.EDIT_PLAN, project.pk),
        "can_export": has_right(user, Right.EXPORT, project.pk),
        "can_manage_members": has_right(user, Right.MANAGE_MEMBERS, project.pk),
        "can_see_reports": report_access.may_read_reports_in(user, project.pk),
        "can_see_payments": claim_access.may_read_payments(user, project.pk),
        "can_see_claims": claim_access.may_read_payments(user, project.pk)
        or has_right(user, Right.CONTROL_REPORTS, project.pk),
    }


def require_anywhere(request, right: Right) -> None:
    """A create act: someone holding `right` in no project is refused (403) before any project is looked up,
    as the API's POST of a new object answers (consortium/api/base.py)."""
    if not has_right_anywhere(request.user, right):
        raise PermissionDenied


def render_page(request, template: str, context: dict, **kwargs):
    """Render with the top bar's project switcher."""
    context = {"nav_projects": list(selectors.visible_projects(request.user)), **context}
    return render(request, template, context, **kwargs)
