"""Helpers of the report page tests (their draft, line and rates are fixtures in tests/conftest.py)."""

from django.urls import reverse

from reporting import services


def report_url(report, name="web:report", **extra):
    return reverse(name, kwargs={"project_id": report.partner.project_id, "report_id": report.pk, **extra})


def submit_ready(world, report, user):
    """Give the report every narrative it needs, then submit it."""
    services.report_update(report=report, expected_version=report.version, user=user, data={
        "work_package_progress": [{"work_package": world.wp1, "narrative": "Kick-off held.",
                                   "objective_status": "fully"}]})
    return services.report_submit(report=report, user=user, notify=False)
