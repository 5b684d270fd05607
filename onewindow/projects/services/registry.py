"""The registry (项目储备库): create and update a project, its annual plans, its phase changes and
its actual start (实际开工), recorded with the move to 新开工 and corrected on its own.

Every write checks the office (`common.require_office`), validates with the domain's rules (every
problem at once, per field), writes only what changed and records one audit event on the project's
stream. Writing the same values again changes nothing and records nothing (re-imports rely on it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.errors import InvalidFields
from onewindow.orgs.models import Organisation, User
from onewindow.projects.domain import (
    Level,
    Phase,
    ProjectRules,
    StartRefused,
    check_actual_start,
    check_phase_change,
    check_project,
    clean_amount,
    clean_chain_tags,
    clean_text,
    has_started,
    is_the_start,
)
from onewindow.projects.models import AnnualPlan, PhaseChange, Project
from onewindow.projects.services.common import (
    project_audit,
    project_lock,
    require_office,
    require_office_for_district,
)

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_LENGTHS = {"code": 40, "name": 200, "owner_name": 200, "industry": 50, "location": 200}
LABELS = {"code": "项目编码", "name": "项目名称", "owner_name": "业主单位", "industry": "行业", "location": "建设地点"}
FIELDS = (
    "code",
    "name",
    "owner_name",
    "owner_credit_code",
    "district",
    "industry",
    "chain_tags",
    "total_investment",
    "level",
    "planned_start",
    "planned_finish",
    "location",
    "description",
)


@dataclass(frozen=True)
class ProjectData:
    """A project's registry fields as a form, the API or a workbook row gives them."""

    code: str
    name: str
    owner_name: str
    owner_credit_code: str
    district: Organisation
    industry: str
    total_investment: Decimal
    level: str = Level.DISTRICT
    chain_tags: Sequence[str] = ()
    planned_start: dt.date | None = None
    planned_finish: dt.date | None = None
    location: str = ""
    description: str = ""


def _clean(data: ProjectData, *, project_id: int | None = None) -> dict[str, Any]:
    """The values to store, or InvalidFields naming every bad field at once."""
    values: dict[str, Any] = {field: getattr(data, field) for field in FIELDS}
    for field in ("code", "name", "owner_name", "industry", "location", "description"):
        values[field] = clean_text(values[field])
    rules = ProjectRules(
        **{k: values[k] for k in ("code", "name", "owner_name", "industry", "planned_start", "planned_finish")},
        owner_credit_code=clean_text(data.owner_credit_code),
        total_investment=data.total_investment,
    )
    values["owner_credit_code"], errors = check_project(rules)
    errors |= {
        field: _("%(field)s不能超过 %(n)s 个字") % {"field": LABELS[field], "n": n}
        for field, n in MAX_LENGTHS.items()
        if len(values[field]) > n
    }
    errors |= _amount_errors(values)
    if data.district.kind != Organisation.Kind.REGION:
        errors["district"] = _("所属区县须为行政区划，而不是部门")
    if values["level"] not in {level.value for level in Level}:
        errors["level"] = _("项目级别取值无效")
    others = Project.objects.exclude(pk=project_id) if project_id is not None else Project.objects.all()
    if values["code"] and others.filter(code=values["code"]).exists():
        errors["code"] = _("项目编码“%(code)s”已被其他项目使用") % {"code": values["code"]}
    if errors:
        raise InvalidFields(_("项目信息有误，请检查后重试"), errors=errors, code="project_invalid")
    values["chain_tags"] = clean_chain_tags(list(data.chain_tags))
    values["level"] = str(values["level"])
    return values


def _amount_errors(values: dict[str, Any]) -> dict[str, str]:
    try:
        values["total_investment"] = clean_amount(values["total_investment"], "总投资")
    except ValueError as exc:
        return {"total_investment": str(exc)}
    return {}


def _display(value: Any) -> Any:
    """A value as the audit log keeps it: organisations by code, dates and amounts as text."""
    if isinstance(value, Organisation):
        return value.code
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


@transaction.atomic
def project_create(*, actor: User, data: ProjectData, phase: str = Phase.RESERVE) -> Project:
    """Register a project in the office's region (储备 unless another phase is given)."""
    require_office_for_district(actor, data.district)
    values = _clean(data)
    if phase not in {p.value for p in Phase}:
        raise InvalidFields(_("建设阶段取值无效"), errors={"phase": _("建设阶段取值无效")}, code="project_invalid")
    project = Project.objects.create(**values, phase=phase)
    changes = {field: _display(value) for field, value in values.items() if field != "description"}
    project_audit(project=project, action="project_created", actor=actor, changes=changes | {"phase": phase})
    return project


@transaction.atomic
def project_update(*, actor: User, project: Project, data: ProjectData) -> bool:
    """Change a project's registry fields; True when anything changed. Moving it to another district
    needs the office of both districts."""
    project = project_lock(project.pk)
    require_office(actor, project)
    if data.district.pk != project.district_id:
        require_office_for_district(actor, data.district)
    values = _clean(data, project_id=project.pk)
    diff = {
        field: [_display(getattr(project, field)), _display(value)]
        for field, value in values.items()
        if getattr(project, field) != value
    }
    if not diff:
        return False
    for field in diff:
        setattr(project, field, values[field])
    project.save(update_fields=[*diff, "updated_at"])
    project_audit(project=project, action="project_updated", actor=actor, changes=diff)
    return True


# --- annual plans (年度计划投资) --------------------------------------------------------------------


def _clean_plans(plans: Mapping[int, object | None]) -> dict[int, Decimal | None]:
    cleaned: dict[int, Decimal | None] = {}
    errors: dict[str, str] = {}
    for year, amount in plans.items():
        if not MIN_YEAR <= year <= MAX_YEAR:
            errors[f"plans.{year}"] = _("年度应在 %(low)s 至 %(high)s 之间") % {"low": MIN_YEAR, "high": MAX_YEAR}
            continue
        try:
            cleaned[year] = None if amount is None else clean_amount(amount, f"{year}年计划投资")
        except ValueError as exc:
            errors[f"plans.{year}"] = str(exc)
    if errors:
        raise InvalidFields(_("年度计划投资有误"), errors=errors, code="annual_plan_invalid")
    return cleaned


@transaction.atomic
def project_plans_set(*, actor: User, project: Project, plans: Mapping[int, object | None]) -> bool:
    """Set the planned investment of the given years (None removes a year's plan); True when changed."""
    project = project_lock(project.pk)
    require_office(actor, project)
    cleaned = _clean_plans(plans)
    existing = {plan.year: plan for plan in project.annual_plans.filter(year__in=list(cleaned))}
    diff: dict[str, list[str | None]] = {}
    for year, amount in sorted(cleaned.items()):
        plan = existing.get(year)
        old = plan.planned_investment if plan is not None else None
        if old == amount:
            continue
        diff[str(year)] = [_display(old), _display(amount)]
        if amount is None:
            if plan is not None:
                plan.delete()
        elif plan is None:
            AnnualPlan.objects.create(project=project, year=year, planned_investment=amount)
        else:
            plan.planned_investment = amount
            plan.save(update_fields=["planned_investment"])
    if diff:
        project_audit(project=project, action="annual_plans_set", actor=actor, changes={"plans": diff})
    return bool(diff)


# --- phase changes and the actual start (实际开工) -------------------------------------------------------


@transaction.atomic
def project_change_phase(
    *,
    actor: User,
    project: Project,
    to_phase: str,
    reason: str,
    started_on: dt.date | None = None,
    today: dt.date | None = None,
) -> PhaseChange:
    """Move the project to the next phase or back one, with the reason (PhaseChange row + audit event).

    The start (前期 → 新开工) records the actual start: `started_on`, by default today. A step back
    from 新开工 into 前期 clears it: the start did not hold, the project starts again when it moves on.
    """
    project = project_lock(project.pk)
    require_office(actor, project)
    if to_phase not in {p.value for p in Phase}:
        raise InvalidFields(
            _("建设阶段取值无效"), errors={"to_phase": _("建设阶段取值无效")}, code="project_phase_invalid"
        )
    current, new = Phase(project.phase), Phase(to_phase)
    cleaned = check_phase_change(current, new, reason)
    actual_start = _actual_start_after(current, new, project.actual_start, started_on, today or timezone.localdate())
    changes: dict[str, Any] = {"phase": [project.phase, to_phase], "reason": cleaned}
    fields = ["phase", "updated_at"]
    if actual_start != project.actual_start:
        changes["actual_start"] = [_display(project.actual_start), _display(actual_start)]
        project.actual_start = actual_start
        fields.append("actual_start")
    from_phase, project.phase = project.phase, to_phase
    project.save(update_fields=fields)
    change = PhaseChange.objects.create(
        project=project, from_phase=from_phase, to_phase=to_phase, reason=cleaned, changed_by=actor
    )
    project_audit(project=project, action="phase_changed", actor=actor, changes=changes)
    return change


def _actual_start_after(
    current: Phase, new: Phase, recorded: dt.date | None, started_on: dt.date | None, today: dt.date
) -> dt.date | None:
    """The project's actual start once it has moved from `current` to `new`."""
    if is_the_start(current, new):
        return check_actual_start(started_on or today, today=today, field="started_on")
    if started_on is not None:
        message = _("只有从“前期”变更为“新开工”时才填写实际开工日期")
        raise StartRefused(message, code="project_started_on_not_applicable", field="started_on")
    return None if is_the_start(new, current) else recorded


@transaction.atomic
def project_actual_start_set(
    *, actor: User, project: Project, actual_start: dt.date | None, today: dt.date | None = None
) -> bool:
    """Record or correct the actual start of a project that has started; True when it changed.

    A recorded start is corrected, never cleared: a project under construction broke ground on some day.
    """
    project = project_lock(project.pk)
    require_office(actor, project)
    if actual_start == project.actual_start:
        return False
    if not has_started(Phase(project.phase)):
        message = _("项目尚未开工：实际开工日期在变更为“新开工”时填写")
        raise StartRefused(message, code="project_not_started", field="actual_start")
    if actual_start is None:
        message = _("已开工项目的实际开工日期只能更正，不能清除")
        raise StartRefused(message, code="project_actual_start_required", field="actual_start")
    check_actual_start(actual_start, today=today or timezone.localdate(), field="actual_start")
    changes = {"actual_start": [_display(project.actual_start), _display(actual_start)]}
    project.actual_start = actual_start
    project.save(update_fields=["actual_start", "updated_at"])
    project_audit(project=project, action="actual_start_set", actor=actor, changes=changes)
    return True
