"""The roadmap (推进路径图, 倒排工期): target and milestones, actual dates, publishing, approval cases.

`roadmap_set` replaces the milestone list in one transaction: a milestone given with its id keeps
its actual date and linked cases, one left out is removed, the others are new; every latest date is
computed again by `domain.reverse_schedule` over the work calendar.

Linking an approval case (by its number, among the cases the office may see) puts the case on the
green channel with the project's agent (the one the office assigned, `agency`; else its chief service
person, 首席服务人), through `cases.services.green_channel` (open cases only: a closed case is linked
for the record).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.cases.domain import OPEN_CASE_STATUSES
from onewindow.cases.models import Case
from onewindow.cases.selectors import visible_cases
from onewindow.cases.services.green_channel import case_mark_green_channel
from onewindow.errors import Conflict, DomainError, InvalidFields, NotFound
from onewindow.orgs.models import User
from onewindow.projects.domain import (
    MilestoneKind,
    MilestonePlan,
    check_milestone_plans,
    clean_text,
    reverse_schedule,
)
from onewindow.projects.models import Milestone, Project, Roadmap
from onewindow.projects.selectors import project_case_agent
from onewindow.projects.services.common import project_audit, project_lock, require_office
from onewindow.workdays.domain import check_date
from onewindow.workdays.selectors import work_calendar


@dataclass(frozen=True)
class MilestoneInput:
    """One node as the office enters it; `id` keeps an existing node (its actual date and cases)."""

    kind: str
    name: str
    duration_days: int
    counts_working_days: bool = False
    planned_on: dt.date | None = None
    id: int | None = None


def _check_inputs(project: Project, milestones: Sequence[MilestoneInput]) -> list[MilestonePlan]:
    kinds = {kind.value: kind for kind in MilestoneKind}
    known_ids = set(project.milestones.values_list("pk", flat=True))
    errors: dict[str, str] = {}
    for i, m in enumerate(milestones):
        where = _("第 %(n)s 个节点") % {"n": i + 1}
        if m.kind not in kinds:
            errors[f"milestones.{i}.kind"] = _("%(where)s的类型无效") % {"where": where}
        if not clean_text(m.name) or len(clean_text(m.name)) > 100:
            errors[f"milestones.{i}.name"] = _("%(where)s须填写名称（不超过 100 字）") % {"where": where}
        if m.id is not None and m.id not in known_ids:
            errors[f"milestones.{i}.id"] = _("%(where)s不属于该项目") % {"where": where}
    if len({m.id for m in milestones if m.id is not None}) < len([m for m in milestones if m.id is not None]):
        errors["milestones"] = _("同一节点不能出现两次")
    if errors:
        raise InvalidFields(_("路径图节点有误"), errors=errors, code="roadmap_invalid")
    plans = [MilestonePlan(kinds[m.kind], m.duration_days, _working_days(m)) for m in milestones]
    check_milestone_plans(plans)
    return plans


def _working_days(milestone: MilestoneInput) -> bool:
    """Approvals always count working days (行政许可法 Art. 82); other nodes as the office chose."""
    return milestone.counts_working_days or milestone.kind == MilestoneKind.APPROVAL


def _summary(milestones: Sequence[Milestone]) -> list[str]:
    """The milestones as the trail shows them: 施工许可 10 工作日, 主体封顶 240 天."""
    return [f"{m.name} {m.duration_days} {'工作日' if m.counts_working_days else '天'}" for m in milestones]


@transaction.atomic
def roadmap_set(*, actor: User, project: Project, target_on: dt.date, milestones: Sequence[MilestoneInput]) -> Roadmap:
    """Set the target and replace the milestone list, latest dates computed backwards from the target."""
    project = project_lock(project.pk)
    require_office(actor, project)
    check_date(target_on, field="target_on")
    plans = _check_inputs(project, milestones)
    try:
        scheduled = reverse_schedule(target_on, plans, work_calendar())
    except DomainError as exc:  # a date pushed out of the calendar's range
        raise InvalidFields(exc.message, errors={"target_on": exc.message}, code="roadmap_invalid") from exc
    roadmap = Roadmap.objects.filter(project=project).first()
    old_target = roadmap.target_on.isoformat() if roadmap is not None else None
    before = _summary(list(project.milestones.order_by("position")))
    if roadmap is None:
        roadmap = Roadmap.objects.create(project=project, target_on=target_on)
    else:
        roadmap.target_on = target_on
        roadmap.save(update_fields=["target_on"])
    kept = [m.id for m in milestones if m.id is not None]
    project.milestones.exclude(pk__in=kept).delete()
    # Out of the way of the (project, position) constraint before the new order is written.
    project.milestones.update(position=F("position") + 1000)
    for position, (given, when) in enumerate(zip(milestones, scheduled, strict=True), start=1):
        values = {
            "position": position,
            "kind": given.kind,
            "name": clean_text(given.name),
            "duration_days": given.duration_days,
            "counts_working_days": _working_days(given),
            "latest_on": when.latest_on,
            "planned_on": given.planned_on,
        }
        if given.id is None:
            Milestone.objects.create(project=project, **values)
        else:
            project.milestones.filter(pk=given.id).update(**values)
    changes = {"target_on": [old_target, target_on.isoformat()], "milestones": [before, _summary(_ordered(project))]}
    project_audit(project=project, action="roadmap_set", actor=actor, changes=changes)
    return roadmap


def _ordered(project: Project) -> list[Milestone]:
    return list(project.milestones.order_by("position"))


@transaction.atomic
def roadmap_publish(*, actor: User, project: Project, publish: bool = True) -> Roadmap:
    """Publish the roadmap (its public page opens) or withdraw it."""
    project = project_lock(project.pk)
    require_office(actor, project)
    roadmap = Roadmap.objects.filter(project=project).first()
    if roadmap is None or not project.milestones.exists():
        raise Conflict(_("请先编制推进路径图（目标日期和节点）"), code="roadmap_empty")
    if roadmap.is_published == publish:
        return roadmap
    roadmap.is_published = publish
    roadmap.published_at = timezone.now() if publish else None
    roadmap.save(update_fields=["is_published", "published_at"])
    action = "roadmap_published" if publish else "roadmap_unpublished"
    project_audit(project=project, action=action, actor=actor, changes={"is_published": [not publish, publish]})
    return roadmap


def _milestone(project: Project, milestone_id: int) -> Milestone:
    milestone = project.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound(_("未找到该路径节点"), code="milestone_not_found")
    return milestone


@transaction.atomic
def milestone_record_actual(
    *, actor: User, project: Project, milestone_id: int, actual_on: dt.date | None
) -> Milestone:
    """The day a milestone was reached (None clears it); not later than today."""
    project = project_lock(project.pk)
    require_office(actor, project)
    milestone = _milestone(project, milestone_id)
    if actual_on is not None and actual_on > timezone.localdate():
        message = _("实际完成日期不能晚于今天")
        raise InvalidFields(message, errors={"actual_on": message}, code="milestone_actual_in_future")
    if milestone.actual_on == actual_on:
        return milestone
    old = milestone.actual_on.isoformat() if milestone.actual_on else None
    milestone.actual_on = actual_on
    milestone.save(update_fields=["actual_on"])
    changes = {"milestone_id": milestone.pk, "actual_on": [old, actual_on.isoformat() if actual_on else None]}
    project_audit(project=project, action="milestone_actual_recorded", actor=actor, changes=changes)
    return milestone


@transaction.atomic
def milestone_link_case(*, actor: User, project: Project, milestone_id: int, case_number: str) -> Case:
    """Link an approval case to an approval milestone; an open case gets the green channel and the agent."""
    project = project_lock(project.pk)
    require_office(actor, project)
    milestone = _milestone(project, milestone_id)
    if milestone.kind != MilestoneKind.APPROVAL:
        raise Conflict(_("只有审批类节点可以关联办件"), code="milestone_not_approval")
    number = clean_text(case_number)
    case = visible_cases(actor).filter(number=number).first() if number else None
    if case is None:
        raise NotFound(_("未找到编号为“%(number)s”的办件") % {"number": number}, code="case_not_found")
    if milestone.cases.filter(pk=case.pk).exists():
        raise Conflict(_("该办件已关联到此节点"), code="case_already_linked")
    milestone.cases.add(case)
    if case.status in OPEN_CASE_STATUSES:
        note = _("重点项目 %(project)s 的审批办件") % {"project": project}
        case = case_mark_green_channel(case_id=case.pk, actor=actor, agent=project_case_agent(project), note=note)
    changes = {"milestone_id": milestone.pk, "case_id": case.pk, "case_number": case.number}
    project_audit(project=project, action="case_linked", actor=actor, changes=changes)
    return case


@transaction.atomic
def milestone_unlink_case(*, actor: User, project: Project, milestone_id: int, case_id: int) -> None:
    """Undo a link made by mistake (the case keeps its green channel)."""
    project = project_lock(project.pk)
    require_office(actor, project)
    milestone = _milestone(project, milestone_id)
    case = milestone.cases.filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("该节点未关联此办件"), code="case_not_linked")
    milestone.cases.remove(case)
    changes = {"milestone_id": milestone.pk, "case_id": case.pk, "case_number": case.number}
    project_audit(project=project, action="case_unlinked", actor=actor, changes=changes)
