"""The one-time correction notice (一次性告知, Art. 32) and the applicant's resubmission."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet

from onewindow import clock
from onewindow.agency.domain import AgencyAction
from onewindow.agency.selectors import acting_record
from onewindow.cases import domain
from onewindow.cases.domain import CaseAction
from onewindow.cases.models import Case, ClockStop, CorrectionNotice
from onewindow.cases.services.intake.checks import deemed_on, expect, require_applicant_or_clerk, require_clerk
from onewindow.cases.services.intake.files import store_files
from onewindow.cases.services.intake.submission import application_errors
from onewindow.cases.services.locking import case_lock
from onewindow.cases.services.transitions import case_move
from onewindow.cases.sources import Source, case_source
from onewindow.catalogue.domain import schema_to_fields
from onewindow.errors import InvalidFields
from onewindow.orgs.models import User


def _clean_items(source: Source, items: Any) -> list[dict[str, str]]:
    if not isinstance(items, list) or not items:
        raise InvalidFields("请列出需要补正的全部内容", errors={"items": "请至少列出一项需要补正的内容"})
    labels = {f"material:{m.key}": m.name for m in source.materials}
    labels |= {f"field:{f.key}": f.label for f in schema_to_fields(source.form_schema)}
    errors: dict[str, str] = {}
    cleaned: list[dict[str, str]] = []
    for index, item in enumerate(items):
        target = item.get("target") if isinstance(item, Mapping) else None
        problem = item.get("problem") if isinstance(item, Mapping) else None
        if not isinstance(target, str) or target not in labels:
            errors[f"items.{index}.target"] = "补正对象须是本件的一项材料（material:编码）或一个表单字段（field:编码）"
        elif not isinstance(problem, str) or not problem.strip():
            errors[f"items.{index}.problem"] = f"请写明“{labels[target]}”需要补正的问题"
        else:
            cleaned.append({"target": target, "label": labels[target], "problem": problem.strip()})
    if errors:
        raise InvalidFields(f"补正告知有 {len(errors)} 处需要修改", errors=errors, code="invalid_correction")
    return cleaned


def close_stops(stops: QuerySet[ClockStop], today: dt.date) -> None:
    """End the open stops: today counts again, the day before is the last stopped one (as in review)."""
    for stop in stops.filter(last_on__isnull=True):
        stop.last_on = max(stop.first_on, today - dt.timedelta(days=1))
        stop.save(update_fields=["last_on"])


@transaction.atomic
def case_request_correction(*, actor: User, case: Case, items: list[dict[str, str]]) -> CorrectionNotice:
    """一次性告知: every problem, per material and per field, in one notice; the intake clock waits."""
    locked = case_lock(case.pk, actor=actor)
    case = locked.case
    require_clerk(actor, case)
    expect(case, CaseAction.REQUEST_CORRECTION)
    today = clock.today()
    deemed_on(locked, CaseAction.REQUEST_CORRECTION, today)
    cleaned = _clean_items(case_source(case), items)
    notice = CorrectionNotice.objects.create(
        case=case,
        number=f"{case.number}-BZ{case.correction_notices.count() + 1}",
        items=cleaned,
        issued_by=actor,
        issued_at=clock.now(),
    )
    ClockStop.objects.create(case=case, reason=ClockStop.Reason.CORRECTION, first_on=today, note=notice.number)
    case_move(
        locked=locked,
        action=CaseAction.REQUEST_CORRECTION,
        actor=actor,
        organisation=case.region,
        note=f"一次性告知补正（告知书 {notice.number}），共 {len(cleaned)} 项："
        + "；".join(f"{item['label']}：{item['problem']}" for item in cleaned),
        changes={"notice_id": notice.pk, "targets": [item["target"] for item in cleaned]},
    )
    return notice


@transaction.atomic
def case_resubmit(*, actor: User, case: Case, form_data: dict[str, Any], files: Mapping[str, UploadedFile]) -> Case:
    """The applicant corrects: the notice is resolved, the stop closed, the 5 days restart today."""
    locked = case_lock(case.pk, actor=actor)
    case = locked.case
    acting = require_applicant_or_clerk(actor, case, AgencyAction.CORRECT)
    expect(case, CaseAction.RESUBMIT)
    merged = {**case.form_data, **form_data} if isinstance(form_data, Mapping) else form_data
    application_errors(case_source(case), merged, files)
    today, now = clock.today(), clock.now()
    case.correction_notices.filter(resolved_at__isnull=True).update(resolved_at=now)
    close_stops(case.clock_stops.filter(reason=ClockStop.Reason.CORRECTION), today)
    store_files(case, files)
    case.form_data = merged
    case.received_on, case.intake_due_on = today, domain.intake_due_on(today, locked.calendar)
    acting_note, acting_changes = acting_record(acting, actor, AgencyAction.CORRECT)
    if acting is not None:
        case.agent = actor
    case_move(
        locked=locked,
        action=CaseAction.RESUBMIT,
        actor=actor,
        update_fields=("form_data", "received_on", "intake_due_on", *(("agent",) if acting else ())),
        organisation=case.region,
        note=f"申请人已补正，受理期限重新计算至 {case.intake_due_on:%Y-%m-%d}{acting_note}",
        changes={"material_keys": sorted(files), "field_keys": sorted(form_data), **acting_changes},
    )
    return case
