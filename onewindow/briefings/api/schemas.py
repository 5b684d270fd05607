"""Schemas and value parsers shared by the briefings endpoints (Chinese messages for bad input);
the parsers every router uses are in `onewindow.api.params`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from onewindow.api.schemas import error_responses
from onewindow.briefings.services.members import MAX_CODES

ERRORS = error_responses(400, 401, 403, 404, 422)


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
