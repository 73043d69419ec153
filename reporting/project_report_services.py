"""Writes of the MU's project report (the funder report's narrative): one save, create or compare-and-swap."""

from django.db import transaction

from consortium.errors import StateConflict, VersionRequired
from consortium.models import Project, ReportingPeriod
from consortium.services import create_validated, update_versioned
from reporting.models import ProjectReport

NARRATIVE_FIELDS = ("highlights", "deviations", "cross_border_value", "next_steps")


@transaction.atomic
def project_report_save(*, project: Project, period: ReportingPeriod, data: dict,
                        expected_version: int | None = None) -> ProjectReport:
    """Create the narrative of `period`, or update it if the caller read the current version.

    A second create for the same period would silently overwrite someone's text, so it is a 409
    unless the caller sends the version it read (then it is an ordinary compare-and-swap update).
    """
    narrative = {name: data[name] for name in NARRATIVE_FIELDS if name in data}
    existing = ProjectReport.objects.select_for_update().filter(project=project, period=period).first()
    if existing is None:
        return create_validated(ProjectReport, data={"project": project, "period": period, **narrative})
    if expected_version is None:
        raise StateConflict(
            f"The project report of period {period.number} already exists; update it with the version you read.",
            field="period",
        )
    return update_versioned(existing, expected_version=expected_version, data=narrative)


def project_report_update(*, instance: ProjectReport, expected_version: int | None, data: dict) -> ProjectReport:
    if expected_version is None:
        raise VersionRequired("Send the version you read.", field="version")
    return project_report_save(project=instance.project, period=instance.period, data=data,
                               expected_version=expected_version)
