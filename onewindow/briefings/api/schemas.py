"""Schemas and value parsers shared by the briefings endpoints (Chinese messages for bad input)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from onewindow.api.schemas import ErrorOut
from onewindow.briefings.services.members import MAX_CODES

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000  # past it the database cannot take the number (a 500 before)


ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


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


def parse_date(value: Any, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PydanticCustomError("invalid_date", "{name}应为 YYYY-MM-DD 格式的日期", {"name": name}) from None


def parse_share(value: Any) -> Decimal:
    """A share between 0 and 1 (0.9 for 90 %), given as a number or a string."""
    if isinstance(value, bool):
        raise PydanticCustomError("invalid_share", "目标投资完成率应为 0 至 1 之间的小数")
    try:
        share = Decimal(str(value).strip())
    except InvalidOperation:
        raise PydanticCustomError("invalid_share", "目标投资完成率应为 0 至 1 之间的小数") from None
    if not share.is_finite() or not Decimal(0) <= share <= Decimal(1):
        raise PydanticCustomError("invalid_share", "目标投资完成率应为 0 至 1 之间的小数")
    return share.quantize(Decimal("0.001"))


class BriefingPageQuery(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"每页条数，1 至 {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数，0 至 {MAX_OFFSET}")

    @field_validator("limit", mode="before")
    @classmethod
    def _limit(cls, value: Any) -> int:
        return parse_int(value, "每页条数 limit", 1, MAX_LIMIT)

    @field_validator("offset", mode="before")
    @classmethod
    def _offset(cls, value: Any) -> int:
        return parse_int(value, "偏移量 offset", 0, MAX_OFFSET)


class CodesIn(Schema):
    model_config = {"extra": "forbid"}

    codes: list[str] = Field(min_length=1, max_length=MAX_CODES, description="项目编码")

    @field_validator("codes", mode="after")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        cleaned = list(dict.fromkeys(code.strip() for code in value if code.strip()))
        if not cleaned or any(len(code) > 40 for code in cleaned):
            raise PydanticCustomError("invalid_codes", "项目编码不能为空，且每个不超过 40 个字符")
        return cleaned


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    district: str
