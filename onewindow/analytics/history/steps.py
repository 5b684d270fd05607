"""One planned case played step by step into the rows the services write (in memory, not saved).

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

from onewindow.analytics.history.plan import Step
from onewindow.analytics.history.world import Product
from onewindow.audit.services import AuditEntry
from onewindow.cases import domain
from onewindow.cases.consistency import DIGEST_KEY, timeline_digest
from onewindow.cases.domain import CaseAction, CaseStatus, Clock, StageOutcome, TaskAction, TaskStatus
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
from onewindow.cases.services.review.clocks import stop_ends_on
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.workdays.domain import Suspension, WorkCalendar

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


class CasePlay:
    """The case of one plan, stepped through its planned steps (see plan.Step)."""

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
        """Who acts for the applicant: their own account online, the clerk at the window."""
        return self.case.submitted_by if self.case.channel == "online" else self.product.clerk  # type: ignore[return-value]

    # --- intake -------------------------------------------------------------------------------------

    def submit(self, step: Step, number: str, form_data: dict[str, Any]) -> None:
        """case_submit (`services/intake/submission.py`): numbered, received today, every material given."""
        case, today = self.case, self._today(step.at)
        case.number, case.form_data = number, form_data
        case.submitted_at, case.created_at = step.at, step.at
        case.received_on, case.intake_due_on = today, domain.intake_due_on(today, self.calendar)
        for version, stage in self.product.source.matters:
            row = CaseMatter(
                id=self.ids.next(CaseMatter),
                case=case,
                matter_version=version,
                stage=stage,
                department=version.matter.department,
            )
            self.matters[(stage, sum(1 for s in self.matters if s[0] == stage))] = row
            self.rows.matters.append(row)
        for material in self.product.source.materials:
            given = CaseMaterial(
                id=self.ids.next(CaseMaterial),
                case=case,
                key=material.key,
                name=material.name,
                uploaded_at=step.at,
                **PLACEHOLDER_FILE,
            )
            self.material_rows.append(given)
            self.rows.materials.append(given)
        label = "网上申报" if case.channel == "online" else "窗口受理"
        self._case_move(
            step.at,
            CaseAction.SUBMIT,
            case.submitted_by,
            case.region,
            f"{label}：收到申请材料，受理期限至 {case.intake_due_on:%Y-%m-%d}",
            {
                "number": case.number,
                "channel": case.channel,
                "material_keys": sorted(r.key for r in self.material_rows),
            },
        )

    def request_correction(self, step: Step, seed: int) -> bool:
        """case_request_correction (`intake/correction.py`): the one-time notice; the intake clock waits."""
        if not self.material_rows:
            return False
        case, today = self.case, self._today(step.at)
        picked = [self.material_rows[(seed + i * 3) % len(self.material_rows)] for i in range(1 + seed % 2)]
        items = [
            {"target": f"material:{row.key}", "label": row.name, "problem": PROBLEMS[(seed + i) % len(PROBLEMS)]}
            for i, row in enumerate(dict.fromkeys(picked))
        ]
        notice = CorrectionNotice(
            id=self.ids.next(CorrectionNotice),
            case=case,
            number=f"{case.number}-BZ1",
            items=items,
            issued_by=self.product.clerk,
            issued_at=step.at,
        )
        self.notice = notice
        self.rows.notices.append(notice)
        self.correction_stop = self._stop(None, ClockStop.Reason.CORRECTION, notice.number, today)
        self._case_move(
            step.at,
            CaseAction.REQUEST_CORRECTION,
            self.product.clerk,
            case.region,
            f"一次性告知补正（告知书 {notice.number}），共 {len(items)} 项："
            + "；".join(f"{item['label']}：{item['problem']}" for item in items),
            {"notice_id": notice.pk, "targets": [item["target"] for item in items]},
        )
        return True

    def resubmit(self, step: Step) -> None:
        """case_resubmit: the notice resolved, the stop closed, the files given again, 5 days from today."""
        case, today = self.case, self._today(step.at)
        assert self.notice is not None and self.correction_stop is not None
        self.notice.resolved_at = step.at
        self.correction_stop.last_on = stop_ends_on(self.correction_stop.first_on, today)
        keys = sorted(item["target"].removeprefix("material:") for item in self.notice.items)
        for row in self.material_rows:
            if row.key in keys:
                row.uploaded_at = step.at
        case.received_on, case.intake_due_on = today, domain.intake_due_on(today, self.calendar)
        self._case_move(
            step.at,
            CaseAction.RESUBMIT,
            self._clerk_or_user(),
            case.region,
            f"申请人已补正，受理期限重新计算至 {case.intake_due_on:%Y-%m-%d}",
            {"material_keys": keys, "field_keys": []},
        )

    def refuse(self, step: Step) -> None:
        """case_refuse (`intake/acceptance.py`): with its reason and legal basis."""
        case = self.case
        case.refusal_reason, case.decision_note = REFUSAL
        self._case_move(
            step.at,
            CaseAction.REFUSE,
            self.product.clerk,
            case.region,
            f"不予受理。理由：{case.refusal_reason}；法律依据：{case.decision_note}",
            {"legal_basis": case.decision_note},
        )

    def withdraw(self, step: Step, seed: int) -> None:
        """case_withdraw (`intake/withdrawal.py`): open tasks cancelled, open stops closed."""
        today, actor = self._today(step.at), self._clerk_or_user()
        for task in self.tasks.values():
            if task.status in domain.OPEN_TASK_STATUSES:
                self._task_move(step.at, task, TaskAction.CANCEL, actor, "申请人撤回申请，任务取消", is_public=False)
        for stop in [*self.case_stops, *([self.correction_stop] if self.correction_stop else [])]:
            if stop.last_on is None:
                stop.last_on = stop_ends_on(stop.first_on, today)
        reason = WITHDRAW_REASONS[seed % len(WITHDRAW_REASONS)]
        self._case_move(step.at, CaseAction.WITHDRAW, actor, self.case.region, f"撤回申请：{reason}")

    def accept(self, step: Step) -> None:
        """case_accept → _accept: notice number, the case's limit and due date, stage 1 opened."""
        case, today = self.case, self._today(step.at)
        statutory = [version.statutory_limit_days for version, _ in self.product.source.matters]
        case.accepted_on = today
        case.acceptance_notice_number = f"{case.number}-SL"
        case.limit_days = domain.case_limit_days(matter_count=len(statutory), statutory_days=statutory)
        case.due_on = Clock(started_on=today, limit_days=case.limit_days).due_on(self.calendar)
        case.current_stage = 1
        self._case_move(
            step.at,
            CaseAction.ACCEPT,
            self.product.clerk,
            case.region,
            "受理",
            {"notice_number": case.acceptance_notice_number, "due_on": case.due_on.isoformat()},
        )
        self._stage_open(step.at, 1, self.product.clerk)

    # --- review -------------------------------------------------------------------------------------

    def _stage_open(self, at: dt.datetime, stage: int, actor: User | None) -> None:
        """stage_open (`services/stages.py`): a task per matter of the stage, fanned out in one record."""
        today, opened = self._today(at), []
        for (number, index), matter in self.matters.items():
            if number != stage:
                continue
            limit = matter.matter_version.promised_limit_days
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
                is_green_channel=False,
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

    def _reviewer(self, task: Task) -> User:
        reviewer = self.product.reviewers[task.department_id]
        if task.assignee_id is None:  # take()
            task.assignee = reviewer
        return reviewer

    def task_step(self, step: Step, seed: int) -> None:
        task = self.tasks.get((step.stage, step.matter))
        if task is None or task.status not in domain.OPEN_TASK_STATUSES:
            return
        getattr(self, step.action)(step, task, seed)

    def task_suspend(self, step: Step, task: Task, seed: int) -> None:
        """task_request_supplement / task_start_special_procedure (`review/clocks.py`): the clock stops."""
        today, reviewer = self._today(step.at), self._reviewer(task)
        if step.reason == ClockStop.Reason.SUPPLEMENT:
            text = f"请补充以下材料：1. {SUPPLEMENTS[seed % len(SUPPLEMENTS)]}。补充期间中止计时。"
            stop = self._stop(task, step.reason, text, today)
            changes: dict[str, Any] = {"clock_stop_id": stop.pk, "item_count": 1}
            action = TaskAction.REQUEST_SUPPLEMENT
        else:
            expected = today + dt.timedelta(days=14)
            label = ClockStop.Reason(step.reason).label
            text = f"因{label}中止计时：依法需要{label}。预计{expected:%Y年%m月%d日}结束，其间不计入办理时限。"
            stop = self._stop(task, step.reason, text, today, expected)
            changes = {"clock_stop_id": stop.pk, "kind": step.reason, "expected_end_on": expected.isoformat()}
            action = TaskAction.START_SPECIAL_PROCEDURE
        self.open_stops[(step.stage, step.matter)] = stop
        self.case_stops.append(stop)
        self._task_move(step.at, task, action, reviewer, text, changes)

    def task_resume(self, step: Step, task: Task, seed: int) -> None:
        """task_supplement_received / task_end_special_procedure → _resume: the due dates move."""
        stop = self.open_stops.pop((step.stage, step.matter))
        stop.last_on = stop_ends_on(stop.first_on, self._today(step.at))
        if stop.reason == ClockStop.Reason.SUPPLEMENT:
            actor, text = self._clerk_or_user(), "补充材料已收到，恢复计时。"
        else:
            actor, text = self._reviewer(task), f"{stop.get_reason_display()}结束，恢复计时。"
        task.due_on = self._task_due_on(task)
        self.case.due_on = self._case_due_on()
        self._task_move(
            step.at, task, TaskAction.RESUME, actor, text, {"clock_stop_id": stop.pk, "due_on": task.due_on.isoformat()}
        )

    def _closed(self, stops: list[ClockStop]) -> tuple[Suspension, ...]:
        return tuple(Suspension(s.first_on, s.last_on) for s in stops if s.last_on is not None)

    def _task_due_on(self, task: Task) -> dt.date:
        stops = [stop for stop in self.case_stops if stop.task is task]
        return Clock(task.started_on, task.limit_days + task.extension_days, self._closed(stops)).due_on(self.calendar)

    def _case_due_on(self) -> dt.date:
        assert self.case.accepted_on is not None
        clock = Clock(
            self.case.accepted_on, self.case.limit_days + self.case.extension_days, self._closed(self.case_stops)
        )
        return clock.due_on(self.calendar)

    def task_extension_request(self, step: Step, task: Task, seed: int) -> None:
        """task_extension_request (`review/extensions.py`): the assignee asks; the head approves."""
        if task.department_id not in self.product.heads or task.status != TaskStatus.OPEN:
            return
        reviewer = self._reviewer(task)
        task.extension_requested_days = step.days
        self._record(
            step.at,
            "task_extension_request",
            reviewer,
            task.department,
            task.status,
            "审查事项复杂，需要延长审查期限",
            task=task,
            is_public=False,
            changes={"days": step.days},
        )

    def task_extension_approve(self, step: Step, task: Task, seed: int) -> None:
        if not task.extension_requested_days or task.status != TaskStatus.OPEN:
            return
        task.extension_days, task.extension_requested_days = task.extension_requested_days, 0
        task.due_on = self._task_due_on(task)
        self._record(
            step.at,
            "task_extension_approve",
            self.product.heads[task.department_id],
            task.department,
            task.status,
            f"延期 {task.extension_days} 个工作日，期限至 {task.due_on.isoformat()}",
            task=task,
            changes={"days": task.extension_days, "due_on": task.due_on.isoformat()},
        )

    def task_approve(self, step: Step, task: Task, seed: int) -> None:
        self._decide(step, task, TaskAction.APPROVE, APPROVAL)

    def task_reject(self, step: Step, task: Task, seed: int) -> None:
        self._decide(step, task, TaskAction.REJECT, REJECTION)

    def _decide(self, step: Step, task: Task, action: TaskAction, opinion: str) -> None:
        """task_approve / task_reject → _decide and the stage join (`review/decisions.py`)."""
        if task.status != TaskStatus.OPEN:
            return
        reviewer = self._reviewer(task)
        task.opinion, task.decided_at = opinion, step.at
        self._task_move(step.at, task, action, reviewer, opinion)
        stage_tasks = [t for t in self.tasks.values() if t.stage == self.case.current_stage]
        outcome = domain.review_outcome([TaskStatus(t.status) for t in stage_tasks])
        if outcome is StageOutcome.PENDING:
            return
        next_stage = self.case.current_stage + 1
        if outcome is StageOutcome.ALL_APPROVED and any(stage == next_stage for stage, _ in self.matters):
            self._stage_open(step.at, next_stage, reviewer)
            return
        self._case_move(step.at, CaseAction.FINISH_REVIEW, reviewer, task.department, "各部门审查完毕，待作出决定")
        if self.product.bundle_version is None:  # _single_matter_complete
            result = CaseMatter.Result.APPROVED if task.status == TaskStatus.APPROVED else CaseMatter.Result.REJECTED
            task.case_matter.result = result
            self.case.completed_at, self.case.decision_note = step.at, opinion
            self._case_move(
                step.at,
                CaseAction.DECIDE,
                reviewer,
                task.department,
                f"办结：{result.label}",
                {"results": {str(task.case_matter_id): result.value}},
            )

    def decide(self, step: Step) -> None:
        """case_decide: the lead department's joint decision, a result for every matter."""
        if self.case.status != CaseStatus.AWAITING_DECISION:
            return
        approved = {t.case_matter_id for t in self.tasks.values() if t.status == TaskStatus.APPROVED}
        results = {}
        for matter in self.matters.values():
            matter.result = CaseMatter.Result.APPROVED if matter.pk in approved else CaseMatter.Result.REJECTED
            results[str(matter.pk)] = str(matter.result)
        self.case.completed_at, self.case.decision_note = step.at, ""
        lead = self.product.source.deciding_department
        self._case_move(
            step.at, CaseAction.DECIDE, self.product.lead, lead, "牵头部门作出联合决定，办件办结", {"results": results}
        )


# Every history material row points at one small PDF kept once (the services keep one file per upload).
PLACEHOLDER_FILE: dict[str, Any] = {}
