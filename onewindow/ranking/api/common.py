"""What the ranking endpoints share: error schema, strict bodies, paging, the access check."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import ConfigDict

from onewindow.api.auth import api_user
from onewindow.api.pagination import PageQuery, limit_field
from onewindow.api.schemas import error_responses
from onewindow.errors import PermissionDenied
from onewindow.orgs.models import User
from onewindow.ranking import selectors

# The ranking lists have taken pages of up to 500 (50 by default) from the start: a month's classes
# are long lists that clients read in bulk, so a smaller bound would break them.
RANKING_MAX_LIMIT = 500


ERRORS = error_responses(400, 401, 403, 404, 409, 422)


class Body(Schema):
    model_config = ConfigDict(extra="forbid")


class RankingPageQuery(PageQuery):
    limit: int = limit_field(50, most=RANKING_MAX_LIMIT)
    rank_class: str | None = Field(None, max_length=20, description="按类别筛选:ahead、normal、lagging、no_progress")


def ranking_user(request: HttpRequest) -> User:
    """The caller, if they may open ranking data (the office, leaders, service teams); else 403."""
    user = api_user(request)
    if not selectors.can_open_ranking(user):
        raise PermissionDenied("您没有查看量化排位的权限", code="ranking_forbidden")
    return user
