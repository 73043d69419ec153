"""The people of a project: the management unit invites, re-sends invitations, changes roles, ends memberships.

The same services as the API's /api/users/ and /api/memberships/ (consortium/invitations.py) and the same
right (MANAGE_MEMBERS): other members get 403, strangers 404. The last management-unit member stays.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consortium import invitations
from consortium.errors import VersionConflict
from consortium.models import Role
from consortium.permissions import Right
from web import selectors
from web.errors import ActionForm
from web.people_forms import ROLE_FIELDS, InviteForm, MembershipForm, project_partners
from web.views.common import project_context, render_page, require_anywhere


def _name(membership) -> str:
    user = membership.user
    return user.get_full_name() or user.email or user.username


def render_people(request, context: dict, *, invite_form=None, refused=None, status: int = 200):
    """The page; `refused` is a membership form the service refused, shown at its row."""
    project = context["project"]
    rows = list(selectors.members(project))
    partners = project_partners(project)
    management = [m for m in rows if m.role == Role.MANAGEMENT_UNIT]
    for membership in rows:
        is_refused = refused is not None and refused.membership.pk == membership.pk
        # Someone else changed the membership meanwhile: the row shows what is saved now, ready to change again.
        membership.changed_meanwhile = is_refused and isinstance(refused.refused, VersionConflict)
        keep_refused = is_refused and not membership.changed_meanwhile
        membership.form = refused if keep_refused else MembershipForm(membership=membership, partners=partners)
        membership.awaits_password = invitations.awaits_password(membership.user)
        membership.stays = len(management) == 1 and membership.role == Role.MANAGEMENT_UNIT
    return render_page(request, "web/project_people.html", {
        **context,
        "members": rows,
        "invite_form": invite_form or InviteForm(partners=partners),
        "role_fields": ROLE_FIELDS,
        "section": "people",
    }, status=status)


def _back(project, membership=None):
    anchor = f"#member-{membership.pk}" if membership is not None else ""
    return redirect(reverse("web:people", args=[project.pk]) + anchor)


@login_required
@require_http_methods(["GET", "POST"])
def people(request, project_id: int):
    """The list of members and the invitation form (POST invites: the API's POST /api/users/)."""
    if request.method == "POST":
        require_anywhere(request, Right.MANAGE_MEMBERS)
    context = project_context(request, project_id, right=Right.MANAGE_MEMBERS)
    project = context["project"]
    form = InviteForm(request.POST or None, partners=project_partners(project))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        form.call(request, invitations.user_invite, invited_by=request.user, project=project, email=data["email"],
                  first_name=data["first_name"], last_name=data["last_name"], **form.role_data())
        if not form.refused:
            messages.success(request, _("%(email)s is invited to %(project)s: an e-mail is on its way.")
                             % {"email": data["email"], "project": project.acronym})
            return _back(project)
    return render_people(request, context, invite_form=form, status=form.status_code)


def _membership(request, project_id: int, membership_id: int):
    context = project_context(request, project_id, right=Right.MANAGE_MEMBERS)
    return context, selectors.membership_of(context["project"], membership_id)


@login_required
@require_POST
def member(request, project_id: int, membership_id: int):
    """Change a member's role (and its partner) with the version the page showed (PATCH /api/memberships/{id}/)."""
    context, membership = _membership(request, project_id, membership_id)
    form = MembershipForm(request.POST, membership=membership, partners=project_partners(context["project"]))
    if form.is_valid():
        form.call(request, invitations.membership_update, membership=membership,
                  expected_version=form.cleaned_data["version"], data=form.role_data())
        if not form.refused:
            messages.success(request, _("%(name)s is now %(role)s.") % {
                "name": _name(membership), "role": Role(form.cleaned_data["role"]).label.lower()})
            return _back(context["project"], membership)
    return render_people(request, context, refused=form, status=form.status_code)


@login_required
@require_POST
def resend(request, project_id: int, membership_id: int):
    """Send the invitation again (POST /api/memberships/{id}/resend/)."""
    context, membership = _membership(request, project_id, membership_id)
    invitations.invitation_resend(membership=membership, invited_by=request.user)
    messages.success(request, _("The invitation to %(email)s was sent again.") % {"email": membership.user.email})
    return _back(context["project"], membership)


@login_required
@require_POST
def end(request, project_id: int, membership_id: int):
    """End a membership (DELETE /api/memberships/{id}/); the project's last management-unit member stays."""
    context, membership = _membership(request, project_id, membership_id)
    form = ActionForm(request.POST)
    form.call(request, invitations.membership_end, membership=membership)
    if form.refused:
        return render_people(request, context, status=form.status_code)
    messages.success(request, _("%(name)s is no longer a member of %(project)s.")
                     % {"name": _name(membership), "project": context["project"].acronym})
    return _back(context["project"])
