"""`python manage.py seed_demo [--with-admin] [--force]`: the demo projects, users and rates."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.claims import seed_demo_claims
from demo.projects import DEMO_PASSWORD, seed_demo_projects
from demo.reports import seed_demo_reports

LOGINS = [
    ("mu", "management unit in ReproUnion and DiaUnion; may use the admin"),
    ("coordinator", "coordinator of ReproUnion"),
    ("reporter-ku", "reporter for KU (University of Copenhagen) in ReproUnion"),
    ("reporter-lu", "reporter for LU (Lund University) in ReproUnion"),
    ("viewer", "viewer of DiaUnion"),
    ("controller-dk", "first-level controller of ReproUnion's Danish partners"),
    ("controller-se", "first-level controller of ReproUnion's Swedish partners"),
    ("controller-no", "first-level controller of OUS (Oslo University Hospital) in ReproUnion"),
]


class Command(BaseCommand):
    help = "Create the demo data (ReproUnion, DiaUnion, demo users). Idempotent; refuses to run with DEBUG off."

    def add_arguments(self, parser):
        parser.add_argument("--with-admin", action="store_true",
                            help=f"Also create the superuser 'admin' (password '{DEMO_PASSWORD}').")
        parser.add_argument("--force", action="store_true",
                            help="Run even with DEBUG off (the demo users have a public password).")

    def handle(self, *args, with_admin: bool = False, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: refusing to create demo users with a known password. "
                               "Use --force if this really is a demo server.")
        result = seed_demo_projects(with_admin=with_admin)
        if result.created:
            self.stdout.write("Created: " + ", ".join(f"{count} {name}" for name, count in sorted(
                result.created.items())))
        else:
            self.stdout.write("The demo data is already complete; nothing created.")
        for project in result.projects:
            self.stdout.write(f"  {project.acronym}: {project.start_date} – {project.end_date}, "
                              f"{project.partners.count()} partners, {project.deliverables.count()} deliverables")
        self.stdout.write(f"Log in at /accounts/login/ (the admin at /admin/) with password '{DEMO_PASSWORD}':")
        logins = LOGINS + ([("admin", "superuser")] if with_admin else [])
        for username, what in logins:
            self.stdout.write(f"  {username:<13} {what}")
        # Reports go through reporting's own services (submission freezes rates), after the plan exists.
        seed_demo_reports(result.projects, self.stdout)
        # Claims after the reports: they gather the certified ones.
        seed_demo_claims(result.projects, self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo ready."))
