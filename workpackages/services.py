"""Writes to the work plan. The deliverable lifecycle is enforced here and nowhere else."""

from datetime import date

from django.db import transaction

from consortium.errors import DomainError, InvalidTransition, StateConflict
from consortium.models import local_today
from consortium.services import create_validated, update_versioned
from consortium.uploads import attach_file
from workpackages.models import Deliverable, DueDateChange, Milestone, Risk

Status = Deliverable.Status


def _status_changes(deliverable: Deliverable, new_status: str, data: dict, on_date: date | None) -> dict:
    """Check a move along the lifecycle and return the field changes it implies (dates)."""
    if new_status not in Status.values:
        raise InvalidTransition(f"Unknown status '{new_status}'.", field="status")
    if not deliverable.can_move_to(new_status):
        allowed = ", ".join(sorted(deliverable.TRANSITIONS[deliverable.status])) or "none"
        raise InvalidTransition(
            f"A deliverable cannot move from '{deliverable.status}' to '{new_status}' (allowed: {allowed}).",
            field="status",
        )
    day = on_date or local_today()
    changes: dict = {"status": new_status}
    if new_status == Status.SUBMITTED:
        changes["submitted_date"] = data.get("submitted_date") or day
    elif new_status == Status.ACCEPTED:
        changes["accepted_date"] = data.get("accepted_date") or day
    return changes


RESCHEDULE_REASON = "reschedule_reason"


def _rescheduling(item: Deliverable | Milestone, data: dict, reason: str, user) -> DueDateChange | None:
    """The record of a due date that `data` moves, unsaved; a move without its reason is refused.

    `item` is the row as locked, so the old date is the stored one, not the one a stale page showed.
    """
    new_date = data.get("due_date")
    if new_date is None or new_date == item.due_date:
        return None
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            f"{item.code} moves from {item.due_date:%Y-%m-%d} to {new_date:%Y-%m-%d}: say why (the funder report "
            "shows the reason of every rescheduling).", field=RESCHEDULE_REASON)
    kind = "deliverable" if isinstance(item, Deliverable) else "milestone"
    return DueDateChange(project_id=item.project_id, old_date=item.due_date, new_date=new_date, reason=reason,
                         changed_by=user if user is not None and user.is_authenticated else None,
                         **{kind: item})


@transaction.atomic
def deliverable_update(*, deliverable: Deliverable, expected_version: int, data: dict,
                       on_date: date | None = None, reschedule_reason: str = "", user=None) -> Deliverable:
    """Change a deliverable's fields and, if `data` has a new status, move it along the lifecycle.

    Moving to submitted sets submitted_date (today unless given), to accepted sets accepted_date.
    A new due date needs `reschedule_reason`, kept with the old and new dates (DueDateChange).
    """
    data = dict(data)
    locked = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    new_status = data.pop("status", deliverable.status)
    if new_status != deliverable.status:
        data.update(_status_changes(deliverable, new_status, data, on_date))
    change = _rescheduling(locked, data, reschedule_reason, user) if locked.version == expected_version else None
    deliverable = update_versioned(deliverable, expected_version=expected_version, data=data)
    if change is not None:
        change.save()
    return deliverable


def deliverable_set_status(*, deliverable: Deliverable, status: str, expected_version: int,
                           on_date: date | None = None) -> Deliverable:
    """The inline status change of the deliverable tracker (web); the API's PATCH calls deliverable_update."""
    return deliverable_update(deliverable=deliverable, expected_version=expected_version,
                              data={"status": status}, on_date=on_date)


def deliverable_create(*, data: dict) -> Deliverable:
    """A new deliverable starts the lifecycle as planned; its project is its work package's."""
    data = {"project": data["work_package"].project, **data}
    status = data.get("status", Status.PLANNED)
    if status != Status.PLANNED:
        raise InvalidTransition("A new deliverable starts as 'planned'; move it along its lifecycle afterwards.",
                                field="status")
    return create_validated(Deliverable, data=data)


@transaction.atomic
def deliverable_document_attach(*, deliverable: Deliverable, uploaded, user) -> Deliverable:
    """Store (or replace) a deliverable's document; a cancelled deliverable takes none."""
    locked = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if locked.status == Status.CANCELLED:
        raise StateConflict("This deliverable is cancelled; no document can be uploaded.")
    attach_file(instance=deliverable, file_field="document", name_field="document_name", uploaded=uploaded,
                user=user)
    return deliverable


def milestone_create(*, data: dict) -> Milestone:
    """A milestone's project is its work package's."""
    data = {"project": data["work_package"].project, **data}
    return create_validated(Milestone, data=data)


def risk_create(*, data: dict) -> Risk:
    """A new risk in the register (its owner, if any, a partner of the same project)."""
    return create_validated(Risk, data=data)


def risk_update(*, risk: Risk, expected_version: int, data: dict) -> Risk:
    """Change a risk if nobody else has since the version the writer read (else VersionConflict)."""
    return update_versioned(risk, expected_version=expected_version, data=data)


@transaction.atomic
def milestone_update(*, milestone: Milestone, expected_version: int, data: dict, reschedule_reason: str = "",
                     user=None) -> Milestone:
    """Change a milestone; a new due date needs `reschedule_reason`, kept with the old and new dates."""
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    change = _rescheduling(locked, data, reschedule_reason, user) if locked.version == expected_version else None
    milestone = update_versioned(milestone, expected_version=expected_version, data=data)
    if change is not None:
        change.save()
    return milestone
