"""Intake steps of a planned case: submission, the one-time notice, resubmission, refusal, withdrawal,
acceptance (`cases/services/intake/`)."""

from __future__ import annotations

from typing import Any

from onewindow.analytics.history.plan import Step
from onewindow.analytics.history.steps import PLACEHOLDER_FILE, PROBLEMS, REFUSAL, WITHDRAW_REASONS, CaseRecord
from onewindow.cases import domain
from onewindow.cases.domain import CaseAction, Clock, TaskAction
from onewindow.cases.models import CaseMaterial, CaseMatter, ClockStop, CorrectionNotice
from onewindow.cases.services.review.clocks import stop_ends_on

# The timeline's words for the channels (`cases.models.Channel`'s labels, as the service writes them).
CHANNEL_LABELS = {"online": "网上申报", "app": "移动端申报", "window": "窗口受理"}


class IntakeSteps(CaseRecord):
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
        label = CHANNEL_LABELS[case.channel]
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
