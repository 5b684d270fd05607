"""Opening a stage of a case: one review task per matter of the stage (推送相关、同步审核).

Shared by intake (acceptance opens stage 1) and review (a finished stage opens the next one).
Call it inside the transaction that holds the case lock (see locking.case_lock).
"""

from __future__ import annotations

import datetime as dt

from onewindow.cases.domain import Clock, green_channel_limit
from onewindow.cases.models import Case, CaseDepartment, CaseMatter, Task
from onewindow.cases.services.locking import LockedCase
from onewindow.cases.services.stage_hooks import StageOpening, stage_opened
from onewindow.cases.services.transitions import task_open_records
from onewindow.cases.sources import case_source
from onewindow.orgs.models import User
from onewindow.workdays.domain import WorkCalendar


def task_limit_days(case: Case, promised_limit_days: int) -> int:
    """A task runs on the matter's promised limit; a green-channel case on its shorter share."""
    return green_channel_limit(promised_limit_days) if case.is_green_channel else promised_limit_days


def stage_matters(locked: LockedCase, stage: int | None = None) -> list[CaseMatter]:
    """The case's matters (of one stage), with their versions and departments from the case's source."""
    source = case_source(locked.case)
    if locked.matters is not None:  # read by the lock
        rows = [row for row in locked.matters if stage is None or row.stage == stage]
    else:
        matters = locked.case.matters.order_by("pk")
        rows = list(matters if stage is None else matters.filter(stage=stage))
    for row in rows:
        row.matter_version = version = source.matter_version(row.matter_version_id)
        if version.matter.department_id == row.department_id:  # unless the matter moved since filing
            row.department = version.matter.department
    return rows


def case_departments_add(case: Case, department_ids: set[int]) -> None:
    """Record the departments of new tasks (once per case and department)."""
    rows = [CaseDepartment(case=case, department_id=pk) for pk in sorted(department_ids)]
    if rows:
        CaseDepartment.objects.bulk_create(rows, ignore_conflicts=True)


def stage_open(
    locked: LockedCase,
    stage: int,
    on: dt.date,
    *,
    actor: User | None = None,
    calendar: WorkCalendar | None = None,
    matters: list[CaseMatter] | None = None,
) -> list[Task]:
    """Open `stage` of a locked case on `on`: a task per CaseMatter of the stage, for its department.

    Each task starts on `on` and is due after the matter version's promised limit in working days, and
    needs the version's number of sign-offs (会签).
    Writes one timeline row and audit event per task, then runs the stage listeners (`stage_hooks`).
    Sets `case.current_stage`; the caller saves it (with the step's other fields). Returns the new tasks.
    `matters`: the case's matters if read already.
    """
    case = locked.case
    calendar = calendar or locked.calendar
    if matters is None:
        matters = stage_matters(locked, stage)
    matters = [case_matter for case_matter in matters if case_matter.stage == stage]
    tasks = Task.objects.bulk_create(
        [
            Task(
                case=case,
                case_matter=case_matter,
                department=case_matter.department,
                kind=Task.Kind.REVIEW,
                stage=stage,
                started_on=on,
                limit_days=(limit := task_limit_days(case, case_matter.matter_version.promised_limit_days)),
                due_on=Clock(started_on=on, limit_days=limit).due_on(calendar),
                required_signoffs=case_matter.matter_version.required_signoffs,  # 会签, as filed
                is_green_channel=case.is_green_channel,
            )
            for case_matter in matters
        ],
    )
    case_departments_add(case, {task.department_id for task in tasks})
    task_open_records(
        locked=locked,
        tasks=tasks,
        actor=actor,
        notes=[f"第{stage}阶段：推送{task.department.display_name}审查" for task in tasks],
        changes=[{"stage": stage, "due_on": task.due_on.isoformat()} for task in tasks],
    )
    case.current_stage = stage
    stage_opened(StageOpening(locked=locked, stage=stage, on=on, tasks=tasks, actor=actor))
    return tasks
