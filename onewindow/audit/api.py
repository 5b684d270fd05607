"""Read-only JSON API of the audit log, for the audit admin only (mounted at /api/audit/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from onewindow.api.auth import api_user
from onewindow.api.pagination import MAX_OFFSET, page_rows
from onewindow.api.schemas import error_responses
from onewindow.audit import selectors
from onewindow.audit.labels import action_label

router = Router(tags=["全程留痕"])

# The audit lists cut a larger `limit` down to 200 rather than refuse it (as they always have): events
# carry their hashes and changes, so a page is heavier than other lists' rows.
AUDIT_MAX_LIMIT = 200
ERRORS = error_responses(401, 403, 422)


class EventOut(Schema):
    id: int
    stream: str
    seq: int
    occurred_at: dt.datetime
    actor_id: int | None
    organisation_id: int | None
    action: str
    action_label: str
    target_type: str
    target_id: str
    changes: dict[str, Any]
    request_id: str
    algorithm: str
    prev_hash: str
    hash: str

    @staticmethod
    def resolve_action_label(obj: Any) -> str:
        return action_label(obj.action)


class EventPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EventOut]


class EventQuery(Schema):
    model_config = {"extra": "forbid"}

    stream: str = ""
    action: str = ""
    actor_id: int | None = None
    target_type: str = ""
    target_id: str = ""
    occurred_on_or_after: dt.date | None = None
    occurred_on_or_before: dt.date | None = None
    limit: int = Field(50, ge=1, description=f"每页条数，最多 {AUDIT_MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CheckpointOut(Schema):
    id: int
    created_at: dt.datetime
    algorithm: str
    root: str
    stream_count: int
    event_count: int
    signature_scheme: str
    key_fingerprint: str
    signature: str


class CheckpointPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CheckpointOut]


class AuditPageQuery(Schema):
    limit: int = Field(50, ge=1, description=f"每页条数，最多 {AUDIT_MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("/events", response={200: EventPage, **ERRORS}, summary="留痕事件（审计管理员）")
def events(request: HttpRequest, query: Query[EventQuery]) -> dict[str, Any]:
    user = api_user(request)
    filters = selectors.EventFilters(**query.dict(exclude={"limit", "offset"}))
    found = selectors.event_list_for_admin(user=user, filters=filters)
    return _page(found, query.limit, query.offset)


@router.get("/checkpoints", response={200: CheckpointPage, **ERRORS}, summary="留痕检查点（审计管理员）")
def checkpoints(request: HttpRequest, query: Query[AuditPageQuery]) -> dict[str, Any]:
    user = api_user(request)
    return _page(selectors.checkpoint_list_for_admin(user=user), query.limit, query.offset)


def _page(items: Any, limit: int, offset: int) -> dict[str, Any]:
    limit = min(limit, AUDIT_MAX_LIMIT)
    return {"count": items.count(), "limit": limit, "offset": offset, "items": page_rows(items, limit, offset)}
