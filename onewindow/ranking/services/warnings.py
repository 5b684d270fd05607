"""Warnings (预警): issued by the ranking run, acknowledged and rectified by the warned district.

Issuing is idempotent: a (district, period, level) warning is created once; a recomputation that
no longer warrants it withdraws it (withdrawn_at) rather than deleting what the district wrote,
and one that warrants it again reinstates it. Each change is one audit event in the district's
stream `ranking:district:<id>`.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from onewindow.audit.services import audit_record
from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.orgs.models import User
from onewindow.ranking.domain.periods import period_label
from onewindow.ranking.domain.rules import WarningLevel, WarningRules
from onewindow.ranking.domain.warnings import warning_level
from onewindow.ranking.models import DistrictRank, RectificationNote, RuleVersion, Warning
from onewindow.ranking.selectors import can_handle_warning

NOTE_MAX_LENGTH = 2000


def stream_for(district_id: int) -> str:
    return f"ranking:district:{district_id}"


def _audit(warning: Warning, action: str, actor: User | None, **changes: object) -> None:
    audit_record(
        stream=stream_for(warning.district_id),
        action=action,
        target_type="ranking.warning",
        target_id=warning.pk,
        actor=actor,
        changes={"period": period_label(warning.period), "level": warning.level, **changes},
    )


def warnings_issue(
    *, period: dt.date, ranks: list[DistrictRank], rules: WarningRules, version: RuleVersion, now: dt.datetime
) -> int:
    """The warnings `ranks`' streaks call for in `period`; returns how many are in force."""
    wanted: dict[int, WarningLevel] = {}
    for rank in ranks:
        level = warning_level(rank.last_unmet_streak, rules)
        if level is not None:
            wanted[rank.district_id] = level
    streaks = {rank.district_id: rank.last_unmet_streak for rank in ranks}
    existing = list(Warning.objects.select_for_update().filter(period=period))
    for warning in existing:
        _reconcile(warning, wanted.get(warning.district_id) == warning.level, now)
    present = {(w.district_id, w.level) for w in existing}
    for district_id, level in wanted.items():
        if (district_id, level) in present:
            continue
        warning = Warning.objects.create(
            district_id=district_id,
            period=period,
            level=level,
            streak=streaks[district_id],
            rule_version=version,
            issued_at=now,
        )
        _audit(warning, "ranking.warning_issued", None, streak=warning.streak, rule_version=version.number)
    return len(wanted)


def _reconcile(warning: Warning, warranted: bool, now: dt.datetime) -> None:
    if warranted and warning.withdrawn_at is not None:
        warning.withdrawn_at = None
        warning.save(update_fields=["withdrawn_at"])
        _audit(warning, "ranking.warning_reinstated", None)
    elif not warranted and warning.withdrawn_at is None:
        warning.withdrawn_at = now
        warning.save(update_fields=["withdrawn_at"])
        _audit(warning, "ranking.warning_withdrawn", None)


def _locked(warning: Warning, actor: User) -> Warning:
    if not can_handle_warning(actor, warning):
        raise PermissionDenied("只有被预警区县的重点项目办可以签收和整改", code="warning_forbidden")
    locked = Warning.objects.select_for_update().get(pk=warning.pk)
    if locked.withdrawn_at is not None:
        raise Conflict("该预警已撤销", code="warning_withdrawn")
    return locked


@transaction.atomic
def warning_acknowledge(*, warning: Warning, actor: User) -> Warning:
    """The district's office signs for the warning (once)."""
    locked = _locked(warning, actor)
    if locked.acknowledged_at is not None:
        raise Conflict("该预警已签收", code="warning_already_acknowledged")
    locked.acknowledged_at = timezone.now()
    locked.acknowledged_by = actor
    locked.save(update_fields=["acknowledged_at", "acknowledged_by"])
    _audit(locked, "ranking.warning_acknowledged", actor)
    return locked


@transaction.atomic
def warning_add_rectification(*, warning: Warning, actor: User, note: str) -> RectificationNote:
    """A rectification note (整改情况), after the warning was acknowledged; notes are never edited."""
    text = (note or "").strip()
    if not text or len(text) > NOTE_MAX_LENGTH:
        message = f"请填写整改情况（1 至 {NOTE_MAX_LENGTH} 字）"
        raise InvalidFields(message, errors={"note": message}, code="rectification_invalid")
    locked = _locked(warning, actor)
    if locked.acknowledged_at is None:
        raise Conflict("请先签收预警再填写整改情况", code="warning_not_acknowledged")
    entry = RectificationNote.objects.create(warning=locked, note=text, written_by=actor)
    _audit(locked, "ranking.rectification_added", actor, note_id=entry.pk, length=len(text))
    return entry
