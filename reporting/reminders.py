"""Deadline reminders: one digest e-mail per person per run, each item and threshold at most once.

Items (in active projects):
- a deliverable not yet submitted, due within 14 days (`due-14`), within 3 days (`due-3`), or
  past due (`overdue`) → the project's MU members and the lead partner's contact persons;
- a report due date within 14 / 3 days for a partner without a submitted or approved report for
  that period → the partner's reporters;
- a report not submitted by its due date (`overdue`, reporting.selectors.report_statuses) → the
  partner's reporters and the project's MU members;
- a returned report → the partner's reporters (once per return).
A threshold is "within N days" rather than "exactly N days" so that a day without a run does not
lose a reminder; ReminderSent (key × e-mail) makes each one go out once.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from consortium.mail import absolute_url
from consortium.models import Membership, Project, ReportingPeriod, Role
from consortium.profiles import languages_by_email
from partners.models import Contact, Partner
from reporting.models import ProgressReport, ReminderSent
from reporting.selectors import report_statuses
from workpackages.models import Deliverable

THRESHOLDS = (3, 14)  # tightest first: an item within 3 days is reported at that threshold only


# A reminder goes to people of several languages: its text is rendered in each recipient's when sent.
lazy_date = lazy(date_format, str)


@dataclass(frozen=True)
class Reminder:
    key: str  # e.g. deliverable:12:due-14 — the unit of "never twice"
    project: str
    text: str  # lazy: str() renders it in the active language


@dataclass
class RunResult:
    digests: dict[str, list[Reminder]] = field(default_factory=dict)  # e-mail -> the reminders it carries
    sent: int = 0


def _threshold(days_left: int) -> str | None:
    """The due-soon threshold an item due in `days_left` days has reached (None: none yet)."""
    for limit in THRESHOLDS:
        if days_left <= limit:
            return f"due-{limit}"
    return None


def collect_reminders(today: date) -> dict[str, list[Reminder]]:
    """e-mail -> reminders due today, before removing the ones already sent."""
    by_email: dict[str, list[Reminder]] = defaultdict(list)
    horizon = today + timedelta(days=max(THRESHOLDS))
    projects = Project.objects.filter(status=Project.Status.ACTIVE)
    project_acronyms = dict(projects.values_list("pk", "acronym"))
    mu_emails = defaultdict(set)
    reporter_emails = defaultdict(set)
    for membership in Membership.objects.filter(project__in=projects, user__is_active=True).select_related("user"):
        if not membership.user.email:
            continue
        if membership.role == Role.MANAGEMENT_UNIT:
            mu_emails[membership.project_id].add(membership.user.email)
        elif membership.role == Role.REPORTER:
            reporter_emails[membership.partner_id].add(membership.user.email)
    contact_emails = defaultdict(set)
    for contact in Contact.objects.filter(project__in=projects, kind=Contact.Kind.PARTNER_CONTACT):
        contact_emails[(contact.project_id, contact.organisation_id)].add(contact.email)

    deliverables = (Deliverable.objects.filter(project__in=projects, status__in=Deliverable.OPEN_STATUSES,
                                               due_date__lte=horizon)
                    .select_related("project", "lead_partner__organisation").order_by("due_date", "code"))
    for d in deliverables:
        # Overdue is the deliverable's own rule (workpackages.models.deliverable_overdue), as everywhere.
        threshold = "overdue" if d.overdue_on(today) else _threshold((d.due_date - today).days)
        when = (format_lazy(_("overdue since {date}"), date=lazy_date(d.due_date)) if threshold == "overdue"
                else format_lazy(_("due {date}"), date=lazy_date(d.due_date)))
        reminder = Reminder(f"deliverable:{d.pk}:{threshold}", d.project.acronym,
                            format_lazy(_("{code} {title} (lead {lead}) — {when}"), code=d.code, title=d.title,
                                        lead=str(d.lead_partner), when=when))
        lead = d.lead_partner
        for email in mu_emails[d.project_id] | contact_emails[(d.project_id, lead.organisation_id)]:
            by_email[email].append(reminder)

    periods = ReportingPeriod.objects.filter(project__in=projects, report_due_date__gte=today,
                                             report_due_date__lte=horizon).select_related("project")
    done = set(ProgressReport.objects.filter(
        period__in=periods, status__in=(ProgressReport.Status.SUBMITTED, ProgressReport.Status.APPROVED),
    ).values_list("partner_id", "period_id"))
    partners_of = defaultdict(list)
    for partner in Partner.objects.filter(project__in=projects).select_related("organisation"):
        partners_of[partner.project_id].append(partner)
    for period in periods:
        threshold = _threshold((period.report_due_date - today).days)
        for partner in partners_of[period.project_id]:
            if (partner.pk, period.pk) in done:
                continue
            reminder = Reminder(f"report:{period.pk}:{partner.pk}:{threshold}", period.project.acronym,
                                format_lazy(_("{partner} progress report for period {number} — due {date}"),
                                            partner=str(partner), number=period.number,
                                            date=lazy_date(period.report_due_date)))
            for email in reporter_emails[partner.pk]:
                by_email[email].append(reminder)

    # Reports not submitted by their due date: the partner's reporters and the MU, once per partner × period.
    for row in report_statuses(Partner.objects.filter(project__in=projects), today):
        if not row.overdue:
            continue
        reminder = Reminder(f"report:{row.period.pk}:{row.partner.pk}:overdue",
                            project_acronyms[row.partner.project_id],
                            format_lazy(_("{partner} progress report for period {number} — overdue since {date} "
                                          "({days} days late)"),
                                        partner=str(row.partner), number=row.period.number,
                                        date=lazy_date(row.due_date), days=row.days_late))
        for email in reporter_emails[row.partner.pk] | mu_emails[row.partner.project_id]:
            by_email[email].append(reminder)

    returned = (ProgressReport.objects.filter(partner__project__in=projects, status=ProgressReport.Status.RETURNED)
                .select_related("partner__organisation", "partner__project", "period"))
    for report in returned:
        stamp = f"{report.reviewed_at:%Y%m%d%H%M%S}" if report.reviewed_at else "returned"
        reminder = Reminder(f"report:{report.pk}:returned:{stamp}", report.partner.project.acronym,
                            format_lazy(_("{partner} progress report for period {number} was returned: {comment}"),
                                        partner=str(report.partner), number=report.period.number,
                                        comment=report.review_comment or _("see the comment in the report")))
        for email in reporter_emails[report.partner_id]:
            by_email[email].append(reminder)
    return by_email


def _unsent(by_email: dict[str, list[Reminder]]) -> dict[str, list[Reminder]]:
    keys = {r.key for reminders in by_email.values() for r in reminders}
    already = set(ReminderSent.objects.filter(key__in=keys).values_list("key", "email"))
    digests = {}
    for email, reminders in sorted(by_email.items()):
        fresh = [r for r in reminders if (r.key, email) not in already]
        if fresh:
            digests[email] = fresh
    return digests


def digest_body(reminders: list[Reminder]) -> str:
    """The digest's text, in the active language."""
    lines = [gettext("Deadlines in your Consortium projects:"), ""]
    by_project = defaultdict(list)
    for reminder in reminders:
        by_project[reminder.project].append(reminder)
    for project, items in sorted(by_project.items()):
        lines.append(project)
        lines += [f"  • {item.text}" for item in items]
        lines.append("")
    lines.append(gettext("Open Consortium:") + f" {absolute_url('web:dashboard')}")
    return "\n".join(lines)


def send_deadline_reminders(*, today: date, dry_run: bool = False) -> RunResult:
    """Send (or, dry, only list) one digest per person; record each reminder so it is never sent again."""
    digests = _unsent(collect_reminders(today))
    result = RunResult(digests=digests)
    if dry_run:
        return result
    connection = get_connection()
    languages = languages_by_email(digests)
    for email, reminders in digests.items():
        with transaction.atomic():
            ReminderSent.objects.bulk_create(
                [ReminderSent(key=r.key, email=email, sent_on=today) for r in reminders], ignore_conflicts=True
            )
            with translation.override(languages.get(email.lower(), settings.LANGUAGE_CODE)):
                count = len(reminders)
                subject = ngettext("Consortium: %(count)d deadline reminder",
                                   "Consortium: %(count)d deadline reminders", count) % {"count": count}
                EmailMessage(subject, digest_body(reminders), to=[email], connection=connection).send()
        result.sent += 1
    return result
