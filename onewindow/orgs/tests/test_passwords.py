"""Staff accounts need strong passwords wherever a password is set through a form; applicants keep
Django's rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, User
from onewindow.orgs.passwords import StaffPasswordValidator, validate_staff_password
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

STRONG = "Yunchuan-2026!"


@pytest.fixture
def region():
    return RegionFactory()


def codes(password: str, user: User) -> set[str]:
    try:
        validate_staff_password(password, user)
    except ValidationError as refused:
        return {error.code for error in refused.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("onewindow", {"staff_password_too_short", "staff_password_too_simple"}),
        ("onewindowonewindow", {"staff_password_too_simple"}),  # long, but one kind only
        ("onewindow2026", {"staff_password_too_simple"}),  # two kinds
        ("Onewindow2026", set()),
        ("onewindow-2026", set()),
        ("Bei-Clerk_Zhang#2026", {"staff_password_contains_username"}),
        ("qwertyuiop123", {"password_too_common", "staff_password_too_simple"}),
        (STRONG, set()),
    ],
)
def test_the_staff_rule(password, expected):
    assert codes(password, User(username="clerk_zhang", name="张三")) >= expected
    if not expected:
        assert codes(password, User(username="clerk_zhang")) == set()


def test_the_rule_in_settings_applies_to_staff_only(region):
    validator = StaffPasswordValidator()
    applicant = UserFactory()
    validator.validate("onewindow", applicant)  # an applicant keeps Django's rules
    with pytest.raises(ValidationError, match="至少需要 12 个字符"):
        validator.validate("onewindow", staff(Role.REVIEWER, region))


def test_a_staff_password_changed_on_the_password_page_must_be_strong(client, region):
    reviewer = staff(Role.REVIEWER, region)
    client.force_login(reviewer)
    form = {"old_password": "pass-for-tests", "new_password1": "onewindow", "new_password2": "onewindow"}

    response = client.post("/accounts/password_change/", form)

    assert response.status_code == 200
    assert "工作人员账号的密码至少需要 12 个字符" in response.content.decode()
    reviewer.refresh_from_db()
    assert reviewer.check_password("pass-for-tests")

    form |= {"new_password1": STRONG, "new_password2": STRONG}
    assert client.post("/accounts/password_change/", form).status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.check_password(STRONG)


def test_an_applicant_keeps_djangos_rules_on_the_password_page(client):
    applicant = UserFactory()
    client.force_login(applicant)
    form = {"old_password": "pass-for-tests", "new_password1": "onewindow", "new_password2": "onewindow"}

    assert client.post("/accounts/password_change/", form).status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password("onewindow")


def test_the_admin_sets_a_staff_members_password_only_when_strong(client, region):
    client.force_login(staff(Role.SYSTEM_ADMIN, region))
    clerk = staff(Role.CLERK, region)
    url = f"/admin/orgs/user/{clerk.pk}/password/"

    response = client.post(url, {"password1": "onewindow", "password2": "onewindow", "usable_password": "true"})

    assert response.status_code == 200
    assert "小写字母、大写字母、数字、符号中的至少 3 类" in response.content.decode()
    clerk.refresh_from_db()
    assert clerk.check_password("pass-for-tests")
    assert client.post(url, {"password1": STRONG, "password2": STRONG, "usable_password": "true"}).status_code == 302


def test_an_account_made_in_the_admin_is_a_staff_account_from_the_start(client, region):
    client.force_login(staff(Role.SYSTEM_ADMIN, region))
    form = {"username": "newclerk", "password1": "onewindow", "password2": "onewindow", "usable_password": "true"}

    response = client.post("/admin/orgs/user/add/", form)

    assert response.status_code == 200
    assert "工作人员账号的密码至少需要 12 个字符" in response.content.decode()
    assert not User.objects.filter(username="newclerk").exists()

    response = client.post("/admin/orgs/user/add/", form | {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    assert User.objects.get(username="newclerk").check_password(STRONG)


def test_the_first_security_admin_needs_a_strong_password(monkeypatch, region):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "onewindow")
    with pytest.raises(CommandError, match="工作人员账号的密码"):
        call_command("bootstrap_security_admin", "secadmin", region.code)
    assert not User.objects.filter(username="secadmin").exists()

    monkeypatch.setattr("getpass.getpass", lambda prompt="": STRONG)
    call_command("bootstrap_security_admin", "secadmin", region.code)
    assert Membership.objects.get(role=Role.SECURITY_ADMIN).user.check_password(STRONG)
