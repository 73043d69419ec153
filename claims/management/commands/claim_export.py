"""`manage.py claim_export ACRONYM --claim N --format pdf|xlsx --output FILE [--language da|sv|en]`."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.exports import render_claim
from claims.models import Claim
from consortium.models import Project


class Command(BaseCommand):
    help = ("Write a project's payment claim — cover, the management unit's narrative of its period, the certified "
            "amounts per partner, cost category and fund, the list of expenditure and the payment status — as PDF "
            "or XLSX (the whole claim, as the management unit downloads it).")

    def add_arguments(self, parser):
        parser.add_argument("acronym", help="The project's acronym, e.g. ReproUnion (any case).")
        parser.add_argument("--claim", type=int, required=True, help="The claim's number in the project (1, 2, …).")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf", help="pdf (default) or xlsx.")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                            default=settings.LANGUAGE_CODE, help="The language of its headings and labels (default: "
                                                                 f"{settings.LANGUAGE_CODE}).")

    def handle(self, *args, acronym: str, claim: int, format: str, output: str, language: str, **options):
        projects = list(Project.objects.filter(acronym__iexact=acronym)[:2])
        if len(projects) != 1:
            raise CommandError(f"No project {acronym!r}." if not projects
                               else f"{acronym!r} names projects in several programmes.")
        project = projects[0]
        found = Claim.objects.filter(project=project, number=claim).select_related("project", "period").first()
        if found is None:
            raise CommandError(f"{project.acronym} has no claim {claim}.")
        content, _ = render_claim(found, format, language=language)
        with open(output, "wb") as handle:
            handle.write(content)
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes).")
