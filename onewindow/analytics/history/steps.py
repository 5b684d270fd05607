"""The record of a planned case's steps, as the services write it (in memory, not saved); the steps themselves
are in intake_steps.py and review_steps.py, together `play.CasePlay`.

Each method restates one service (named in its docstring) with what it changes on the case and its tasks,
the timeline row and the audit event's changes (`transitions._record`), with the engine's own domain
functions for numbers, limits and due dates. Primary keys are given here (`Ids`), so that events can name
the rows (task_id, clock_stop_id, notice_id) before anything is inserted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from onewindow.analytics.history.world import Product
from onewindow.audit.services import AuditEntry
from onewindow.cases import domain
from onewindow.cases.consistency import DIGEST_KEY, timeline_digest
from onewindow.cases.domain import CaseAction, CaseStatus, Clock, TaskAction, TaskStatus
from onewindow.cases.models import (
    Case,
    CaseDepartment,
    CaseMaterial,
    CaseMatter,
    ClockStop,
    CorrectionNotice,
    Task,
    TimelineEntry,
)
from onewindow.cases.services.stages import task_limit_days
from onewindow.fees.models import Bill, BillLine, FeeCheck, Payment, PaymentCallback, Receipt
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.workdays.domain import WorkCalendar

PROBLEMS = (
    "复印件不清晰，请提交清晰的扫描件",
    "缺少签字或盖章",
    "已过有效期，请提交有效期内的材料",
    "信息与申请表不一致",
)
SUPPLEMENTS = ("补充说明材料", "现场照片", "相关证明文件")
REJECTION = "经审查，申请不符合法定条件和标准，不予许可。"
APPROVAL = "经审查，申请材料齐全、符合法定形式，同意。"
WITHDRAW_REASONS = ("不再需要办理", "信息填写有误，重新申请", "改为到窗口办理")
REFUSAL = ("申请事项不属于本机关职权范围", "《中华人民共和国行政许可法》第三十二条第一款第（二）项")


@dataclass
class Ids:
    """The next primary key of each table the history writes (read once, then counted here)."""

    counters: dict[type, count[int]] = field(default_factory=dict)

    def start(self, model: type, after: int) -> None:
        self.counters[model] = count(after + 1)

    def next(self, model: type) -> int:
        return next(self.counters[model])


@dataclass
class Rows:
    """Everything one batch writes, in insert order."""

    cases: list[Case] = field(default_factory=list)
    matters: list[CaseMatter] = field(default_factory=list)
    materials: list[CaseMaterial] = field(default_factory=list)
    notices: list[CorrectionNotice] = field(default_factory=list)
    tasks: dict[int, Task] = field(default_factory=dict)
    stops: dict[int, ClockStop] = field(default_factory=dict)
    departments: list[CaseDepartment] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    events: dict[int, list[AuditEntry]] = field(default_factory=dict)  # case id → its events in order
    bills: list[Bill] = field(default_factory=list)  # 一单收费: the bills with their checks, lines and payments
    checks: list[FeeCheck] = field(default_factory=list)
    lines: list[BillLine] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    callbacks: list[PaymentCallback] = field(default_factory=list)
    receipts: list[Receipt] = field(default_factory=list)
    streams: dict[str, list[AuditEntry]] = field(default_factory=dict)  # other streams (fee_bill:<id>) in order


class CaseRecord:
    """The case of one plan with its rows so far, and the record of each step (transitions._record)."""

    def __init__(
        self, *, product: Product, case: Case, applicant: Applicant, rows: Rows, ids: Ids, calendar: WorkCalendar
    ) -> None:
        self.product, self.case, self.applicant, self.rows, self.ids = product, case, applicant, rows, ids
        self.calendar = calendar
        self.matters: dict[tuple[int, int], CaseMatter] = {}
        self.tasks: dict[tuple[int, int], Task] = {}
        self.open_stops: dict[tuple[int, int], ClockStop] = {}
        self.case_stops: list[ClockStop] = []  # the tasks' stops (the case's due date counts them)
        self.material_rows: list[CaseMaterial] = []
        self.notice: CorrectionNotice | None = None
        self.correction_stop: ClockStop | None = None
        self.departments: set[int] = set()
        rows.events[case.pk] = []

    # --- the record of a step (transitions._record) ------------------------------------------------

    def _record(
        self,
        at: dt.datetime,
        action: str,
        actor: User | None,
        organisation: Organisation | None,
        from_status: str,
        note: str,
        *,
        task: Task | None = None,
        is_public: bool = True,
        changes: dict[str, Any] | None = None,
    ) -> None:
        to_status = task.status if task is not None else self.case.status
        self.rows.timeline.append(
            TimelineEntry(
                id=self.ids.next(TimelineEntry),
                case=self.case,
                task=task,
                at=at,
                actor=actor,
                action=action,
                from_status=from_status,
                to_status=to_status,
                note=note,
                is_public=is_public,
            )
        )
        event_changes = {
            "status": [from_status, to_status],
            **({"task_id": task.pk} if task else {}),
            **(changes or {}),
            DIGEST_KEY: timeline_digest(at=at, note=note, is_public=is_public),
        }
        entry = AuditEntry(f"cases.{action}", "cases.case", self.case.pk, actor, organisation, event_changes)
        self.rows.events[self.case.pk].append(entry)

    def _case_move(
        self,
        at: dt.datetime,
        action: CaseAction,
        actor: User | None,
        org: Organisation | None,
        note: str,
        changes: dict[str, Any] | None = None,
    ) -> None:
        from_status = self.case.status
        self.case.status = domain.next_case_status(CaseStatus(from_status), action)
        self._record(at, f"case_{action.value}", actor, org, from_status, note, changes=changes)

    def _task_move(
        self,
        at: dt.datetime,
        task: Task,
        action: TaskAction,
        actor: User | None,
        note: str,
        changes: dict[str, Any] | None = None,
        is_public: bool = True,
    ) -> None:
        from_status = task.status
        task.status = domain.next_task_status(TaskStatus(from_status), action)
        self._record(
            at,
            f"task_{action.value}",
            actor,
            task.department,
            from_status,
            note,
            task=task,
            is_public=is_public,
            changes=changes,
        )

    def _today(self, at: dt.datetime) -> dt.date:
        return at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()

    def _clerk_or_user(self) -> User:
        """Who acts for the applicant: their own account online (portal or app), the clerk at the window."""
        return self.case.submitted_by if self.case.channel != "window" else self.product.clerk  # type: ignore[return-value]

    # --- a stage opened, a clock stopped (intake and review) ---------------------------------------

    def _stage_open(self, at: dt.datetime, stage: int, actor: User | None) -> None:
        """stage_open (`services/stages.py`): a task per matter of the stage, fanned out in one record."""
        today, opened = self._today(at), []
        for (number, index), matter in self.matters.items():
            if number != stage:
                continue
            limit = task_limit_days(self.case, matter.matter_version.promised_limit_days)  # green: shorter
            task = Task(
                id=self.ids.next(Task),
                case=self.case,
                case_matter=matter,
                department=matter.department,
                kind=Task.Kind.REVIEW,
                stage=stage,
                started_on=today,
                limit_days=limit,
                due_on=Clock(started_on=today, limit_days=limit).due_on(self.calendar),
                required_signoffs=matter.matter_version.required_signoffs,
                is_green_channel=self.case.is_green_channel,
            )
            self.tasks[(stage, index)] = task
            self.rows.tasks[task.pk] = task
            opened.append(task)
        for department in sorted({task.department_id for task in opened} - self.departments):
            self.departments.add(department)
            self.rows.departments.append(CaseDepartment(case=self.case, department_id=department))
        for task in opened:
            self._record(
                at,
                "task_open",
                actor,
                task.department,
                "",
                f"第{stage}阶段：推送{task.department.display_name}审查",
                task=task,
                is_public=False,
                changes={"stage": stage, "due_on": task.due_on.isoformat()},
            )
        self.case.current_stage = stage
        self._stage_opened(at, stage, actor)

    def _stage_opened(self, at: dt.datetime, stage: int, actor: User | None) -> None:
        """What other apps write when a stage opens (`stage_hooks.stage_opened`): bills.py opens its bill."""

    def _stage_held(self, stage: int) -> str:
        """Why the stage may not end yet (`stage_hooks.stage_held`): bills.py, a bill not paid yet."""
        return ""

    def _stop(
        self, task: Task | None, reason: str, note: str, first_on: dt.date, expected: dt.date | None = None
    ) -> ClockStop:
        stop = ClockStop(
            id=self.ids.next(ClockStop),
            case=self.case,
            task=task,
            reason=reason,
            note=note,
            first_on=first_on,
            expected_end_on=expected,
        )
        self.rows.stops[stop.pk] = stop
        return stop


# Every history material row points at one small PDF kept once (the services keep one file per upload).
PLACEHOLDER_FILE: dict[str, Any] = {}
