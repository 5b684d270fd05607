"""The clock stops of review (Art. 45): supplements and special procedures, and the due dates they move.

Clock rules, one place for all of them:
- A stop (supplement or special procedure) begins on the day it is asked for: `first_on = today`.
- When it ends, the day the material arrives (or the procedure ends) counts again, the days before it
  do not: `last_on = today - 1`. A stop that begins and ends on the same day covers that one day
  (`last_on = first_on`), since a stop of no days cannot be written down.
- The task's due date is then recomputed from its start with its own closed stops; the case's due
  date from its acceptance with every closed stop of its tasks (merged), since the applicant's case
  is not handled while any of its departments waits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from onewindow import clock
from onewindow.agency.domain import AgencyAction
from onewindow.agency.selectors import acting_record
from onewindow.cases.domain import Clock, TaskAction
from onewindow.cases.models import Case, ClockStop, Task
from onewindow.cases.services.intake.files import store_numbered_files
from onewindow.cases.services.locking import LockedCase, task_lock
from onewindow.cases.services.review.checks import (
    MAX_ITEM,
    MAX_TEXT,
    require_allowed,
    require_reviewer,
    require_supplier,
    take,
)
from onewindow.cases.services.transitions import task_move
from onewindow.errors import Conflict, InvalidFields
from onewindow.orgs.models import User
from onewindow.workdays.domain import Suspension, WorkCalendar

SPECIAL_PROCEDURES = frozenset(
    {
        ClockStop.Reason.HEARING,
        ClockStop.Reason.TESTING,
        ClockStop.Reason.EXPERT_REVIEW,
        ClockStop.Reason.PUBLIC_NOTICE,
    }
)


def _closed(stops: Sequence[tuple[dt.date, dt.date | None]]) -> tuple[Suspension, ...]:
    return tuple(Suspension(first, last) for first, last in stops if last is not None)


def task_due_on(task: Task, calendar: WorkCalendar) -> dt.date:
    stops = ClockStop.objects.filter(task=task).values_list("first_on", "last_on")
    clock = Clock(task.started_on, task.limit_days + task.extension_days, _closed(list(stops)))
    return clock.due_on(calendar)


def case_due_on(case: Case, calendar: WorkCalendar) -> dt.date | None:
    if case.accepted_on is None:
        return case.due_on
    stops = ClockStop.objects.filter(case=case, task__isnull=False).values_list("first_on", "last_on")
    clock = Clock(case.accepted_on, case.limit_days + case.extension_days, _closed(list(stops)))
    return clock.due_on(calendar)


def stop_ends_on(first_on: dt.date, today: dt.date) -> dt.date:
    """The last stopped day: the day before today (today counts again), never before the first day."""
    return max(first_on, today - dt.timedelta(days=1))


def _open_stop(task: Task, reasons: frozenset[str], message: str, code: str) -> ClockStop:
    stop = ClockStop.objects.filter(task=task, last_on__isnull=True, reason__in=reasons).order_by("-pk").first()
    if stop is None:
        raise Conflict(message, code=code)
    return stop


def _resume(
    locked: LockedCase, *, actor: User, stop: ClockStop, note: str, today: dt.date, changes: Mapping[str, int] | None
) -> Task:
    task, case, calendar = locked.locked_task, locked.case, locked.calendar
    stop.last_on = stop_ends_on(stop.first_on, today)
    stop.save(update_fields=["last_on"])
    task.due_on = task_due_on(task, calendar)
    new_case_due_on = case_due_on(case, calendar)
    if new_case_due_on != case.due_on:
        case.due_on = new_case_due_on
        case.save(update_fields=["due_on"])
    task_move(
        locked=locked,
        action=TaskAction.RESUME,
        actor=actor,
        update_fields=("due_on",),
        note=note,
        is_public=True,
        changes={"clock_stop_id": stop.pk, "due_on": task.due_on.isoformat(), **(changes or {})},
    )
    return task


@transaction.atomic
def task_request_supplement(*, actor: User, task: Task, items: Sequence[str], note: str = "") -> Task:
    """Ask the applicant for more material: the task's clock stops until it arrives."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    require_allowed(task, TaskAction.REQUEST_SUPPLEMENT)
    take(actor, task)
    wanted = [item.strip()[:MAX_ITEM] for item in items if item and item.strip()]
    if not wanted:
        message = _("请列出需要补充的材料")
        raise InvalidFields(message, errors={"items": message}, code="items_required")
    listing = "；".join(f"{n}. {item}" for n, item in enumerate(wanted, start=1))
    text = _("请补充以下材料：%(items)s。补充期间中止计时。") % {"items": listing}
    if note.strip():
        text = f"{text}{note.strip()}"
    stop = ClockStop.objects.create(
        case=task.case, task=task, reason=ClockStop.Reason.SUPPLEMENT, note=text, first_on=clock.today()
    )
    task_move(
        locked=locked,
        action=TaskAction.REQUEST_SUPPLEMENT,
        actor=actor,
        update_fields=("assignee",),
        note=text,
        is_public=True,
        changes={"clock_stop_id": stop.pk, "item_count": len(wanted)},
    )
    return task


@transaction.atomic
def task_supplement_received(*, actor: User, task: Task, note: str = "", files: Sequence[UploadedFile] = ()) -> Task:
    """The material arrived (the applicant online, or a clerk at the window): the clock runs again.

    Files are optional (paper material handed in at the window); uploaded ones are kept with the case.
    """
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    acting = require_supplier(actor, task)
    require_allowed(task, TaskAction.RESUME)
    stop = _open_stop(
        task,
        frozenset({ClockStop.Reason.SUPPLEMENT}),
        _("该审查任务没有在等待补充材料"),
        "task_not_awaiting_supplement",
    )
    _store_supplement_files(task.case, stop, files)
    acting_note, acting_changes = acting_record(acting, actor, AgencyAction.SUPPLEMENT)
    if acting is not None and task.case.agent_id != actor.pk:  # the case records the agent who acts
        task.case.agent = actor
        task.case.save(update_fields=["agent"])
    text = _("补充材料已收到，恢复计时。") + (note or "").strip()[:MAX_TEXT] + acting_note
    return _resume(locked, actor=actor, stop=stop, note=text, today=clock.today(), changes=acting_changes)


def _store_supplement_files(case: Case, stop: ClockStop, files: Sequence[UploadedFile]) -> None:
    refusal = (_("补充材料文件有误"), "supplement_files_invalid")
    store_numbered_files(case, files, name=_("补充材料"), key_prefix=f"supplement-{stop.pk}", refusal=refusal)


def _check_procedure(kind: str, expected_end_on: dt.date | None, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in SPECIAL_PROCEDURES:
        errors["kind"] = _("特别程序只能是听证、检验检测、专家评审或公示")
    if expected_end_on is None:
        errors["expected_end_on"] = _("请填写预计结束日期")
    elif expected_end_on < today:
        errors["expected_end_on"] = _("预计结束日期不能早于今天")
    return errors


@transaction.atomic
def task_start_special_procedure(
    *, actor: User, task: Task, kind: str, reason: str, expected_end_on: dt.date | None
) -> Task:
    """Hearing, testing, expert review or public notice: the clock stops; the applicant is told in writing."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    require_allowed(task, TaskAction.START_SPECIAL_PROCEDURE)
    take(actor, task)
    today = clock.today()
    errors = _check_procedure(kind, expected_end_on, today)
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("请填写启动特别程序的理由")
    if errors:
        raise InvalidFields(_("特别程序信息不完整"), errors=errors, code="special_procedure_invalid")
    assert expected_end_on is not None  # checked above
    label = ClockStop.Reason(kind).label
    text = _("因%(kind)s中止计时：%(reason)s。预计%(end)s结束，其间不计入办理时限。") % {
        "kind": label,
        "reason": reason[:MAX_TEXT],
        "end": f"{expected_end_on:%Y年%m月%d日}",
    }
    stop = ClockStop.objects.create(
        case=task.case, task=task, reason=kind, note=text, first_on=today, expected_end_on=expected_end_on
    )
    task_move(
        locked=locked,
        action=TaskAction.START_SPECIAL_PROCEDURE,
        actor=actor,
        update_fields=("assignee",),
        note=text,
        is_public=True,
        changes={"clock_stop_id": stop.pk, "kind": kind, "expected_end_on": expected_end_on.isoformat()},
    )
    return task


@transaction.atomic
def task_end_special_procedure(*, actor: User, task: Task, note: str = "") -> Task:
    """The special procedure is over: the clock runs again and the due date moves by the stopped days."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_reviewer(actor, task)
    require_allowed(task, TaskAction.RESUME)
    take(actor, task)
    stop = _open_stop(task, SPECIAL_PROCEDURES, _("该审查任务没有进行中的特别程序"), "task_no_special_procedure")
    text = _("%(kind)s结束，恢复计时。") % {"kind": stop.get_reason_display()} + (note or "").strip()[:MAX_TEXT]
    return _resume(locked, actor=actor, stop=stop, note=text, today=clock.today(), changes=None)
