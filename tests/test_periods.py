"""Reporting periods tile their project: full_clean() names the gap, the overlap or the misalignment."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from consortium.models import Project, ReportingPeriod


def period(world, number=3, start=date(2027, 1, 1), end=date(2027, 12, 31), due=None) -> ReportingPeriod:
    return ReportingPeriod(project=world.project, number=number, start_date=start, end_date=end,
                           report_due_date=due or end)


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_period_that_continues_the_tiling_is_valid(world):
    period(world).full_clean()


def test_gap_after_the_previous_period_is_refused_naming_the_expected_start(world):
    with pytest.raises(ValidationError) as error:
        period(world, start=date(2027, 2, 1)).full_clean()
    assert "without gaps" in messages(error.value, "start_date")
    assert "2027-01-01" in messages(error.value, "start_date")


def test_overlap_with_another_period_is_refused_naming_it(world):
    with pytest.raises(ValidationError) as error:
        period(world, start=date(2026, 7, 1)).full_clean()
    assert "Overlaps period 2" in messages(error.value, "start_date")


def test_start_not_on_the_first_of_a_month_is_refused(world):
    with pytest.raises(ValidationError) as error:
        period(world, start=date(2027, 1, 2)).full_clean()
    assert "first day of a month" in messages(error.value, "start_date")


def test_end_not_on_the_last_of_a_month_is_refused(world):
    with pytest.raises(ValidationError) as error:
        period(world, end=date(2027, 12, 30)).full_clean()
    assert "last day of a month" in messages(error.value, "end_date")


def test_period_outside_the_project_is_refused(world):
    with pytest.raises(ValidationError) as error:
        period(world, end=date(2028, 6, 30)).full_clean()
    assert "within the project's dates" in messages(error.value, "end_date")


def test_first_period_starts_with_the_project(world):
    world.period1.start_date = date(2025, 2, 1)
    with pytest.raises(ValidationError) as error:
        world.period1.full_clean()
    assert "2025-01-01" in messages(error.value, "start_date")


def test_period_cannot_skip_a_number(world):
    with pytest.raises(ValidationError) as error:
        period(world, number=4).full_clean()
    assert "Period 3 must exist first" in messages(error.value, "number")


def test_shortening_a_period_would_open_a_gap_before_the_next(world):
    world.period1.end_date = date(2025, 11, 30)
    with pytest.raises(ValidationError) as error:
        world.period1.full_clean()
    assert "Period 2 starts on 2026-01-01" in messages(error.value, "end_date")


def test_project_dates_are_month_aligned(world):
    project = Project(programme=world.project.programme, acronym="GAMMA", title="t",
                      start_date=date(2026, 1, 15), end_date=date(2027, 1, 30))
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "first day of a month" in messages(error.value, "start_date")
    assert "last day of a month" in messages(error.value, "end_date")
