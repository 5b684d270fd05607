"""Drafts and submission: what is applied for (one matter or one bundle), the region, the case number."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from onewindow import clock
from onewindow.agency.domain import AgencyAction
from onewindow.agency.models import Authorisation
from onewindow.agency.selectors import acting_record
from onewindow.cases import domain
from onewindow.cases.domain import CaseAction, CaseStatus
from onewindow.cases.models import ONLINE_CHANNELS, Case, CaseMaterial, CaseMatter, Channel
from onewindow.cases.selectors import case_not_found
from onewindow.cases.services.access import may_see
from onewindow.cases.services.intake.checks import check_agent, check_green_channel, require_submitter
from onewindow.cases.services.intake.files import attach, material_error_key, material_errors, store_files
from onewindow.cases.services.intake.reuse import reuse_from_wallet
from onewindow.cases.services.locking import LockedCase, case_lock, case_sequence_next
from onewindow.cases.services.transitions import case_move, case_record
from onewindow.cases.sources import Source, source_of
from onewindow.catalogue.domain import validate_form
from onewindow.catalogue.models import BundleVersion, MatterVersion, OnlineLevel
from onewindow.errors import Conflict, DomainError, InvalidFields
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Membership, Organisation, User

DRAFT_NUMBER_PREFIX = "DRAFT-"


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


def application_errors(source: Source, form_data: Mapping[str, Any], files: Mapping[str, UploadedFile]) -> None:
    """Every problem of the form and the files at once, or nothing."""
    if not isinstance(form_data, Mapping):
        raise DomainError("表单数据格式不正确", code="form_data_malformed", field="form_data")
    errors = validate_form(source.form_schema, form_data)
    errors.update(material_errors(files, {m.key: m.name for m in source.materials}))
    if errors:
        raise InvalidFields(f"申请有 {len(errors)} 处需要修改，请逐项查看", errors=errors, code="invalid_application")


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
    """The matters and the material rows (with the files uploaded) of a case just inserted."""
    CaseMatter.objects.bulk_create(
        [
            CaseMatter(case=case, matter_version=version, department=version.matter.department, stage=stage)
            for version, stage in source.matters
        ]
    )
    materials = [CaseMaterial(case=case, key=m.key, name=m.name) for m in source.materials]
    for row in materials:
        if row.key in files:
            attach(row, files[row.key])
    if materials:
        CaseMaterial.objects.bulk_create(materials)


def _locked_draft(draft: Case, actor: User | None) -> LockedCase:
    """The draft, locked; someone else's draft (or any case the actor may not see) is not found."""
    locked = case_lock(draft.pk, actor=actor)
    if not may_see(actor, locked.case):
        raise case_not_found()
    if locked.case.status != CaseStatus.DRAFT:
        raise Conflict("该申请已提交，不再是草稿，请刷新后查看", code="not_a_draft")
    return locked


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


def _prepare(app: Application, draft: Case | None) -> tuple[LockedCase | None, Application, Source, Organisation]:
    """Lock the draft (if any), resolve the source and region, check who may submit."""
    locked = _locked_draft(draft, app.actor) if draft is not None else None
    if locked is not None:
        case = locked.case
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
    region = locked.case.region if locked is not None else _submission_region(app.actor, app.channel, source)
    acting = require_submitter(actor=app.actor, applicant=app.applicant, region=region, channel=app.channel)
    if acting is not None:  # the case records the agent who files it
        app = dataclasses.replace(app, agent=app.actor, authorisation=acting)
    _check_online_level(app.channel, source)
    check_green_channel(app.actor, app.is_green_channel)
    check_agent(app.agent)
    return locked, app, source, region


def _check_online_level(channel: str, source: Source) -> None:
    """A 窗口办理 matter is applied for at a window, never online (the portal or the app)."""
    if channel not in ONLINE_CHANNELS:
        return
    for version, _stage in source.matters:
        if version.online_level == OnlineLevel.WINDOW:
            raise DomainError(
                f"“{version.name}”须到政务服务窗口办理，暂不支持网上申报", code="matter_window_only", field="channel"
            )


def _draft_fill(app: Application, locked: LockedCase | None, source: Source, region: Organisation) -> LockedCase:
    """The draft as the application says; a new one is not saved yet (see _add_parts)."""
    if locked is None:
        case = _new_case(
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
        return LockedCase.new(case)
    case = locked.case
    case.form_data, case.channel = app.form_data, app.channel
    case.is_green_channel, case.agent = app.is_green_channel, app.agent
    case.save(update_fields=["form_data", "channel", "is_green_channel", "agent"])
    return locked


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
    locked, app, source, region = _prepare(app, draft)
    files = files or {}
    errors = material_errors(files, {m.key: m.name for m in source.materials})
    if errors:
        raise InvalidFields(f"有 {len(errors)} 份材料需要修改", errors=errors, code="invalid_application")
    locked = _draft_fill(app, locked, source, region)
    case = locked.case
    if case._state.adding:
        case.save(force_insert=True)
        _add_parts(case, source, files)
    else:
        store_files(case, files)
    case_record(
        locked=locked,
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
    locked, app, source, region = _prepare(app, draft)
    application_errors(source, app.form_data, files)
    today = clock.today()
    locked = _draft_fill(app, locked, source, region)
    case = locked.case
    is_new = case._state.adding
    last, locked.calendar_revision = case_sequence_next(region.code, today)
    case.number = domain.case_number(region.code, today, last)
    case.submitted_by, case.submitted_at = actor, clock.now()
    case.received_on, case.intake_due_on = today, domain.intake_due_on(today, locked.calendar)
    acting_note, acting_changes = acting_record(app.authorisation, actor, AgencyAction.SUBMIT)
    case_move(  # a submission without a draft: the case is inserted here, already numbered and submitted
        locked=locked,
        action=CaseAction.SUBMIT,
        actor=actor,
        update_fields=("number", "submitted_by", "submitted_at", "received_on", "intake_due_on"),
        organisation=region,
        note=f"{Channel(app.channel).label}：收到申请材料，受理期限至 {case.intake_due_on:%Y-%m-%d}{acting_note}",
        changes={"number": case.number, "channel": app.channel, "material_keys": sorted(files), **acting_changes},
    )
    if is_new:
        _add_parts(case, source, files)
    else:
        store_files(case, files)
    reuse_from_wallet(locked, source.materials, actor=actor)
    return case


def case_keep_valid_files(
    *,
    refused: InvalidFields,
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
) -> Case | None:
    """After a refused submission, the files that passed their checks kept in a draft (the one being
    submitted, or a new one), so nothing uploaded is lost. None when no file passed, or when the
    draft is refused too: the refusal of the submission is what the applicant is told.
    """
    kept = {key: upload for key, upload in files.items() if material_error_key(key) not in refused.errors}
    if not kept:
        return None
    try:
        return case_save_draft(
            actor=actor,
            applicant=applicant,
            matter_version=matter_version,
            bundle_version=bundle_version,
            form_data=form_data,
            files=kept,
            channel=channel,
            is_green_channel=is_green_channel,
            agent=agent,
            draft=draft,
        )
    except DomainError:
        return None
