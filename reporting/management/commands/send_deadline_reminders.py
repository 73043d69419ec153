"""`manage.py send_deadline_reminders [--dry-run] [--today YYYY-MM-DD]` (run daily, e.g. from cron)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from consortium.models import local_today
from reporting.reminders import digest_body, send_deadline_reminders


class Command(BaseCommand):
    help = ("E-mail one digest per person of deliverables due in 14 and 3 days or overdue (to the MU and the "
            "lead partner's contacts), report due dates in 14 and 3 days and returned reports (to the partner's "
            "reporters). Each item and threshold goes to a person once.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print the digests; send and record nothing.")
        parser.add_argument("--today", help="Pretend today is this date (YYYY-MM-DD); default: today in "
                                            "Europe/Copenhagen.")

    def handle(self, *args, dry_run: bool, today: str | None, **options):
        try:
            day = date.fromisoformat(today) if today else local_today()
        except ValueError:
            raise CommandError(f"--today must be YYYY-MM-DD, not {today!r}") from None
        result = send_deadline_reminders(today=day, dry_run=dry_run)
        if dry_run:
            for email, reminders in result.digests.items():
                self.stdout.write(f"To: {email}\n{digest_body(reminders)}\n")
            self.stdout.write(f"Dry run: {len(result.digests)} digest(s) would be sent; nothing sent or recorded.")
        else:
            self.stdout.write(f"Sent {result.sent} digest(s).")
