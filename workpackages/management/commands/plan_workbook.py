"""`manage.py plan_workbook ACRONYM --output FILE`: a project's plan workbook (docs/PLAN_IMPORT.md)."""

from django.core.management.base import BaseCommand, CommandError

from consortium.models import Project
from workpackages.plan_workbook import export_xlsx


class Command(BaseCommand):
    help = "Write the whole plan of a project as an XLSX workbook, one sheet per kind (docs/PLAN_IMPORT.md)."

    def add_arguments(self, parser):
        parser.add_argument("acronym", help="The project's acronym, e.g. DiaUnion.")
        parser.add_argument("--output", required=True, help="The file to write.")

    def handle(self, *args, acronym: str, output: str, **options):
        projects = list(Project.objects.filter(acronym__iexact=acronym)[:2])
        if len(projects) != 1:
            raise CommandError(f"No project {acronym!r}." if not projects
                               else f"{acronym!r} names projects in several programmes.")
        content = export_xlsx(projects[0])
        with open(output, "wb") as handle:
            handle.write(content)
        self.stdout.write(f"Wrote {output} ({len(content):,} bytes).")
