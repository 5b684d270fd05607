"""The demo's certificate types (data/certificates.py), loaded through the certificates' service before
the demo cases, so the completed 企业开办 case issues its certificates (统一发证); those still pending
are sealed at once (a fresh demo has no task worker running yet). Loaded once per type code."""

from __future__ import annotations

from onewindow.catalogue.models import Matter
from onewindow.certificates.domain import CertificateStatus
from onewindow.certificates.models import Certificate, CertificateType
from onewindow.certificates.services import certificate_seal
from onewindow.certificates.services.types import certificate_type_save
from onewindow.demo.data.certificates import CERTIFICATE_TYPES


def certificate_types_load() -> int:
    """Create the demo's certificate types that do not exist; returns how many were created."""
    existing = set(CertificateType.objects.values_list("code", flat=True))
    matters = dict(Matter.objects.values_list("code", "id"))
    created = 0
    for spec in CERTIFICATE_TYPES:
        if spec.code in existing or not all(code in matters for code in spec.matters):
            continue
        certificate_type = CertificateType(
            code=spec.code,
            name=spec.name,
            number_prefix=spec.prefix,
            field_specs=[{"key": k, "label": label, "source": s} for k, label, s in spec.fields],
            validity_months=spec.validity_months,
            template=spec.template,
        )
        certificate_type_save(
            actor=None, certificate_type=certificate_type, matter_ids=[matters[c] for c in spec.matters]
        )
        created += 1
    return created


def certificates_seal_pending() -> int:
    """Seal the demo's pending certificates now (idempotent: sealed ones are left)."""
    pending = list(Certificate.objects.filter(status=CertificateStatus.PENDING).values_list("pk", flat=True))
    for pk in pending:
        certificate_seal(certificate_id=pk)
    return len(pending)
