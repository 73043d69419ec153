from datetime import date

import pytest

from consortium.errors import InvalidTransition, VersionConflict
from tests import factories as f
from workpackages.services import deliverable_set_status, deliverable_update


@pytest.fixture
def deliverable(world):
    return f.make_deliverable(world.wp1, code="D1.1", due_date=date(2026, 6, 30))


def test_illegal_status_jump_is_refused_and_nothing_changes(deliverable):
    with pytest.raises(InvalidTransition) as error:
        deliverable_set_status(deliverable=deliverable, status="accepted", expected_version=1)
    assert "planned" in error.value.message and "accepted" in error.value.message
    deliverable.refresh_from_db()
    assert deliverable.status == "planned" and deliverable.version == 1


def test_walk_through_lifecycle_sets_dates(deliverable):
    d = deliverable_set_status(deliverable=deliverable, status="in_progress", expected_version=1)
    d = deliverable_set_status(deliverable=d, status="submitted", expected_version=2, on_date=date(2026, 7, 2))
    assert d.submitted_date == date(2026, 7, 2) and d.late
    d = deliverable_set_status(deliverable=d, status="revision_requested", expected_version=3)
    d = deliverable_update(deliverable=d, expected_version=4,
                           data={"status": "submitted", "submitted_date": date(2026, 7, 20)})
    d = deliverable_set_status(deliverable=d, status="accepted", expected_version=5, on_date=date(2026, 8, 1))
    d.refresh_from_db()
    assert (d.status, d.submitted_date, d.accepted_date, d.version) == (
        "accepted", date(2026, 7, 20), date(2026, 8, 1), 6)


def test_stale_version_writes_nothing(deliverable):
    deliverable_update(deliverable=deliverable, expected_version=1, data={"title": "First"})
    with pytest.raises(VersionConflict):
        deliverable_update(deliverable=deliverable, expected_version=1, data={"title": "Second"})
    deliverable.refresh_from_db()
    assert deliverable.title == "First" and deliverable.version == 2
