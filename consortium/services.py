"""Write helpers every app's services build on: validated create, and update by compare-and-swap."""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import F

from consortium.errors import VersionConflict


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
    instance.full_clean()
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
    instance.full_clean()
    instance.save()
    _set_m2m(instance, m2m)
    return instance


@transaction.atomic
def bump_version(instance: models.Model, *, expected_version: int | None = None) -> None:
    """Bump a row's version for a change made elsewhere (a status change, a nested list)."""
    model = type(instance)
    rows = model.objects.filter(pk=instance.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1):
        raise VersionConflict(
            f"This {model._meta.verbose_name} was changed by someone else. Reload it and try again.",
            field="version",
        )
    instance.refresh_from_db(fields=["version"])
