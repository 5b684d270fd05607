"""Schemas and value parsers shared by the key-project endpoints (Chinese messages for bad input);
the parsers every router uses are in `onewindow.api.params`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic_core import PydanticCustomError

from onewindow.api.schemas import error_responses
from onewindow.projects.domain import clean_amount

ERRORS = error_responses(400, 401, 403, 404, 409, 422)


def parse_amount(value: Any, name: str) -> Decimal:
    try:
        return clean_amount(value, name)
    except ValueError as exc:
        raise PydanticCustomError("invalid_amount", "{message}", {"message": str(exc)}) from None


class ProjectOrganisationOut(Schema):
    id: int
    code: str
    name: str


class UserOut(Schema):
    id: int
    username: str
    name: str
