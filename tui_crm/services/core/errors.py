"""Errors a service raises when it refuses. The CLI maps them to exit codes, screens to messages."""


class ServiceError(Exception):
    """A refusal with a stable English `code`, a message in the interface language and,
    when one input is to blame, the `field` it belongs to."""

    exit_code = 1
    code = "refused"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_json(self) -> dict[str, object]:
        error: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error}


class ValidationFailed(ServiceError):
    code = "invalid"


class NotFound(ServiceError):
    code = "not_found"


class Forbidden(ServiceError):
    """Wrong role or out of the user's org scope."""

    code = "forbidden"


class Conflict(ServiceError):
    """Duplicate, stale version, already reviewed: the business rule said no."""

    code = "conflict"


class AuthFailed(ServiceError):
    exit_code = 3
    code = "auth_failed"


class AccountLocked(AuthFailed):
    code = "locked"


class SchemaOutOfDate(ServiceError):
    """The book's schema revision is older or newer than the code; the message says what
    to run (`tui-crm db upgrade`, or install the newer program)."""

    code = "schema_mismatch"
