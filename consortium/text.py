"""One-line text: the rule that refuses control characters, and making any stored text safe where it must be one line.

A one-line field (an acronym, a name, a title, a supplier, an invoice number…) is a `LineField`: its
validator runs in the model's full_clean() (every service), in the API's serializers (DRF takes a
model field's validators) and in the web's forms (built from the model fields), so all three refuse
a CR, LF, tab or any other control character naming the field. Text stored before the rule, or
written past it (a queryset update, the admin's raw SQL, an import of old data), still reaches
headers: `one_line()` and `safe_filename()` make it harmless where it is used (mail subjects,
download names).
"""

import os
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_RUNS = re.compile(CONTROL_CHARACTERS.pattern + "+")


def validate_one_line(value) -> None:
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(_("Line breaks, tabs and other control characters are not allowed here."),
                              code="control_characters")


class LineField(models.CharField):
    """A CharField holding one line of text: control characters are refused wherever it is validated."""

    default_validators = [validate_one_line]

    def deconstruct(self):
        # The database column is a plain CharField's, and validators are not part of migrations:
        # migrations see a CharField, so that adopting the rule needs none.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def one_line(value) -> str:
    """Any text as one line: each run of control characters becomes one space."""
    return CONTROL_RUNS.sub(" ", str(value or "")).strip()


# What a file name must not carry into a Content-Disposition header or a file system: controls, path
# separators, quotes and the characters Windows refuses; each run becomes one "_".
_UNSAFE_IN_NAME = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029\\\\/:*?"<>|;]+')
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}")


def safe_filename(name, *, fallback: str = "download") -> str:
    """A download's file name built from any stored text (an acronym, an uploaded file's original name).

    Unsafe characters become "_", the length is capped (keeping a plain extension), and a name left
    empty becomes `fallback`; Django's content_disposition_header() then encodes what is not ASCII.
    """
    cleaned = _UNSAFE_IN_NAME.sub("_", str(name or ""))
    stem, extension = os.path.splitext(cleaned)
    if not _EXTENSION.fullmatch(extension):
        stem, extension = cleaned, ""
    return (stem.strip(" ._")[:150] or fallback) + extension
