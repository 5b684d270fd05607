"""Writes of the agency service, one use case per function, one transaction each, the audit event
inside (stream `authorisation:<id>`, target `agency.authorisation`; a key project's assignment also on
the project's stream, so that its trail shows who serves it):

- `authorisation_record_at_window`: a clerk records the applicant's signed 委托书 (the file required);
- `authorisation_grant_online`: the applicant's own account names an agent (the file optional: the
  signed-in account is the applicant's act);
- `project_agent_assign`: the key-project office assigns the project's agent, free of charge; the
  project's owner enterprise is its applicant, its linked cases record the agent;
- `authorisation_revoke`: the applicant, the agent (民法典 Art. 173), the windows of its region or (a
  key project's) the project's office end it from today on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from onewindow.agency import selectors
from onewindow.agency.domain import ALL_ACTIONS, Basis, clean_scope, validity_errors
from onewindow.agency.models import Authorisation
from onewindow.audit.services import audit_record
from onewindow.cases.domain import OPEN_CASE_STATUSES
from onewindow.cases.models import Case
from onewindow.cases.services.green_channel import case_mark_green_channel
from onewindow.errors import Conflict, DomainError, InvalidFields, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Membership, Organisation, User
from onewindow.orgs.selectors import user_has_role
from onewindow.orgs.services import applicant_register
from onewindow.projects.models import Project
from onewindow.projects.services.common import TARGET_TYPE as PROJECT_TARGET_TYPE
from onewindow.projects.services.common import project_lock, project_stream, require_office
from onewindow.uploads import document_problem, upload_sha256

TARGET_TYPE = "agency.authorisation"
MAX_REASON = 1000
AUDIT_LABELS = {
    "agency.authorisation_granted": "登记代办委托",
    "agency.authorisation_revoked": "撤销代办委托",
    "agency.project_agent_assigned": "指派重点项目代办员",
    "agency.project_agent_revoked": "取消重点项目代办指派",
}


def _stream(authorisation: Authorisation) -> str:
    return f"authorisation:{authorisation.pk}"


def _project_event(project: Project, *, action: str, actor: User, changes: dict[str, object]) -> None:
    """The assignment on the project's own stream too: its trail shows who serves it."""
    audit_record(
        stream=project_stream(project.pk),
        action=f"agency.{action}",
        target_type=PROJECT_TARGET_TYPE,
        target_id=project.pk,
        actor=actor,
        organisation=project.district,
        changes=changes,
    )


def _region_of(organisation: Organisation) -> Organisation:
    node: Organisation | None = organisation
    while node is not None and node.kind != Organisation.Kind.REGION:
        node = node.parent
    return node or organisation


def _region_by_role(user: User, role: Role) -> Organisation | None:
    """The deepest region where the user holds `role` (through a department: its region)."""
    membership = (
        Membership.objects.filter(user=user, role=role)
        .select_related("organisation__parent")
        .order_by("-organisation__depth", "organisation__path")
        .first()
    )
    return _region_of(membership.organisation) if membership is not None else None


# --- checks -----------------------------------------------------------------------------------------


def _agent_errors(agent: User | None, actor: User) -> dict[str, str]:
    if agent is None or not agent.is_active or not user_has_role(agent, Role.AGENT):
        return {"agent": "请选择一名在岗的代办员"}
    if agent.pk == actor.pk:
        return {"agent": "不能为自己登记代办委托"}
    return {}


def _document_errors(document: UploadedFile | None, *, required: bool) -> dict[str, str]:
    if document is None:
        return {"document": "请上传申请人签章的授权委托书"} if required else {}
    problem = document_problem("授权委托书", document)
    return {"document": problem} if problem else {}


def _scope_errors(scope: Iterable[str]) -> tuple[list[str], dict[str, str]]:
    try:
        return clean_scope(scope), {}
    except InvalidFields as exc:
        return [], exc.errors


def _check(
    *,
    actor: User,
    agent: User | None,
    scope: Iterable[str],
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    document: UploadedFile | None,
    document_required: bool,
) -> list[str]:
    """Every problem of a new authorisation at once, or its cleaned scope."""
    cleaned, errors = _scope_errors(scope)
    errors |= _agent_errors(agent, actor)
    errors |= validity_errors(valid_from, valid_until, today=timezone.localdate())
    errors |= _document_errors(document, required=document_required)
    if errors:
        raise InvalidFields(f"委托有 {len(errors)} 处需要修改", errors=errors, code="authorisation_invalid")
    return cleaned


def _attach(authorisation: Authorisation, document: UploadedFile) -> None:
    authorisation.document_sha256 = upload_sha256(document)
    authorisation.document_size = document.size or 0
    authorisation.document_content_type = document.content_type or ""
    authorisation.document.save(PurePath(document.name or "authorisation").name, document, save=False)


def _granted(authorisation: Authorisation, actor: User) -> Authorisation:
    authorisation.save()
    audit_record(
        stream=_stream(authorisation),
        action="agency.authorisation_granted",
        target_type=TARGET_TYPE,
        target_id=authorisation.pk,
        actor=actor,
        organisation=authorisation.region,
        changes={
            "agent_id": authorisation.agent_id,
            "applicant_id": authorisation.applicant_id,
            "project_id": authorisation.project_id,
            "basis": authorisation.basis,
            "scope": authorisation.scope,
            "valid_from": authorisation.valid_from.isoformat(),
            "valid_until": authorisation.valid_until.isoformat() if authorisation.valid_until else None,
            "document_sha256": authorisation.document_sha256 or None,
        },
    )
    return authorisation


# --- granting ---------------------------------------------------------------------------------------


@transaction.atomic
def authorisation_record_at_window(
    *,
    actor: User,
    applicant: Applicant,
    agent: User | None,
    scope: Iterable[str],
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    document: UploadedFile | None,
) -> Authorisation:
    """A clerk records the applicant's signed 委托书 (required, checked like a case material)."""
    region = _region_by_role(actor, Role.CLERK)
    if region is None:
        raise PermissionDenied("只有窗口人员可以在窗口登记代办委托", code="not_a_clerk")
    cleaned = _check(
        actor=actor,
        agent=agent,
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
        document=document,
        document_required=True,
    )
    assert agent is not None and valid_from is not None and document is not None
    authorisation = Authorisation(
        agent=agent,
        applicant=applicant,
        basis=Basis.WINDOW,
        scope=cleaned,
        valid_from=valid_from,
        valid_until=valid_until,
        region=region,
        recorded_by=actor,
    )
    _attach(authorisation, document)
    return _granted(authorisation, actor)


@transaction.atomic
def authorisation_grant_online(
    *,
    actor: User,
    applicant: Applicant,
    agent: User | None,
    scope: Iterable[str],
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    document: UploadedFile | None = None,
) -> Authorisation:
    """The applicant's own online account names an agent for one of its applicants."""
    if applicant.user_id is None or applicant.user_id != actor.pk:
        raise PermissionDenied("只能以本人账号关联的申请人身份委托代办", code="not_applicant_user")
    cleaned = _check(
        actor=actor,
        agent=agent,
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
        document=document,
        document_required=False,
    )
    assert agent is not None and valid_from is not None
    region = _region_by_role(agent, Role.AGENT)
    assert region is not None  # _check found the agent role
    authorisation = Authorisation(
        agent=agent,
        applicant=applicant,
        basis=Basis.ONLINE,
        scope=cleaned,
        valid_from=valid_from,
        valid_until=valid_until,
        region=region,
        recorded_by=actor,
    )
    if document is not None:
        _attach(authorisation, document)
    return _granted(authorisation, actor)


# --- a key project's agent --------------------------------------------------------------------------


def _owner_applicant(project: Project, actor: User) -> Applicant:
    """The project's owner enterprise as an applicant (found, or registered from the registry's data)."""
    try:
        return applicant_register(
            kind=Applicant.Kind.ENTERPRISE, name=project.owner_name, id_number=project.owner_credit_code, actor=actor
        )
    except DomainError as exc:
        message = f"项目业主单位的统一社会信用代码有误，无法作为委托人：{exc.message}"
        raise InvalidFields(message, errors={"agent": message}, code="project_owner_invalid") from exc


def _linked_open_cases(project: Project) -> list[int]:
    return list(
        Case.objects.filter(milestones__project=project, status__in=sorted(OPEN_CASE_STATUSES))
        .distinct()
        .order_by("id")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def project_agent_assign(*, actor: User, project: Project, agent: User | None) -> Authorisation:
    """The key-project office assigns the project's agent (free of charge): every action, until revoked,
    for the project's owner enterprise and the cases linked to its roadmap, whose open ones record the
    agent. Another agent assigned before is revoked; the same one again changes nothing."""
    project = project_lock(project.pk)
    require_office(actor, project)
    errors = _agent_errors(agent, actor)
    if errors:
        raise InvalidFields(errors["agent"], errors=errors, code="authorisation_invalid")
    assert agent is not None
    current = Authorisation.objects.select_for_update().filter(project=project, revoked_at__isnull=True).first()
    if current is not None and current.agent_id == agent.pk:
        return current
    if current is not None:
        current.project = project
        _revoke(current, actor=actor, reason="重点项目办改派代办员")
    authorisation = _granted(
        Authorisation(
            agent=agent,
            applicant=_owner_applicant(project, actor),
            project=project,
            basis=Basis.KEY_PROJECT,
            scope=clean_scope([ALL_ACTIONS]),
            valid_from=timezone.localdate(),
            region=project.district,
            recorded_by=actor,
        ),
        actor,
    )
    changes = {"authorisation_id": authorisation.pk, "agent_id": [current.agent_id if current else None, agent.pk]}
    _project_event(project, action="project_agent_assigned", actor=actor, changes=changes)
    note = f"重点项目 {project.code} {project.name}：指派代办员{agent.name or agent.username}（免费代办）"
    for case_id in _linked_open_cases(project):
        case_mark_green_channel(case_id=case_id, actor=actor, agent=agent, note=note)
    return authorisation


# --- revoking ---------------------------------------------------------------------------------------


def _revoke(authorisation: Authorisation, *, actor: User, reason: str) -> None:
    now = timezone.now()
    authorisation.revoked_at, authorisation.revoked_on = now, timezone.localdate(now)
    authorisation.revoked_by, authorisation.revoke_reason = actor, reason
    authorisation.save(update_fields=["revoked_at", "revoked_on", "revoked_by", "revoke_reason"])
    audit_record(
        stream=_stream(authorisation),
        action="agency.authorisation_revoked",
        target_type=TARGET_TYPE,
        target_id=authorisation.pk,
        actor=actor,
        organisation=authorisation.region,
        changes={"revoked_on": authorisation.revoked_on.isoformat()},
    )
    if authorisation.project is not None:
        changes = {"authorisation_id": authorisation.pk, "agent_id": [authorisation.agent_id, None]}
        _project_event(authorisation.project, action="project_agent_revoked", actor=actor, changes=changes)


@transaction.atomic
def authorisation_revoke(*, actor: User, authorisation: Authorisation, reason: str) -> Authorisation:
    """End the authorisation from today on: the agent no longer sees or acts on the applicant's cases."""
    visible = selectors.authorisations_visible_to(actor).select_for_update(of=("self",))
    locked = visible.select_related("applicant", "project__district", "region").filter(pk=authorisation.pk).first()
    if locked is None:
        raise selectors.authorisation_not_found()
    if not selectors.may_revoke(actor, locked):
        raise PermissionDenied(
            "只有委托人、代办员本人、登记地的窗口人员或重点项目办可以撤销该委托",
            code="authorisation_revoke_not_allowed",
        )
    if locked.revoked_at is not None:
        raise Conflict("该委托已撤销", code="authorisation_already_revoked")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidFields("请填写撤销原因", errors={"reason": "请填写撤销原因"}, code="authorisation_reason_required")
    _revoke(locked, actor=actor, reason=reason[:MAX_REASON])
    return locked
