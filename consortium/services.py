"""Write helpers every app's services build on: validation, create, compare-and-swap update, delete."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, ProtectedError

from consortium.errors import DomainError, StateConflict, VersionConflict


def validate(instance: models.Model, **kwargs) -> None:
    """full_clean() whose refusal is a DomainError naming the same fields, the one error type services raise."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise DomainError.from_validation_error(error) from None


def _apply(instance: models.Model, data: dict) -> dict:
    """Set plain fields on `instance`; return the many-to-many values to set after saving."""
    m2m = {}
    for name, value in data.items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            m2m[name] = value
        else:
            setattr(instance, name, value)
    return m2m


def _set_m2m(instance: models.Model, m2m: dict[str, Iterable]) -> None:
    for name, values in m2m.items():
        getattr(instance, name).set(values)


@transaction.atomic
def create_validated(model: type[models.Model], *, data: dict) -> models.Model:
    """Create a row after full_clean() (model validation, uniqueness and database constraints)."""
    instance = model()
    m2m = _apply(instance, data)
    validate(instance)
    instance.save()
    _set_m2m(instance, m2m)
    return instance


@transaction.atomic
def update_versioned(instance: models.Model, *, expected_version: int, data: dict) -> models.Model:
    """Write `data` only if the row still has `expected_version`, bumping it; else VersionConflict.

    The conditional UPDATE is the compare-and-swap: on PostgreSQL a concurrent writer blocks on
    the row lock and then finds the version changed; on SQLite IMMEDIATE transactions serialise
    writers. Validation runs after the swap inside the same transaction, so a refusal rolls back.
    """
    model = type(instance)
    swapped = model.objects.filter(pk=instance.pk, version=expected_version).update(version=F("version") + 1)
    if not swapped:
        current = model.objects.filter(pk=instance.pk).values_list("version", flat=True).first()
        raise VersionConflict(
            f"This {model._meta.verbose_name} was changed by someone else (now version {current}, "
            f"you sent {expected_version}). Reload it and apply your change again.",
            field="version",
        )
    instance.version = expected_version + 1
    m2m = _apply(instance, data)
    validate(instance)
    instance.save()
    _set_m2m(instance, m2m)
    return instance


@transaction.atomic
def delete_checked(instance: models.Model) -> None:
    """Delete a row; one that other rows still point at (PROTECT) is a StateConflict, not a 500."""
    try:
        instance.delete()
    except ProtectedError as error:
        raise StateConflict(
            f"This {instance._meta.verbose_name} is still referenced ({len(error.protected_objects)} "
            "objects) and cannot be deleted."
        ) from None


@transaction.atomic
def period_delete(*, period) -> None:
    """Delete a reporting period: only the last one, since periods tile the project without gaps (409 else)."""
    if type(period).objects.filter(project_id=period.project_id, number__gt=period.number).exists():
        raise StateConflict("Only the last period can be deleted: periods tile the project without gaps.")
    delete_checked(period)
