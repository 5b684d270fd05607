"""The permission matrix of every certificates page and endpoint, for every kind of user.

Anonymous: staff and applicant pages redirect to the login, the API answers 401; the verification
page and endpoint are public. A certificate one may not see is a 404 like a missing one; a staff page
an applicant opens is a 403 (the staff list sends applicants to their own certificates). Lifecycle
actions are the issuing department's (a supervisor sees, and is refused: 403). The world is built once
per test and each user kind is checked in a savepoint that is rolled back (onewindow.web.tests.matrix).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.api.auth import token_issue
from onewindow.cases.tests.factories import applicant_with_user, department, region, reviewer_for
from onewindow.certificates.models import Certificate
from onewindow.certificates.tests.factories import issued_certificate
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.tests.factories import staff
from onewindow.web.tests.matrix import Matrix

LOGIN = 302
USERS = ["anonymous", "applicant", "other_applicant", "issuer", "other_district", "supervisor"]


@dataclass
class World:
    certificate: Certificate
    users: dict[str, User | None]


@pytest.fixture
def world(db: Any) -> World:
    certificate = issued_certificate()
    district = certificate.region
    users: dict[str, User | None] = {
        "anonymous": None,
        "applicant": certificate.applicant.user,
        "other_applicant": applicant_with_user().user,
        "issuer": reviewer_for(certificate.department),
        "other_district": reviewer_for(department(region())),
        "supervisor": staff(Role.SUPERVISOR, district),
    }
    return World(certificate, users)


def matrix(**expected: int) -> dict[str, int]:
    return {user: expected[user] for user in USERS}


def _get(client: Any, url: str, user: User | None) -> Any:
    if url.startswith("/api/") and user is not None:
        return client.get(url, headers={"Authorization": f"Bearer {token_issue(user).token}"})
    return client.get(url)


def _expected(url: str, status: int) -> int:
    return 401 if url.startswith("/api/") and status == LOGIN else status


STAFF_PAGE = matrix(anonymous=LOGIN, applicant=403, other_applicant=403, issuer=200, other_district=200, supervisor=200)
ONE_FOR_STAFF = matrix(
    anonymous=LOGIN, applicant=404, other_applicant=404, issuer=200, other_district=404, supervisor=200
)
ONE_FOR_HOLDER = matrix(
    anonymous=LOGIN, applicant=200, other_applicant=404, issuer=404, other_district=404, supervisor=404
)
PUBLIC = matrix(anonymous=200, applicant=200, other_applicant=200, issuer=200, other_district=200, supervisor=200)
SEES_IN_STAFF_LIST = {"issuer", "supervisor"}


@pytest.mark.parametrize("url", ["/certificates/", "/api/certificates/certificates"])
def test_the_staff_list_shows_the_certificates_of_ones_scope(client: Any, world: World, url: str) -> None:
    expected = {**STAFF_PAGE, "applicant": 302, "other_applicant": 302} if not url.startswith("/api/") else STAFF_PAGE
    checks = Matrix(client, world.users, f"GET {url}")
    for who, status in expected.items():
        with checks.as_user(who):
            response = _get(client, url, world.users[who])
            assert response.status_code == _expected(url, status)
            if response.status_code == 200:
                assert (world.certificate.number in response.content.decode()) == (who in SEES_IN_STAFF_LIST)
    checks.verify()


@pytest.mark.parametrize(
    "path",
    ["/certificates/warnings/", "/certificates/types/", "/certificates/types/{type}/", "/api/certificates/warnings"],
)
def test_the_warning_list_and_the_types_are_for_staff(client: Any, world: World, path: str) -> None:
    url = path.format(type=world.certificate.certificate_type_id)
    checks = Matrix(client, world.users, f"GET {path}")
    for who, status in STAFF_PAGE.items():
        with checks.as_user(who):
            assert _get(client, url, world.users[who]).status_code == _expected(url, status)
    checks.verify()


@pytest.mark.parametrize(
    "path",
    [
        "/certificates/{id}/",
        "/certificates/{id}/pdf/",
        "/audit/trail/certificates.certificate/{id}/",
        "/api/certificates/certificates/{id}",
    ],
)
def test_one_certificate_is_404_to_staff_who_may_not_see_it(client: Any, world: World, path: str) -> None:
    url = path.format(id=world.certificate.pk)
    checks = Matrix(client, world.users, f"GET {path}")
    for who, status in ONE_FOR_STAFF.items():
        with checks.as_user(who):
            response = _get(client, url, world.users[who])
            assert response.status_code == _expected(url, status)
            if status == 404:
                assert _get(client, path.format(id=999_999), world.users[who]).status_code == 404
            if status == 200 and "pdf" in url:
                assert b"".join(response.streaming_content).startswith(b"%PDF")
    checks.verify()


@pytest.mark.parametrize(
    "path",
    [
        "/certificates/mine/{id}/",
        "/certificates/mine/{id}/pdf/",
        "/certificates/case/{case}/",
        "/api/certificates/mine/{id}",
        "/api/certificates/mine/{id}/pdf",
    ],
)
def test_the_holders_pages_and_download_are_the_holders_only(client: Any, world: World, path: str) -> None:
    url = path.format(id=world.certificate.pk, case=world.certificate.case_id)
    checks = Matrix(client, world.users, f"GET {path}")
    for who, status in ONE_FOR_HOLDER.items():
        with checks.as_user(who):
            response = _get(client, url, world.users[who])
            if url.endswith("/pdf/") and status == 200:  # 先评价后取证: the rating page first, then the file
                assert response.status_code == 302 and "/evaluation/cases/" in response["Location"]
                continue
            assert response.status_code == _expected(url, status)
            if status == 200 and "pdf" in url:
                assert response["Content-Type"] == "application/pdf"
                assert "attachment" in response["Content-Disposition"]
    checks.verify()


@pytest.mark.parametrize("url", ["/certificates/mine/", "/api/certificates/mine"])
def test_my_certificates_lists_the_holders_own(client: Any, world: World, url: str) -> None:
    expected = matrix(
        anonymous=LOGIN, applicant=200, other_applicant=200, issuer=200, other_district=200, supervisor=200
    )
    checks = Matrix(client, world.users, f"GET {url}")
    for who, status in expected.items():
        with checks.as_user(who):
            response = _get(client, url, world.users[who])
            assert response.status_code == _expected(url, status)
            if status == 200:
                assert (world.certificate.number in response.content.decode()) == (who == "applicant")
    checks.verify()


@pytest.mark.parametrize("url", ["/verify/{number}/", "/api/certificates/verify/{number}"])
def test_verification_by_number_is_public_and_masks_the_holder(client: Any, world: World, url: str) -> None:
    url = url.format(number=world.certificate.number)
    checks = Matrix(client, world.users, f"GET {url}")
    for who, status in PUBLIC.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            text = response.content.decode()
            assert "有效" in text and world.certificate.holder_name not in text
    checks.verify()


@pytest.mark.parametrize("url", ["/verify/", "/api/certificates/verify"])
def test_verification_of_an_uploaded_pdf_is_public(client: Any, world: World, url: str) -> None:
    with world.certificate.pdf.open("rb") as handle:
        content = handle.read()
    checks = Matrix(client, world.users, f"POST {url}")
    for who, status in PUBLIC.items():
        with checks.as_user(who):
            response = client.post(url, {"file": SimpleUploadedFile("c.pdf", content, "application/pdf")})
            assert response.status_code == status
            assert "真实" in response.content.decode()
    checks.verify()


REVOKE = matrix(anonymous=LOGIN, applicant=404, other_applicant=404, issuer=302, other_district=404, supervisor=403)


@pytest.mark.parametrize("api", [False, True])
def test_revoking_is_for_the_issuing_department(client: Any, world: World, api: bool) -> None:
    pk = world.certificate.pk
    url = f"/api/certificates/certificates/{pk}/revoke" if api else f"/certificates/{pk}/revoke/"
    body = {"kind": "cancel", "reason": "申请人申请注销", "legal_basis": "《中华人民共和国行政许可法》第七十条"}
    checks = Matrix(client, world.users, f"POST {url}")
    for who, status in REVOKE.items():
        with checks.as_user(who):
            user = world.users[who]
            if api:
                headers = {"Authorization": f"Bearer {token_issue(user).token}"} if user else {}
                response = client.post(url, body, content_type="application/json", headers=headers)
                expected = 401 if who == "anonymous" else {302: 200}.get(status, status)
            else:
                response = client.post(url, body)
                expected = status
            assert response.status_code == expected
            world.certificate.refresh_from_db()
            assert (world.certificate.status == "revoked") == (who == "issuer")
    checks.verify()


HAND_OVER = matrix(anonymous=LOGIN, applicant=404, other_applicant=404, issuer=302, other_district=404, supervisor=403)


@pytest.mark.parametrize("api", [False, True])
def test_recording_a_delivery_is_for_the_cases_window_or_the_issuer(client: Any, world: World, api: bool) -> None:
    pk = world.certificate.pk
    url = f"/api/certificates/certificates/{pk}/deliveries" if api else f"/certificates/{pk}/deliveries/"
    body = {"method": "post", "recipient_name": "张三", "carrier": "中国邮政EMS", "tracking_number": "EA123456789CN"}
    checks = Matrix(client, world.users, f"POST {url}")
    for who, status in HAND_OVER.items():
        with checks.as_user(who):
            user = world.users[who]
            if api:
                headers = {"Authorization": f"Bearer {token_issue(user).token}"} if user else {}
                response = client.post(url, body, content_type="application/json", headers=headers)
                expected = 401 if who == "anonymous" else {302: 201}.get(status, status)
            else:
                response = client.post(url, body)
                expected = status
            assert response.status_code == expected
            assert world.certificate.deliveries.exists() == (who == "issuer")
    checks.verify()


def test_the_delivery_record_is_read_by_staff_who_see_the_certificate(client: Any, world: World) -> None:
    url = f"/api/certificates/certificates/{world.certificate.pk}/deliveries"
    checks = Matrix(client, world.users, f"GET {url}")
    for who, status in ONE_FOR_STAFF.items():
        with checks.as_user(who):
            assert _get(client, url, world.users[who]).status_code == _expected(url, status)
    checks.verify()
