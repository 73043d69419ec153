"""The audit history (django-simple-history) for people: one helper that turns two records into changes.

A change names the field by its label (the model field's verbose_name, translated), shows people by
their names, files by their original names (a file field's `<name>_name` companion, never the storage
path), choices by their translated labels, dates as the active language writes them. Render inside
the reader's language (the web's middleware, the API's request) — the labels are translated when built.
Every page or endpoint that shows history goes through `record_changes` and `person`.
"""

import posixpath
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop

# Bookkeeping columns that change on every save and say nothing to a reader of the audit.
UNTRACKED = frozenset({"id", "version", "updated_at", "created_at"})

# The default verbose names (from the field names) of the audited reports' and lines' fields, so that
# the catalogues translate them; a field with its own translated verbose_name needs no entry here.
gettext_noop("partner"), gettext_noop("period"), gettext_noop("status"), gettext_noop("summary")
gettext_noop("problems"), gettext_noop("created by"), gettext_noop("submitted at"), gettext_noop("submitted by")
gettext_noop("reviewed at"), gettext_noop("reviewed by"), gettext_noop("review comment"), gettext_noop("report")
gettext_noop("cost category"), gettext_noop("work package"), gettext_noop("description"), gettext_noop("supplier")
gettext_noop("invoice number"), gettext_noop("invoice date"), gettext_noop("payment date"), gettext_noop("employee")
gettext_noop("staff method"), gettext_noop("annual gross cost"), gettext_noop("hours"), gettext_noop("hourly rate")
gettext_noop("monthly gross cost"), gettext_noop("percentage"), gettext_noop("months"), gettext_noop("unit cost")
gettext_noop("units"), gettext_noop("amount"), gettext_noop("currency"), gettext_noop("exchange rate")
gettext_noop("rate month"), gettext_noop("amount eur"), gettext_noop("attachment")


@dataclass(frozen=True)
class Change:
    field: str  # the field's name, as the API names it
    label: str  # its label in the active language
    old: str | None  # the stored values, as text (the API's old/new)
    new: str | None
    old_display: str | None  # the values as a person reads them
    new_display: str | None


def person(user) -> str:
    """A person as others know them: their full name, else their user name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _file_name_fields(model) -> set[str]:
    """`<file>_name` columns that hold a file field's original name: shown with the file, not on their own."""
    names = {f.name for f in model._meta.concrete_fields}
    return {f"{f.name}_name" for f in model._meta.concrete_fields
            if isinstance(f, models.FileField) and f"{f.name}_name" in names}


def display_value(field, record) -> str | None:
    """One field's value of a history record, as a person reads it."""
    raw = getattr(record, field.attname)
    if raw is None or raw == "":
        return None
    if isinstance(field, models.FileField):
        original = getattr(record, f"{field.name}_name", "")
        return original or posixpath.basename(str(raw))
    if field.is_relation:
        try:
            related = getattr(record, field.name)
        except ObjectDoesNotExist:
            return f"#{raw}"
        if hasattr(related, "get_full_name") and hasattr(related, "get_username"):
            return person(related)
        return str(related)
    if field.choices:
        return str(dict(field.flatchoices).get(raw, raw))
    if isinstance(raw, bool):
        return gettext("Yes") if raw else gettext("No")
    if isinstance(raw, datetime):
        return formats.date_format(timezone.localtime(raw) if timezone.is_aware(raw) else raw, "DATETIME_FORMAT")
    if isinstance(raw, date):
        return formats.date_format(raw, "DATE_FORMAT")
    return str(raw)


def record_changes(before, after) -> list[Change]:
    """What changed from one history record of an object to its next, field by field, in the model's order."""
    model = after.instance_type
    hidden = UNTRACKED | _file_name_fields(model)
    changes = []
    for field in model._meta.concrete_fields:
        if field.name in hidden or field.attname in hidden:
            continue
        old, new = getattr(before, field.attname), getattr(after, field.attname)
        if isinstance(field, models.FileField):
            # A replaced file may keep its generated path's shape; its original name tells the reader.
            old, new = old or None, new or None
            old_name = getattr(before, f"{field.name}_name", None)
            new_name = getattr(after, f"{field.name}_name", None)
            if old == new and old_name == new_name:
                continue
        elif old == new:
            continue
        changes.append(Change(
            field=field.attname, label=capfirst(gettext(str(field.verbose_name))),
            old=None if old is None else str(old), new=None if new is None else str(new),
            old_display=display_value(field, before), new_display=display_value(field, after)))
    return changes
