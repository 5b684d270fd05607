"""Paging of every list endpoint: `limit` and `offset` in the query, bounded, and the page's body
(`count`, `limit`, `offset`, `items`).

A list takes at most MAX_LIMIT rows a page and skips at most MAX_OFFSET (past it the database cannot
take the number: a 500 before). A list that needs another bound says why where it declares its
query (`limit_field(most=...)`); `PageQuery`'s validators read the bound from the field, so the
message and the OpenAPI document always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from annotated_types import Le
from django.db.models import QuerySet
from ninja import Field, Schema
from pydantic import field_validator

from onewindow.api.params import parse_int

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


def limit_field(default: int = 20, *, most: int = MAX_LIMIT) -> Any:
    return Field(default, ge=1, le=most, description=f"每页条数，1 至 {most}")


def offset_field(*, most: int = MAX_OFFSET) -> Any:
    return Field(0, ge=0, le=most, description=f"跳过的条数，0 至 {most}")


class PageQuery(Schema):
    limit: int = limit_field()
    offset: int = offset_field()

    @field_validator("limit", mode="before")
    @classmethod
    def _limit(cls, value: Any) -> int:
        return parse_int(value, "每页条数 limit", 1, cls._most("limit"))

    @field_validator("offset", mode="before")
    @classmethod
    def _offset(cls, value: Any) -> int:
        return parse_int(value, "偏移量 offset", 0, cls._most("offset"))

    @classmethod
    def _most(cls, name: str) -> int | None:
        bounds: list[Any] = [rule.le for rule in cls.model_fields[name].metadata if isinstance(rule, Le)]
        return int(bounds[0]) if bounds else None


def page_rows(rows: QuerySet[Any], limit: int, offset: int) -> list[Any]:
    return list(rows[offset : offset + limit])


def page_of(rows: QuerySet[Any], params: PageQuery) -> tuple[int, list[Any]]:
    """The rows' total and the page's rows."""
    return rows.count(), page_rows(rows, params.limit, params.offset)


def page_body(rows: QuerySet[Any], params: PageQuery, item: Callable[[Any], Any] | None = None) -> dict[str, Any]:
    """The page as the API returns it: `count`, `limit`, `offset` and its `items` (each through `item`)."""
    count, page = page_of(rows, params)
    items: Sequence[Any] = page if item is None else [item(row) for row in page]
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": list(items)}
