"""The computed deliverable flags, checked on both sides of their date boundaries."""

from datetime import date, timedelta

import pytest

from tests import factories as f
from workpackages.models import Deliverable

DUE = date(2026, 6, 30)
DAY_AFTER = DUE + timedelta(days=1)


@pytest.fixture
def deliverable(world):
    return f.make_deliverable(world.wp1, code="D1.1", due_date=DUE)


def test_not_overdue_on_its_due_date(deliverable):
    assert not deliverable.overdue_on(DUE)
    assert not Deliverable.objects.overdue(DUE).exists()
    assert list(Deliverable.objects.not_overdue(DUE)) == [deliverable]


def test_overdue_the_day_after_its_due_date(deliverable):
    assert deliverable.overdue_on(DAY_AFTER)
    assert list(Deliverable.objects.overdue(DAY_AFTER)) == [deliverable]
    assert not Deliverable.objects.not_overdue(DAY_AFTER).exists()


@pytest.mark.parametrize("status", ["planned", "in_progress", "internal_review", "revision_requested"])
def test_every_open_status_can_be_overdue(deliverable, status):
    Deliverable.objects.filter(pk=deliverable.pk).update(status=status)
    deliverable.refresh_from_db()
    assert deliverable.overdue_on(DAY_AFTER)
    assert Deliverable.objects.overdue(DAY_AFTER).exists()


@pytest.mark.parametrize("status", ["submitted", "accepted", "cancelled"])
def test_submitted_accepted_or_cancelled_is_never_overdue(deliverable, status):
    Deliverable.objects.filter(pk=deliverable.pk).update(status=status, submitted_date=DUE)
    deliverable.refresh_from_db()
    assert not deliverable.overdue_on(DAY_AFTER + timedelta(days=365))
    assert not Deliverable.objects.overdue(DAY_AFTER + timedelta(days=365)).exists()


def test_submitted_on_the_due_date_is_not_late(deliverable):
    deliverable.submitted_date = DUE
    assert not deliverable.late


def test_submitted_the_day_after_the_due_date_is_late(deliverable):
    deliverable.submitted_date = DAY_AFTER
    assert deliverable.late


def test_not_submitted_is_not_late_even_when_overdue(deliverable):
    assert deliverable.overdue_on(DAY_AFTER) and not deliverable.late


def test_rescheduled_only_when_due_date_differs_from_original(deliverable):
    assert not deliverable.rescheduled
    deliverable.due_date = DUE + timedelta(days=1)
    assert deliverable.rescheduled
    deliverable.due_date = DUE - timedelta(days=1)
    assert deliverable.rescheduled


@pytest.mark.parametrize(("due", "month"), [
    (date(2025, 1, 1), 1), (date(2025, 1, 31), 1), (date(2025, 2, 1), 2), (date(2025, 12, 31), 12),
    (date(2026, 1, 1), 13), (date(2027, 12, 31), 36),
])
def test_due_month_counts_from_m1_the_projects_first_month(world, due, month):
    assert world.project.start_date == date(2025, 1, 1)
    assert f.make_deliverable(world.wp1, due_date=due).due_month == month
