"""What the certificates' services share: the audit stream, the labels, the printable view of a row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.urls import reverse

from onewindow.audit.services import audit_record
from onewindow.certificates.document.render import Printable
from onewindow.certificates.domain import FieldSpec, parse_fields
from onewindow.certificates.models import Certificate
from onewindow.orgs.models import User

TARGET_TYPE = "certificates.certificate"
AUDIT_LABELS = {
    "certificates.certificate_created": "生成电子证照（待签发）",
    "certificates.certificate_issued": "签发电子证照",
    "certificates.certificate_altered": "变更电子证照",
    "certificates.certificate_renewed": "延续电子证照",
    "certificates.certificate_revoked": "撤销/注销电子证照",
    "certificates.certificate_delivered": "送达电子证照",
    "certificates.certificate_type_saved": "保存证照类型",
}


def stream(certificate: Certificate) -> str:
    return f"certificate:{certificate.licence_number}"


def audit(certificate: Certificate, *, action: str, actor: User | None, changes: dict[str, Any]) -> None:
    audit_record(
        stream=stream(certificate),
        action=f"certificates.{action}",
        target_type=TARGET_TYPE,
        target_id=certificate.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation=certificate.department,
        changes={"number": certificate.number, **changes},
    )


def verify_url(number: str) -> str:
    return settings.CERTIFICATES_PUBLIC_URL + reverse("certificates:verify", args=[number])


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def valid_text(valid_from: dt.date, valid_until: dt.date | None) -> str:
    if valid_until is None:
        return f"{chinese_date(valid_from)}起长期有效"
    return f"{chinese_date(valid_from)}至{chinese_date(valid_until)}"


def specs(certificate: Certificate) -> list[FieldSpec]:
    return parse_fields(certificate.certificate_type.field_specs)


def printable(certificate: Certificate, issued_on: dt.date) -> Printable:
    notes = []
    if certificate.version > 1:
        notes.append(f"本证照为第 {certificate.version} 版，{certificate.change_reason}")
    return Printable(
        title=certificate.certificate_type.name,
        number=certificate.number,
        identifier=certificate.identifier,
        holder_name=certificate.holder_name,
        holder_id_number=certificate.holder_id_number,
        fields=[(spec.label, str(certificate.data.get(spec.key, ""))) for spec in specs(certificate)],
        department_name=certificate.department.display_name,
        issued_on=chinese_date(issued_on),
        valid_text=valid_text(certificate.valid_from, certificate.valid_until),
        verify_url=verify_url(certificate.number),
        version=certificate.version,
        template=certificate.certificate_type.template,
        notes=notes,
    )


def signed_payload(certificate: Certificate) -> dict[str, Any]:
    """What the SM2 signature covers (domain.canonical_json of this), the sealed file's hash included."""
    return {
        "identifier": certificate.identifier,
        "number": certificate.number,
        "licence_number": certificate.licence_number,
        "version": certificate.version,
        "type_code": certificate.certificate_type.code,
        "type_name": certificate.certificate_type.name,
        "holder_name": certificate.holder_name,
        "holder_id_number": certificate.holder_id_number,
        "data": certificate.data,
        "department": certificate.department.code,
        "issued_on": certificate.issued_on.isoformat() if certificate.issued_on else None,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat() if certificate.valid_until else None,
        "pdf_sha256": certificate.pdf_sha256,
    }
