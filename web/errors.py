"""The web's one error path: a service's refusal shown where the user can act on it.

Views call services through a form (`form.call(request, service, **kwargs)`), as the API calls
them through a serializer, and never catch errors themselves:
- problems of the input (400) land under the field they name, or at the top of the form;
- conflicts — the object changed state (409), someone else's change (412) — are a message at the top
  of the page, since re-entering the input would not help;
- the response status is the service's (`form.status_code`).
A DomainError that escapes a view anyway (no form to hold it) is answered by `DomainErrorMiddleware`
with its message and status, never a 500.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import render
from django.utils.translation import gettext as _

from consortium.errors import DomainError, Problem, StateConflict, VersionConflict, VersionRequired


def conflict_message(error: DomainError) -> str:
    if isinstance(error, VersionConflict | VersionRequired):
        return _("Someone else changed this since you opened it: nothing was saved. Reload the page to see "
                 "their changes, then make yours again.")
    return _("This can no longer be changed: %(reason)s") % {"reason": error.message}


def is_conflict(error: DomainError) -> bool:
    return isinstance(error, StateConflict | VersionConflict | VersionRequired)


class ServiceFormMixin:
    """A form whose cleaned input goes to a service, which may still refuse it."""

    refused: DomainError | None = None

    def call(self, request, service, /, **kwargs):
        """`service(**kwargs)`; a refusal is placed on the form and kept in `refused` (the result is then None).

        Without a request (a page fragment that shows its own message) a conflict stays on the form too.
        """
        self.refused = None
        try:
            return service(**kwargs)
        except DomainError as error:
            self.refused = error
            if is_conflict(error) and request is not None:
                messages.error(request, self.conflict_text(error) or conflict_message(error))
            elif is_conflict(error):
                self.add_error(None, self.conflict_text(error) or conflict_message(error))
            else:
                for problem in error.problems or [Problem("", error.message)]:
                    self.add_error(self.field_for(problem), problem.message)
            return None

    def conflict_text(self, error: DomainError) -> str | None:
        """What this form says of a conflict instead of the general message (None: the general one)."""
        return None

    def field_for(self, problem: Problem) -> str | None:
        """The form field that shows `problem` (None: the top of the form). Forms with lists map items here."""
        if not problem.collection and problem.field in self.fields:
            return problem.field
        return None

    @property
    def status_code(self) -> int:
        if self.refused is not None:
            return self.refused.status_code
        return 400 if self.is_bound and self.errors else 200

    def non_field_messages(self) -> list[str]:
        return list(self.errors.get(NON_FIELD_ERRORS, []))


class ActionForm(ServiceFormMixin, forms.Form):
    """A button that changes something (delete a line, submit): no input, only the service's answer."""


class DomainErrorMiddleware:
    """A domain refusal no form caught: its message on an error page with its status, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        message = conflict_message(exception) if is_conflict(exception) else exception.message
        return render(request, "refused.html", {"message": message, "problems": exception.problems},
                      status=exception.status_code)
