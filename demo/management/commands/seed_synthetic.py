"""`manage.py seed_synthetic --scale N`: the measurement project SYNTH<N> (see demo/synthetic.py)."""

from django.core.management.base import BaseCommand, CommandError

from consortium.models import Project
from demo.synthetic import seed_synthetic, synthetic_acronym


class Command(BaseCommand):
    help = ("Create the synthetic project SYNTH<N>: N times the demo's deliverables, reports and expenditure lines "
            "(partners and work packages ×2 when N > 1), by bulk inserts that bypass the services, then its claims "
            "and budget versions through the services, and one person per role (synth<N>-mu, -coordinator, "
            "-reporter, -controller, -viewer; no password). For measurements only.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="N ≥ 1 (default 1).")

    def handle(self, *args, scale: int, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        if Project.objects.filter(acronym=synthetic_acronym(scale)).exists():
            raise CommandError(f"{synthetic_acronym(scale)} exists already; it is left as it is.")
        project = seed_synthetic(scale=scale)
        self.stdout.write(
            f"Created {project.acronym} (id {project.pk}): {project.partners.count()} partners, "
            f"{project.work_packages.count()} work packages, {project.deliverables.count()} deliverables, "
            f"{project.periods.count()} periods."
        )
