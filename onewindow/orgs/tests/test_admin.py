import pytest

from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return RegionFactory()


def login(client, role, region):
    user = staff(role, region)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (Role.SYSTEM_ADMIN, "/admin/orgs/organisation/", 200),
        (Role.SYSTEM_ADMIN, "/admin/orgs/membership/", 403),
        (Role.SECURITY_ADMIN, "/admin/orgs/membership/", 200),
        (Role.SECURITY_ADMIN, "/admin/orgs/organisation/", 403),
        (Role.AUDIT_ADMIN, "/admin/orgs/membership/", 403),
        (Role.CLERK, "/admin/orgs/organisation/", 302),
    ],
)
def test_admin_pages_open_to_their_role_only(client, region, role, url, status):
    login(client, role, region)
    assert client.get(url).status_code == status


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_security_admin_grants_a_role_in_the_admin(client, region):
    login(client, Role.SECURITY_ADMIN, region)
    clerk = UserFactory()

    response = client.post(
        "/admin/orgs/membership/add/", {"user": clerk.pk, "organisation": region.pk, "role": Role.CLERK.value}
    )

    assert response.status_code == 302
    assert Membership.objects.filter(user=clerk, role=Role.CLERK).exists()


def test_a_security_admin_granting_themselves_a_role_sees_why_not(client, region):
    security = login(client, Role.SECURITY_ADMIN, region)

    response = client.post(
        "/admin/orgs/membership/add/", {"user": security.pk, "organisation": region.pk, "role": Role.CLERK.value}
    )

    assert response.status_code == 200
    assert "不能给自己分配角色" in response.content.decode()
    assert not Membership.objects.filter(user=security, role=Role.CLERK).exists()


def test_a_security_admin_granting_an_applicant_a_staff_role_sees_why_not(client, region):
    from onewindow.orgs.tests.factories import PersonFactory

    login(client, Role.SECURITY_ADMIN, region)
    citizen = UserFactory()
    PersonFactory(user=citizen)

    response = client.post(
        "/admin/orgs/membership/add/", {"user": citizen.pk, "organisation": region.pk, "role": Role.CLERK.value}
    )

    assert response.status_code == 200
    assert "申请人的网上账号，不能担任工作人员角色" in response.content.decode()
    assert not Membership.objects.filter(user=citizen).exists()


def test_applicant_ids_are_masked_in_the_admin(client, region):
    from onewindow.orgs.tests.factories import PersonFactory

    person = PersonFactory()
    login(client, Role.SYSTEM_ADMIN, region)

    page = client.get("/admin/orgs/applicant/").content.decode()

    assert person.id_number not in page
    assert person.id_number[:6] + "********" in page


def test_a_users_role_history_shows_under_their_admin_page(client, region):
    from onewindow.orgs.services import membership_grant

    security = login(client, Role.SECURITY_ADMIN, region)
    clerk = UserFactory()
    membership_grant(actor=security, user=clerk, organisation=region, role=Role.CLERK)
    client.force_login(staff(Role.SYSTEM_ADMIN, region))

    page = client.get(f"/admin/orgs/user/{clerk.pk}/change/").content.decode()

    assert "全程留痕" in page
    assert "授予角色" in page
