"""The registry endpoints: list (paginated, the page's filters), detail, create, update, phase
change, service team, and 我的项目."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status
from pydantic import field_validator

from onewindow.api.auth import api_user
from onewindow.api.pagination import PageQuery
from onewindow.api.params import parse_optional_date
from onewindow.errors import InvalidFields
from onewindow.orgs.models import Organisation, User
from onewindow.projects import selectors
from onewindow.projects.api.schemas import (
    ERRORS,
    ProjectOrganisationOut,
    UserOut,
    parse_amount,
)
from onewindow.projects.domain import LEVEL_LABELS, PHASE_LABELS, Level, Phase, TeamRole, clean_text
from onewindow.projects.models import Project
from onewindow.projects.selectors.roadmap import roadmap_view
from onewindow.projects.services import registry, team

router = Router(tags=["重点项目库"])


# --- schemas --------------------------------------------------------------------------------------


class ProjectListQuery(PageQuery):
    district: str | None = Field(None, max_length=40, description="区划编码（含下级）")
    phase: str | None = Field(
        None, description="建设阶段：" + "、".join(f"{p.value} {label}" for p, label in PHASE_LABELS.items())
    )
    level: str | None = Field(None, description="项目级别:city 市级、district 区级")
    industry: str | None = Field(None, max_length=50)
    chain_tag: str | None = Field(None, max_length=50, description="产业链标签")
    campaign: str | None = Field(None, max_length=20, description="攻坚行动 id")
    q: str | None = Field(None, max_length=100, description="按名称、编码或业主单位搜索")


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    owner_name: str
    owner_credit_code: str
    district: ProjectOrganisationOut
    industry: str
    chain_tags: list[str]
    total_investment: Decimal = Field(description="总投资（万元）")
    phase: str
    phase_label: str
    level: str
    level_label: str
    planned_start: dt.date | None
    planned_finish: dt.date | None


class ProjectPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProjectOut]


class PlanOut(Schema):
    year: int
    planned_investment: Decimal = Field(description="年度计划投资（万元）")


class TeamMemberOut(Schema):
    role: str
    role_label: str
    user: UserOut | None


class PhaseChangeOut(Schema):
    from_phase: str
    to_phase: str
    reason: str
    changed_by: str
    changed_at: dt.datetime


class RoadmapSummaryOut(Schema):
    target_on: dt.date
    is_published: bool
    milestone_count: int
    slippage_days: int = Field(description="最滞后节点的滞后天数")


class ProjectDetailOut(ProjectOut):
    location: str
    description: str
    actual_start: dt.date | None
    responsible_unit: ProjectOrganisationOut | None
    annual_plans: list[PlanOut]
    team: list[TeamMemberOut]
    phase_changes: list[PhaseChangeOut]
    campaigns: list[dict[str, Any]]
    roadmap: RoadmapSummaryOut | None
    can_edit: bool = Field(description="调用者是否为项目所在区县或上级的重点项目办")


class PlanIn(Schema):
    model_config = {"extra": "forbid"}

    year: int = Field(ge=2000, le=2100)
    planned_investment: Decimal | None = Field(description="万元；null 删除该年度计划")

    @field_validator("planned_investment", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Decimal | None:
        return None if value is None else parse_amount(value, "年度计划投资")


class ProjectIn(Schema):
    model_config = {"extra": "forbid"}

    code: str = Field(max_length=40, description="项目编码，唯一")
    name: str = Field(max_length=200)
    owner_name: str = Field(max_length=200, description="业主单位")
    owner_credit_code: str = Field(max_length=30, description="业主单位统一社会信用代码")
    district: str = Field(max_length=40, description="所属区县的组织编码")
    industry: str = Field(max_length=50)
    chain_tags: list[str] = Field([], max_length=20)
    total_investment: Decimal = Field(description="总投资（万元）")
    level: str = Field(Level.DISTRICT, description="city 市级 / district 区级")
    planned_start: dt.date | None = None
    planned_finish: dt.date | None = None
    location: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    annual_plans: list[PlanIn] | None = Field(None, max_length=50, description="按年度设置；不填则不变")

    @field_validator("total_investment", mode="before")
    @classmethod
    def _total(cls, value: Any) -> Decimal:
        return parse_amount(value, "总投资")

    @field_validator("planned_start", "planned_finish", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> dt.date | None:
        return parse_optional_date(value, "计划开工/竣工日期")


class NewProjectIn(ProjectIn):
    phase: str = Field(Phase.RESERVE, description="建设阶段，默认 reserve 储备")


class ProjectUpdateIn(ProjectIn):
    actual_start: dt.date | None = Field(
        None, description="实际开工日期：仅已开工的项目可更正，不能晚于今天；不填则不变，已登记的不能改为 null"
    )

    @field_validator("actual_start", mode="before")
    @classmethod
    def _actual_start(cls, value: Any) -> dt.date | None:
        return parse_optional_date(value, "实际开工日期")


class PhaseIn(Schema):
    model_config = {"extra": "forbid"}

    to_phase: str = Field(description="新阶段：只能是下一阶段或上一阶段")
    reason: str = Field(max_length=2000, description="变更原因（必填）")
    started_on: dt.date | None = Field(
        None, description="实际开工日期：仅从前期变更为新开工（new_start）时填写，默认当天，不能晚于今天"
    )

    @field_validator("started_on", mode="before")
    @classmethod
    def _started_on(cls, value: Any) -> dt.date | None:
        return parse_optional_date(value, "实际开工日期")


class TeamIn(Schema):
    """Only the fields given change; null removes the holder. People by user name or "姓名(用户名)"."""

    model_config = {"extra": "forbid"}

    leader: str | None = Field(None, max_length=200, description="包联领导")
    chief_service: str | None = Field(None, max_length=200, description="首席服务人（项目审批办件的代办员）")
    secretary: str | None = Field(None, max_length=200, description="项目秘书")
    commissioner: str | None = Field(None, max_length=200, description="企业特派员")
    responsible_unit: str | None = Field(None, max_length=200, description="责任单位编码或名称")


class HeldOut(Schema):
    role: str
    role_label: str
    projects: list[ProjectOut]


# --- serialisation ----------------------------------------------------------------------------------


def organisation_out(organisation: Organisation) -> dict[str, Any]:
    return {"id": organisation.pk, "code": organisation.code, "name": organisation.display_name}


def user_out(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "username": user.username, "name": user.name} if user is not None else None


def project_out(project: Project) -> dict[str, Any]:
    return {
        **{f: getattr(project, f) for f in ("id", "code", "name", "owner_name", "owner_credit_code", "industry")},
        "district": organisation_out(project.district),
        "chain_tags": list(project.chain_tags or []),
        "total_investment": project.total_investment,
        "phase": project.phase,
        "phase_label": PHASE_LABELS[Phase(project.phase)],
        "level": project.level,
        "level_label": LEVEL_LABELS[Level(project.level)],
        "planned_start": project.planned_start,
        "planned_finish": project.planned_finish,
    }


def _detail(user: User, project: Project) -> dict[str, Any]:
    parts = selectors.project_parts(project)
    view = roadmap_view(project)
    roadmap = None
    if view.roadmap is not None:
        roadmap = {
            "target_on": view.roadmap.target_on,
            "is_published": view.roadmap.is_published,
            "milestone_count": len(view.rows),
            "slippage_days": view.slippage_days,
        }
    return project_out(project) | {
        "location": project.location,
        "description": project.description,
        "actual_start": project.actual_start,
        "responsible_unit": organisation_out(project.responsible_unit) if project.responsible_unit else None,
        "annual_plans": [{"year": p.year, "planned_investment": p.planned_investment} for p in parts.plans],
        "team": [{"role": r.value, "role_label": label, "user": user_out(u)} for r, label, u in parts.team],
        "phase_changes": [
            {
                "from_phase": c.from_phase,
                "to_phase": c.to_phase,
                "reason": c.reason,
                "changed_by": str(c.changed_by),
                "changed_at": c.changed_at,
            }
            for c in parts.phase_changes
        ],
        "campaigns": [{"id": c.pk, "name": c.name} for c in parts.campaigns],
        "roadmap": roadmap,
        "can_edit": selectors.is_project_office_for(user, project),
    }


def _fresh(user: User, project_id: int) -> dict[str, Any]:
    return _detail(user, selectors.project_get_for_user(user, project_id))


# --- endpoints -----------------------------------------------------------------------------------------


@router.get("/projects", response={200: ProjectPageOut, **ERRORS}, summary="项目列表")
def project_list(request: HttpRequest, params: Query[ProjectListQuery]) -> dict[str, Any]:
    """调用者可见的项目（重点项目办：本区划及下级；领导与专班成员：所包联的项目），可按区县、阶段、级别、
    行业、产业链、攻坚行动筛选并搜索名称、编码、业主单位；按项目编码排序。"""
    filters, errors = selectors.project_filters(params.model_dump(exclude={"limit", "offset"}, exclude_none=True))
    if errors:
        raise InvalidFields("筛选条件有误，请检查后重试", errors=errors, code="invalid_filters")
    projects = selectors.project_list(api_user(request), filters)
    page = projects[params.offset : params.offset + params.limit]
    items = [project_out(project) for project in page]
    return {"count": projects.count(), "limit": params.limit, "offset": params.offset, "items": items}


@router.get("/projects/mine", response={200: list[HeldOut], **ERRORS}, summary="我的项目")
def my_projects(request: HttpRequest) -> list[dict[str, Any]]:
    """按专班职责（包联领导、首席服务人、项目秘书、企业特派员）列出调用者担任的项目。"""
    held = selectors.projects_held_by(api_user(request))
    return [
        {"role": h.role.value, "role_label": h.label, "projects": [project_out(p) for p in h.projects]} for h in held
    ]


@router.get("/projects/{int:project_id}", response={200: ProjectDetailOut, **ERRORS}, summary="项目详情")
def project_detail(request: HttpRequest, project_id: int) -> dict[str, Any]:
    """基本信息、年度计划、服务专班、阶段变更记录、攻坚行动、路径图概况。无权查看与不存在同为 404。"""
    return _fresh(api_user(request), project_id)


def _district(code: str) -> Organisation:
    code = clean_text(code)
    district = Organisation.objects.filter(code=code).first() if code else None
    if district is None:
        raise InvalidFields("所属区县有误", errors={"district": f"未找到编码为“{code}”的区县"}, code="project_invalid")
    return district


def _data(payload: ProjectIn) -> registry.ProjectData:
    fields = payload.model_dump(exclude={"annual_plans", "phase", "district", "actual_start"})
    return registry.ProjectData(**fields, district=_district(payload.district))


def _plans(payload: ProjectIn) -> dict[int, Decimal | None] | None:
    if payload.annual_plans is None:
        return None
    return {plan.year: plan.planned_investment for plan in payload.annual_plans}


@router.post("/projects", response={201: ProjectDetailOut, **ERRORS}, summary="登记项目")
def project_create(request: HttpRequest, payload: NewProjectIn) -> Status[dict[str, Any]]:
    """重点项目办在其管理的区县登记项目（与年度计划在同一事务中写入）。项目编码重复、信用代码校验位错误、
    金额为负、竣工早于开工等问题一次性逐项返回（422 project_invalid）。"""
    user = api_user(request)
    with transaction.atomic():
        project = registry.project_create(actor=user, data=_data(payload), phase=payload.phase)
        if (plans := _plans(payload)) is not None:
            registry.project_plans_set(actor=user, project=project, plans=plans)
    return Status(201, _fresh(user, project.pk))


@router.put("/projects/{int:project_id}", response={200: ProjectDetailOut, **ERRORS}, summary="修改项目")
def project_update(request: HttpRequest, project_id: int, payload: ProjectUpdateIn) -> dict[str, Any]:
    """修改登记信息（建设阶段另行变更）。只有项目所在区县或上级的重点项目办可以修改（403 project_office_required）。

    实际开工日期 actual_start 只能在已开工的项目上更正（422 project_not_started、project_start_in_future、
    project_start_too_early、project_actual_start_required）。"""
    user = api_user(request)
    project = selectors.project_get_for_office(user, project_id)
    with transaction.atomic():
        registry.project_update(actor=user, project=project, data=_data(payload))
        if (plans := _plans(payload)) is not None:
            registry.project_plans_set(actor=user, project=project, plans=plans)
        if "actual_start" in payload.model_fields_set:
            registry.project_actual_start_set(actor=user, project=project, actual_start=payload.actual_start)
    return _fresh(user, project_id)


@router.post(
    "/projects/{int:project_id}/phase",
    response={200: ProjectDetailOut, **ERRORS},
    summary="变更建设阶段",
)
def phase_change(request: HttpRequest, project_id: int, payload: PhaseIn) -> dict[str, Any]:
    """只能变更为下一阶段或退回上一阶段,须填写原因。从前期变更为新开工即登记实际开工日期（started_on，
    默认当天）；从新开工退回前期则清除实际开工日期。

    422 project_phase_change_refused / project_phase_reason_required / project_start_in_future /
    project_start_too_early / project_started_on_not_applicable。
    """
    user = api_user(request)
    project = selectors.project_get_for_office(user, project_id)
    registry.project_change_phase(
        actor=user, project=project, to_phase=payload.to_phase, reason=payload.reason, started_on=payload.started_on
    )
    return _fresh(user, project_id)


@router.put(
    "/projects/{int:project_id}/team",
    response={200: ProjectDetailOut, **ERRORS},
    summary="调整服务专班",
)
def team_set(request: HttpRequest, project_id: int, payload: TeamIn) -> dict[str, Any]:
    """只改请求中给出的职责；null 表示无人。人员按用户名或“姓名（用户名）”查找（422 team_invalid）。"""
    user = api_user(request)
    project = selectors.project_get_for_office(user, project_id)
    given = payload.model_fields_set
    names = {role.value: getattr(payload, role.value) or "" for role in TeamRole if role.value in given}
    with transaction.atomic():
        team.project_team_set(actor=user, project=project, members=selectors.team_from_names(names))
        if "responsible_unit" in given:
            unit = selectors.unit_from_name(payload.responsible_unit or "")
            team.project_responsible_unit_set(actor=user, project=project, unit=unit)
    return _fresh(user, project_id)
