"""What people see on the pages: the catalogue's matter page, the verification page, the staff's forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.cases.tests.factories import published_matter, reviewer_for
from onewindow.certificates.tests.factories import certificate_type_for, issued_certificate

pytestmark = pytest.mark.django_db


def test_the_matters_guide_names_the_certificate_it_issues(client: Any) -> None:
    version = published_matter()
    certificate_type_for(version, name="建设工程规划许可证", validity_months=24)
    html = client.get(reverse("catalogue:matter", args=[version.matter.code])).content.decode()
    assert "办理结果（电子证照）" in html and "建设工程规划许可证（有效期 24 个月）" in html


def test_an_altered_pdf_is_told_apart_on_the_public_page(client: Any) -> None:
    certificate = issued_certificate()
    with certificate.pdf.open("rb") as handle:
        content = bytearray(handle.read())
    content[len(content) // 2] ^= 0x20
    upload = SimpleUploadedFile("c.pdf", bytes(content), "application/pdf")
    html = client.post(reverse("certificates:verify_upload"), {"file": upload}).content.decode()
    assert "核验未通过" in html and "改动" in html


def test_an_unknown_number_is_a_404_that_says_so(client: Any) -> None:
    response = client.get(reverse("certificates:verify", args=["NO-SUCH-1"]))
    assert response.status_code == 404 and "未找到该证照编号" in response.content.decode()


def test_the_issuer_alters_from_the_detail_page_and_lands_on_the_new_version(client: Any) -> None:
    certificate = issued_certificate()
    client.force_login(reviewer_for(certificate.department))
    url = reverse("certificates:staff_detail", args=[certificate.pk])
    assert "变更事由" in client.get(url).content.decode()
    refused = client.post(reverse("certificates:staff_action", args=[certificate.pk, "alter"]), {"reason": ""})
    assert refused.status_code == 422 and "请填写变更事由" in refused.content.decode()
    response = client.post(
        reverse("certificates:staff_action", args=[certificate.pk, "alter"]),
        {"field_project_name": "滨江科创园二期", "reason": "项目名称变更"},
    )
    assert response.status_code == 302
    new_page = client.get(response["Location"]).content.decode()
    assert f"{certificate.licence_number}-2" in new_page and "滨江科创园二期" in new_page


def test_the_holder_sees_the_cases_certificates_on_one_page(client: Any) -> None:
    certificate = issued_certificate()
    client.force_login(certificate.applicant.user)
    html = client.get(reverse("certificates:case", args=[certificate.case_id])).content.decode()
    assert "统一发证" in html and reverse("certificates:download", args=[certificate.pk]) in html


def test_a_valid_certificate_fills_the_material_it_stands_for_at_the_next_application() -> None:
    from onewindow.cases.tests.factories import required_files, submitted_case
    from onewindow.certificates.services import certificate_revoke

    certificate = issued_certificate()
    version = published_matter()
    version.materials.filter(key="business_licence").update(certificate_type=certificate.certificate_type.name)
    files = {k: v for k, v in required_files(version).items() if k != "business_licence"}
    case = submitted_case(matter_version=version, applicant=certificate.applicant, files=files)
    material = case.materials.get(key="business_licence")
    assert material.reused_certificate == certificate.number and material.sha256 == certificate.pdf_sha256
    certificate_revoke(
        actor=reviewer_for(certificate.department),
        certificate=certificate,
        kind="cancel",
        reason="注销",
        legal_basis="第七十条",
    )
    again = submitted_case(matter_version=version, applicant=certificate.applicant, files=files)
    assert again.materials.get(key="business_licence").reused_certificate == ""  # revoked: not in the wallet
