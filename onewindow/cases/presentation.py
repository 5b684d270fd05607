"""What the pages and the API show of cases and tasks beside their columns: each timeline step's
label, the remaining working days and warning level of a row (`Progress`), and rows that pair a case
or task with them. Remaining days are computed for the rows shown, as the law stands today: a
submitted case past its intake limit shows as accepted (Art. 32) before the job records it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from onewindow.cases.domain import (
    OPEN_TASK_STATUSES,
    CaseStatus,
    WarningLevel,
    deemed_accepted_on,
    remaining_working_days,
    warning_level,
)
from onewindow.cases.models import Case, ClockStop, Task, TimelineEntry
from onewindow.cases.selectors.access import REVIEW_ROLES
from onewindow.orgs.models import User
from onewindow.orgs.selectors import holds_role_over
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.selectors import work_calendar

TIMELINE_ACTION_LABELS = {
    "case_submit": gettext_noop("提交申请"),
    "case_request_correction": gettext_noop("一次性告知补正"),
    "case_resubmit": gettext_noop("补正后重新提交"),
    "case_accept": gettext_noop("受理"),
    "case_accept_deemed": gettext_noop("视为受理"),
    "case_accept_with_deferral": gettext_noop("容缺受理"),
    "case_approve_on_commitment": gettext_noop("告知承诺准予"),
    "case_refuse": gettext_noop("不予受理"),
    "case_send_back": gettext_noop("退回受理环节"),
    "case_finish_review": gettext_noop("部门审查完成"),
    "case_decide": gettext_noop("作出决定"),
    "case_withdraw": gettext_noop("撤回申请"),
    "task_approve": gettext_noop("审查同意"),
    "task_reject": gettext_noop("审查不同意"),
    "task_request_supplement": gettext_noop("要求补充材料"),
    "task_start_special_procedure": gettext_noop("启动特别程序"),
    "task_resume": gettext_noop("恢复计时"),
    "task_send_back": gettext_noop("驳回"),
    "task_cancel": gettext_noop("取消审查任务"),
    "task_open": gettext_noop("推送部门审查"),
    "task_claim": gettext_noop("领办"),
    "task_assign": gettext_noop("分办"),
    "task_transfer": gettext_noop("转办"),
    "task_signoff": gettext_noop("会签意见"),
    "task_extension_request": gettext_noop("申请延期"),
    "task_extension_approve": gettext_noop("批准延期"),
    "case_extension_approve": gettext_noop("办件延期"),
    "case_draft_saved": gettext_noop("保存草稿"),
    "case_green_channel": gettext_noop("纳入绿色通道"),
    "case_deferred_material_received": gettext_noop("补交容缺材料"),
    "case_deferral_overdue": gettext_noop("容缺材料逾期"),
    # 加签 and the checks of a commitment (services/countersign.py, services/commitment.py)
    "task_add_signer": gettext_noop("加签"),
    "task_conform": gettext_noop("核查符合"),
    "task_not_conform": gettext_noop("核查不符合"),
    "task_find_false_commitment": gettext_noop("认定虚假承诺"),
    "task_report_rectification": gettext_noop("报告整改完成"),
    "case_revoke": gettext_noop("撤销许可"),
    # what other apps record on the case's timeline (services/stage_hooks.py)
    "stage_held": gettext_noop("阶段待办"),
    "fee_bill_opened": gettext_noop("推送收费核定"),
    "fee_bill_issued": gettext_noop("出具缴款通知书"),
    "fee_bill_paid": gettext_noop("缴费完成"),
}


def timeline_action_label(action: str) -> str:
    return gettext(TIMELINE_ACTION_LABELS.get(action, gettext_noop("办理")))


@dataclass(frozen=True)
class TimelineRow:
    entry: TimelineEntry
    label: str


def timeline_rows(entries: Iterable[TimelineEntry]) -> list[TimelineRow]:
    return [TimelineRow(entry=entry, label=timeline_action_label(entry.action)) for entry in entries]


# --- remaining days -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    remaining_days: int | None
    level: WarningLevel
    is_suspended: bool

    @property
    def overdue_days(self) -> int:
        return -self.remaining_days if self.remaining_days is not None and self.remaining_days < 0 else 0


def remaining_days(
    *, today: dt.date, due_on: dt.date, calendar: WorkCalendar, open_since: dt.date | None = None
) -> int:
    """Working days left; while the clock is stopped the count stays where it was when it stopped."""
    if open_since is not None:
        today = min(today, open_since - dt.timedelta(days=1))
    return remaining_working_days(today, due_on, calendar)


def _progress(
    due_on: dt.date | None, limit_days: int, stops: Iterable[ClockStop], today: dt.date, calendar: WorkCalendar
) -> Progress:
    open_since = min((stop.first_on for stop in stops), default=None)
    if due_on is None:
        return Progress(remaining_days=None, level=WarningLevel.NORMAL, is_suspended=open_since is not None)
    left = remaining_days(today=today, due_on=due_on, calendar=calendar, open_since=open_since)
    return Progress(remaining_days=left, level=warning_level(left, limit_days), is_suspended=open_since is not None)


def task_progress(task: Task, *, today: dt.date, calendar: WorkCalendar) -> Progress:
    """A task's remaining working days and warning level (decided tasks show none)."""
    if task.status not in OPEN_TASK_STATUSES:
        return Progress(remaining_days=None, level=WarningLevel.NORMAL, is_suspended=False)
    stops = getattr(task, "open_stops", None)
    if stops is None:
        stops = list(task.clock_stops.filter(last_on__isnull=True))
    return _progress(task.due_on, task.limit_days + task.extension_days, stops, today, calendar)


def case_progress(case: Case, *, today: dt.date, calendar: WorkCalendar) -> Progress:
    """A case's remaining working days against its own (joint) limit, while it is in review."""
    if case.status not in {CaseStatus.IN_REVIEW, CaseStatus.AWAITING_DECISION}:
        return Progress(remaining_days=None, level=WarningLevel.NORMAL, is_suspended=False)
    stops = getattr(case, "open_stops", None)
    if stops is None:
        stops = list(case.clock_stops.filter(last_on__isnull=True, task__isnull=True))
    return _progress(case.due_on, case.limit_days + case.extension_days, stops, today, calendar)


def today() -> dt.date:
    return timezone.localdate()


# --- rows with their progress, for pages and the API ----------------------------------------------


@dataclass(frozen=True)
class TaskRow:
    task: Task
    progress: Progress
    can_handle: bool = False  # the viewer reviews for the task's department: the row links to its task page


@dataclass(frozen=True)
class CaseRow:
    case: Case
    progress: Progress


def task_rows(
    tasks: Iterable[Task], *, calendar: WorkCalendar | None = None, viewer: User | None = None
) -> list[TaskRow]:
    calendar = calendar or work_calendar()
    on = today()
    return [
        TaskRow(
            task=task,
            progress=task_progress(task, today=on, calendar=calendar),
            can_handle=viewer is not None and holds_role_over(viewer, task.department, REVIEW_ROLES),
        )
        for task in tasks
    ]


def case_rows(cases: Iterable[Case], *, calendar: WorkCalendar | None = None) -> list[CaseRow]:
    """The cases as the law stands today (`as_the_law_stands`), each with its progress."""
    calendar = calendar or work_calendar()
    on = today()
    shown = [as_the_law_stands(case, today=on, calendar=calendar) for case in cases]
    return [CaseRow(case=case, progress=case_progress(case, today=on, calendar=calendar)) for case in shown]


def case_deemed_accepted_on(case: Case) -> dt.date | None:
    """The day a submitted case counts as accepted (Art. 32) once its intake limit has passed, else None."""
    return deemed_accepted_on(CaseStatus(case.status), case.received_on, today(), work_calendar())


def as_the_law_stands(case: Case, *, today: dt.date, calendar: WorkCalendar) -> Case:
    """The case as shown: a submitted case past its intake limit is accepted in law from the day its
    materials arrived (Art. 32) even before the hourly job records it. Only this instance changes,
    for display (`is_deemed_pending` says so); nothing is written."""
    on = deemed_accepted_on(CaseStatus(case.status), case.received_on, today, calendar)
    if on is not None:
        case.status, case.accepted_on = CaseStatus.IN_REVIEW, on
        case.is_deemed_accepted = case.is_deemed_pending = True
    return case
