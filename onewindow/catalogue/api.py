"""Public JSON API of the catalogue: matters (searchable, filterable) and bundles. No login needed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from onewindow.api.schemas import ErrorOut
from onewindow.catalogue import search, selectors, selectors_search
from onewindow.catalogue.models import BundleVersion, Category, Material, MatterVersion, OnlineLevel
from onewindow.catalogue.services.searched import CatalogueSearched, catalogue_searched

router = Router(tags=["事项目录"])

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


# --- query parameters ---------------------------------------------------------------------------


def _as_int(value: Any, name: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        raise PydanticCustomError("not_integer", _("{name}必须是整数"), {"name": name}) from None


def _bounded_int(value: Any, *, name: str, low: int, high: int) -> int:
    number = _as_int(value, name)
    if not low <= number <= high:
        raise PydanticCustomError(
            "out_of_range", _("{name}应在 {low} 至 {high} 之间"), {"name": name, "low": low, "high": high}
        )
    return number


def _choice(value: Any, choices: type[Category] | type[OnlineLevel], name: str) -> Any:
    if value in (None, ""):
        return None
    if value not in choices.values:
        allowed = "、".join(str(v) for v in choices.values)
        raise PydanticCustomError(
            "invalid_choice", _("{name}取值无效，可选：{allowed}"), {"name": name, "allowed": allowed}
        )
    return value


class Page(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description=f"每页条数，1 至 {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"跳过的条数，0 至 {MAX_OFFSET}")

    @field_validator("limit", mode="before")
    @classmethod
    def _limit(cls, value: Any) -> Any:
        return _bounded_int(value, name=_("每页条数 limit"), low=1, high=MAX_LIMIT)

    @field_validator("offset", mode="before")
    @classmethod
    def _offset(cls, value: Any) -> Any:
        return _bounded_int(value, name=_("偏移量 offset"), low=0, high=MAX_OFFSET)


def _query_text(value: Any) -> Any:
    if isinstance(value, str) and len(value) > search.MAX_QUERY_LENGTH:
        raise PydanticCustomError("too_long", _("关键词不能超过 {n} 个字"), {"n": search.MAX_QUERY_LENGTH})
    return value


class BundleQuery(Page):
    q: str | None = Field(
        None, max_length=search.MAX_QUERY_LENGTH, description="关键词（中文分词检索，含同义词；最匹配的在前）"
    )

    @field_validator("q", mode="before")
    @classmethod
    def _q(cls, value: Any) -> Any:
        return _query_text(value)


class MatterQuery(Page):
    q: str | None = Field(None, max_length=search.MAX_QUERY_LENGTH, description="关键词（中文分词检索）")
    department: str | None = Field(None, max_length=40, description="实施部门编码")
    category: str | None = Field(None, description="事项类型：" + "、".join(Category.values))
    online_level: str | None = Field(None, description="网办深度：full 全程网办、intake 网上受理、window 窗口办理")

    @field_validator("q", mode="before")
    @classmethod
    def _q(cls, value: Any) -> Any:
        return _query_text(value)

    @field_validator("category", mode="before")
    @classmethod
    def _category(cls, value: Any) -> Any:
        return _choice(value, Category, _("事项类型 category"))

    @field_validator("online_level", mode="before")
    @classmethod
    def _online_level(cls, value: Any) -> Any:
        return _choice(value, OnlineLevel, _("网办深度 online_level"))


# --- responses ----------------------------------------------------------------------------------


class DepartmentOut(Schema):
    code: str
    name: str


class MatterSummaryOut(Schema):
    code: str
    name: str
    version: int
    version_id: int = Field(description="提交申请时填 matter_version_id（POST /api/cases/submissions）")
    department: DepartmentOut
    category: str
    online_level: str
    online_level_label: str
    statutory_limit_days: int
    promised_limit_days: int
    is_on_the_spot: bool
    max_visits: int
    commitment_allowed: bool


class MatterCountsOut(Schema):
    total: int = Field(description="已发布事项总数")
    fully_online: int = Field(description="全程网办事项数")
    online_intake: int = Field(description="网上受理事项数")


class MatterListOut(Schema):
    count: int = Field(description="符合条件的事项数")
    limit: int
    offset: int
    counts: MatterCountsOut
    items: list[MatterSummaryOut]


class MaterialOut(Schema):
    key: str
    name: str
    required: bool
    form: str
    form_label: str
    deferrable: bool
    certificate_type: str
    copies: int


class MatterDetailOut(MatterSummaryOut):
    valid_from: dt.date | None
    legal_basis: str
    fee_description: str
    conditions: str
    location: str
    materials: list[MaterialOut]
    form_schema: dict[str, Any]


class BundleSummaryOut(Schema):
    code: str
    name: str
    version: int
    version_id: int = Field(description="提交申请时填 bundle_version_id（POST /api/cases/submissions）")
    description: str
    stage_count: int


class BundleListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[BundleSummaryOut]


class StageMatterOut(Schema):
    code: str
    name: str
    department: DepartmentOut


class StageOut(Schema):
    position: int
    name: str
    lead_department: DepartmentOut
    matters: list[StageMatterOut]


class BundleMaterialOut(Schema):
    key: str
    name: str
    required: bool
    form: str
    deferrable: bool
    certificate_type: str
    copies: int
    used_by: list[str]


class BundleDetailOut(BundleSummaryOut):
    stages: list[StageOut]
    unified_form_schema: dict[str, Any]
    materials: list[BundleMaterialOut]


def _summary(version: MatterVersion) -> dict[str, Any]:
    department = version.matter.department
    return {
        "code": version.matter.code,
        "name": version.name,
        "version": version.number,
        "version_id": version.pk,
        "department": {"code": department.code, "name": department.display_name},
        "category": version.category,
        "online_level": version.online_level,
        "online_level_label": version.get_online_level_display(),
        "statutory_limit_days": version.statutory_limit_days,
        "promised_limit_days": version.promised_limit_days,
        "is_on_the_spot": version.is_on_the_spot,
        "max_visits": version.max_visits,
        "commitment_allowed": version.commitment_allowed,
    }


def _material(material: Material) -> dict[str, Any]:
    return {
        "key": material.key,
        "name": material.name,
        "required": material.required,
        "form": material.form,
        "form_label": material.get_form_display(),
        "deferrable": material.deferrable,
        "certificate_type": material.certificate_type,
        "copies": material.copies,
    }


# --- endpoints ----------------------------------------------------------------------------------


@router.get("/matters", response={200: MatterListOut, 422: ErrorOut}, auth=None, summary="事项列表与检索")
def matter_list(request: HttpRequest, params: Query[MatterQuery]) -> dict[str, Any]:
    """已发布事项：中文关键词检索（同义词、两字词可用），按部门、类型、网办深度筛选，分页（limit ≤ 100）。"""
    filters = selectors.MatterFilters(
        department=params.department or None, category=params.category, online_level=params.online_level
    )
    queryset = selectors_search.matter_search(params.q or "", filters)
    page = list(queryset[params.offset : params.offset + params.limit])
    count = queryset.count()
    if params.q and params.offset == 0:
        catalogue_searched(CatalogueSearched(params.q, count, page[0].matter_id if page else None))
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "counts": selectors.catalogue_counts().__dict__,
        "items": [_summary(version) for version in page],
    }


@router.get("/matters/{code}", response={200: MatterDetailOut, 404: ErrorOut}, auth=None, summary="事项办事指南")
def matter_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """一个事项当前发布版本的办事指南。未发布或不存在：404 matter_not_found。"""
    version = selectors.matter_get_published(code)
    return _summary(version) | {
        "valid_from": version.valid_from,
        "legal_basis": version.legal_basis,
        "fee_description": version.fee_description,
        "conditions": version.conditions,
        "location": version.location,
        "materials": [_material(material) for material in version.materials.all()],
        "form_schema": version.form_schema or {},
    }


def _bundle_summary(version: BundleVersion, stage_count: int) -> dict[str, Any]:
    return {
        "code": version.bundle.code,
        "name": version.name,
        "version": version.number,
        "version_id": version.pk,
        "description": version.description,
        "stage_count": stage_count,
    }


@router.get("/bundles", response={200: BundleListOut, 422: ErrorOut}, auth=None, summary="一件事主题列表与检索")
def bundle_list(request: HttpRequest, params: Query[BundleQuery]) -> dict[str, Any]:
    """已发布的一件事主题；有关键词时按名称、说明、阶段和所含事项检索（与事项检索相同的分词和同义词），最匹配的在前。"""
    queryset = selectors_search.bundle_search(params.q or "")
    page = queryset[params.offset : params.offset + params.limit]
    return {
        "count": queryset.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": [_bundle_summary(version, version.stage_count) for version in page],  # type: ignore[attr-defined]
    }


def _stage(stage: Any) -> dict[str, Any]:
    lead = stage.lead_department
    return {
        "position": stage.position,
        "name": stage.name,
        "lead_department": {"code": lead.code, "name": lead.display_name},
        "matters": [
            {
                "code": item.matter.code,
                "name": item.matter_version.name if item.matter_version else item.matter.code,
                "department": {"code": item.matter.department.code, "name": item.matter.department.name},
            }
            for item in stage.stage_matters.all()
        ],
    }


@router.get("/bundles/{code}", response={200: BundleDetailOut, 404: ErrorOut}, auth=None, summary="一件事主题详情")
def bundle_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    """阶段与牵头部门、各阶段事项、统一表单、去重后的材料清单。不存在：404 bundle_not_found。"""
    version = selectors.bundle_get_published(code)
    stages = list(version.stages.all())
    return _bundle_summary(version, len(stages)) | {
        "stages": [_stage(stage) for stage in stages],
        "unified_form_schema": version.unified_form_schema or {},
        "materials": [
            material.__dict__ | {"used_by": list(material.used_by)} for material in selectors.bundle_materials(version)
        ],
    }
