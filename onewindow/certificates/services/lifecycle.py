"""变更, 延续, 撤销/注销: each one transaction with its audit event, by the issuing department's staff.

变更 and 延续 write a new version (same licence number, version + 1, `previous` set) that is sealed like
a new certificate; the old version becomes superseded (变更) or renewed (延续) and says so on
verification. 撤销 (Art. 69) and 注销 (Art. 70) end the current version with reason and legal basis.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from onewindow import clock
from onewindow.certificates.domain import (
    ISSUE_LIMIT_DAYS,
    CertificateStatus,
    RevocationKind,
    check_lifecycle,
    licence_identifier,
    parse_fields,
    validity_end,
    version_number,
)
from onewindow.certificates.models import Certificate
from onewindow.certificates.selectors import may_manage
from onewindow.certificates.services.common import audit
from onewindow.certificates.services.issuing import certificate_seal_task
from onewindow.errors import InvalidFields, PermissionDenied
from onewindow.jobs.services import enqueue
from onewindow.orgs.models import User
from onewindow.workdays.domain import add_working_days
from onewindow.workdays.selectors import work_calendar

MAX_TEXT = 1000


def _locked(actor: User, certificate: Certificate, action: str) -> Certificate:
    if not may_manage(actor, certificate):
        raise PermissionDenied("只有颁发部门的工作人员可以办理证照变更、延续和撤销", code="certificate_not_issuer")
    locked = (
        Certificate.objects.select_for_update().select_related("certificate_type", "department").get(pk=certificate.pk)
    )
    check_lifecycle(CertificateStatus(locked.status), action)
    return locked


def _text(errors: dict[str, str], field: str, value: str, label: str) -> str:
    value = value.strip()
    if not value:
        errors[field] = f"请填写{label}"
    elif len(value) > MAX_TEXT:
        errors[field] = f"{label}不能超过 {MAX_TEXT} 字"
    return value


def _new_version(
    old: Certificate, *, data: dict[str, str], valid_from: dt.date, valid_until: dt.date | None, reason: str
) -> Certificate:
    today = clock.today()
    version = old.version + 1
    issuer = old.certificate_type.issuer_code or old.department.code
    new = Certificate.objects.create(
        certificate_type=old.certificate_type,
        case=old.case,
        case_matter=old.case_matter,
        applicant=old.applicant,
        department=old.department,
        region=old.region,
        licence_number=old.licence_number,
        version=version,
        number=version_number(old.licence_number, version),
        identifier=licence_identifier(old.certificate_type.code, issuer, old.licence_number, version),
        previous=old,
        holder_name=old.holder_name,
        holder_id_number=old.holder_id_number,
        data=data,
        decided_on=today,
        due_on=add_working_days(today, ISSUE_LIMIT_DAYS, work_calendar()).on,
        valid_from=valid_from,
        valid_until=valid_until,
        change_reason=reason,
    )
    enqueue(certificate_seal_task(), new.pk)
    return new


@transaction.atomic
def certificate_alter(*, actor: User, certificate: Certificate, changes: dict[str, str], reason: str) -> Certificate:
    """变更: the printed fields in `changes` (keys of the type's fields) take new values in a new version."""
    old = _locked(actor, certificate, "alter")
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, "变更事由")
    known = {spec.key for spec in parse_fields(old.certificate_type.field_specs)}
    cleaned = {k: v.strip() for k, v in changes.items() if k in known}
    if not errors and all(old.data.get(k, "") == v for k, v in cleaned.items()):
        errors["changes"] = "没有需要变更的内容"
    if errors:
        raise InvalidFields("变更信息不完整", errors=errors, code="certificate_alter_invalid")
    new = _new_version(
        old, data={**old.data, **cleaned}, valid_from=old.valid_from, valid_until=old.valid_until, reason=reason
    )
    old.status = CertificateStatus.SUPERSEDED
    old.save(update_fields=["status"])
    audit(new, action="certificate_altered", actor=actor, changes={"from": old.number, "fields": sorted(cleaned)})
    return new


@transaction.atomic
def certificate_renew(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """延续 (Art. 50): a new version valid for the type's period from the day after the old one ends."""
    old = _locked(actor, certificate, "renew")
    errors: dict[str, str] = {}
    reason = _text(errors, "reason", reason, "延续事由")
    if old.valid_until is None:
        errors["reason"] = "长期有效的证照无需延续"
    if errors:
        raise InvalidFields("延续信息不完整", errors=errors, code="certificate_renew_invalid")
    assert old.valid_until is not None
    valid_from = max(old.valid_until + dt.timedelta(days=1), clock.today())
    months = old.certificate_type.validity_months
    new = _new_version(
        old, data=dict(old.data), valid_from=valid_from, valid_until=validity_end(valid_from, months), reason=reason
    )
    old.status = CertificateStatus.RENEWED
    old.save(update_fields=["status"])
    audit(
        new,
        action="certificate_renewed",
        actor=actor,
        changes={"from": old.number, "valid_from": valid_from.isoformat()},
    )
    return new


@transaction.atomic
def certificate_revoke(
    *, actor: User, certificate: Certificate, kind: str, reason: str, legal_basis: str
) -> Certificate:
    """撤销 (Art. 69) or 注销 (Art. 70), with reason and legal basis; verification shows it at once."""
    old = _locked(actor, certificate, "revoke")
    errors: dict[str, str] = {}
    if kind not in {k.value for k in RevocationKind}:
        errors["kind"] = "请选择撤销或注销"
    reason = _text(errors, "reason", reason, "原因")
    legal_basis = _text(errors, "legal_basis", legal_basis, "法律依据")
    if errors:
        raise InvalidFields("撤销信息不完整", errors=errors, code="certificate_revoke_invalid")
    old.status = CertificateStatus.REVOKED
    old.revoked_at, old.revoked_by = clock.now(), actor
    old.revocation_kind, old.revocation_reason, old.revocation_basis = kind, reason, legal_basis
    fields = ["status", "revoked_at", "revoked_by", "revocation_kind", "revocation_reason", "revocation_basis"]
    old.save(update_fields=fields)
    audit(old, action="certificate_revoked", actor=actor, changes={"kind": kind})
    return old
