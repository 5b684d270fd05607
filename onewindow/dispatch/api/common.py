"""What the dispatch endpoints share: error and page schemas, bodies that forbid extra fields."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator
from pydantic_core import PydanticCustomError

from onewindow.api.schemas import ErrorOut

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000  # past it the database cannot take the number (a 500 before)


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class Body(Schema):
    model_config = ConfigDict(extra="forbid")


def _bounded(value: Any, name: str, low: int, high: int | None) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or len(text) > 9:
        raise PydanticCustomError("not_integer", "{name}必须是不小于 0 的整数", {"name": name})
    number = int(text)
    if number < low or (high is not None and number > high):
        raise PydanticCustomError("out_of_range", "{name}超出范围", {"name": name})
    return number


class DispatchPageQuery(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"每页条数，1 至 {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数，0 至 {MAX_OFFSET}")

    @field_validator("limit", mode="before")
    @classmethod
    def _limit(cls, value: Any) -> int:
        return _bounded(value, "每页条数 limit", 1, MAX_LIMIT)

    @field_validator("offset", mode="before")
    @classmethod
    def _offset(cls, value: Any) -> int:
        return _bounded(value, "偏移量 offset", 0, MAX_OFFSET)


def page(rows: QuerySet[Any], params: DispatchPageQuery) -> tuple[int, list[Any]]:
    return rows.count(), list(rows[params.offset : params.offset + params.limit])
