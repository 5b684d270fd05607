"""The one error of the catalogue rules."""

from __future__ import annotations


class CatalogueRuleError(Exception):
    """A catalogue rule refused something; services turn it into a DomainError."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
