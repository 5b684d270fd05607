"""证照类型 (the catalogue of certificate types): kept by the system admin in the admin, audited."""

from __future__ import annotations

from django.db import transaction

from onewindow.audit.services import audit_record
from onewindow.certificates.domain import parse_fields
from onewindow.certificates.models import CertificateType
from onewindow.errors import InvalidFields
from onewindow.orgs.models import User

TYPE_TARGET = "certificates.certificate_type"


def field_specs_errors(raw: object) -> str:
    """A Chinese message when the fields are not a list of {key, label, source} with unique keys."""
    if not isinstance(raw, list):
        return "证照字段应为列表"
    specs = parse_fields(raw)
    if len(specs) != len(raw):
        return "每个证照字段都应有 key、label 和 source"
    if len({s.key for s in specs}) != len(specs):
        return "证照字段的 key 不能重复"
    kinds = {"form", "holder", "case", "matter", "const"}
    wrong = [s.source for s in specs if s.source.partition(":")[0] not in kinds]
    if wrong:
        return "字段来源应为 form:、holder:、case:、matter: 或 const: 开头：" + "、".join(wrong)
    return ""


@transaction.atomic
def certificate_type_save(
    *, actor: User | None, certificate_type: CertificateType, matter_ids: list[int]
) -> CertificateType:
    problem = field_specs_errors(certificate_type.field_specs)
    if problem:
        raise InvalidFields(problem, errors={"field_specs": problem}, code="certificate_type_invalid")
    created = certificate_type.pk is None
    certificate_type.save()
    certificate_type.matters.set(matter_ids)
    audit_record(
        stream=f"certificate_type:{certificate_type.pk}",
        action="certificates.certificate_type_saved",
        target_type=TYPE_TARGET,
        target_id=certificate_type.pk,
        actor=actor,
        changes={
            "created": created,
            "code": certificate_type.code,
            "name": certificate_type.name,
            "matters": sorted(matter_ids),
            "validity_months": certificate_type.validity_months,
            "is_active": certificate_type.is_active,
        },
    )
    return certificate_type
