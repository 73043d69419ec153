"""`manage.py funder_report ACRONYM --period N --format pdf|xlsx --output FILE [--language da|sv|en]`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from consortium.models import Project, ReportingPeriod
from reporting.exports import render_funder_report


class Command(BaseCommand):
    help = ("Write the funder report of a project's reporting period (cumulative to the period's end; money "
            "counts certified amounts only: what the first-level controllers verified; approved and in-control "
            "reports are shown apart) as PDF or XLSX.")

    def add_arguments(self, parser):
        parser.add_argument("acronym", help="The project's acronym, e.g. REPROUNION.")
        parser.add_argument("--period", type=int, required=True, help="The reporting period's number (1, 2, …).")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf", help="pdf (default) or xlsx.")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                            default=settings.LANGUAGE_CODE, help="The language of its headings and labels (default: "
                                                                 f"{settings.LANGUAGE_CODE}).")

    def handle(self, *args, acronym: str, period: int, format: str, output: str, language: str, **options):
        projects = list(Project.objects.filter(acronym__iexact=acronym)[:2])
        if len(projects) != 1:
            raise CommandError(f"No project {acronym!r}." if not projects
                               else f"{acronym!r} names projects in several programmes.")
        project = projects[0]
        reporting_period = ReportingPeriod.objects.filter(project=project, number=period).first()
        if reporting_period is None:
            raise CommandError(f"{project.acronym} has no reporting period {period}.")
        content, _ = render_funder_report(project, reporting_period, format, language)
        with open(output, "wb") as handle:
            handle.write(content)
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes).")
