"""Who is in a project: inviting people, changing and ending memberships (the MU's work)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from consortium import permissions as perms
from consortium.errors import DomainError, StateConflict
from consortium.mail import absolute_url, send_to_users
from consortium.models import CalendarFeedToken, Membership, Project, Role
from consortium.profiles import language_of, profile_set_language
from consortium.services import project_create, update_versioned, validate


def set_password_link(user) -> str:
    """An absolute link to Django's password-reset-confirm page, valid until the password is set."""
    return absolute_url("password_reset_confirm", uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
                        token=default_token_generator.make_token(user))


def _send_invitation(user, membership: Membership, invited_by, *, new_user: bool) -> None:
    project = membership.project
    inviter = invited_by.get_full_name() or invited_by.username

    def render(recipient) -> tuple[str, str]:
        values = {"inviter": inviter, "project": project.acronym, "title": project.title,
                  "role": str(membership.get_role_display()).lower(), "username": user.username}
        if new_user:
            subject = _("Invitation to %(project)s in Consortium") % values
            body = (_("%(inviter)s invited you to %(project)s (%(title)s) as %(role)s.") % values + "\n\n"
                    + _("Choose your password here:") + f"\n{set_password_link(user)}\n\n"
                    + _("Your user name is %(username)s.") % values + "\n")
        else:
            subject = _("You were added to %(project)s in Consortium") % values
            body = (_("%(inviter)s added you to %(project)s (%(title)s) as %(role)s.") % values + "\n\n"
                    + _("Open the project (sign in as usual):") + f"\n{absolute_url('web:project', project.pk)}\n")
        return subject, body

    send_to_users([user], render)


def controlled_partners_problems(role: str, project_id: int, partners) -> None:
    """A controller names the partners it controls, of its project; no other role names any."""
    partners = list(partners or [])
    if role == Role.CONTROLLER and not partners:
        raise DomainError("A controller must name the partners it controls.", field="controlled_partners")
    if role != Role.CONTROLLER and partners:
        raise DomainError("Only controllers name controlled partners.", field="controlled_partners")
    if any(partner.project_id != project_id for partner in partners):
        raise DomainError("The controlled partners must belong to the membership's project.",
                          field="controlled_partners")


@transaction.atomic
def user_invite(*, invited_by, email: str, first_name: str, last_name: str, project: Project, role: str,
                partner=None, controlled_partners=()):
    """Give `email` a membership in `project`, creating the user (no password yet) if needed, and tell them.

    A new user gets a set-password link; an existing one a short note. Returns (user, membership).
    """
    controlled_partners_problems(role, project.pk, controlled_partners)
    User = get_user_model()
    email = User.objects.normalize_email(email).strip()
    user = User.objects.filter(email__iexact=email).first() or User.objects.filter(username__iexact=email).first()
    new_user = user is None
    if new_user:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.set_unusable_password()
        validate(user, exclude=["password"])
        user.save()
        # Until they choose one, the invitee reads the language the MU works in.
        profile_set_language(user=user, language=language_of(invited_by))
    elif Membership.objects.filter(user=user, project=project).exists():
        raise StateConflict(f"{email} is already a member of {project.acronym}; change that membership instead.",
                            field="email")
    membership = Membership(user=user, project=project, role=role, partner=partner if role == Role.REPORTER else None)
    validate(membership)
    membership.save()
    membership.controlled_partners.set(controlled_partners or [])
    perms.forget_memberships(user)
    _send_invitation(user, membership, invited_by, new_user=new_user)
    return user, membership


def awaits_password(user) -> bool:
    """Invited, and has not chosen a password yet: their invitation's set-password link still works."""
    return not user.has_usable_password()


def invitation_resend(*, membership: Membership, invited_by) -> None:
    """Send the invitation of `membership` again: a fresh set-password link to someone who has not chosen a
    password yet (the first link expires after PASSWORD_RESET_TIMEOUT), otherwise the note with the project's link.
    """
    _send_invitation(membership.user, membership, invited_by, new_user=awaits_password(membership.user))


@transaction.atomic
def project_open(*, created_by, data: dict, period_months: int, email: str, first_name: str = "",
                 last_name: str = ""):
    """A new project with its reporting periods, and its first management-unit member invited at once.

    Returns (project, membership); nothing is created when any part is refused.
    """
    project = project_create(data=data, period_months=period_months)
    _user, membership = user_invite(invited_by=created_by, email=email, first_name=first_name,
                                    last_name=last_name, project=project, role=Role.MANAGEMENT_UNIT)
    return project, membership


def is_last_mu(membership: Membership) -> bool:
    """The project's only management-unit member: it stays (a project without an MU is unmanageable)."""
    return membership.role == Role.MANAGEMENT_UNIT and not (
        Membership.objects.filter(project_id=membership.project_id, role=Role.MANAGEMENT_UNIT)
        .exclude(pk=membership.pk).exists())


def refuse_if_last_mu(membership: Membership) -> None:
    if membership.role != Role.MANAGEMENT_UNIT:
        return
    others = (Membership.objects.select_for_update()
              .filter(project_id=membership.project_id, role=Role.MANAGEMENT_UNIT).exclude(pk=membership.pk))
    if not list(others):
        raise StateConflict("A project keeps at least one management-unit member; add another one first.")


@transaction.atomic
def membership_update(*, membership: Membership, expected_version: int, data: dict) -> Membership:
    """Change a membership's role, partner or controlled partners; only reporters name a partner, only
    controllers controlled partners."""
    data = dict(data)
    role = data.get("role", membership.role)
    if role != Role.MANAGEMENT_UNIT:
        refuse_if_last_mu(membership)
    if role != Role.REPORTER:
        data["partner"] = None
    if role != Role.CONTROLLER:
        data["controlled_partners"] = []
    controlled = data.get("controlled_partners")
    controlled_partners_problems(role, membership.project_id,
                                 membership.controlled_partners.all() if controlled is None else controlled)
    membership = update_versioned(membership, expected_version=expected_version, data=data)
    perms.forget_memberships(membership.user)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership) -> None:
    """End a membership, and with it the person's calendar feed of the project, for good.

    A re-invited person gets a new membership and, when they ask for it, a new feed key: the URL handed
    out before stays dead (the feed also refuses a key older than the membership, reporting/calendar.py).
    """
    refuse_if_last_mu(membership)
    CalendarFeedToken.objects.filter(user_id=membership.user_id, project_id=membership.project_id).delete()
    membership.delete()
