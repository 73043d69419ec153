"""The web pages a person of a synthetic project opens, by role: what bench/pages.py times and what the page
query-count tests (tests/web/test_page_queries.py) pin, at two sizes of the same data.

Each page is a name and a URL built from the synthetic project at one scale (`page_urls`): the same page at
scale 1 and scale 10 shows the same kind of object (the reporter's latest report, a report waiting for review, one
in control, the latest finalised claim...), so its queries should be the same and its time close.
"""

from dataclasses import dataclass

from claims.models import Claim
from consortium.models import Project
from demo.synthetic import SYNTH_ROLES, synthetic_acronym, synthetic_user
from partners.models import BudgetVersion
from reporting.models import ProgressReport

ROLES = tuple(SYNTH_ROLES)


@dataclass(frozen=True)
class Page:
    name: str
    url: str


def page_urls(scale: int) -> list[Page]:
    """Every page of SYNTH<scale>, with the ids of that project's objects filled in."""
    project = Project.objects.get(acronym=synthetic_acronym(scale))
    reporter = synthetic_user(scale, "reporter").memberships.get(project=project)
    reports = ProgressReport.objects.filter(partner__project=project).order_by("-period__number", "partner__number")
    own = reports.filter(partner=reporter.partner, status=ProgressReport.Status.DRAFT).first()
    waiting = reports.filter(status=ProgressReport.Status.SUBMITTED).first()
    in_control = reports.filter(status=ProgressReport.Status.IN_CONTROL).first()
    claim = Claim.objects.filter(project=project, status=Claim.Status.FINALISED).order_by("-number").first()
    budget = project.budget_versions.filter(status=BudgetVersion.Status.APPROVED).order_by("-number").first()
    p = f"/projects/{project.pk}"
    return [
        Page("dashboard", "/"),
        Page("overview", f"{p}/"),
        Page("partners", f"{p}/partners/"),
        Page("budget versions", f"{p}/budget-versions/"),
        Page("budget version", f"{p}/budget-versions/{budget.pk}/"),
        Page("work plan", f"{p}/work-plan/"),
        Page("tracker", f"{p}/deliverables/"),
        Page("milestones", f"{p}/milestones/"),
        Page("risks", f"{p}/risks/"),
        Page("matrix", f"{p}/reports/"),
        Page("report editor", f"{p}/reports/{own.pk}/"),
        Page("review", f"{p}/reports/{waiting.pk}/review/"),
        Page("review queue", "/reviews/"),
        Page("control", f"{p}/reports/{in_control.pk}/control/"),
        Page("control queue", "/controls/"),
        Page("claims", f"{p}/claims/"),
        Page("claim", f"{p}/claims/{claim.pk}/"),
        Page("payments", f"{p}/payments/"),
        Page("people", f"{p}/people/"),
        Page("plan", f"{p}/plan/"),
        Page("calendar", f"{p}/calendar/"),
    ]
