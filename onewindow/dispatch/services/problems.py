"""Problems (问题交办): raise, answer, confirm, return, escalate (三级调度), and the overdue job.

Every function locks the problem row, checks who acts, moves the status through
`domain.next_problem_status`, writes one ProblemStep and one audit event (stream `project:<id>`).

Units: at the district level the unit lies within the project's district; at the city levels,
anywhere within the project's city. Deadlines: a given date, or DISPATCH_PROBLEM_DEADLINE_WORKING_DAYS
working days after today (the workdays calendar); each escalation sets a new one the same way.
A returned problem keeps its deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from onewindow.audit.services import audit_record
from onewindow.cases.models import Case
from onewindow.dispatch.domain import (
    MAX_TEXT,
    PROBLEM_LEVEL_LABELS,
    ProblemAction,
    ProblemCategory,
    ProblemLevel,
    ProblemStatus,
    check_due_on,
    escalation_unit,
    initial_levels,
    next_level,
    next_problem_status,
    problem_due_on,
    should_escalate,
)
from onewindow.dispatch.models import Problem, ProblemStep
from onewindow.dispatch.selectors.access import city_of, is_city_office_for, is_project_side, is_unit_staff_for
from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.orgs.domain import Role, is_within
from onewindow.orgs.models import Membership, Organisation, User
from onewindow.projects.domain import Level, TeamRole
from onewindow.projects.models import Project, TeamMember
from onewindow.projects.services.common import project_stream
from onewindow.workdays.selectors import work_calendar

TITLE_MAX = 200


def default_due_on(today: dt.date) -> dt.date:
    days = int(getattr(settings, "DISPATCH_PROBLEM_DEADLINE_WORKING_DAYS", 5))
    return problem_due_on(today, days, work_calendar())


def unit_allowed(project: Project, level: ProblemLevel, unit: Organisation) -> bool:
    scope = project.district if level == ProblemLevel.DISTRICT else city_of(project.district)
    return is_within(unit.path, [scope.path])


@dataclass(frozen=True)
class NewProblem:
    category: str
    title: str
    description: str = ""
    unit: Organisation | None = None
    level: str = ProblemLevel.DISTRICT
    due_on: dt.date | None = None
    case_id: int | None = None


def _problem_errors(project: Project, new: NewProblem, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if new.category not in set(ProblemCategory):
        errors["category"] = "请选择问题类别"
    if not new.title.strip():
        errors["title"] = "请填写问题"
    elif len(new.title.strip()) > TITLE_MAX:
        errors["title"] = f"问题不能超过 {TITLE_MAX} 字"
    if len(new.description) > MAX_TEXT:
        errors["description"] = f"具体情况不能超过 {MAX_TEXT} 字"
    levels = initial_levels(Level(project.level))
    if new.level not in levels:
        errors["level"] = "区级重点项目的问题从区县调度开始" if len(levels) == 1 else "新问题从区县或市直部门调度开始"
    if new.unit is None:
        errors["unit"] = "请选择责任单位"
    elif "level" not in errors and not unit_allowed(project, ProblemLevel(new.level), new.unit):
        errors["unit"] = "责任单位须在本项目所在区县（市级调度时为本市）范围内"
    if new.due_on is not None and (problem := check_due_on(new.due_on, today)):
        errors["due_on"] = problem
    if new.case_id is not None and not Case.objects.filter(pk=new.case_id, milestones__project=project).exists():
        errors["case_id"] = "关联办件须为本项目路径图中的审批办件"
    return errors


def _step(
    problem: Problem, action: ProblemAction, actor: User | None, note: str = "", due_on: dt.date | None = None
) -> None:
    ProblemStep.objects.create(
        problem=problem,
        action=action,
        level=problem.level,
        unit=problem.assigned_unit,
        note=note,
        due_on=due_on,
        actor=actor,
    )


def _audit(problem: Problem, action: ProblemAction, actor: User | None, changes: dict[str, object]) -> None:
    audit_record(
        stream=project_stream(problem.project_id),
        action=f"dispatch.problem_{action.value}",
        target_type="dispatch.Problem",
        target_id=problem.pk,
        actor=actor,
        organisation=problem.assigned_unit,
        changes=changes,
    )


@transaction.atomic
def problem_raise(*, actor: User, project: Project, new: NewProblem, today: dt.date | None = None) -> Problem:
    today = today or timezone.localdate()
    if not is_project_side(actor, project):
        raise PermissionDenied("只有项目服务专班或重点项目办可以提出问题", code="problem_not_project_side")
    errors = _problem_errors(project, new, today)
    if errors or new.unit is None:
        raise InvalidFields("问题内容有误，请检查", errors=errors, code="problem_invalid")
    problem = Problem.objects.create(
        project=project,
        category=new.category,
        title=new.title.strip(),
        description=new.description.strip(),
        raised_by=actor,
        raised_on=today,
        level=new.level,
        assigned_unit=new.unit,
        due_on=new.due_on or default_due_on(today),
        status=ProblemStatus.OPEN,
        case_id=new.case_id,
    )
    _step(problem, ProblemAction.RAISE, actor, problem.description, problem.due_on)
    _audit(
        problem,
        ProblemAction.RAISE,
        actor,
        {"title": problem.title, "level": problem.level, "unit": new.unit.pk, "due_on": problem.due_on},
    )
    return problem


def _lock(problem: Problem) -> Problem:
    return (
        Problem.objects.select_for_update(of=("self",))
        .select_related("project", "project__district", "assigned_unit")
        .get(pk=problem.pk)
    )


def _note(text: str, *, required: bool, label: str) -> str:
    note = (text or "").strip()
    if required and not note:
        raise InvalidFields(f"请填写{label}", errors={"note": f"请填写{label}"}, code="problem_note_required")
    if len(note) > MAX_TEXT:
        raise InvalidFields(
            f"{label}过长", errors={"note": f"{label}不能超过 {MAX_TEXT} 字"}, code="problem_note_too_long"
        )
    return note


@transaction.atomic
def problem_answer(*, actor: User, problem: Problem, answer: str, today: dt.date | None = None) -> Problem:
    """The assigned unit answers (办理答复); the project side then confirms or returns it."""
    today = today or timezone.localdate()
    locked = _lock(problem)
    if not is_unit_staff_for(actor, locked.assigned_unit):
        raise PermissionDenied("只有责任单位的工作人员可以答复", code="problem_not_unit_staff")
    locked.status = next_problem_status(ProblemStatus(locked.status), ProblemAction.ANSWER)
    locked.answer = _note(answer, required=True, label="办理答复")
    locked.answered_on = today
    locked.save(update_fields=["status", "answer", "answered_on"])
    _step(locked, ProblemAction.ANSWER, actor, locked.answer)
    _audit(locked, ProblemAction.ANSWER, actor, {"answered_on": today, "on_time": today <= locked.due_on})
    return locked


def _require_project_side(actor: User, problem: Problem) -> None:
    if not is_project_side(actor, problem.project):
        raise PermissionDenied("只有项目服务专班或重点项目办可以确认或退回", code="problem_not_project_side")


@transaction.atomic
def problem_confirm(*, actor: User, problem: Problem, note: str = "", today: dt.date | None = None) -> Problem:
    """The project side accepts the answer: the problem is closed (办结)."""
    today = today or timezone.localdate()
    locked = _lock(problem)
    _require_project_side(actor, locked)
    locked.status = next_problem_status(ProblemStatus(locked.status), ProblemAction.CONFIRM)
    locked.closed_on = today
    locked.save(update_fields=["status", "closed_on"])
    _step(locked, ProblemAction.CONFIRM, actor, _note(note, required=False, label="说明"))
    _audit(locked, ProblemAction.CONFIRM, actor, {"closed_on": today})
    return locked


@transaction.atomic
def problem_return(*, actor: User, problem: Problem, note: str) -> Problem:
    """The project side does not accept the answer: open again at the same unit and deadline."""
    locked = _lock(problem)
    _require_project_side(actor, locked)
    locked.status = next_problem_status(ProblemStatus(locked.status), ProblemAction.RETURN)
    text = _note(note, required=True, label="退回理由")
    locked.save(update_fields=["status"])
    _step(locked, ProblemAction.RETURN, actor, text)
    _audit(locked, ProblemAction.RETURN, actor, {"note": text})
    return locked


def _move_up(locked: Problem, unit: Organisation, due_on: dt.date, actor: User | None, note: str) -> Problem:
    level = next_level(ProblemLevel(locked.level))
    if level is None:
        raise Conflict("该问题已在市领导调度层级，不能再提级", code="problem_at_top_level")
    locked.status = next_problem_status(ProblemStatus(locked.status), ProblemAction.ESCALATE)
    before = {"level": locked.level, "unit": locked.assigned_unit_id, "due_on": locked.due_on}
    locked.level, locked.assigned_unit, locked.due_on = level, unit, due_on
    locked.save(update_fields=["status", "level", "assigned_unit", "due_on"])
    _step(locked, ProblemAction.ESCALATE, actor, note, due_on)
    _audit(
        locked,
        ProblemAction.ESCALATE,
        actor,
        {"from": before, "to": {"level": level, "unit": unit.pk, "due_on": due_on}},
    )
    return locked


@transaction.atomic
def problem_escalate(
    *,
    actor: User,
    problem: Problem,
    unit: Organisation | None,
    due_on: dt.date | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Problem:
    """The city's key-project office moves an open problem up one level and chooses the new unit."""
    today = today or timezone.localdate()
    locked = _lock(problem)
    if not is_city_office_for(actor, locked.project):
        raise PermissionDenied("只有市重点项目办可以提级调度", code="problem_not_city_office")
    level = next_level(ProblemLevel(locked.level))
    errors: dict[str, str] = {}
    if unit is None:
        errors["unit"] = "请选择责任单位"
    elif level is not None and not unit_allowed(locked.project, level, unit):
        errors["unit"] = "责任单位须在本市范围内"
    if due_on is not None and (problem_text := check_due_on(due_on, today)):
        errors["due_on"] = problem_text
    text = (note or "").strip()[:MAX_TEXT]
    if errors or unit is None:
        next_problem_status(ProblemStatus(locked.status), ProblemAction.ESCALATE)  # a closed one: 409 first
        raise InvalidFields("提级调度内容有误", errors=errors, code="problem_escalation_invalid")
    return _move_up(locked, unit, due_on or default_due_on(today), actor, text)


def _leader_unit(project: Project) -> int | None:
    leader = TeamMember.objects.filter(project=project, role=TeamRole.LEADER).values_list("user_id", flat=True).first()
    if leader is None:
        return None
    memberships = list(Membership.objects.filter(user_id=leader).order_by("pk").values_list("role", "organisation_id"))
    as_leader = [organisation for role, organisation in memberships if role == Role.LEADER]
    anywhere = [organisation for _role, organisation in memberships]
    return (as_leader or anywhere)[0] if anywhere else None


def _escalate_one(pk: int, today: dt.date) -> bool:
    with transaction.atomic():
        locked = _lock(Problem(pk=pk))
        if not should_escalate(ProblemStatus(locked.status), ProblemLevel(locked.level), locked.due_on, today):
            return False
        level = next_level(ProblemLevel(locked.level))
        assert level is not None
        project = locked.project
        city = city_of(project.district)
        unit_id = escalation_unit(
            level, responsible_unit=project.responsible_unit_id, leader_unit=_leader_unit(project), city=city.pk
        )
        unit = Organisation.objects.get(pk=unit_id)
        note = f"逾期未办结，自动提级至{PROBLEM_LEVEL_LABELS[level]}"
        _move_up(locked, unit, default_due_on(today), None, note)
        return True


def problems_escalate_overdue(*, today: dt.date | None = None) -> int:
    """The job: every open problem past its deadline moves up one level (each in its own transaction)."""
    today = today or timezone.localdate()
    candidates = Problem.objects.filter(status=ProblemStatus.OPEN, due_on__lt=today).exclude(
        level=ProblemLevel.CITY_LEADER
    )
    return sum(_escalate_one(pk, today) for pk in candidates.values_list("pk", flat=True).order_by("pk"))
