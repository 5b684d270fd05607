"""Schemas and value parsers shared by the key-project endpoints (Chinese messages for bad input)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic_core import PydanticCustomError

from onewindow.api.schemas import ErrorOut
from onewindow.projects.domain import clean_amount

MAX_LIMIT = 100
MAX_OFFSET = 10_000_000


ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


def parse_int(value: Any, name: str, low: int, high: int | None) -> int:
    if isinstance(value, bool):
        raise PydanticCustomError("not_integer", "{name}必须是整数", {"name": name})
    try:
        number = value if isinstance(value, int) else int(str(value).strip())
    except ValueError:
        raise PydanticCustomError("not_integer", "{name}必须是整数", {"name": name}) from None
    if number < low or (high is not None and number > high):
        bounds = f"{low} 至 {high}" if high is not None else f"不小于 {low}"
        raise PydanticCustomError("out_of_range", "{name}应为 {bounds}", {"name": name, "bounds": bounds})
    return number


def parse_amount(value: Any, name: str) -> Decimal:
    try:
        return clean_amount(value, name)
    except ValueError as exc:
        raise PydanticCustomError("invalid_amount", "{message}", {"message": str(exc)}) from None


def parse_date(value: Any, name: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PydanticCustomError("invalid_date", "{name}应为 YYYY-MM-DD 格式的日期", {"name": name}) from None


def parse_bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise PydanticCustomError("not_boolean", "{name}应为 true 或 false", {"name": name})
    return value


class ProjectOrganisationOut(Schema):
    id: int
    code: str
    name: str


class UserOut(Schema):
    id: int
    username: str
    name: str
