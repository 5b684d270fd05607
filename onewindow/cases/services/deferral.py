"""容缺受理, the follow-through: a material deferred at acceptance is handed in later (online by the
applicant, or at the window by a clerk), the applicant is reminded before its due date, an overdue
one is put on the case's record, and an approval waits for the overdue materials it depends on
(unless the matter version says otherwise: `MatterVersion.deferral_blocks_decision`).

The rules are in `domain` (`OwedMaterial`, `deferred_reminder_on`, `require_no_overdue_deferral`).
Writes lock the case first, like every step of a case; the jobs send their messages after the
case's transaction has committed (a message cannot be taken back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from onewindow import clock
from onewindow.agency.domain import AgencyAction
from onewindow.agency.selectors import acting_record
from onewindow.cases import domain
from onewindow.cases.domain import CASE_STATUS_LABELS, CaseStatus, OwedMaterial
from onewindow.cases.models import Case, CaseMaterial
from onewindow.cases.services.intake.checks import require_applicant_or_clerk
from onewindow.cases.services.locking import LockedCase, case_lock
from onewindow.cases.services.transitions import case_record
from onewindow.cases.sources import case_source
from onewindow.errors import Conflict, InvalidFields, NotFound
from onewindow.notify.models import Delivery
from onewindow.notify.services import notify_send
from onewindow.orgs.models import User
from onewindow.uploads import document_problem, upload_sha256
from onewindow.workdays.selectors import work_calendar

REMINDER_TOPIC = "cases.deferred_reminder"
OVERDUE_TOPIC = "cases.deferred_overdue"
OWING = sorted(domain.OWING_STATUSES)


def reminder_key(material_id: int, reminder_on: dt.date) -> str:
    return f"{REMINDER_TOPIC}:{material_id}:{reminder_on.isoformat()}"


def overdue_key(material_id: int) -> str:
    return f"{OVERDUE_TOPIC}:{material_id}"


# --- handing in -----------------------------------------------------------------------------------


def _owed_row(case: Case, key: str) -> CaseMaterial:
    row = CaseMaterial.objects.filter(case=case, key=key, deferred_due_on__isnull=False).first()
    if row is None:
        raise NotFound("该办件没有这项容缺材料", code="deferred_material_not_found")
    if row.file:
        handed_in = timezone.localtime(row.uploaded_at).date() if row.uploaded_at else row.deferred_due_on
        raise Conflict(
            f"容缺材料“{row.name}”已于 {handed_in:%Y-%m-%d} 补交，无需再次提交", code="deferred_material_handed_in"
        )
    return row


def _file_checked(row: CaseMaterial, upload: UploadedFile | None) -> UploadedFile:
    """The upload, checked as every material is: type by extension and leading bytes, size."""
    problem = f"请上传{row.name}的文件" if upload is None else document_problem(row.name, upload)
    if problem is not None:
        raise InvalidFields(problem, errors={"file": problem}, code="deferred_material_file_invalid")
    assert upload is not None
    return upload


def _store(row: CaseMaterial, upload: UploadedFile) -> None:
    row.sha256, row.size = upload_sha256(upload), upload.size or 0
    row.content_type, row.uploaded_at = upload.content_type or "", clock.now()
    row.file.save(PurePath(upload.name or row.key).name, upload, save=False)
    row.save(update_fields=["file", "sha256", "size", "content_type", "uploaded_at"])


@transaction.atomic
def case_deferred_material_hand_in(*, actor: User, case: Case, key: str, upload: UploadedFile | None) -> CaseMaterial:
    """容缺材料补交: the applicant online or a clerk of the region at the window hands in a material
    deferred at acceptance, late or not. The file is kept with its SHA-256; the due date stays on the
    row, so the record shows when it was due and when it came. Who may: the rule of resubmission and
    withdrawal (`intake.checks.require_applicant_or_clerk`, an agent within the scope 提交补充材料 too),
    kept in one place."""
    locked = case_lock(case.pk, actor=actor)
    case = locked.case
    acting = require_applicant_or_clerk(actor, case, AgencyAction.SUPPLEMENT)
    if case.status not in domain.OWING_STATUSES:
        label = CASE_STATUS_LABELS[CaseStatus(case.status)]
        raise Conflict(f"办件当前状态为“{label}”，不能补交容缺材料", code="deferral_case_closed")
    row = _owed_row(case, key)
    upload = _file_checked(row, upload)
    _store(row, upload)
    assert row.deferred_due_on is not None  # _owed_row reads deferred rows only
    today, due_on = clock.today(), row.deferred_due_on
    late = f"，逾期 {(today - due_on).days} 天" if today > due_on else ""
    acting_note, acting_changes = acting_record(acting, actor, AgencyAction.SUPPLEMENT)
    case_record(
        locked=locked,
        action="case_deferred_material_received",
        actor=actor,
        organisation=case.region,
        from_status=case.status,
        note=f"容缺材料“{row.name}”已补交（补交期限 {due_on:%Y-%m-%d}{late}）{acting_note}",
        changes={
            "material_key": key,
            "sha256": row.sha256,
            "due_on": due_on.isoformat(),
            "late": bool(late),
            **acting_changes,
        },
    )
    return row


# --- the approval waits for overdue materials -------------------------------------------------------


def require_deferrals_met(case: Case, *, approved_version_ids: Iterable[int], owed: Iterable[OwedMaterial]) -> None:
    """Before an approval: no overdue deferred material of an approved matter whose version holds the
    approval back (the default). `owed`: the case's owed materials, as its lock read them."""
    source = case_source(case)
    waiting: set[str] = set()
    for version_id in set(approved_version_ids):
        version = source.matter_version(version_id)
        if version.deferral_blocks_decision:
            waiting |= {material.key for material in version.materials.all()}
    domain.require_no_overdue_deferral([m for m in owed if m.key in waiting], clock.today())


def require_decision_deferrals_met(locked: LockedCase, approved_matter_ids: Iterable[int]) -> None:
    """For the joint decision, the case locked with its contents (its matters and owed materials)."""
    matters, _ = locked.contents()
    approved = set(approved_matter_ids)
    owed = locked.owed_materials if locked.owed_materials is not None else owed_of(locked.case)
    require_deferrals_met(
        locked.case, approved_version_ids=[m.matter_version_id for m in matters if m.pk in approved], owed=owed
    )


def owed_of(case: Case) -> list[OwedMaterial]:
    """The case's owed materials (one query), for a step whose lock did not read them."""
    rows = CaseMaterial.objects.filter(case=case, file="", deferred_due_on__isnull=False)
    return [
        OwedMaterial(key, name, due_on)
        for key, name, due_on in rows.values_list("key", "name", "deferred_due_on")
        if due_on is not None
    ]


# --- the periodic jobs ------------------------------------------------------------------------------


def _reminder_body(material: CaseMaterial, due_on: dt.date) -> str:
    case = material.case
    return (
        f"【政务服务】您的办件 {case.number}（{case.title}）容缺受理时承诺补交的“{material.name}”"
        f"须于 {due_on.month}月{due_on.day}日前补交，可在网上办事大厅“我的办件”中上传，或到窗口提交。"
    )


def deferred_material_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the applicant of each owed material before its due date, once per material and reminder
    day (the delivery's dedupe key); returns how many were sent (an applicant without an account is
    skipped: the clerk told them at the window)."""
    today = today or clock.today()
    calendar = work_calendar()
    owed = CaseMaterial.objects.filter(file="", deferred_due_on__gte=today, case__status__in=OWING)
    due: dict[str, tuple[CaseMaterial, dt.date]] = {}
    for material in owed.select_related("case__applicant__user").order_by("deferred_due_on", "pk"):
        assert material.deferred_due_on is not None
        reminder_on = domain.deferred_reminder_on(material.deferred_due_on, today, calendar)
        if reminder_on is not None and material.case.applicant.user is not None:
            due[reminder_key(material.pk, reminder_on)] = (material, material.deferred_due_on)
    sent = set(Delivery.objects.filter(dedupe_key__in=list(due)).values_list("dedupe_key", flat=True))
    for key, (material, due_on) in due.items():
        if key not in sent:
            user = material.case.applicant.user
            assert user is not None
            body = _reminder_body(material, due_on)
            notify_send(recipient=user, subject="容缺材料补交提醒", body=body, topic=REMINDER_TOPIC, dedupe_key=key)
    return len(set(due) - sent)


def deferred_materials_record_overdue(*, today: dt.date | None = None) -> int:
    """Put each owed material that passed its due date on its case's record, once (a public timeline
    row and an audit event, `CaseMaterial.overdue_recorded_on`), and tell the applicant. Pages flag
    an overdue material from its due date without waiting for this job. Returns the materials recorded."""
    today = today or clock.today()
    overdue = CaseMaterial.objects.filter(
        file="", deferred_due_on__lt=today, overdue_recorded_on__isnull=True, case__status__in=OWING
    )
    recorded: list[int] = []
    for case_id in sorted(set(overdue.values_list("case_id", flat=True))):
        recorded += _record_overdue(case_id, today)
    for material in CaseMaterial.objects.filter(pk__in=recorded).select_related("case__applicant__user"):
        _tell_overdue(material)
    return len(recorded)


@transaction.atomic
def _record_overdue(case_id: int, today: dt.date) -> list[int]:
    locked = case_lock(case_id)
    case = locked.case
    if case.status not in domain.OWING_STATUSES:
        return []  # withdrawn meanwhile
    rows = CaseMaterial.objects.filter(
        case=case, file="", deferred_due_on__lt=today, overdue_recorded_on__isnull=True
    ).order_by("deferred_due_on", "pk")
    recorded = []
    for row in rows:
        assert row.deferred_due_on is not None
        row.overdue_recorded_on = today
        row.save(update_fields=["overdue_recorded_on"])
        case_record(
            locked=locked,
            action="case_deferral_overdue",
            actor=None,
            organisation=case.region,
            from_status=case.status,
            note=f"容缺材料“{row.name}”逾期未补交（补交期限 {row.deferred_due_on:%Y-%m-%d}）",
            changes={"material_key": row.key, "due_on": row.deferred_due_on.isoformat()},
        )
        recorded.append(row.pk)
    return recorded


def _tell_overdue(material: CaseMaterial) -> None:
    case, user = material.case, material.case.applicant.user
    if user is None or material.deferred_due_on is None:
        return
    due_on = material.deferred_due_on
    body = (
        f"【政务服务】您的办件 {case.number}（{case.title}）容缺受理时承诺补交的“{material.name}”"
        f"已超过补交期限（{due_on.month}月{due_on.day}日），请尽快补交。"
    )
    notify_send(
        recipient=user, subject="容缺材料逾期提醒", body=body, topic=OVERDUE_TOPIC, dedupe_key=overdue_key(material.pk)
    )
