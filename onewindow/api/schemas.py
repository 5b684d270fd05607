"""Schemas every router of the API shares."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class ErrorOut(Schema):
    """The body of every error: a stable code for programs, a Chinese message for people."""

    code: str = Field(description="稳定的错误代码")
    message: str = Field(description="中文错误说明")
    errors: list[dict[str, Any]] = Field([], description="逐项错误")


def error_responses(*statuses: int) -> dict[int, type[Schema]]:
    """The error answers an operation documents: `ErrorOut` for each status."""
    return dict.fromkeys(statuses, ErrorOut)
