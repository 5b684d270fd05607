"""Pure rules of the key-project registry (重点项目库): phases and the order they move in, the
registry's field rules, and the roadmap's reverse scheduling (推进路径图, 倒排工期) with slippage.

No Django here (an import-linter contract keeps it so); services load rows, call these rules and
write the outcome with its audit event. `today` is always passed in, never read here.

Approval milestones count working days (行政许可法 Art. 82: weekends and statutory holidays do not
count, make-up workdays do); building milestones count calendar days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from onewindow.errors import DomainError, InvalidFields
from onewindow.orgs.domain import InvalidIdentifier, clean_credit_code
from onewindow.workdays.domain import WorkCalendar, subtract_working_days


class Phase(StrEnum):
    RESERVE = "reserve"
    PREPARATION = "preparation"
    NEW_START = "new_start"
    CONTINUING = "continuing"
    COMPLETED = "completed"
    IN_PRODUCTION = "in_production"


PHASE_LABELS: dict[Phase, str] = {
    Phase.RESERVE: "储备",
    Phase.PREPARATION: "前期",
    Phase.NEW_START: "新开工",
    Phase.CONTINUING: "续建",
    Phase.COMPLETED: "竣工",
    Phase.IN_PRODUCTION: "投产",
}

# A phase moves forward one step at a time; a step back is allowed (a start that slipped back into
# preparation) but always with a reason, which the service requires for every change anyway.
PHASE_ORDER: tuple[Phase, ...] = tuple(Phase)


class Level(StrEnum):
    CITY = "city"
    DISTRICT = "district"


LEVEL_LABELS: dict[Level, str] = {Level.CITY: "市级重点项目", Level.DISTRICT: "区级重点项目"}


class TeamRole(StrEnum):
    LEADER = "leader"
    CHIEF_SERVICE = "chief_service"
    SECRETARY = "secretary"
    COMMISSIONER = "commissioner"


TEAM_ROLE_LABELS: dict[TeamRole, str] = {
    TeamRole.LEADER: "包联领导",
    TeamRole.CHIEF_SERVICE: "首席服务人",
    TeamRole.SECRETARY: "项目秘书",
    TeamRole.COMMISSIONER: "企业特派员",
}


class MilestoneKind(StrEnum):
    LAND = "land"
    APPROVAL = "approval"
    START = "start"
    TOPPING_OUT = "topping_out"
    COMPLETION = "completion"
    PRODUCTION = "production"
    OTHER = "other"


MILESTONE_KIND_LABELS: dict[MilestoneKind, str] = {
    MilestoneKind.LAND: "土地",
    MilestoneKind.APPROVAL: "审批",
    MilestoneKind.START: "开工",
    MilestoneKind.TOPPING_OUT: "封顶",
    MilestoneKind.COMPLETION: "竣工",
    MilestoneKind.PRODUCTION: "投产",
    MilestoneKind.OTHER: "其他",
}


# --- phase changes ----------------------------------------------------------------------------------


class PhaseChangeRefused(DomainError):
    code = "project_phase_change_refused"
    status = 422


def allowed_phase_moves(current: Phase) -> tuple[Phase, ...]:
    """The next phase and the one before (a start that slipped back into preparation)."""
    index = PHASE_ORDER.index(current)
    return tuple(PHASE_ORDER[i] for i in (index + 1, index - 1) if 0 <= i < len(PHASE_ORDER))


def clean_text(value: object) -> str:
    """Text as the registry stores it: trimmed, without NUL characters (PostgreSQL refuses them)."""
    return ("" if value is None else str(value)).replace("\x00", "").strip()


def check_phase_change(current: Phase, new: Phase, reason: str) -> str:
    """The cleaned reason when `current` may move to `new`; otherwise PhaseChangeRefused."""
    if new == current:
        raise PhaseChangeRefused(f"项目已处于“{PHASE_LABELS[current]}”阶段", field="to_phase")
    if new not in allowed_phase_moves(current):
        allowed = "、".join(f"“{PHASE_LABELS[p]}”" for p in allowed_phase_moves(current))
        raise PhaseChangeRefused(f"建设阶段须逐级变更：“{PHASE_LABELS[current]}”只能变更为{allowed}", field="to_phase")
    cleaned = clean_text(reason)
    if not cleaned:
        raise PhaseChangeRefused("请填写阶段变更原因", code="project_phase_reason_required", field="reason")
    return cleaned


# --- new starts (新开工) ---------------------------------------------------------------------------------

# A start before this day is a typing slip (0026-03-01, 1926-03-01), not a key project of the registry.
EARLIEST_START = dt.date(2000, 1, 1)


class StartRefused(DomainError):
    code = "project_start_invalid"
    status = 422


def is_the_start(current: Phase, new: Phase) -> bool:
    """Whether moving `current` → `new` is the project's start (前期 → 新开工), which records its
    actual start; a step back from 续建 to 新开工 is not a new start."""
    return (current, new) == (Phase.PREPARATION, Phase.NEW_START)


def has_started(phase: Phase) -> bool:
    """新开工 or any phase after it: the project has an actual start (实际开工) to record."""
    return PHASE_ORDER.index(phase) >= PHASE_ORDER.index(Phase.NEW_START)


def check_actual_start(started_on: dt.date, *, today: dt.date, field: str) -> dt.date:
    """The day a project broke ground, when it may be recorded `today`; otherwise StartRefused.

    Not in the future. Registration is no bound: offices import lists of projects that broke ground
    before they were entered in the registry (a January start on a list imported in March).
    """
    if started_on > today:
        message = f"实际开工日期不能晚于今天（{today.isoformat()}）"
        raise StartRefused(message, code="project_start_in_future", field=field)
    if started_on < EARLIEST_START:
        message = f"实际开工日期不能早于{EARLIEST_START.year}年1月1日，请检查年份"
        raise StartRefused(message, code="project_start_too_early", field=field)
    return started_on


def started_within(
    first: dt.date, last: dt.date, *, actual_start: dt.date | None, new_start_days: Iterable[dt.date]
) -> bool:
    """Whether a project is a new start (新开工) of the days first..last.

    Its recorded actual start (实际开工) decides when there is one; otherwise its move to 新开工
    (`new_start_days`: the days of its phase changes to 新开工) within those days. The one rule of the
    ranking's new-starts indicator, the leaders' monthly report and the campaigns.
    """
    if actual_start is not None:
        return first <= actual_start <= last
    return any(first <= day <= last for day in new_start_days)


# --- registry fields ----------------------------------------------------------------------------------

MAX_AMOUNT = Decimal("999999999999.99")  # 14 digits, two places (万元)
CENT = Decimal("0.01")


def clean_amount(value: object, label: str) -> Decimal:
    """An amount in 万元, not negative, two places; or ValueError with a Chinese message naming `label`."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"请填写{label}")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(f"{label}应为数字，而不是“{value}”") from None
    if not amount.is_finite():
        raise ValueError(f"{label}应为数字，而不是“{value}”")
    if amount < 0:
        raise ValueError(f"{label}不能为负数")
    if amount > MAX_AMOUNT:
        raise ValueError(f"{label}过大，请以万元为单位填写")
    return amount.quantize(CENT)


def clean_chain_tags(tags: Sequence[str]) -> list[str]:
    """Industry-chain tags without blanks and repeats, in the order given."""
    cleaned: list[str] = []
    for tag in tags:
        text = clean_text(tag)
        if text and text not in cleaned:
            cleaned.append(text)
    return cleaned


@dataclass(frozen=True)
class ProjectRules:
    """What the registry checks on every project it creates or changes (the form, the API, the import)."""

    code: str
    name: str
    owner_name: str
    owner_credit_code: str
    industry: str
    total_investment: Decimal
    planned_start: dt.date | None
    planned_finish: dt.date | None


REQUIRED_TEXT = {"code": "项目编码", "name": "项目名称", "owner_name": "业主单位", "industry": "行业"}


def check_project(rules: ProjectRules) -> tuple[str, dict[str, str]]:
    """The canonical credit code and every broken rule, per field (no errors: every rule holds)."""
    errors = {field: f"请填写{label}" for field, label in REQUIRED_TEXT.items() if not getattr(rules, field).strip()}
    credit_code = ""
    try:
        credit_code = clean_credit_code(rules.owner_credit_code)
    except InvalidIdentifier as exc:
        errors["owner_credit_code"] = f"业主单位统一社会信用代码有误：{exc}"
    if rules.total_investment < 0:
        errors["total_investment"] = "总投资不能为负数"
    if rules.planned_start and rules.planned_finish and rules.planned_finish < rules.planned_start:
        errors["planned_finish"] = "计划竣工日期不能早于计划开工日期"
    return credit_code, errors


# --- roadmap: reverse scheduling (倒排工期) ---------------------------------------------------------

MAX_MILESTONES = 30
MAX_DURATION_DAYS = 3650


@dataclass(frozen=True)
class MilestonePlan:
    """One node of the roadmap as the reverse scheduling sees it."""

    kind: MilestoneKind
    duration_days: int
    counts_working_days: bool = False


@dataclass(frozen=True)
class ScheduledMilestone:
    """When a milestone must start and end at the latest for the target to hold.

    `provisional` when a working-day count went through a year whose holiday schedule is unknown.
    """

    latest_start_on: dt.date
    latest_on: dt.date
    provisional: bool = False


def reverse_schedule(
    target_on: dt.date, milestones: Sequence[MilestonePlan], calendar: WorkCalendar
) -> list[ScheduledMilestone]:
    """Every milestone's latest date, backwards from the target (倒排工期).

    The last milestone ends on the target; each earlier one ends no later than the next one's latest
    date minus the next one's duration, in working days when the next one counts working days (an
    approval: `subtract_working_days`), otherwise in calendar days.
    """
    scheduled: list[ScheduledMilestone] = []
    end = target_on
    for milestone in reversed(milestones):
        if milestone.counts_working_days:
            back = subtract_working_days(end, milestone.duration_days, calendar)
            start, provisional = back.on, back.provisional
        else:
            start, provisional = end - dt.timedelta(days=milestone.duration_days), False
        scheduled.append(ScheduledMilestone(latest_start_on=start, latest_on=end, provisional=provisional))
        end = start
    scheduled.reverse()
    return scheduled


def check_milestone_plans(milestones: Sequence[MilestonePlan]) -> None:
    """At most MAX_MILESTONES nodes, each lasting 0 to MAX_DURATION_DAYS days."""
    if len(milestones) > MAX_MILESTONES:
        raise InvalidFields(
            f"路径图最多 {MAX_MILESTONES} 个节点",
            errors={"milestones": f"路径图最多 {MAX_MILESTONES} 个节点"},
            code="roadmap_invalid",
        )
    errors = {
        f"milestones.{i}.duration_days": f"第 {i + 1} 个节点的所需天数应为 0 至 {MAX_DURATION_DAYS}"
        for i, m in enumerate(milestones)
        if not 0 <= m.duration_days <= MAX_DURATION_DAYS
    }
    if errors:
        raise InvalidFields("路径图节点有误", errors=errors, code="roadmap_invalid")


# --- slippage -----------------------------------------------------------------------------------------


class SlipState(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    PENDING = "pending"


SLIP_LABELS: dict[SlipState, str] = {
    SlipState.DONE_ON_TIME: "按期完成",
    SlipState.DONE_LATE: "滞后完成",
    SlipState.OVERDUE: "已超期",
    SlipState.PENDING: "未到期",
}


@dataclass(frozen=True)
class Slippage:
    """How far a milestone is behind its due date, in calendar days (0 when not behind)."""

    state: SlipState
    days: int

    @property
    def is_behind(self) -> bool:
        return self.state in (SlipState.DONE_LATE, SlipState.OVERDUE)


def milestone_due_on(planned_on: dt.date | None, latest_on: dt.date | None) -> dt.date | None:
    """The date a milestone is held to: the team's planned date, by default the latest date."""
    return planned_on or latest_on


def milestone_slippage(*, due_on: dt.date | None, actual_on: dt.date | None, today: dt.date) -> Slippage:
    """Reached: late by actual − due. Not reached: overdue by today − due once the due day has passed."""
    if actual_on is not None:
        late = (actual_on - due_on).days if due_on is not None else 0
        return Slippage(SlipState.DONE_LATE, late) if late > 0 else Slippage(SlipState.DONE_ON_TIME, 0)
    if due_on is not None and today > due_on:
        return Slippage(SlipState.OVERDUE, (today - due_on).days)
    return Slippage(SlipState.PENDING, 0)


def roadmap_slippage_days(slippages: Sequence[Slippage]) -> int:
    """The roadmap's slippage: its most-behind milestone's days (0 when none is behind)."""
    return max((s.days for s in slippages), default=0)
