"""The fees endpoints (mounted at /api/fees/), public: the fee catalogue with the policies in force, and the
estimate of a stage's or a matter's fees from the fee materials (nothing is stored)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from onewindow.api.schemas import error_responses
from onewindow.fees import domain, selectors

router = Router()
ERRORS = error_responses(400, 404, 422)


class EstimateIn(Schema):
    stage_id: int | None = Field(None, description="一件事阶段（与事项二选一）")
    matter_id: int | None = Field(None, description="事项（与阶段二选一）")
    on: dt.date | None = Field(None, description="计费日期，默认今天（按当日有效的政策计算）")
    floor_area: Decimal | None = Field(None, description="总建筑面积（平方米）")
    air_defence_area_unbuilt: Decimal | None = Field(None, description="应建未建防空地下室面积（平方米）")
    contract_value: Decimal | None = Field(None, description="施工合同价款（元）")
    project_category: Literal["", "industrial"] = Field("", description="项目类别：industrial 工业项目")
    payer_classes: list[Literal["small_micro"]] = Field(
        [], description="缴费人类别：small_micro 小微企业", max_length=5
    )


class PolicyRef(Schema):
    document_number: str
    title: str
    kind: str
    kind_label: str


class LineOut(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    department: str = Field(description="执收部门")
    account_name: str
    account_number: str
    unit_label: str
    computed_amount: Decimal = Field(description="应收金额（元）")
    due_amount: Decimal = Field(description="应缴金额（元）")
    subsidised_amount: Decimal = Field(description="财政补贴金额（元）")
    relieved_amount: Decimal = Field(description="因政策少缴金额（元）")
    policy: PolicyRef | None = Field(description="改变本项金额的政策")


class EstimateOut(Schema):
    on: dt.date
    target: str = Field(description="阶段或事项名称")
    lines: list[LineOut]
    computed_total: Decimal
    due_total: Decimal
    subsidised_total: Decimal


class ItemOut(Schema):
    code: str
    name: str
    kind_label: str
    department: str
    legal_basis: str
    unit_label: str
    lower_bound: Decimal | None
    upper_bound: Decimal | None


class PolicyOut(PolicyRef):
    valid_from: dt.date
    valid_to: dt.date | None
    items: list[str]


class CatalogueOut(Schema):
    on: dt.date
    items: list[ItemOut]
    policies: list[PolicyOut]


@router.post("/estimate", response={200: EstimateOut, **ERRORS}, auth=None, summary="测算阶段或事项的收费")
def estimate(request: HttpRequest, payload: EstimateIn) -> dict[str, Any]:
    on = payload.on or timezone.localdate()
    payer = domain.Payer(classes=frozenset(payload.payer_classes), project_category=payload.project_category)
    raw = payload.model_dump(include={"floor_area", "air_defence_area_unbuilt", "contract_value"})
    target, result = selectors.fee_estimate_for(
        stage_id=payload.stage_id, matter_id=payload.matter_id, raw_inputs=raw, payer=payer, on=on
    )
    return {
        "on": on,
        "target": str(getattr(target, "name", target)),
        "lines": selectors.estimate_lines(result),
        "computed_total": result.computed_total,
        "due_total": result.due_total,
        "subsidised_total": result.subsidised_total,
    }


@router.get("/catalogue", response={200: CatalogueOut}, auth=None, summary="收费项目与现行减免政策")
def catalogue(request: HttpRequest) -> dict[str, Any]:
    on = timezone.localdate()
    return {"on": on, "items": selectors.catalogue_items(), "policies": selectors.catalogue_policies(on)}
