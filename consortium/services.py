"""Write helpers every app's services build on: validation, create, compare-and-swap update, delete."""

from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, ProtectedError

from consortium.errors import DomainError, StateConflict, VersionConflict
from consortium.models import Project, ReportingPeriod, add_months, last_of_month

# A period's report is due at the end of the second month after the period ends (e.g. a period ending on
# 30 June: 31 August). Interreg ÖKS asks partners for their report within about two months of a period's
# end; the programme carries no rule of its own yet, so this is the default of every generated period.
REPORT_DUE_MONTHS_AFTER_PERIOD = 2


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


def tiled_periods(project: Project, period_months: int) -> list[ReportingPeriod]:
    """Periods of `period_months` months tiling the project from its start; the last one ends with the project.

    Unsaved; each report is due REPORT_DUE_MONTHS_AFTER_PERIOD months after its period's end (month's last day).
    """
    periods, start, number = [], project.start_date, 1
    while start <= project.end_date:
        end = min(add_months(start, period_months) - timedelta(days=1), project.end_date)
        periods.append(ReportingPeriod(project=project, number=number, start_date=start, end_date=end,
                                       report_due_date=last_of_month(add_months(end, REPORT_DUE_MONTHS_AFTER_PERIOD))))
        start, number = end + timedelta(days=1), number + 1
    return periods


@transaction.atomic
def project_create(*, data: dict, period_months: int | None = None) -> Project:
    """Create a project and, given a period length in months, the reporting periods that tile it.

    A project of 30 months in periods of 12 gets 12 + 12 + 6 months: the last period ends with the project.
    """
    project = create_validated(Project, data=data)
    if period_months is None:
        return project
    if not 1 <= period_months <= project.duration_months:
        raise DomainError(f"A period lasts from 1 month to the project's {project.duration_months} months.",
                          field="period_months")
    for period in tiled_periods(project, period_months):
        validate(period)
        period.save()
    return project


@transaction.atomic
def period_delete(*, period: ReportingPeriod) -> None:
    """Remove a reporting period; only the last one, since periods tile the project without gaps (409 else)."""
    if ReportingPeriod.objects.filter(project_id=period.project_id, number__gt=period.number).exists():
        raise StateConflict("Only the last period can be deleted: periods tile the project without gaps.")
    delete_checked(period)
