"""Test data for the certificates, built through the real services.

certificate_type_for(matter_version)   an active type issued by the matter (fields from the form)
approved_case(...)                      an accepted single-matter case approved by its department
issued_certificate(...)                 the certificate that approval issued (sealed: tasks run at once)
"""

from __future__ import annotations

from typing import Any

from onewindow.cases.models import Case
from onewindow.cases.services import review
from onewindow.cases.tests.factories import accepted_case, published_matter, reviewer_for
from onewindow.catalogue.models import MatterVersion
from onewindow.certificates.models import Certificate, CertificateType

FIELDS = [
    {"key": "project_name", "label": "项目名称", "source": "form:project_name"},
    {"key": "floor_area", "label": "建筑面积（平方米）", "source": "form:floor_area"},
    {"key": "matter", "label": "许可事项", "source": "matter:name"},
]


def certificate_type_for(matter_version: MatterVersion, **overrides: Any) -> CertificateType:
    values: dict[str, Any] = {
        "code": f"T{matter_version.matter.code}"[:40],
        "name": "建设工程规划许可证",
        "number_prefix": "JG",
        "field_specs": FIELDS,
        "validity_months": 24,
        **overrides,
    }
    certificate_type = CertificateType.objects.create(**values)
    certificate_type.matters.add(matter_version.matter)
    return certificate_type


def approved_case(*, with_type: bool = True, **kwargs: Any) -> Case:
    matter_version = kwargs.pop("matter_version", None) or published_matter()
    if with_type:
        certificate_type_for(matter_version)
    case = accepted_case(matter_version=matter_version, **kwargs)
    task = case.tasks.get()
    review.task_approve(actor=reviewer_for(task.department), task=task, opinion="同意")
    case.refresh_from_db()
    return case


def issued_certificate(**kwargs: Any) -> Certificate:
    case = approved_case(**kwargs)
    return Certificate.objects.select_related("certificate_type", "department").get(case=case)
