"""Review steps of a planned case: clock stops, extensions, decisions, the stage join and the joint
decision (`cases/services/review/`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from onewindow.analytics.history.plan import Step
from onewindow.analytics.history.steps import APPROVAL, REJECTION, SUPPLEMENTS, CaseRecord
from onewindow.cases import domain
from onewindow.cases.domain import CaseAction, CaseStatus, Clock, StageOutcome, TaskAction, TaskStatus
from onewindow.cases.models import CaseMatter, ClockStop, Task
from onewindow.cases.services.review.clocks import stop_ends_on
from onewindow.orgs.models import User
from onewindow.workdays.domain import Suspension


class ReviewSteps(CaseRecord):
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
        self._stage_join(step.at, task, reviewer)

    def _stage_join(self, at: dt.datetime, task: Task, actor: User | None) -> None:
        """_stage_join: when every task of the stage is decided (`task` the last), the next stage opens or the
        case awaits its decision, unless a gate holds the stage (a bill not paid: `stage_release` goes on)."""
        stage_tasks = [t for t in self.tasks.values() if t.stage == self.case.current_stage]
        outcome = domain.review_outcome([TaskStatus(t.status) for t in stage_tasks])
        if outcome is StageOutcome.PENDING:
            return
        if outcome is StageOutcome.ALL_APPROVED and (reason := self._stage_held(self.case.current_stage)):
            self._record(at, "stage_held", actor, task.department, "", reason)
            return
        next_stage = self.case.current_stage + 1
        if outcome is StageOutcome.ALL_APPROVED and any(stage == next_stage for stage, _ in self.matters):
            self._stage_open(at, next_stage, actor)
            return
        self._case_move(at, CaseAction.FINISH_REVIEW, actor, task.department, "各部门审查完毕，待作出决定")
        if self.product.bundle_version is None:  # _single_matter_complete
            result = CaseMatter.Result.APPROVED if task.status == TaskStatus.APPROVED else CaseMatter.Result.REJECTED
            task.case_matter.result = result
            self.case.completed_at, self.case.decision_note = at, task.opinion
            self._case_move(
                at,
                CaseAction.DECIDE,
                actor,
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
