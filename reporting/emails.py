"""Plain-text notifications of the report workflow; recipients come from project memberships."""

from django.conf import settings
from django.core.mail import send_mail

from consortium.models import Membership, Role


def _emails(memberships) -> list[str]:
    return sorted({m.user.email for m in memberships.select_related("user") if m.user.email and m.user.is_active})


def _report_link(report) -> str:
    return f"{settings.SITE_URL}/reports/{report.pk}/"


def report_submitted(report) -> None:
    """Tell the project's management unit that a partner report awaits review."""
    recipients = _emails(Membership.objects.filter(project_id=report.partner.project_id,
                                                   role=Role.MANAGEMENT_UNIT))
    if not recipients:
        return
    who = report.submitted_by.get_full_name() or report.submitted_by.username if report.submitted_by else "A reporter"
    send_mail(
        subject=f"[{report.partner.project}] {report.partner} submitted its report for period {report.period.number}",
        message=(
            f"{who} submitted the progress report of {report.partner} for period {report.period.number} "
            f"({report.period.start_date:%Y-%m-%d} – {report.period.end_date:%Y-%m-%d}).\n\n"
            f"Review it: {_report_link(report)}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def report_reviewed(report) -> None:
    """Tell the partner's reporters that their report was approved or returned (with the comment)."""
    recipients = _emails(Membership.objects.filter(partner_id=report.partner_id, role=Role.REPORTER))
    if not recipients:
        return
    outcome = "approved" if report.status == report.Status.APPROVED else "returned for changes"
    body = (
        f"The progress report of {report.partner} for period {report.period.number} was {outcome} "
        f"by the management unit.\n\n"
    )
    if report.review_comment:
        body += f"Comment:\n{report.review_comment}\n\n"
    body += f"Open it: {_report_link(report)}\n"
    send_mail(
        subject=f"[{report.partner.project}] Your report for period {report.period.number} was {outcome}",
        message=body,
        from_email=None,
        recipient_list=recipients,
    )
