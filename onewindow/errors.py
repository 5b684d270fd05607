"""Errors a user can cause: a stable code for the API and a Chinese message for people."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the request. `code` is stable; `message` is shown to the user."""

    code = "invalid_request"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class NotFound(DomainError):
    code = "not_found"
    status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403


class Conflict(DomainError):
    code = "conflict"
    status = 409


class InvalidFields(DomainError):
    """Several fields are wrong at once: every problem is reported together, per field."""

    code = "invalid_fields"
    status = 422

    def __init__(self, message: str, *, errors: dict[str, str], code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.errors = errors
