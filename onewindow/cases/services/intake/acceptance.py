"""Acceptance (受理), 容缺受理, refusal (不予受理) and deemed acceptance (Art. 32)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from onewindow import clock
from onewindow.cases import domain
from onewindow.cases.domain import CaseAction, CaseStatus, Clock
from onewindow.cases.models import Case
from onewindow.cases.services.intake.checks import deemed_on, expect, require_clerk
from onewindow.cases.services.locking import LockedCase, case_lock
from onewindow.cases.services.stages import stage_matters, stage_open
from onewindow.cases.services.transitions import case_move
from onewindow.cases.sources import Source, case_source
from onewindow.catalogue.domain import MergedMaterial
from onewindow.errors import Conflict, InvalidFields
from onewindow.orgs.models import User


def missing_required(locked: LockedCase, source: Source) -> list[MergedMaterial]:
    _, present = locked.contents()
    return [m for m in source.materials if m.required and m.key not in present]


def _acceptance_number(case: Case) -> str:
    """`<number>-SL` the first time; a case accepted again after being sent back: -SL2, -SL3, …"""
    earlier = case.acceptance_notice_number
    if not earlier:
        return f"{case.number}-SL"
    count = earlier.removeprefix(f"{case.number}-SL")
    return f"{case.number}-SL{int(count or 1) + 1}"


def _accept(
    locked: LockedCase, *, actor: User | None, on: dt.date, action: CaseAction, note: str, **changes: Any
) -> Case:
    """Accepted on `on`: notice number, the case's own limit and due date, stage 1 opened."""
    case, calendar = locked.case, locked.calendar
    matters = stage_matters(locked)
    statutory = [cm.matter_version.statutory_limit_days for cm in matters]
    case.accepted_on = on
    case.acceptance_notice_number = _acceptance_number(case)
    case.limit_days = domain.case_limit_days(matter_count=len(statutory), statutory_days=statutory)
    case.due_on = Clock(started_on=on, limit_days=case.limit_days + case.extension_days).due_on(calendar)
    case.current_stage = 1
    case_move(
        locked=locked,
        action=action,
        actor=actor,
        update_fields=(
            "accepted_on", "acceptance_notice_number", "limit_days", "due_on", "is_deemed_accepted", "current_stage",
        ),
        organisation=case.region,
        note=note,
        changes={"notice_number": case.acceptance_notice_number, "due_on": case.due_on.isoformat(), **changes},
    )  # fmt: skip
    stage_open(locked, 1, on, actor=actor, calendar=calendar, matters=matters)
    return case


@transaction.atomic
def case_accept(*, actor: User, case: Case) -> Case:
    """受理: every required material is in; the review of stage 1 starts today. Past the intake limit
    the acceptance is the deemed one (Art. 32): dated to the day the materials arrived."""
    locked = case_lock(case.pk, actor=actor, contents=True)
    require_clerk(actor, locked.case)
    expect(locked.case, CaseAction.ACCEPT)
    today = clock.today()
    if (deemed := deemed_on(locked, CaseAction.ACCEPT, today)) is not None:
        return _accept_as_deemed(locked, actor=actor, on=deemed)  # accepted in law regardless of materials
    missing = missing_required(locked, case_source(locked.case))
    if missing:
        raise Conflict(
            f"以下必要材料尚未提交：{'、'.join(m.name for m in missing)}。"
            "请发出一次性补正告知，或对可容缺的材料容缺受理",
            code="required_materials_missing",
        )
    return _accept(locked, actor=actor, on=today, action=CaseAction.ACCEPT, note="受理")


def _deferral_errors(
    locked: LockedCase, source: Source, deferred: Mapping[str, dt.date], today: dt.date, *, deemed: bool = False
) -> dict[str, str]:
    materials = {m.key: m for m in source.materials}
    _, present = locked.contents()
    errors: dict[str, str] = {} if deferred else {"deferred": "请至少选择一项容缺的材料"}
    for key, due_on in deferred.items():
        material = materials.get(key)
        if material is None:
            errors[f"material:{key}"] = "申请材料中没有这一项"
        elif not material.deferrable:
            errors[f"material:{key}"] = f"{material.name}不可容缺，须在受理前提交"
        elif key in present:
            errors[f"material:{key}"] = f"{material.name}已提交，无需容缺"
        elif not isinstance(due_on, dt.date) or due_on <= today:
            errors[f"material:{key}"] = f"{material.name}的补交期限须晚于今天"
    for material in [] if deemed else missing_required(locked, source):  # deemed: accepted regardless
        if material.key not in deferred and f"material:{material.key}" not in errors:
            errors[f"material:{material.key}"] = f"{material.name}尚未提交且未容缺，请先一次性告知补正"
    return errors


@transaction.atomic
def case_accept_with_deferral(*, actor: User, case: Case, deferred: dict[str, dt.date]) -> Case:
    """容缺受理: accepted now; materials the catalogue marks deferrable follow by their due dates."""
    locked = case_lock(case.pk, actor=actor, contents=True)
    case = locked.case
    require_clerk(actor, case)
    expect(case, CaseAction.ACCEPT_WITH_DEFERRAL)
    today = clock.today()
    deemed = deemed_on(locked, CaseAction.ACCEPT_WITH_DEFERRAL, today)
    errors = _deferral_errors(locked, case_source(case), deferred, today, deemed=deemed is not None)
    if errors:
        raise InvalidFields(f"容缺受理有 {len(errors)} 处问题", errors=errors, code="invalid_deferral")
    rows = {row.key: row for row in case.materials.filter(key__in=list(deferred))}
    for key, due_on in deferred.items():
        rows[key].deferred_due_on = due_on
        rows[key].save(update_fields=["deferred_due_on"])
    note = "容缺受理：" + "；".join(f"{rows[k].name}于 {d:%Y-%m-%d} 前补交" for k, d in sorted(deferred.items()))
    deferred_changes = {key: due_on.isoformat() for key, due_on in sorted(deferred.items())}
    if deemed is not None:
        return _accept_as_deemed(locked, actor=actor, on=deemed, extra_note=note, deferred=deferred_changes)
    return _accept(
        locked, actor=actor, on=today, action=CaseAction.ACCEPT_WITH_DEFERRAL, note=note, deferred=deferred_changes
    )


@transaction.atomic
def case_refuse(*, actor: User, case: Case, reason: str, legal_basis: str) -> Case:
    """不予受理: with the reason and the legal basis, both required. The legal basis is kept in decision_note."""
    locked = case_lock(case.pk, actor=actor)
    case = locked.case
    require_clerk(actor, case)
    expect(case, CaseAction.REFUSE)
    deemed_on(locked, CaseAction.REFUSE, clock.today())
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = "请填写不予受理的理由"
    if not (legal_basis or "").strip():
        errors["legal_basis"] = "请填写不予受理的法律依据"
    if errors:
        raise InvalidFields("不予受理须写明理由和法律依据", errors=errors, code="refusal_incomplete")
    case.refusal_reason, case.decision_note = reason.strip(), legal_basis.strip()
    case_move(
        locked=locked,
        action=CaseAction.REFUSE,
        actor=actor,
        update_fields=("refusal_reason", "decision_note"),
        organisation=case.region,
        note=f"不予受理。理由：{case.refusal_reason}；法律依据：{case.decision_note}",
        changes={"legal_basis": case.decision_note},
    )
    return case


def case_accept_deemed_overdue(*, today: dt.date | None = None) -> int:
    """Art. 32, the periodic job: a submitted case not decided by its intake due date counts as
    accepted from the day its materials arrived. One transaction per case; idempotent."""
    today = today or clock.today()
    overdue = Case.objects.filter(status=CaseStatus.SUBMITTED, intake_due_on__lt=today).values_list("pk", flat=True)
    return sum(_accept_deemed(case_id, today) for case_id in list(overdue))


@transaction.atomic
def _accept_deemed(case_id: int, today: dt.date) -> bool:
    locked = case_lock(case_id, contents=True)
    case = locked.case
    on = domain.deemed_accepted_on(CaseStatus(case.status), case.received_on, today, locked.calendar)
    if on is None:
        return False  # decided meanwhile
    _accept_as_deemed(locked, actor=None, on=on)
    return True


def _accept_as_deemed(
    locked: LockedCase, *, actor: User | None, on: dt.date, extra_note: str = "", **changes: Any
) -> Case:
    """Art. 32: accepted from `on`, the day the materials arrived, by the job (actor none) or by the
    clerk who acts after the limit; the decision clock runs from that day."""
    locked.case.is_deemed_accepted = True
    note = domain.deemed_acceptance_note(on, locked.calendar) + (f"；{extra_note}" if extra_note else "")
    return _accept(locked, actor=actor, on=on, action=CaseAction.ACCEPT_DEEMED, note=note, deemed=True, **changes)
