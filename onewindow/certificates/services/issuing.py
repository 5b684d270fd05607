"""统一发证: an approved case's certificates are written with the decision (Art. 44 clock started) and
sealed by a task on commit; a revoked approval on commitment revokes them."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from onewindow import clock
from onewindow.audit.signing import encode_signature
from onewindow.cases.domain import CaseStatus, remaining_working_days, warning_level
from onewindow.cases.models import Case, CaseMatter
from onewindow.cases.services.endings import CaseEnding
from onewindow.certificates.document import keys
from onewindow.certificates.document.render import certificate_pdf
from onewindow.certificates.document.seal import seal_pdf
from onewindow.certificates.domain import (
    ISSUE_LIMIT_DAYS,
    CertificateStatus,
    RevocationKind,
    canonical_json,
    check_lifecycle,
    fill_fields,
    licence_identifier,
    licence_number,
    parse_fields,
    validity_end,
    version_number,
)
from onewindow.certificates.models import Certificate, CertificateSequence, CertificateType
from onewindow.certificates.services.common import audit, printable, signed_payload
from onewindow.jobs.services import enqueue
from onewindow.orgs.models import User
from onewindow.workdays.domain import add_working_days
from onewindow.workdays.selectors import work_calendar

APPROVED_RESULTS = (CaseMatter.Result.APPROVED, CaseMatter.Result.COMMITTED)


def certificates_on_case_end(ending: CaseEnding) -> None:
    """The cases' ending listener (inside the ending transaction, under the case lock)."""
    # Already inside the ending's transaction: no savepoint of its own (a case that issues nothing costs
    # one query, and the cases' pinned query counts hold).
    if ending.status == CaseStatus.COMPLETED:
        _issue_for_case(case=ending.case, actor=ending.actor)
    elif ending.status == CaseStatus.REVOKED:
        _revoke_for_case(case=ending.case, actor=ending.actor)


def _types_by_matter(case: Case) -> dict[int, list[CertificateType]]:
    """The active types of the case's approved matters, by matter id: one query (none found: nothing more)."""
    approved = CaseMatter.objects.filter(case=case, result__in=APPROVED_RESULTS).values("matter_version__matter_id")
    through = CertificateType.matters.through
    links = through.objects.filter(matter_id__in=approved, certificatetype__is_active=True).select_related(
        "certificatetype__department__parent"
    )
    found: dict[int, list[CertificateType]] = {}
    for link in links.order_by("certificatetype__code"):
        found.setdefault(link.matter_id, []).append(link.certificatetype)
    return found


@transaction.atomic
def certificates_issue_for_case(*, case: Case, actor: User | None) -> list[Certificate]:
    """One certificate per approved matter and certificate type (统一发证 for a bundle), pending, due in
    10 working days of the decision; sealing is enqueued. Calling it again issues nothing twice. A case
    whose matters issue no certificate costs one query."""
    return _issue_for_case(case=case, actor=actor)


def _issue_for_case(*, case: Case, actor: User | None) -> list[Certificate]:
    types = _types_by_matter(case)
    if not types:
        return []
    matters = list(
        case.matters.filter(result__in=APPROVED_RESULTS, matter_version__matter_id__in=list(types)).select_related(
            "matter_version__matter", "department__parent"
        )
    )
    decided_on = timezone.localdate(case.completed_at or clock.now())
    due = add_working_days(decided_on, ISSUE_LIMIT_DAYS, work_calendar()).on
    done = set(Certificate.objects.filter(case=case, version=1).values_list("case_matter_id", "certificate_type_id"))
    created = []
    for case_matter in matters:
        for certificate_type in types.get(case_matter.matter_version.matter_id, []):
            if (case_matter.pk, certificate_type.pk) in done:
                continue
            created.append(_create(case, case_matter, certificate_type, decided_on=decided_on, due_on=due, actor=actor))
    for certificate in created:  # with the transaction (database backend) or on commit (RQ): jobs.services
        enqueue(certificate_seal_task(), certificate.pk)
    return created


def certificate_seal_task() -> Any:
    from onewindow.certificates.tasks import certificate_seal_job

    return certificate_seal_job


def _sources(case: Case, case_matter: CaseMatter) -> dict[str, dict[str, Any]]:
    applicant = case.applicant
    form = case.form_data if isinstance(case.form_data, dict) else {}
    return {
        "form": form,
        "holder": {
            "name": applicant.name,
            "id_number": applicant.id_number,
            "legal_representative": applicant.legal_representative,
        },
        "case": {"number": case.number, "title": case.title, "decision_note": case.decision_note},
        "matter": {"name": case_matter.matter_version.name, "code": case_matter.matter_version.matter.code},
    }


def next_licence_number(certificate_type: CertificateType, region_code: str, year: int) -> str:
    prefix = certificate_type.number_prefix
    row, _ = CertificateSequence.objects.select_for_update().get_or_create(
        prefix=prefix, region_code=region_code, year=year
    )
    row.last += 1
    row.save(update_fields=["last"])
    return licence_number(prefix, region_code, year, row.last)


def _create(
    case: Case,
    case_matter: CaseMatter,
    certificate_type: CertificateType,
    *,
    decided_on: dt.date,
    due_on: dt.date,
    actor: User | None,
) -> Certificate:
    department = certificate_type.department or case_matter.department
    licence = next_licence_number(certificate_type, case.region.code, decided_on.year)
    certificate = Certificate.objects.create(
        certificate_type=certificate_type,
        case=case,
        case_matter=case_matter,
        applicant=case.applicant,
        department=department,
        region=case.region,
        licence_number=licence,
        version=1,
        number=version_number(licence, 1),
        identifier=licence_identifier(
            certificate_type.code, certificate_type.issuer_code or department.code, licence, 1
        ),
        holder_name=case.applicant.name,
        holder_id_number=case.applicant.id_number,
        data=fill_fields(parse_fields(certificate_type.field_specs), _sources(case, case_matter)),
        decided_on=decided_on,
        due_on=due_on,
        warning_level=_level(clock.today(), due_on),
        valid_from=decided_on,
        valid_until=validity_end(decided_on, certificate_type.validity_months),
    )
    audit(
        certificate,
        action="certificate_created",
        actor=actor,
        changes={"case": case.number, "type": certificate_type.code, "due_on": due_on.isoformat()},
    )
    return certificate


def _level(today: dt.date, due_on: dt.date) -> str:
    return warning_level(remaining_working_days(today, due_on, work_calendar()), ISSUE_LIMIT_DAYS).value


def certificate_seal(*, certificate_id: int, actor: User | None = None) -> Certificate:
    """Render, seal (PAdES) and sign (SM2) a pending certificate, store the file, mark it valid. The slow
    part runs outside the transaction; the row is locked and checked again before it is written."""
    certificate = Certificate.objects.select_related("certificate_type", "department__parent").get(pk=certificate_id)
    check_lifecycle(CertificateStatus(certificate.status), "issue")
    issued_on = clock.today()
    department = certificate.department
    pdf = seal_pdf(
        certificate_pdf(printable(certificate, issued_on)),
        keys.seal_signer(department.code, department.display_name),
        name=department.display_name,
    )
    signer = keys.data_signer()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        check_lifecycle(CertificateStatus(locked.status), "issue")
        certificate.issued_on, certificate.issued_at = issued_on, clock.now()
        certificate.pdf_sha256, certificate.pdf_size = hashlib.sha256(pdf).hexdigest(), len(pdf)
        certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(pdf), save=False)
        certificate.data_signature = encode_signature(signer.sign(canonical_json(signed_payload(certificate))))
        certificate.data_signer_key = signer.public_key_pem()
        certificate.status, certificate.warning_level = CertificateStatus.VALID, "normal"
        fields = ["issued_on", "issued_at", "pdf", "pdf_sha256", "pdf_size", "data_signature", "data_signer_key"]
        certificate.save(update_fields=[*fields, "status", "warning_level"])
        late = issued_on > certificate.due_on
        audit(
            certificate,
            action="certificate_issued",
            actor=actor,
            changes={"pdf_sha256": certificate.pdf_sha256, "identifier": certificate.identifier, "late": late},
        )
    return certificate


@transaction.atomic
def certificates_revoke_for_case(*, case: Case, actor: User | None) -> list[Certificate]:
    """告知承诺 revoked (case REVOKED): its certificates are revoked with the revocation's reason and basis."""
    return _revoke_for_case(case=case, actor=actor)


def _revoke_for_case(*, case: Case, actor: User | None) -> list[Certificate]:
    revocation = getattr(case, "revocation", None)
    reason = revocation.reason if revocation else "准予许可决定已撤销"
    basis = revocation.legal_basis if revocation else "《中华人民共和国行政许可法》第六十九条"
    current = Certificate.objects.select_for_update().filter(
        case=case, status__in=[CertificateStatus.VALID, CertificateStatus.PENDING]
    )
    revoked = []
    for certificate in current.select_related("department"):
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_at = clock.now()
        certificate.revoked_by = actor if actor is not None and actor.is_authenticated else None
        certificate.revocation_kind = RevocationKind.REVOKE
        certificate.revocation_reason, certificate.revocation_basis = reason, basis
        fields = ["status", "revoked_at", "revoked_by", "revocation_kind", "revocation_reason", "revocation_basis"]
        certificate.save(update_fields=fields)
        audit(certificate, action="certificate_revoked", actor=actor, changes={"kind": "revoke", "case_revoked": True})
        revoked.append(certificate)
    return revoked


def certificate_warning_levels_refresh() -> str:
    """The Art. 44 clock of every pending certificate: normal, yellow (2 working days or fewer), red."""
    today, changed = clock.today(), 0
    for certificate in Certificate.objects.filter(status=CertificateStatus.PENDING).only(
        "id", "due_on", "warning_level"
    ):
        level = _level(today, certificate.due_on)
        if level != certificate.warning_level:
            Certificate.objects.filter(pk=certificate.pk).update(warning_level=level)
            changed += 1
    return f"{changed} changed"
