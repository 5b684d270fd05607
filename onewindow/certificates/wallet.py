"""证照库 for 免提交: the applicant's valid certificates offered to the cases' intake
(`cases.services.intake.reuse`, registered in apps.py). A catalogue material names the certificate type
(by name) it can be taken from; the newest valid, sealed version of that type held by the applicant is
offered, its sealed PDF read only when it is taken."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from django.utils import timezone

from onewindow.cases.services.intake.reuse import WalletDocument
from onewindow.certificates.domain import CertificateStatus
from onewindow.certificates.models import Certificate
from onewindow.orgs.models import Applicant


def _reader(certificate: Certificate) -> Callable[[], bytes]:
    def read() -> bytes:
        with certificate.pdf.open("rb") as handle:
            content: bytes = handle.read()
        return content

    return read


def wallet_lookup(applicant: Applicant, type_names: Collection[str]) -> Mapping[str, WalletDocument]:
    """By certificate type name: the applicant's newest valid certificate of that type (unexpired, sealed)."""
    if not type_names:
        return {}
    today = timezone.localdate()
    rows = (
        Certificate.objects.filter(
            applicant=applicant, status=CertificateStatus.VALID, certificate_type__name__in=list(type_names)
        )
        .exclude(pdf="")
        .exclude(valid_until__lt=today)
        .select_related("certificate_type")
        .order_by("issued_at", "id")
    )
    found: dict[str, WalletDocument] = {}
    for row in rows:  # newest last, so it wins
        name = row.certificate_type.name
        found[name] = WalletDocument(row.number, name, f"{row.number}.pdf", _reader(row))
    return found
