"""Verification (核验): what anybody may learn of a certificate by its number, and whether a PDF is a
certificate issued here and unaltered. Used by the public page, the JSON endpoint and the CLI.

A PDF is genuine when (1) its e-seal signature is intact, covers the whole file and chains to the
deployment's trust root (pyHanko), and (2) its SHA-256 is the stored hash of a certificate issued here.
Whether it is still valid is the certificate's standing (revoked, superseded, renewed, expired).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.utils import timezone

from onewindow.audit.signing import verify_signature
from onewindow.certificates.document import keys
from onewindow.certificates.document.seal import check_seal
from onewindow.certificates.domain import (
    REVOCATION_LABELS,
    STANDING_LABELS,
    CertificateStatus,
    RevocationKind,
    Standing,
    canonical_json,
    mask_holder,
    standing,
)
from onewindow.certificates.models import Certificate
from onewindow.certificates.selectors import certificate_by_pdf_hash, certificate_public, certificate_versions
from onewindow.certificates.services.common import signed_payload
from onewindow.orgs.domain import mask_id_number


@dataclass(frozen=True)
class Status:
    number: str
    licence_number: str
    version: int
    identifier: str
    type_name: str
    standing: Standing
    standing_label: str
    is_valid: bool
    holder: str  # masked
    holder_id: str  # masked
    department: str
    issued_on: dt.date | None
    valid_from: dt.date
    valid_until: dt.date | None
    current_number: str  # the licence's latest version
    revocation_kind: str
    revocation_reason: str
    revocation_basis: str
    revoked_on: dt.date | None
    data_signature_ok: bool


def certificate_status(certificate: Certificate, *, today: dt.date | None = None) -> Status:
    today = today or timezone.localdate()
    current = standing(CertificateStatus(certificate.status), certificate.valid_until, today)
    versions = certificate_versions(certificate)
    kind = certificate.revocation_kind
    return Status(
        number=certificate.number,
        licence_number=certificate.licence_number,
        version=certificate.version,
        identifier=certificate.identifier,
        type_name=certificate.certificate_type.name,
        standing=current,
        standing_label=STANDING_LABELS[current],
        is_valid=current == Standing.VALID,
        holder=mask_holder(certificate.holder_name),
        holder_id=mask_id_number(certificate.holder_id_number),
        department=certificate.department.display_name,
        issued_on=certificate.issued_on,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        current_number=versions[-1].number if versions else certificate.number,
        revocation_kind=REVOCATION_LABELS[RevocationKind(kind)] if kind else "",
        revocation_reason=certificate.revocation_reason,
        revocation_basis=certificate.revocation_basis,
        revoked_on=timezone.localdate(certificate.revoked_at) if certificate.revoked_at else None,
        data_signature_ok=data_signature_ok(certificate),
    )


def data_signature_ok(certificate: Certificate) -> bool:
    """The SM2 signature over the certificate's canonical data still matches what is stored."""
    if not certificate.data_signature:
        return False
    data = canonical_json(signed_payload(certificate))
    return verify_signature("sm2", certificate.data_signer_key, data, certificate.data_signature)


def verify_number(number: str) -> Status:
    """NotFound (code certificate_not_found) for a number never issued here."""
    return certificate_status(certificate_public(number))


@dataclass(frozen=True)
class PdfVerdict:
    genuine: bool  # issued here and unaltered
    valid: bool  # genuine and its standing is valid today
    reason: str  # Chinese, for people
    status: Status | None


def verify_pdf(content: bytes) -> PdfVerdict:
    seal = check_seal(content, keys.trust_roots())
    if not seal.ok:
        return PdfVerdict(False, False, seal.reason, None)
    certificate = certificate_by_pdf_hash(hashlib.sha256(content).hexdigest())
    if certificate is None:
        return PdfVerdict(False, False, "电子印章有效，但该文件不是本平台存档的证照文件", None)
    status = certificate_status(certificate)
    if not status.data_signature_ok:
        return PdfVerdict(False, False, "证照数据的 SM2 签名与存档不符", status)
    if not status.is_valid:
        return PdfVerdict(True, False, f"证照真实未被改动，但{status.standing_label}", status)
    return PdfVerdict(True, True, "证照真实、未被改动，且当前有效", status)
