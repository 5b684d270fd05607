"""送达: the holder's download asks for a rating first (skippable, recorded), a clerk records a window
collection (by the holder or an authorised agent) or a posting, each on the licence's audit stream."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from onewindow.agency.tests.factories import authorisation
from onewindow.audit.models import Event
from onewindow.cases.tests.factories import agent_for, clerk_for, region, reviewer_for
from onewindow.certificates.models import Certificate, Delivery
from onewindow.certificates.services import certificate_hand_over, certificate_revoke
from onewindow.certificates.tests.factories import issued_certificate
from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.evaluation.models import Rating, Skip
from onewindow.orgs.models import Hall, Window

pytestmark = pytest.mark.django_db


def delivered(certificate: Certificate) -> list[str]:
    return list(certificate.deliveries.values_list("method", flat=True))


def test_the_first_download_asks_for_a_rating_and_skipping_still_gives_the_pdf(client: Any) -> None:
    certificate = issued_certificate()
    client.force_login(certificate.applicant.user)
    download = reverse("certificates:download", args=[certificate.pk])

    asked = client.get(download)
    assert asked.status_code == 302 and asked["Location"].startswith(
        reverse("evaluation:case_rate", args=[certificate.case_id])
    )
    assert delivered(certificate) == []

    back = client.post(asked["Location"], {"skip": "1"})
    assert back.status_code == 302 and back["Location"] == download
    assert Skip.objects.filter(case=certificate.case).count() == 1

    pdf = client.get(download)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert delivered(certificate) == ["download"]
    client.get(download)
    assert delivered(certificate) == ["download"]  # recorded once per holder and version


def test_a_rating_given_on_the_way_is_kept_and_the_download_follows(client: Any) -> None:
    certificate = issued_certificate()
    client.force_login(certificate.applicant.user)
    download = reverse("certificates:download", args=[certificate.pk])
    rate = client.get(download)["Location"]

    back = client.post(rate, {"level": "5", "comment": "很快"})

    assert back.status_code == 302 and back["Location"] == download
    assert Rating.objects.filter(case=certificate.case, level=5).exists()
    assert client.get(download).status_code == 200


def test_the_api_serves_the_pdf_and_says_the_rating_is_still_due(client: Any) -> None:
    from onewindow.api.auth import token_issue

    certificate = issued_certificate()
    headers = {"Authorization": f"Bearer {token_issue(certificate.applicant.user).token}"}
    response = client.get(f"/api/certificates/mine/{certificate.pk}/pdf", headers=headers)
    assert response.status_code == 200 and response["X-Rating-Prompt"] == "due"
    assert delivered(certificate) == ["download"]


def window_in(certificate: Certificate) -> Window:
    hall = Hall.objects.create(region=certificate.region, name="市民中心")
    return Window.objects.create(hall=hall, number="8", name="综合出件窗口")


def test_a_clerk_records_a_window_collection_and_is_offered_the_rating_tablet(client: Any) -> None:
    certificate = issued_certificate()
    clerk = clerk_for(certificate.region)
    window = window_in(certificate)
    client.force_login(clerk)

    response = client.post(
        reverse("certificates:hand_over", args=[certificate.pk]),
        {"method": "window", "recipient_name": "张三", "window": window.pk},
    )

    assert response.status_code == 302 and response["Location"].endswith("?rate=1")
    page = client.get(response["Location"]).content.decode()
    assert "开启窗口评价器" in page and "窗口领取" in page and "市民中心 8" in page
    delivery = Delivery.objects.get(certificate=certificate)
    assert (delivery.method, delivery.window, delivery.recorded_by) == ("window", window, clerk)
    event = Event.objects.filter(action="certificates.certificate_delivered").get()
    assert event.changes["method"] == "window" and "张三" not in str(event.changes)


def test_posting_needs_a_carrier_and_a_tracking_number_and_says_so_per_field(client: Any) -> None:
    certificate = issued_certificate()
    client.force_login(clerk_for(certificate.region))
    url = reverse("certificates:hand_over", args=[certificate.pk])

    refused = client.post(url, {"method": "post", "recipient_name": "李四", "tracking_number": "12"})

    assert refused.status_code == 422
    html = refused.content.decode()
    assert "请填写寄递单位" in html and "8至30位字母或数字" in html
    assert delivered(certificate) == []
    ok = client.post(
        url, {"method": "post", "recipient_name": "李四", "carrier": "中国邮政EMS", "tracking_number": "EA123456789CN"}
    )
    assert ok.status_code == 302 and delivered(certificate) == ["post"]


def test_an_agent_collects_only_under_an_authorisation_covering_collection() -> None:
    certificate = issued_certificate()
    clerk = clerk_for(certificate.region)
    agent = agent_for(certificate.region)
    authorisation(agent=agent, applicant=certificate.applicant, scope=["submit"])
    with pytest.raises(PermissionDenied):
        certificate_hand_over(actor=clerk, certificate=certificate, method="window", recipient_name="王五", agent=agent)

    authorisation(agent=agent, applicant=certificate.applicant, scope=["collect"])
    delivery = certificate_hand_over(
        actor=clerk, certificate=certificate, method="window", recipient_name="王五", agent=agent
    )
    assert delivery.agent == agent


def test_only_the_cases_region_or_the_issuer_records_a_delivery_and_never_of_a_revoked_certificate() -> None:
    certificate = issued_certificate()
    with pytest.raises(PermissionDenied):
        certificate_hand_over(
            actor=clerk_for(region()), certificate=certificate, method="window", recipient_name="张三"
        )
    with pytest.raises(InvalidFields):
        certificate_hand_over(actor=clerk_for(certificate.region), certificate=certificate, method="download")
    issuer = reviewer_for(certificate.department)
    certificate_revoke(actor=issuer, certificate=certificate, kind="cancel", reason="申请注销", legal_basis="第七十条")
    with pytest.raises(Conflict):
        certificate_hand_over(actor=issuer, certificate=certificate, method="window", recipient_name="张三")
    assert delivered(certificate) == []
