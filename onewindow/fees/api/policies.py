"""The policies' endpoints for the catalogue's keeper (the system admin), mounted at /api/fees/: every policy
with its status, ending one, and revising one from a date (a new version; the old one ends the day before)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from onewindow import clock
from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses
from onewindow.errors import PermissionDenied
from onewindow.fees import selectors, services
from onewindow.fees.models import FeePolicy
from onewindow.orgs.domain import Role
from onewindow.orgs.selectors import user_has_role

router = Router()
ERRORS = error_responses(401, 403, 404, 409, 422)


class FeesPolicyOut(Schema):
    id: int
    document_number: str
    title: str
    kind: str
    valid_from: dt.date
    valid_to: dt.date | None
    factor: Decimal
    at_lower_bound: bool
    payer_class: str
    project_category: str
    items: list[str]
    status: str = Field(description="future 未生效 / in_force 有效 / ended 已失效（按今天）")


class FeesPolicyEndIn(Schema):
    model_config = ConfigDict(extra="forbid")
    valid_to: dt.date = Field(description="最后一天有效（含）")
    reason: str = Field(min_length=1, max_length=500, description="终止理由")


class FeesPolicyReviseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    from_date: dt.date = Field(description="新版本的生效日期；原版本于前一天失效")
    reason: str = Field("", max_length=500)
    title: str | None = Field(None, max_length=200)
    factor: Decimal | None = Field(None, ge=0, le=1, description="减收：缴纳比例（0.5为减半）")
    at_lower_bound: bool | None = None
    valid_to: dt.date | None = None
    payer_class: Literal["", "small_micro"] | None = None
    project_category: Literal["", "industrial"] | None = None


def _keeper(request: HttpRequest) -> Any:
    user = api_user(request)
    if not user_has_role(user, Role.SYSTEM_ADMIN):
        raise PermissionDenied("只有系统管理员可以维护收费政策", code="fees_not_system_admin")
    return user


def _out(policy: FeePolicy) -> dict[str, Any]:
    status = selectors.policy_status_on(policy, clock.today())
    items = [item.code for item in policy.items.all()]
    return {
        field: getattr(policy, field) for field in FeesPolicyOut.model_fields if field not in ("items", "status")
    } | {
        "items": items,
        "status": str(status),
    }


@router.get("/policies", response={200: list[FeesPolicyOut], **ERRORS}, summary="收费政策（全部版本）")
def fee_policies(request: HttpRequest) -> list[dict[str, Any]]:
    """每个政策文件的每个版本及其今天的状态（系统管理员）。"""
    _keeper(request)
    return [_out(policy) for policy in selectors.fee_policies_all()]


@router.post("/policies/{int:policy_id}/end", response={200: FeesPolicyOut, **ERRORS}, summary="终止收费政策")
def fee_policy_end(request: HttpRequest, policy_id: int, payload: FeesPolicyEndIn) -> dict[str, Any]:
    """政策自 valid_to 之后不再适用（须说明理由）；只能提前，不能推后。"""
    policy = services.fee_policy_end(
        actor=_keeper(request), policy_id=policy_id, valid_to=payload.valid_to, reason=payload.reason
    )
    return _out(policy)


@router.post("/policies/{int:policy_id}/revise", response={201: FeesPolicyOut, **ERRORS}, summary="修订收费政策")
def fee_policy_revise(request: HttpRequest, policy_id: int, payload: FeesPolicyReviseIn) -> Status[dict[str, Any]]:
    """自 from_date 起施行新版本（未给出的字段沿用原版本）；原版本于前一天失效，历史计算不变。"""
    changes = payload.model_dump(exclude={"from_date", "reason"}, exclude_none=True)
    if "valid_to" in payload.model_fields_set:
        changes["valid_to"] = payload.valid_to
    revised = services.fee_policy_revise(
        actor=_keeper(request), policy_id=policy_id, from_date=payload.from_date, reason=payload.reason, **changes
    )
    return Status(201, _out(revised))
