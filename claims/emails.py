"""Notifications of claims and payments: the MU and coordinators follow a claim; a partner hears of its money."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consortium.mail import absolute_url, send_to_users
from consortium.models import Role


def _users(query: Q):
    return get_user_model().objects.filter(query, is_active=True).distinct().order_by("pk")


def claim_changed(claim) -> None:
    """Submitted, returned or finalised: tell the project's MU and coordinators (the link opens the claim)."""
    link = absolute_url("web:claim", project_id=claim.project_id, claim_id=claim.pk)
    recipients = _users(Q(memberships__project_id=claim.project_id,
                          memberships__role__in=[Role.MANAGEMENT_UNIT, Role.COORDINATOR]))

    def render(user) -> tuple[str, str]:
        values = {"project": claim.project.acronym, "number": claim.number, "period": claim.period.number}
        if claim.status == claim.Status.SUBMITTED:
            subject = _("[%(project)s] Claim %(number)s (period %(period)s) was submitted to the programme") % values
        elif claim.status == claim.Status.FINALISED:
            subject = _("[%(project)s] The programme finalised claim %(number)s (period %(period)s)") % values
        else:
            subject = _("[%(project)s] The programme returned claim %(number)s (period %(period)s)") % values
        body = subject.split("] ", 1)[1] + "."
        if claim.status == claim.Status.DRAFT and claim.return_comment:
            body += "\n\n" + _("Reason:") + f"\n{claim.return_comment}"
        return subject, body + "\n\n" + _("Open it:") + f" {link}\n"

    send_to_users(recipients, render)


def transfer_recorded(transfer) -> None:
    """Tell the partner's reporters that the lead partner passed them their share (the link opens the payments
    page, where they see their partner's money)."""
    claim = transfer.claim
    link = absolute_url("web:payments", project_id=claim.project_id)
    recipients = _users(Q(memberships__partner_id=transfer.partner_id, memberships__role=Role.REPORTER))

    def render(user) -> tuple[str, str]:
        values = {"project": claim.project.acronym, "number": claim.number, "amount": f"{transfer.amount:,.2f}",
                  "date": date_format(transfer.date), "partner": str(transfer.partner)}
        subject = _("[%(project)s] %(amount)s EUR passed on to %(partner)s") % values
        body = _("The lead partner passed on %(amount)s EUR to %(partner)s on %(date)s, its share of claim "
                 "%(number)s.") % values
        return subject, body + "\n\n" + _("Open it:") + f" {link}\n"

    send_to_users(recipients, render)
