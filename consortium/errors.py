"""Domain errors raised by services; the API maps them to status codes, the web to messages."""


class DomainError(Exception):
    """A request the domain refuses. `field` names the input at fault, when there is one."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})


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
