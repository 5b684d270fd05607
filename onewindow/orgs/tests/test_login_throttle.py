"""Login throttling on the login page, the admin's login and the API's token endpoint: per account
and per address, a clear Chinese message, 429 with Retry-After, locks that end, success resets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from onewindow.audit.models import Event
from onewindow.orgs.domain import Role
from onewindow.orgs.models import LoginAttempt
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

PASSWORD = "pass-for-tests"  # UserFactory's
ACCOUNT_LIMIT, ADDRESS_LIMIT = 5, 8
LOCKED = "登录失败次数过多，已暂时锁定"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = ACCOUNT_LIMIT
    settings.LOGIN_FAILURES_PER_ADDRESS = ADDRESS_LIMIT
    settings.LOGIN_LOCKOUT_MINUTES = 15


@pytest.fixture
def now(time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    return time_machine


def page_login(username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})


def token_login(username: str, password: str, address: str = "10.0.0.1"):
    body = {"username": username, "password": password}
    return Client(REMOTE_ADDR=address).post("/api/cases/auth/token", body, content_type="application/json")


def admin_login(username: str, password: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post("/admin/login/", {"username": username, "password": password})


def logged_in(response) -> bool:
    return response.status_code in {200, 302} and "_auth_user_id" in response.client.session


def token_given(response) -> bool:
    return response.status_code == 200 and "token" in response.json()


LOGINS = {"page": (page_login, logged_in), "token": (token_login, token_given)}


def assert_locked(response, minutes: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(minutes * 60)
    if response["Content-Type"].startswith("application/json"):
        assert response.json()["code"] == "too_many_attempts"
        assert f"请在 {minutes} 分钟后再试" in response.json()["message"]
    else:
        assert f"请在 {minutes} 分钟后再试" in response.content.decode()


@pytest.mark.parametrize("way", LOGINS)
def test_an_account_is_locked_after_its_failures_and_refuses_even_the_right_password(now, way):
    login, succeeded = LOGINS[way]
    user = UserFactory()
    for attempt in range(1, ACCOUNT_LIMIT):
        response = login(user.username, "wrong", address=f"10.0.0.{attempt}")  # from anywhere
        assert response.status_code in {200, 401}
        assert LOCKED not in response.content.decode()

    assert_locked(login(user.username, "wrong"), minutes=15)  # the failure that locks says so
    now.shift(dt.timedelta(minutes=5))
    right = login(user.username, PASSWORD, address="10.9.9.9")
    assert_locked(right, minutes=10)
    assert not succeeded(right)


@pytest.mark.parametrize("way", LOGINS)
def test_a_lock_ends_after_its_minutes(now, way):
    login, succeeded = LOGINS[way]
    user = UserFactory()
    for _ in range(ACCOUNT_LIMIT):
        login(user.username, "wrong")

    now.shift(dt.timedelta(minutes=14, seconds=59))
    assert login(user.username, PASSWORD).status_code == 429
    now.shift(dt.timedelta(seconds=1))
    assert succeeded(login(user.username, PASSWORD))


@pytest.mark.parametrize("way", LOGINS)
def test_a_success_within_the_limit_resets_the_accounts_count(now, way):
    login, succeeded = LOGINS[way]
    user = UserFactory()
    for _ in range(ACCOUNT_LIMIT - 1):
        login(user.username, "wrong")
    assert succeeded(login(user.username, PASSWORD))

    for _ in range(ACCOUNT_LIMIT - 1):
        assert login(user.username, "wrong").status_code != 429
    assert succeeded(login(user.username, PASSWORD))


@pytest.mark.parametrize("way", LOGINS)
def test_an_address_trying_many_accounts_is_locked_and_others_are_not(now, way):
    login, succeeded = LOGINS[way]
    users = [UserFactory() for _ in range(ADDRESS_LIMIT)]
    for user in users[:-1]:  # one failure each: no account comes near its own limit
        assert login(user.username, "wrong", address="10.6.6.6").status_code != 429
    assert_locked(login(users[-1].username, "wrong", address="10.6.6.6"), minutes=15)

    someone = UserFactory()
    assert_locked(login(someone.username, PASSWORD, address="10.6.6.6"), minutes=15)
    assert succeeded(login(someone.username, PASSWORD, address="10.7.7.7"))
    assert succeeded(login(users[0].username, PASSWORD, address="10.7.7.7"))


def test_a_success_does_not_clear_the_failures_an_address_made_on_other_accounts(now):
    own = UserFactory()
    for _ in range(ADDRESS_LIMIT - 1):
        page_login(UserFactory().username, "wrong", address="10.6.6.6")
    assert logged_in(page_login(own.username, PASSWORD, address="10.6.6.6"))
    assert_locked(page_login(UserFactory().username, "wrong", address="10.6.6.6"), minutes=15)


def test_the_login_page_shows_why_on_the_form(now):
    user = UserFactory()
    for _ in range(ACCOUNT_LIMIT):
        response = page_login(user.username, "wrong")
    page = response.content.decode()
    assert "登录失败次数过多，已暂时锁定，请在 15 分钟后再试。" in page
    assert 'name="username"' in page  # the login form, with its message


def test_the_admin_login_is_throttled_too(now):
    admin = staff(Role.SYSTEM_ADMIN, RegionFactory())
    for _ in range(ACCOUNT_LIMIT):
        response = admin_login(admin.username, "wrong")
    assert_locked(response, minutes=15)
    assert_locked(admin_login(admin.username, PASSWORD), minutes=15)


def test_each_lock_is_one_audit_event_without_the_username_or_address_in_clear(now):
    user = UserFactory()
    for _ in range(ACCOUNT_LIMIT + 3):  # the refused attempts after the lock are not new locks
        page_login(user.username, "wrong")

    [event] = Event.objects.filter(action="orgs.login_locked")
    assert (event.target_type, event.target_id) == ("orgs.user", str(user.pk))
    assert event.changes["locked_until"] == "2026-03-02T09:15:00+00:00"
    assert user.username not in str(event.changes) and "10.0.0.1" not in str(event.changes)
    assert LoginAttempt.objects.get(username=user.username).failures_since_start == ACCOUNT_LIMIT


@pytest.mark.parametrize(
    ("role", "status"), [(Role.SECURITY_ADMIN, 200), (Role.SYSTEM_ADMIN, 403), (Role.AUDIT_ADMIN, 403)]
)
def test_only_the_security_admin_sees_the_lockouts(client, role, status):
    page_login(UserFactory().username, "wrong")
    client.force_login(staff(role, RegionFactory()))
    assert client.get("/admin/orgs/loginattempt/").status_code == status


def test_a_clerk_gets_no_admin_at_all(client):
    client.force_login(staff(Role.CLERK, RegionFactory()))
    assert client.get("/admin/orgs/loginattempt/").status_code == 302


def test_the_security_admin_sees_a_lock_and_lifts_it(now, client):
    user = UserFactory()
    for _ in range(ACCOUNT_LIMIT):
        page_login(user.username, "wrong")
    security = staff(Role.SECURITY_ADMIN, RegionFactory())
    client.force_login(security)

    page = client.get("/admin/orgs/loginattempt/").content.decode()
    assert user.username in page and "已锁定" in page
    attempts = LoginAttempt.objects.filter(username=user.username)
    assert client.get(f"/admin/orgs/loginattempt/{attempts.get().pk}/change/").status_code == 200

    response = client.post(
        "/admin/orgs/loginattempt/",
        {"action": "unlock_accounts", "_selected_action": [str(pk) for pk in attempts.values_list("pk", flat=True)]},
    )
    assert response.status_code == 302
    assert logged_in(page_login(user.username, PASSWORD))
    event = Event.objects.get(action="orgs.login_unlocked")
    assert (event.actor_id, event.target_id, event.changes["failures_forgotten"]) == (security.pk, str(user.pk), 5)


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(now, settings):
    settings.LOGIN_THROTTLE_TRUSTED_PROXIES = 1
    users = [UserFactory() for _ in range(ADDRESS_LIMIT)]
    for user in users:  # the client claims a new address each time; the proxy appends the real one
        forwarded = f"1.2.3.{len(user.username)}, 10.6.6.6"
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).post(
            "/accounts/login/", {"username": user.username, "password": "wrong"}
        )
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {"10.6.6.6"}
    assert logged_in(page_login(users[0].username, PASSWORD, address="127.0.0.1"))  # the proxy is not locked
