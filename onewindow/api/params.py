"""Parsers of query and body values that every router shares: a wrong value is a 422 whose message
names the field in Chinese (`PydanticCustomError`, which the API's handler turns into `ErrorOut`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic_core import PydanticCustomError


def parse_int(value: Any, name: str, low: int, high: int | None) -> int:
    """A whole number from low to high (no upper bound when high is None); a boolean is not one."""
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


def parse_date(value: Any, name: str) -> dt.date:
    """A date given as YYYY-MM-DD."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PydanticCustomError("invalid_date", "{name}应为 YYYY-MM-DD 格式的日期", {"name": name}) from None


def parse_optional_date(value: Any, name: str) -> dt.date | None:
    """A date given as YYYY-MM-DD, or None when left empty."""
    return None if value in (None, "") else parse_date(value, name)


def parse_bool(value: Any, name: str) -> bool:
    """A JSON boolean, strictly (not "yes", not 1)."""
    if not isinstance(value, bool):
        raise PydanticCustomError("not_boolean", "{name}应为 true 或 false", {"name": name})
    return value
