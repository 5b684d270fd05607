"""What the ranking endpoints share: error schema, strict bodies, paging, the access check."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import ConfigDict

from onewindow.api.auth import request_user
from onewindow.api.schemas import ErrorOut
from onewindow.errors import PermissionDenied
from onewindow.orgs.models import User
from onewindow.ranking import selectors

MAX_LIMIT = 500


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class Body(Schema):
    model_config = ConfigDict(extra="forbid")


class RankingPageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"每页条数，1 至 {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=10_000_000, description="跳过的条数")
    rank_class: str | None = Field(None, max_length=20, description="按类别筛选:ahead、normal、lagging、no_progress")


def ranking_user(request: HttpRequest) -> User:
    """The caller, if they may open ranking data (the office, leaders, service teams); else 403."""
    user = request_user(request)
    if not selectors.can_open_ranking(user):
        raise PermissionDenied("您没有查看量化排位的权限", code="ranking_forbidden")
    return user
