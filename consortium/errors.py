"""Domain errors raised by services; the API renders them as its error shape, the web at the form field.

A refusal carries `Problem` items — where in the input (a field, optionally in a numbered item of a
collection) and what is wrong — so that no caller parses message strings to find the field.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError

# A spreadsheet row as a collection: the API names it "row 7.amount", as the spreadsheet numbers rows.
ROW = "row"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request.

    `field` is the input at fault ("" for the request as a whole). `collection` and `index` place it
    in a list of the input (`("expenditures", 3)`: the fourth line; `(ROW, 7)`: spreadsheet row 7);
    `object_id` is the stored object the item is, when there is one, so that a page can link to it.
    `sheet` names the worksheet of a workbook with many (the plan import): "Partners!row 7.cofinancing_rate".
    """

    field: str
    message: str
    collection: str = ""
    index: int | None = None
    object_id: int | None = None
    sheet: str = ""

    @property
    def key(self) -> str:
        """The name the API's `fields` uses: "amount", "expenditures[3].amount", "row 7.amount"."""
        if not self.collection:
            where = self.field or "__all__"
        else:
            where = f"{ROW} {self.index}" if self.collection == ROW else f"{self.collection}[{self.index}]"
            where = f"{where}.{self.field}" if self.field else where
        return f"{self.sheet}!{where}" if self.sheet else where


class DomainError(Exception):
    """A request the domain refuses, with the problems found (all of them, where a check can list them)."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, problems: Iterable[Problem] = ()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems) or ([Problem(field, message)] if field else [])

    @property
    def errors(self) -> dict[str, list[str]]:
        """The problems grouped by their API key (the `fields` of the API's error shape)."""
        grouped: dict[str, list[str]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.key, []).append(problem.message)
        return grouped

    @classmethod
    def from_validation_error(cls, error: DjangoValidationError, message: str = "") -> "DomainError":
        """A model's full_clean() refusal as a domain error naming the same fields."""
        if hasattr(error, "error_dict"):
            problems = [Problem("" if name == NON_FIELD_ERRORS else name, text)
                        for name, errors in error.error_dict.items() for e in errors for text in e.messages]
        else:
            problems = [Problem("", text) for text in error.messages]
        first = problems[0] if problems else None
        summary = message or (f"{first.field}: {first.message}" if first and first.field else
                              first.message if first else "Invalid input.")
        return cls(summary, problems=problems)


class InvalidTransition(DomainError):
    """A status change the lifecycle does not allow (e.g. a deliverable from planned to accepted)."""

    code = "invalid_transition"


class StateConflict(DomainError):
    """The object's state forbids the action (e.g. editing a submitted report)."""

    status_code = 409
    code = "conflict"


class VersionConflict(DomainError):
    """Someone else changed the object since this version was read: nothing was written."""

    status_code = 412
    code = "stale_version"


class VersionRequired(DomainError):
    status_code = 428
    code = "version_required"
