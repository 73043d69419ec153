"""Plain-text notifications of the report workflow; recipients come from project memberships.

Each recipient gets their own message in their own language (consortium.profiles), linking to the
page they open: the MU the review page, the partner's reporters their report.
"""

from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consortium.mail import absolute_url, send_to_users
from consortium.models import Membership, Role


def _members(**membership_filter):
    """The active users holding a membership like `membership_filter`."""
    return (get_user_model().objects.filter(is_active=True, memberships__in=Membership.objects.filter(
        **membership_filter)).distinct().order_by("pk"))


def _period(report) -> dict:
    period = report.period
    return {"project": report.partner.project.acronym, "partner": str(report.partner), "number": period.number,
            "start": date_format(period.start_date), "end": date_format(period.end_date)}


def report_submitted(report) -> None:
    """Tell the project's management unit that a partner report awaits review."""
    submitter = report.submitted_by
    link = absolute_url("web:review", report.partner.project_id, report.pk)

    def render(user) -> tuple[str, str]:
        who = (submitter.get_full_name() or submitter.username) if submitter else _("A reporter")
        values = {**_period(report), "who": who}
        subject = _("[%(project)s] %(partner)s submitted its report for period %(number)s") % values
        body = _("%(who)s submitted the progress report of %(partner)s for period %(number)s "
                 "(%(start)s – %(end)s).") % values
        review = _("Review it:")
        return subject, f"{body}\n\n{review} {link}\n"

    send_to_users(_members(project_id=report.partner.project_id, role=Role.MANAGEMENT_UNIT), render)


def report_reviewed(report) -> None:
    """Tell the partner's reporters that their report was approved or returned (with the comment)."""
    approved = report.status == report.Status.APPROVED
    link = absolute_url("web:report", report.partner.project_id, report.pk)

    def render(user) -> tuple[str, str]:
        values = _period(report)
        if approved:
            subject = _("[%(project)s] Your report for period %(number)s was approved") % values
            body = _("The progress report of %(partner)s for period %(number)s was approved by the management "
                     "unit.") % values
        else:
            subject = _("[%(project)s] Your report for period %(number)s was returned for changes") % values
            body = _("The progress report of %(partner)s for period %(number)s was returned for changes by the "
                     "management unit.") % values
        body += "\n\n"
        if report.review_comment:
            body += _("Comment:") + f"\n{report.review_comment}\n\n"
        return subject, body + _("Open it:") + f" {link}\n"

    send_to_users(_members(partner_id=report.partner_id, role=Role.REPORTER), render)


def _controllers(report):
    """The active controllers whose memberships name the report's partner."""
    return _members(project_id=report.partner.project_id, role=Role.CONTROLLER,
                    controlled_partners=report.partner_id)


def _partner_and_mu(report):
    """The partner's reporters and the project's management unit."""
    return (_members(partner_id=report.partner_id, role=Role.REPORTER)
            | _members(project_id=report.partner.project_id, role=Role.MANAGEMENT_UNIT)).distinct().order_by("pk")


def _tell(report, recipients, link: str, subject, body, findings: bool = False) -> None:
    """One message per recipient, in their language: `subject` and `body` are lazy texts filled with the report's
    project, partner and period; `findings` adds the controller's findings."""

    def render(user) -> tuple[str, str]:
        values = _period(report)
        text = str(body) % values + "\n\n"
        if findings:
            text += _("Findings:") + f"\n{report.control_comment}\n\n"
        return str(subject) % values, text + _("Open it:") + f" {link}\n"

    send_to_users(recipients, render)


def report_ready_for_control(report) -> None:
    """Tell the partner's controllers that a report waits for their control, with a link to its control page."""
    _tell(report, _controllers(report), absolute_url("web:control", report.partner.project_id, report.pk),
          gettext_lazy("[%(project)s] The report of %(partner)s for period %(number)s awaits your control"),
          gettext_lazy("The progress report of %(partner)s for period %(number)s (%(start)s – %(end)s) is ready for "
                       "first-level control."))


def control_started(report) -> None:
    """Tell the partner and the MU that the controller has started."""
    _tell(report, _partner_and_mu(report), absolute_url("web:report", report.partner.project_id, report.pk),
          gettext_lazy("[%(project)s] Control of the report of %(partner)s for period %(number)s has started"),
          gettext_lazy("The first-level controller has started to verify the progress report of %(partner)s for "
                       "period %(number)s. It is read-only while in control."))


def report_certified(report) -> None:
    """Tell the partner and the MU that the certificate is signed, with a link to the report."""
    _tell(report, _partner_and_mu(report), absolute_url("web:report", report.partner.project_id, report.pk),
          gettext_lazy("[%(project)s] The report of %(partner)s for period %(number)s was certified"),
          gettext_lazy("The first-level controller certified the progress report of %(partner)s for period "
                       "%(number)s. Its certificate lists what was verified, deducted and parked."))


def control_returned(report) -> None:
    """Tell the partner and the MU that the controller sent the report back, with the findings."""
    _tell(report, _partner_and_mu(report), absolute_url("web:report", report.partner.project_id, report.pk),
          gettext_lazy("[%(project)s] The controller sent back the report of %(partner)s for period %(number)s"),
          gettext_lazy("The first-level controller sent the progress report of %(partner)s for period %(number)s "
                       "back for changes."), findings=True)
