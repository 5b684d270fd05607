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


def test_a_users_phone_is_masked_in_the_list_and_the_form(client, region):
    login(client, Role.SYSTEM_ADMIN, region)
    citizen = UserFactory(phone="13912345678")

    for url in ("/admin/orgs/user/", f"/admin/orgs/user/{citizen.pk}/change/"):
        page = client.get(url).content.decode()
        assert "13912345678" not in page
        assert "139****5678" in page


def _user_form(user, **changes):
    return {
        "username": user.username,
        "name": user.name,
        "email": "",
        "is_active": "on",
        "new_phone": "",
        **changes,
    }


def test_a_new_phone_replaces_the_masked_one_and_an_empty_field_keeps_it(client, region):
    login(client, Role.SYSTEM_ADMIN, region)
    citizen = UserFactory(phone="13912345678")
    url = f"/admin/orgs/user/{citizen.pk}/change/"

    assert client.post(url, _user_form(citizen, name="新名字")).status_code == 302
    citizen.refresh_from_db()
    assert (citizen.name, citizen.phone) == ("新名字", "13912345678")

    assert client.post(url, _user_form(citizen, new_phone="13700001111")).status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone == "13700001111"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/orgs/user/?phone__startswith=139",
        "/admin/orgs/user/?applicants__id_number__startswith=110",
        "/admin/orgs/applicant/?id_number__startswith=110",
        "/admin/orgs/applicant/?phone=13900001111",
        "/admin/orgs/applicant/?user__phone__startswith=138",
    ],
)
def test_personal_data_cannot_be_guessed_by_filtering_the_lists(client, region, url):
    from onewindow.orgs.tests.factories import PersonFactory

    PersonFactory(user=UserFactory())
    login(client, Role.SYSTEM_ADMIN, region)

    assert client.get(url).status_code == 400


def test_an_applicants_change_form_shows_the_id_and_phone_masked(client, region):
    from onewindow.orgs.tests.factories import PersonFactory

    person = PersonFactory()
    login(client, Role.SYSTEM_ADMIN, region)

    page = client.get(f"/admin/orgs/applicant/{person.pk}/change/").content.decode()

    assert person.id_number not in page and person.phone not in page
    assert person.id_number[:6] + "********" in page and "139****1111" in page
