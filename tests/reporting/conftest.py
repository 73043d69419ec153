"""Reporting fixtures: a draft report of partner A."""

import pytest

from reporting import services


@pytest.fixture
def draft(world, reporter_a):
    """Partner A's draft for period 1, with the narrative of WP1 (the one WP it must report on)."""
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    return services.report_update(
        report=report, expected_version=report.version, user=reporter_a,
        data={"summary": "Kick-off held.", "work_package_progress": [
            {"work_package": world.wp1, "narrative": "Consortium set up.", "objective_status": "partly"}]},
    )

