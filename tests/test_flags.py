"""The computed deliverable flags, checked on both sides of their date boundaries."""

from datetime import date, timedelta

import pytest

from consortium.models import local_today, month_number
from tests import factories as f
from workpackages.models import Deliverable, deliverable_late, deliverable_overdue, deliverable_rescheduled

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


# One definition, three readers: the model's properties, the database filter and the API's list page (which
# reads plain rows, not model instances). Each must give every deliverable the same flags.
STATUSES = [s.value for s in Deliverable.Status]


@pytest.fixture
def every_case(world):
    """Each status, due yesterday, today and tomorrow, rescheduled or not, submitted early, on time or late."""
    today = local_today()
    made = []
    for status in STATUSES:
        for offset in (-1, 0, 1):
            due = today + timedelta(days=offset)
            handed_in = status in ("submitted", "accepted", "revision_requested")
            submitted = due + timedelta(days=offset) if handed_in else None
            made.append(f.make_deliverable(world.wp1, status=status, due_date=due, submitted_date=submitted,
                                           accepted_date=submitted if status == "accepted" else None,
                                           original_due_date=due - timedelta(days=40 * (offset + 1))))
    return made


def test_the_database_filter_and_the_model_agree_on_overdue(every_case):
    today = local_today()
    overdue = set(Deliverable.objects.overdue(today).values_list("pk", flat=True))
    assert overdue == {d.pk for d in every_case if d.overdue_on(today)}
    assert set(Deliverable.objects.not_overdue(today).values_list("pk", flat=True)) == {
        d.pk for d in every_case} - overdue
    assert overdue  # the cases include overdue ones and others
    assert len(overdue) < len(every_case)


def test_the_api_list_rows_carry_the_models_flags(every_case, mu, api_client):
    client = api_client(mu)
    listed = {row["id"]: row for row in client.get("/api/deliverables/?page_size=500").json()["results"]}
    assert set(listed) == {d.pk for d in every_case}
    for d in Deliverable.objects.filter(pk__in=listed).select_related("project"):
        row = listed[d.pk]
        assert (row["overdue"], row["late"], row["rescheduled"], row["due_month"]) == (
            d.overdue, d.late, d.rescheduled, d.due_month), d.code
        assert row == client.get(f"/api/deliverables/{d.pk}/").json()  # the list row is the detail


def test_the_flag_functions_are_the_models(deliverable):
    today = deliverable.due_date + timedelta(days=1)
    assert deliverable_overdue(deliverable.status, deliverable.due_date, today) is deliverable.overdue_on(today)
    assert deliverable_late(DAY_AFTER, DUE) and not deliverable_late(DUE, DUE) and not deliverable_late(None, DUE)
    assert deliverable_rescheduled(DAY_AFTER, DUE) and not deliverable_rescheduled(DUE, DUE)
    assert month_number(date(2025, 1, 1), DUE) == deliverable.due_month == deliverable.project.month_number(DUE)
