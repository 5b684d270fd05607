"""Intake (一口受理): submit, drafts, the one-time correction notice, acceptance, 容缺受理, refusal,
deemed acceptance (行政许可法 Art. 32), approval on commitment (告知承诺) and withdrawal.

Every service: keyword-only, one transaction, the case locked first (transitions.case_lock), then
who may act, then the rules, then the move through transitions.case_move (timeline row + audit event).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from onewindow.agency.domain import AgencyAction
from onewindow.agency.models import Authorisation
from onewindow.agency.selectors import acting_record, agency_permit
from onewindow.cases import domain
from onewindow.cases.domain import OPEN_TASK_STATUSES, CaseAction, CaseStatus, Clock, TaskAction
from onewindow.cases.models import (
    Case,
    CaseMaterial,
    CaseMatter,
    CaseSequence,
    Channel,
    ClockStop,
    CorrectionNotice,
    Task,
)
from onewindow.cases.selectors import case_not_found
from onewindow.cases.services.access import may_see, refusal
from onewindow.cases.services.stages import case_departments_add, stage_matters, stage_open
from onewindow.cases.services.transitions import (
    case_calendar,
    case_contents,
    case_lock,
    case_move,
    case_record,
    insert_now,
    insert_statement,
    next_id_sql,
    records_together,
    step_write,
    task_move,
    task_open_records,
)
from onewindow.cases.sources import Source, case_source, source_of
from onewindow.catalogue.domain import COMMITMENT_LETTER, MergedMaterial, schema_to_fields, validate_form
from onewindow.catalogue.models import BundleVersion, MatterVersion, OnlineLevel
from onewindow.errors import Conflict, DomainError, InvalidFields, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Membership, Organisation, User
from onewindow.orgs.selectors import holds_role_over, user_has_role
from onewindow.uploads import document_problem, upload_sha256
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.selectors import CALENDAR_REVISION_SQL, work_calendar

POST_CHECK_DAYS = 20  # 告知承诺: the department checks the commitment within this many working days
DRAFT_NUMBER_PREFIX = "DRAFT-"


# ---------------------------------------------------------------------------------------------
# Who may act


def _require_clerk(actor: User | None, case: Case) -> None:
    if not holds_role_over(actor, case.region, {Role.CLERK}):
        refused = PermissionDenied("只有本辖区的窗口人员可以办理该受理事项", code="not_clerk_of_region")
        raise refusal(actor, case, refused)


def _is_applicant_user(actor: User | None, applicant: Applicant) -> bool:
    return actor is not None and applicant.user_id is not None and applicant.user_id == actor.pk


def _require_applicant_or_clerk(actor: User | None, case: Case, action: AgencyAction) -> Authorisation | None:
    """The applicant, a clerk of the region, or an agent within a valid authorisation (returned)."""
    if _is_applicant_user(actor, case.applicant) or holds_role_over(actor, case.region, {Role.CLERK}):
        return None
    permit = agency_permit(actor, applicant=case.applicant, action=action, case=case)
    if permit.authorisation is not None:
        return permit.authorisation
    refused = permit.refused or PermissionDenied(
        "只有申请人本人或本辖区的窗口人员可以办理", code="not_applicant_or_clerk"
    )
    raise refusal(actor, case, refused)


def _require_submitter(
    *, actor: User | None, applicant: Applicant, region: Organisation, channel: str
) -> Authorisation | None:
    """Who may submit; an agent filing online for the applicant: the authorisation they act under."""
    if channel == Channel.ONLINE:
        if _is_applicant_user(actor, applicant):
            return None
        permit = agency_permit(actor, applicant=applicant, action=AgencyAction.SUBMIT)
        if permit.authorisation is None:
            raise permit.refused or PermissionDenied(
                "网上申报只能以本人账号关联的申请人身份提交", code="not_applicant_user"
            )
        return permit.authorisation
    if channel == Channel.WINDOW:
        if not holds_role_over(actor, region, {Role.CLERK}):
            raise PermissionDenied("只有本辖区的窗口人员可以在窗口代为申报", code="not_clerk_of_region")
        return None
    raise DomainError("申报渠道只能是网上申报或窗口受理", code="invalid_channel", field="channel")


def _check_green_channel(actor: User | None, is_green_channel: bool) -> None:
    """Key projects get the green channel from staff, never by the applicant's own choice."""
    if is_green_channel and (actor is None or not user_has_role(actor, Role.CLERK, Role.PROJECT_OFFICE)):
        raise PermissionDenied("绿色通道须由窗口人员或重点项目办标记", code="green_channel_not_allowed")


def _check_agent(agent: User | None) -> None:
    if agent is not None and not user_has_role(agent, Role.AGENT):
        raise DomainError("所选代办员没有代办员角色", code="invalid_agent", field="agent")


def _expect(case: Case, action: CaseAction) -> None:
    """Refuse early (before validating anything) when the case's status does not allow `action`."""
    domain.next_case_status(CaseStatus(case.status), action)


def _deemed_on(case: Case, action: CaseAction, today: dt.date) -> dt.date | None:
    """Art. 32 at the point of action (the case locked): once the intake limit has passed, the day the
    case counts as accepted, and only an acceptance may follow (`IntakeLimitPassed` otherwise); None
    while the clerk still has time."""
    calendar = case_calendar(case)
    on = domain.deemed_accepted_on(CaseStatus(case.status), case.received_on, today, calendar)
    if on is not None:
        domain.intake_action_after_limit(action, received_on=on, calendar=calendar)
    return on


# ---------------------------------------------------------------------------------------------
# What is applied for: one matter or one bundle


def _region_of(organisation: Organisation) -> Organisation:
    node: Organisation | None = organisation
    while node is not None and node.kind != Organisation.Kind.REGION:
        node = node.parent
    if node is None:
        raise DomainError("事项的实施部门未隶属于任何行政区划", code="department_without_region")
    return node


def case_region_for(*, matter_version: MatterVersion | None, bundle_version: BundleVersion | None) -> Organisation:
    """The default region of a case: the region of the (first stage's lead / the single) department."""
    return _region_of(source_of(matter_version=matter_version, bundle_version=bundle_version).lead_department)


def _submission_region(actor: User | None, channel: str, source: Source) -> Organisation:
    if channel == Channel.WINDOW and actor is not None:
        membership = (
            Membership.objects.filter(user=actor, role=Role.CLERK, organisation__kind=Organisation.Kind.REGION)
            .select_related("organisation")
            .order_by("-organisation__depth", "organisation__path")
            .first()
        )
        if membership is not None:
            return membership.organisation
    return _region_of(source.lead_department)


# ---------------------------------------------------------------------------------------------
# Materials: type by extension and content, size, SHA-256 (onewindow.uploads)


def _material_errors(files: Mapping[str, UploadedFile], names: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key, upload in files.items():
        if key not in names:
            errors[f"material:{key}"] = "申请材料中没有这一项"
            continue
        problem = document_problem(names[key], upload)
        if problem:
            errors[f"material:{key}"] = problem
    return errors


def _attach(row: CaseMaterial, upload: UploadedFile) -> None:
    """Store the file and record it on its material row (not saved)."""
    row.sha256 = upload_sha256(upload)
    row.size = upload.size or 0
    row.content_type = upload.content_type or ""
    row.uploaded_at = timezone.now()
    row.deferred_due_on = None
    row.file.save(PurePath(upload.name or row.key).name, upload, save=False)


def _store_files(case: Case, files: Mapping[str, UploadedFile]) -> None:
    """The files of a case whose material rows are written already (a draft, a resubmission)."""
    if not files:
        return
    rows = {row.key: row for row in case.materials.filter(key__in=list(files))}
    for key, upload in files.items():
        _attach(rows[key], upload)
    CaseMaterial.objects.bulk_update(
        [rows[key] for key in files], ["file", "sha256", "size", "content_type", "uploaded_at", "deferred_due_on"]
    )


def _missing_required(case: Case, source: Source) -> list[MergedMaterial]:
    _, present = case_contents(case)
    return [m for m in source.materials if m.required and m.key not in present]


def _application_errors(source: Source, form_data: Mapping[str, Any], files: Mapping[str, UploadedFile]) -> None:
    """Every problem of the form and the files at once, or nothing."""
    if not isinstance(form_data, Mapping):
        raise DomainError("表单数据格式不正确", code="form_data_malformed", field="form_data")
    errors = validate_form(source.form_schema, form_data)
    errors.update(_material_errors(files, {m.key: m.name for m in source.materials}))
    if errors:
        raise InvalidFields(f"申请有 {len(errors)} 处需要修改，请逐项查看", errors=errors, code="invalid_application")


def _close_stops(stops: QuerySet[ClockStop], today: dt.date) -> None:
    """End the open stops: today counts again, the day before is the last stopped one (as in review)."""
    for stop in stops.filter(last_on__isnull=True):
        stop.last_on = max(stop.first_on, today - dt.timedelta(days=1))
        stop.save(update_fields=["last_on"])


# ---------------------------------------------------------------------------------------------
# Numbers


def _next_case_number(region: Organisation, on: dt.date, *, new: bool) -> tuple[str, WorkCalendar, int | None]:
    """Unique and gapless per region and day: the sequence row is locked until the case commits.
    The same statement reads the calendar's revision, for the intake due date, and takes the id of
    a `new` case (written with the rest of its step)."""
    with connection.cursor() as cursor:
        on_value = CaseSequence._meta.get_field("on").get_db_prep_save(on, connection)
        cursor.execute(_next_number_sql(connection.vendor, new), [region.code, on_value])
        last, revision, *case_id = cursor.fetchone()
    return domain.case_number(region.code, on, int(last)), work_calendar(int(revision or 0)), next(iter(case_id), None)


# One statement creates the day's row or raises it, and holds its row lock until the case commits.
@functools.cache
def _next_number_sql(vendor: str, new: bool) -> str:
    table = CaseSequence._meta.db_table
    case_id = f", {next_id_sql(Case, vendor)}" if new else ""
    return (
        f'INSERT INTO {table} (region_code, "on", last) VALUES (%s, %s, 1) '  # noqa: S608
        f'ON CONFLICT (region_code, "on") DO UPDATE SET last = {table}.last + 1 '
        f"RETURNING last, {CALENDAR_REVISION_SQL}{case_id}"
    )


def _acceptance_number(case: Case) -> str:
    """`<number>-SL` the first time; a case accepted again after being sent back: -SL2, -SL3, …"""
    earlier = case.acceptance_notice_number
    if not earlier:
        return f"{case.number}-SL"
    count = earlier.removeprefix(f"{case.number}-SL")
    return f"{case.number}-SL{int(count or 1) + 1}"


# ---------------------------------------------------------------------------------------------
# Drafts and submission


def _new_case(*, actor: User | None, applicant: Applicant, source: Source, region: Organisation, **fields: Any) -> Case:
    """A draft case, not saved yet. Drafts number apart (DRAFT-…) so the daily sequence stays gapless."""
    return Case(
        number=f"{DRAFT_NUMBER_PREFIX}{uuid.uuid4().hex[:20]}",
        status=CaseStatus.DRAFT,
        applicant=applicant,
        region=region,
        title=source.title,
        submitted_by=actor,
        **fields,
    )


def _add_parts(case: Case, source: Source, files: Mapping[str, UploadedFile]) -> None:
    """The matters and the material rows (with the files uploaded) of a case just inserted, written
    with its step."""
    matters = [
        CaseMatter(case=case, matter_version=version, department=version.matter.department, stage=stage)
        for version, stage in source.matters
    ]
    step_write(case, insert_statement(matters))
    materials = [CaseMaterial(case=case, key=m.key, name=m.name) for m in source.materials]
    for row in materials:
        if row.key in files:
            _attach(row, files[row.key])
    if materials:
        step_write(case, insert_statement(materials))


def _locked_draft(draft: Case, actor: User | None) -> Case:
    """The draft, locked; someone else's draft (or any case the actor may not see) is not found."""
    case = case_lock(draft.pk, actor=actor)
    if not may_see(actor, case):
        raise case_not_found()
    if case.status != CaseStatus.DRAFT:
        raise Conflict("该申请已提交，不再是草稿，请刷新后查看", code="not_a_draft")
    return case


@dataclass(frozen=True)
class Application:
    """What a submission or a draft says, before any row is written."""

    actor: User | None
    applicant: Applicant
    matter_version: MatterVersion | None
    bundle_version: BundleVersion | None
    form_data: dict[str, Any]
    channel: str
    is_green_channel: bool
    agent: User | None
    authorisation: Authorisation | None = None  # an agent files for the applicant under it


def _prepare(app: Application, draft: Case | None) -> tuple[Case | None, Application, Source, Organisation]:
    """Lock the draft (if any), resolve the source and region, check who may submit."""
    case = _locked_draft(draft, app.actor) if draft is not None else None
    if case is not None:
        app = Application(
            app.actor,
            case.applicant,
            case.matter_version,
            case.bundle_version,
            {**case.form_data, **app.form_data},
            app.channel,
            app.is_green_channel,
            app.agent,
        )
    source = source_of(matter_version=app.matter_version, bundle_version=app.bundle_version)
    region = case.region if case is not None else _submission_region(app.actor, app.channel, source)
    acting = _require_submitter(actor=app.actor, applicant=app.applicant, region=region, channel=app.channel)
    if acting is not None:  # the case records the agent who files it
        app = dataclasses.replace(app, agent=app.actor, authorisation=acting)
    _check_online_level(app.channel, source)
    _check_green_channel(app.actor, app.is_green_channel)
    _check_agent(app.agent)
    return case, app, source, region


def _check_online_level(channel: str, source: Source) -> None:
    """A 窗口办理 matter is applied for at a window, never online."""
    if channel != Channel.ONLINE:
        return
    for version, _stage in source.matters:
        if version.online_level == OnlineLevel.WINDOW:
            raise DomainError(
                f"“{version.name}”须到政务服务窗口办理，暂不支持网上申报", code="matter_window_only", field="channel"
            )


def _write(app: Application, case: Case | None, source: Source, region: Organisation) -> Case:
    """The draft as the application says; a new one is not saved yet (see _add_parts)."""
    if case is None:
        return _new_case(
            actor=app.actor,
            applicant=app.applicant,
            source=source,
            region=region,
            matter_version=app.matter_version,
            bundle_version=app.bundle_version,
            channel=app.channel,
            form_data=app.form_data,
            is_green_channel=app.is_green_channel,
            agent=app.agent,
        )
    case.form_data, case.channel = app.form_data, app.channel
    case.is_green_channel, case.agent = app.is_green_channel, app.agent
    case.save(update_fields=["form_data", "channel", "is_green_channel", "agent"])
    return case


@transaction.atomic
def case_save_draft(
    *,
    actor: User | None,
    applicant: Applicant,
    matter_version: MatterVersion | None = None,
    bundle_version: BundleVersion | None = None,
    form_data: dict[str, Any],
    files: Mapping[str, UploadedFile] | None = None,
    channel: str,
    is_green_channel: bool = False,
    agent: User | None = None,
    draft: Case | None = None,
) -> Case:
    """Keep an unfinished application. The form may be incomplete; files are checked and kept."""
    app = Application(actor, applicant, matter_version, bundle_version, form_data, channel, is_green_channel, agent)
    case, app, source, region = _prepare(app, draft)
    files = files or {}
    errors = _material_errors(files, {m.key: m.name for m in source.materials})
    if errors:
        raise InvalidFields(f"有 {len(errors)} 份材料需要修改", errors=errors, code="invalid_application")
    case = _write(app, case, source, region)
    if case._state.adding:
        case.save(force_insert=True)
        _add_parts(case, source, files)
    else:
        _store_files(case, files)
    case_record(
        case=case,
        action="case_draft_saved",
        actor=actor,
        organisation=region,
        from_status=CaseStatus.DRAFT,
        is_public=False,
        note="保存草稿",
        changes={"material_keys": sorted(files)},
    )
    return case


@transaction.atomic
def case_submit(
    *,
    actor: User | None,
    applicant: Applicant,
    matter_version: MatterVersion | None = None,
    bundle_version: BundleVersion | None = None,
    form_data: dict[str, Any],
    files: Mapping[str, UploadedFile],
    channel: str,
    is_green_channel: bool = False,
    agent: User | None = None,
    draft: Case | None = None,
) -> Case:
    """Submit one matter or one bundle (or a draft): a case number, received today, intake clock running.

    Missing required materials are not an error here: the clerk lists them in the one-time notice.
    """
    app = Application(actor, applicant, matter_version, bundle_version, form_data, channel, is_green_channel, agent)
    case, app, source, region = _prepare(app, draft)
    _application_errors(source, app.form_data, files)
    today = timezone.localdate()
    case = _write(app, case, source, region)
    is_new = case._state.adding
    case.number, calendar, new_id = _next_case_number(region, today, new=is_new)
    if is_new:
        case.pk = new_id
    case.submitted_by, case.submitted_at = actor, timezone.now()
    case.received_on, case.intake_due_on = today, domain.intake_due_on(today, calendar)
    acting_note, acting_changes = acting_record(app.authorisation, actor, AgencyAction.SUBMIT)
    with records_together(case):
        case_move(  # a submission without a draft: the case is inserted here, already numbered and submitted
            case=case,
            action=CaseAction.SUBMIT,
            actor=actor,
            update_fields=("number", "submitted_by", "submitted_at", "received_on", "intake_due_on"),
            organisation=region,
            note=f"{Channel(app.channel).label}：收到申请材料，受理期限至 {case.intake_due_on:%Y-%m-%d}{acting_note}",
            changes={"number": case.number, "channel": app.channel, "material_keys": sorted(files), **acting_changes},
        )
        if is_new:
            _add_parts(case, source, files)
    if not is_new:
        _store_files(case, files)
    return case


# ---------------------------------------------------------------------------------------------
# The one-time correction notice and the resubmission


def _clean_items(case: Case, source: Source, items: Any) -> list[dict[str, str]]:
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


@transaction.atomic
def case_request_correction(*, actor: User, case: Case, items: list[dict[str, str]]) -> CorrectionNotice:
    """一次性告知: every problem, per material and per field, in one notice; the intake clock waits."""
    case = case_lock(case.pk, actor=actor)
    _require_clerk(actor, case)
    _expect(case, CaseAction.REQUEST_CORRECTION)
    today = timezone.localdate()
    _deemed_on(case, CaseAction.REQUEST_CORRECTION, today)
    cleaned = _clean_items(case, case_source(case), items)
    notice = CorrectionNotice.objects.create(
        case=case,
        number=f"{case.number}-BZ{case.correction_notices.count() + 1}",
        items=cleaned,
        issued_by=actor,
        issued_at=timezone.now(),
    )
    ClockStop.objects.create(case=case, reason=ClockStop.Reason.CORRECTION, first_on=today, note=notice.number)
    case_move(
        case=case,
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
    case = case_lock(case.pk, actor=actor)
    acting = _require_applicant_or_clerk(actor, case, AgencyAction.CORRECT)
    _expect(case, CaseAction.RESUBMIT)
    merged = {**case.form_data, **form_data} if isinstance(form_data, Mapping) else form_data
    _application_errors(case_source(case), merged, files)
    today, now = timezone.localdate(), timezone.now()
    case.correction_notices.filter(resolved_at__isnull=True).update(resolved_at=now)
    _close_stops(case.clock_stops.filter(reason=ClockStop.Reason.CORRECTION), today)
    _store_files(case, files)
    case.form_data = merged
    case.received_on, case.intake_due_on = today, domain.intake_due_on(today, case_calendar(case))
    acting_note, acting_changes = acting_record(acting, actor, AgencyAction.CORRECT)
    if acting is not None:
        case.agent = actor
    case_move(
        case=case,
        action=CaseAction.RESUBMIT,
        actor=actor,
        update_fields=("form_data", "received_on", "intake_due_on", *(("agent",) if acting else ())),
        organisation=case.region,
        note=f"申请人已补正，受理期限重新计算至 {case.intake_due_on:%Y-%m-%d}{acting_note}",
        changes={"material_keys": sorted(files), "field_keys": sorted(form_data), **acting_changes},
    )
    return case


# ---------------------------------------------------------------------------------------------
# Acceptance, 容缺受理, refusal, deemed acceptance


def _accept(case: Case, *, actor: User | None, on: dt.date, action: CaseAction, note: str, **changes: Any) -> Case:
    """Accepted on `on`: notice number, the case's own limit and due date, stage 1 opened."""
    calendar = case_calendar(case)
    matters = stage_matters(case)
    statutory = [cm.matter_version.statutory_limit_days for cm in matters]
    case.accepted_on = on
    case.acceptance_notice_number = _acceptance_number(case)
    case.limit_days = domain.case_limit_days(matter_count=len(statutory), statutory_days=statutory)
    case.due_on = Clock(started_on=on, limit_days=case.limit_days + case.extension_days).due_on(calendar)
    case.current_stage = 1
    with records_together(case):
        case_move(
            case=case,
            action=action,
            actor=actor,
            update_fields=(
                "accepted_on", "acceptance_notice_number", "limit_days", "due_on", "is_deemed_accepted",
                "current_stage",
            ),
            organisation=case.region,
            note=note,
            changes={"notice_number": case.acceptance_notice_number, "due_on": case.due_on.isoformat(), **changes},
        )  # fmt: skip
        stage_open(case, 1, on, actor=actor, calendar=calendar, matters=matters)
    return case


@transaction.atomic
def case_accept(*, actor: User, case: Case) -> Case:
    """受理: every required material is in; the review of stage 1 starts today. Past the intake limit
    the acceptance is the deemed one (Art. 32): dated to the day the materials arrived."""
    case = case_lock(case.pk, actor=actor, contents=True, opens_stage=1)
    _require_clerk(actor, case)
    _expect(case, CaseAction.ACCEPT)
    today = timezone.localdate()
    if (deemed_on := _deemed_on(case, CaseAction.ACCEPT, today)) is not None:
        return _accept_as_deemed(case, actor=actor, on=deemed_on)  # accepted in law regardless of materials
    missing = _missing_required(case, case_source(case))
    if missing:
        raise Conflict(
            f"以下必要材料尚未提交：{'、'.join(m.name for m in missing)}。"
            "请发出一次性补正告知，或对可容缺的材料容缺受理",
            code="required_materials_missing",
        )
    return _accept(case, actor=actor, on=today, action=CaseAction.ACCEPT, note="受理")


def _deferral_errors(
    case: Case, source: Source, deferred: Mapping[str, dt.date], today: dt.date, *, deemed: bool = False
) -> dict[str, str]:
    materials = {m.key: m for m in source.materials}
    _, present = case_contents(case)
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
    for material in [] if deemed else _missing_required(case, source):  # deemed: accepted regardless
        if material.key not in deferred and f"material:{material.key}" not in errors:
            errors[f"material:{material.key}"] = f"{material.name}尚未提交且未容缺，请先一次性告知补正"
    return errors


@transaction.atomic
def case_accept_with_deferral(*, actor: User, case: Case, deferred: dict[str, dt.date]) -> Case:
    """容缺受理: accepted now; materials the catalogue marks deferrable follow by their due dates."""
    case = case_lock(case.pk, actor=actor, contents=True, opens_stage=1)
    _require_clerk(actor, case)
    _expect(case, CaseAction.ACCEPT_WITH_DEFERRAL)
    today = timezone.localdate()
    deemed_on = _deemed_on(case, CaseAction.ACCEPT_WITH_DEFERRAL, today)
    errors = _deferral_errors(case, case_source(case), deferred, today, deemed=deemed_on is not None)
    if errors:
        raise InvalidFields(f"容缺受理有 {len(errors)} 处问题", errors=errors, code="invalid_deferral")
    rows = {row.key: row for row in case.materials.filter(key__in=list(deferred))}
    for key, due_on in deferred.items():
        rows[key].deferred_due_on = due_on
        rows[key].save(update_fields=["deferred_due_on"])
    note = "容缺受理：" + "；".join(f"{rows[k].name}于 {d:%Y-%m-%d} 前补交" for k, d in sorted(deferred.items()))
    deferred_changes = {key: due_on.isoformat() for key, due_on in sorted(deferred.items())}
    if deemed_on is not None:
        return _accept_as_deemed(case, actor=actor, on=deemed_on, also=note, deferred=deferred_changes)
    return _accept(
        case, actor=actor, on=today, action=CaseAction.ACCEPT_WITH_DEFERRAL, note=note, deferred=deferred_changes
    )


@transaction.atomic
def case_refuse(*, actor: User, case: Case, reason: str, legal_basis: str) -> Case:
    """不予受理: with the reason and the legal basis, both required. The legal basis is kept in decision_note."""
    case = case_lock(case.pk, actor=actor)
    _require_clerk(actor, case)
    _expect(case, CaseAction.REFUSE)
    _deemed_on(case, CaseAction.REFUSE, timezone.localdate())
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = "请填写不予受理的理由"
    if not (legal_basis or "").strip():
        errors["legal_basis"] = "请填写不予受理的法律依据"
    if errors:
        raise InvalidFields("不予受理须写明理由和法律依据", errors=errors, code="refusal_incomplete")
    case.refusal_reason, case.decision_note = reason.strip(), legal_basis.strip()
    case_move(
        case=case,
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
    today = today or timezone.localdate()
    overdue = Case.objects.filter(status=CaseStatus.SUBMITTED, intake_due_on__lt=today).values_list("pk", flat=True)
    return sum(_accept_deemed(case_id, today) for case_id in list(overdue))


@transaction.atomic
def _accept_deemed(case_id: int, today: dt.date) -> bool:
    case = case_lock(case_id, contents=True, opens_stage=1)
    on = domain.deemed_accepted_on(CaseStatus(case.status), case.received_on, today, case_calendar(case))
    if on is None:
        return False  # decided meanwhile
    _accept_as_deemed(case, actor=None, on=on)
    return True


def _accept_as_deemed(case: Case, *, actor: User | None, on: dt.date, also: str = "", **changes: Any) -> Case:
    """Art. 32: accepted from `on`, the day the materials arrived, by the job (actor none) or by the
    clerk who acts after the limit; the decision clock runs from that day."""
    case.is_deemed_accepted = True
    note = domain.deemed_acceptance_note(on, case_calendar(case)) + (f"；{also}" if also else "")
    return _accept(case, actor=actor, on=on, action=CaseAction.ACCEPT_DEEMED, note=note, deemed=True, **changes)


# ---------------------------------------------------------------------------------------------
# 告知承诺 and withdrawal


@transaction.atomic
def case_approve_on_commitment(*, actor: User, case: Case, commitment_text: str) -> Case:
    """告知承诺: approved at intake on the applicant's signed commitment (告知承诺书, a file of the case);
    each department checks later."""
    case = case_lock(case.pk, actor=actor, contents=True)
    _require_clerk(actor, case)
    _expect(case, CaseAction.APPROVE_ON_COMMITMENT)
    _deemed_on(case, CaseAction.APPROVE_ON_COMMITMENT, timezone.localdate())
    if not (commitment_text or "").strip():
        raise InvalidFields("请填写申请人签署的承诺内容", errors={"commitment_text": "请填写申请人签署的承诺内容"})
    matters = list(case.matters.select_related("matter_version", "department"))
    refused = [cm.matter_version.name for cm in matters if not cm.matter_version.commitment_allowed]
    if refused:
        raise Conflict(f"“{'、'.join(refused)}”不适用告知承诺制", code="commitment_not_allowed")
    _require_commitment_letter(case)
    today, calendar = timezone.localdate(), case_calendar(case)
    case.accepted_on, case.completed_at, case.decision_note = today, timezone.now(), commitment_text.strip()
    case.matters.update(result=CaseMatter.Result.COMMITTED)
    with records_together(case):
        _commit_and_open_post_checks(case, matters, actor=actor, today=today, calendar=calendar)
    return case


def _require_commitment_letter(case: Case) -> None:
    """The signed commitment is on file: uploaded with the application, or after a correction notice."""
    if COMMITMENT_LETTER.key not in case_contents(case)[1]:
        raise Conflict(
            f"申请人尚未提交签署的{COMMITMENT_LETTER.name}，不能按告知承诺制准予。"
            f"请一次性告知申请人补正{COMMITMENT_LETTER.name}，或按一般程序受理",
            code="commitment_letter_missing",
        )


def _commit_and_open_post_checks(
    case: Case, matters: list[CaseMatter], *, actor: User, today: dt.date, calendar: WorkCalendar
) -> None:
    case_move(
        case=case,
        action=CaseAction.APPROVE_ON_COMMITMENT,
        actor=actor,
        update_fields=("accepted_on", "completed_at", "decision_note"),
        organisation=case.region,
        note=f"告知承诺：申请人已签署承诺书，当场准予许可，部门将在 {POST_CHECK_DAYS} 个工作日内核查",
    )
    case_departments_add(case, {cm.department_id for cm in matters})
    due_on = Clock(started_on=today, limit_days=POST_CHECK_DAYS).due_on(calendar)
    tasks = insert_now(
        [
            Task(
                case=case,
                case_matter=cm,
                department=cm.department,
                kind=Task.Kind.POST_CHECK,
                stage=cm.stage,
                started_on=today,
                limit_days=POST_CHECK_DAYS,
                due_on=due_on,
                is_green_channel=case.is_green_channel,
            )
            for cm in matters
        ]
    )
    task_open_records(
        case=case,
        tasks=tasks,
        actor=actor,
        notes=[f"承诺核查：推送{task.department.display_name}" for task in tasks],
        changes=[{"kind": Task.Kind.POST_CHECK.value} for _ in tasks],
    )


@transaction.atomic
def case_withdraw(*, actor: User, case: Case, reason: str) -> Case:
    """撤回: before the decision; open tasks are cancelled and open clock stops closed."""
    case = case_lock(case.pk, actor=actor)
    acting = _require_applicant_or_clerk(actor, case, AgencyAction.WITHDRAW)
    _expect(case, CaseAction.WITHDRAW)
    if not (reason or "").strip():
        raise InvalidFields("请填写撤回原因", errors={"reason": "请填写撤回原因"})
    today = timezone.localdate()
    acting_note, acting_changes = acting_record(acting, actor, AgencyAction.WITHDRAW)
    if acting is not None:
        case.agent = actor
    with records_together(case):
        for task in Task.objects.select_for_update().filter(case=case, status__in=list(OPEN_TASK_STATUSES)):
            task.case = case
            task_move(task=task, action=TaskAction.CANCEL, actor=actor, note="申请人撤回申请，任务取消")
        _close_stops(case.clock_stops.all(), today)
        case_move(
            case=case,
            action=CaseAction.WITHDRAW,
            actor=actor,
            update_fields=("agent",) if acting else (),
            organisation=case.region,
            note=f"撤回申请：{reason.strip()}{acting_note}",
            changes=acting_changes or None,
        )
    return case
