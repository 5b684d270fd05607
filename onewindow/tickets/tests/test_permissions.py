"""The permission matrix of every tickets page and endpoint, for every kind of user.

The kiosk, the printed ticket and the consoles belong to the hall's desk staff (clerks and system admins
of its region's subtree); anyone else gets 404 like a missing hall (the index page: 403 for users with no
desk role). The wall screen and the follow page are public: numbers and window numbers only. Anonymous
users of staff pages go to the login (302); the API answers 401. Each user kind is checked in a
savepoint that is rolled back (onewindow.web.tests.matrix).
"""

from __future__ import annotations

import json

import pytest
import time_machine
from django.utils import timezone

from onewindow.halls.models import Duty
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff
from onewindow.tickets import services
from onewindow.tickets.selectors import follow_token
from onewindow.tickets.tests.factories import AT_TEN, ticket_world
from onewindow.web.tests.matrix import Matrix

pytestmark = pytest.mark.django_db
LOGIN = 302
DONE = 302  # a console or kiosk form that worked redirects


@pytest.fixture(autouse=True)
def hall_open():
    """Tickets are taken during the hall's opening hours: Monday at 10:00, the clock running."""
    with time_machine.travel(AT_TEN, tick=True):
        yield


@pytest.fixture
def world():
    w = ticket_world()
    users = {
        "anonymous": None,
        "applicant": UserFactory(),
        "clerk": w.clerk,
        "system_admin": staff(Role.SYSTEM_ADMIN, w.region),
        "supervisor": staff(Role.SUPERVISOR, w.region),
        "other_clerk": staff(Role.CLERK, RegionFactory()),
    }
    now = timezone.now()
    waiting = [w.walk_in(at=now) for _ in range(3)]
    called = services.ticket_call_next(actor=w.clerk, window_id=w.window(0).pk, now=now)
    return w, users, called, waiting


def check(client, users, label, expected, call):
    checks = Matrix(client, users, label)
    for who, status in expected.items():
        with checks.as_user(who):
            response = call(client)
            assert response.status_code == status, (response.status_code, response.content[:300])
    checks.verify()


STAFF_PAGE = {"anonymous": LOGIN, "applicant": 404, "supervisor": 404, "other_clerk": 404}
STAFF_API = {"anonymous": 401, "applicant": 404, "supervisor": 404, "other_clerk": 404}


def test_index(client, world):
    _w, users, _called, _waiting = world
    expected = {"anonymous": LOGIN, "applicant": 403, "supervisor": 403, "clerk": 200, "other_clerk": 200}
    check(client, users, "index", expected | {"system_admin": 200}, lambda c: c.get("/tickets/"))


def test_kiosk_and_printed_ticket(client, world):
    w, users, _called, waiting = world
    hall = w.hall.pk
    check(client, users, "kiosk", STAFF_PAGE | {"clerk": 200}, lambda c: c.get(f"/tickets/kiosk/{hall}/"))
    body = {"way": "walk_in", "category": w.halls.business.pk}
    check(
        client,
        users,
        "kiosk take",
        STAFF_PAGE | {"clerk": DONE, "system_admin": DONE},
        lambda c: c.post(f"/tickets/kiosk/{hall}/", body),
    )
    check(
        client,
        users,
        "printed",
        STAFF_PAGE | {"clerk": 200},
        lambda c: c.get(f"/tickets/kiosk/tickets/{waiting[0].pk}/"),
    )


def test_screen_and_follow_page_are_public(client, world):
    w, users, called, _waiting = world
    everyone = dict.fromkeys(users, 200)
    check(client, users, "screen", everyone, lambda c: c.get(f"/tickets/screen/{w.hall.pk}/"))
    check(client, users, "screen board", everyone, lambda c: c.get(f"/tickets/screen/{w.hall.pk}/board/"))
    token = follow_token(called.pk)
    check(client, users, "follow", everyone, lambda c: c.get(f"/tickets/t/{token}/"))
    check(client, users, "follow status", everyone, lambda c: c.get(f"/tickets/t/{token}/status/"))
    nobody = {"anonymous": 404, "clerk": 404}
    check(client, users, "screen of no hall", nobody, lambda c: c.get("/tickets/screen/999999/"))
    check(client, users, "forged follow link", nobody, lambda c: c.get(f"/tickets/t/{token}x/"))


def test_console(client, world):
    w, users, called, _waiting = world
    busy, free = w.window(0).pk, w.window(1).pk
    check(client, users, "console", STAFF_PAGE | {"clerk": 200}, lambda c: c.get(f"/tickets/console/{busy}/"))
    queue = STAFF_PAGE | {"clerk": 200, "system_admin": 200}
    check(client, users, "console queue", queue, lambda c: c.get(f"/tickets/console/{busy}/queue/"))
    ok = STAFF_PAGE | {"clerk": DONE, "system_admin": DONE}
    check(client, users, "call next", ok, lambda c: c.post(f"/tickets/console/{free}/call-next/"))
    for action in ("call-again", "skip", "start"):
        check(
            client,
            users,
            f"console {action}",
            ok,
            lambda c, action=action: c.post(f"/tickets/console/{busy}/{action}/", {"ticket": called.pk}),
        )
    check(
        client,
        users,
        "console transfer",
        ok,
        lambda c: c.post(f"/tickets/console/{busy}/transfer/", {"ticket": called.pk, "to_window": free}),
    )
    # The clerk passes the permission check; the rule refuses with the form again (409, 422).
    refused = STAFF_PAGE | {"clerk": 409}
    check(
        client,
        users,
        "console finish",
        refused,
        lambda c: c.post(f"/tickets/console/{busy}/finish/", {"ticket": called.pk}),
    )
    check(
        client,
        users,
        "console link case",
        STAFF_PAGE | {"clerk": 422},
        lambda c: c.post(f"/tickets/console/{busy}/link-case/", {"ticket": called.pk, "case_number": "X"}),
    )
    check(client, users, "console no such action", {"clerk": 404}, lambda c: c.post(f"/tickets/console/{busy}/fly/"))


def test_start_opens_the_intake_and_finish_the_rating_tablet(client, world):
    w, users, called, _waiting = world
    busy = w.window(0).pk
    client.force_login(users["clerk"])
    started = client.post(f"/tickets/console/{busy}/start/", {"ticket": called.pk})
    assert started.status_code == 302 and started.url.startswith("/cases/window/new/?prefill=")
    finished = client.post(f"/tickets/console/{busy}/finish/", {"ticket": called.pk})
    assert finished.status_code == 302 and finished.url == f"/evaluation/window/?window={busy}"


def test_with_a_roster_only_the_clerk_on_duty_and_system_admins_work_the_console(client, world):
    w, users, _called, _waiting = world
    users = {**users, "on_duty": staff(Role.CLERK, w.region)}
    Duty.objects.create(window=w.window(1), on=timezone.localdate(), clerk=users["on_duty"])
    free = w.window(1).pk
    expected = {"clerk": 403, "on_duty": 200, "system_admin": 200, "other_clerk": 404}
    check(client, users, "console on duty", expected, lambda c: c.get(f"/tickets/console/{free}/"))
    api = {"clerk": 403, "on_duty": 200, "system_admin": 200, "other_clerk": 404}
    check(client, users, "API call next on duty", api, lambda c: c.post(f"/api/tickets/windows/{free}/call-next"))


def test_api(client, world):
    w, users, called, _waiting = world
    hall, busy, free = w.hall.pk, w.window(0).pk, w.window(1).pk
    body = json.dumps({"category_id": w.halls.business.pk, "priority_group": True})
    check(
        client,
        users,
        "POST take",
        STAFF_API | {"clerk": 201, "system_admin": 201},
        lambda c: c.post(f"/api/tickets/halls/{hall}/tickets", body, content_type="application/json"),
    )
    check(client, users, "GET queue", STAFF_API | {"clerk": 200}, lambda c: c.get(f"/api/tickets/halls/{hall}/queue"))
    token = follow_token(called.pk)
    check(client, users, "GET follow", dict.fromkeys(users, 200), lambda c: c.get(f"/api/tickets/follow/{token}"))
    check(client, users, "GET forged follow", {"anonymous": 404}, lambda c: c.get("/api/tickets/follow/forged"))
    check(
        client,
        users,
        "POST call-next",
        STAFF_API | {"clerk": 200, "system_admin": 200},
        lambda c: c.post(f"/api/tickets/windows/{free}/call-next"),
    )
    url = f"/api/tickets/windows/{busy}/tickets/{called.pk}"
    for action, status in [("call-again", 200), ("skip", 200), ("start", 200), ("finish", 409), ("recall", 409)]:
        check(client, users, f"POST {action}", STAFF_API | {"clerk": status}, lambda c, a=action: c.post(f"{url}/{a}"))
    transfer = json.dumps({"to_category_id": w.halls.social.pk})
    check(
        client,
        users,
        "POST transfer",
        STAFF_API | {"clerk": 200},
        lambda c: c.post(f"{url}/transfer", transfer, content_type="application/json"),
    )
    case = json.dumps({"case_number": "NOSUCH"})
    check(
        client,
        users,
        "POST link case",
        STAFF_API | {"clerk": 422},
        lambda c: c.post(f"{url}/case", case, content_type="application/json"),
    )


def test_api_refusals_have_stable_codes_and_chinese_messages(client, world):
    w, users, _called, _waiting = world
    client.force_login(users["clerk"])
    url = f"/api/tickets/halls/{w.hall.pk}/tickets"
    response = client.post(url, json.dumps({"booking_code": "NOSUCH"}), content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "tickets_booking_not_found"
    assert response.json()["message"] == "未找到该预约码。"
    response = client.post(url, json.dumps({}), content_type="application/json")
    assert response.json()["code"] == "tickets_category_required"
    response = client.post(f"/api/tickets/windows/{w.window(0).pk}/call-next")
    assert response.status_code == 409 and response.json()["code"] == "tickets_window_busy"
    response = client.get("/api/tickets/halls/999999/queue")
    assert response.status_code == 404 and response.json()["code"] == "tickets_hall_not_found"


def test_the_follow_page_and_screen_show_no_names(client, world):
    w, _users, called, _waiting = world
    page = client.get(f"/tickets/t/{follow_token(called.pk)}/").content.decode()
    assert called.number in page and "请到1号窗口办理" in page
    screen = client.get(f"/tickets/screen/{w.hall.pk}/").content.decode()
    assert "请A001号到1号窗口办理" in screen and "A002" in screen


# The figures (统计看板): every staff role of the hall's subtree reads them (the supervisor too); a user
# without a staff role gets 403; a hall of another district is 404 like a missing one.
FIGURES_OF_HALL = {"anonymous": LOGIN, "applicant": 403, "other_clerk": 404}
STAFF_READ = {"clerk": 200, "system_admin": 200, "supervisor": 200}


def test_figures_page_and_export(client, world):
    w, users, _called, _waiting = world
    hall = w.hall.pk
    own_scope = {"anonymous": LOGIN, "applicant": 403, "other_clerk": 200} | STAFF_READ
    check(client, users, "figures", own_scope, lambda c: c.get("/tickets/figures/"))
    check(
        client,
        users,
        "figures of hall",
        FIGURES_OF_HALL | STAFF_READ,
        lambda c: c.get(f"/tickets/figures/?hall={hall}"),
    )
    check(client, users, "figures export", own_scope, lambda c: c.get("/tickets/figures/export/"))
    check(
        client,
        users,
        "figures export of hall",
        FIGURES_OF_HALL | STAFF_READ,
        lambda c: c.get(f"/tickets/figures/export/?hall={hall}"),
    )
    check(client, users, "figures of no hall", {"clerk": 404}, lambda c: c.get("/tickets/figures/?hall=999999"))


def test_figures_api(client, world):
    w, users, _called, _waiting = world
    hall = w.hall.pk
    api = FIGURES_OF_HALL | {"anonymous": 401} | STAFF_READ
    check(client, users, "GET figures", api, lambda c: c.get(f"/api/tickets/figures?hall={hall}"))
    own_scope = {"anonymous": 401, "applicant": 403, "other_clerk": 200} | STAFF_READ
    check(client, users, "GET figures of own scope", own_scope, lambda c: c.get("/api/tickets/figures"))
    client.force_login(users["other_clerk"])
    other = client.get(f"/api/tickets/figures?hall={hall}").json()
    assert other["code"] == "tickets_hall_not_found"
    client.force_login(users["applicant"])
    assert client.get("/api/tickets/figures").json()["code"] == "tickets_figures_forbidden"


def test_the_figures_hold_no_applicant_data(client, world):
    w, users, _called, _waiting = world
    client.force_login(users["clerk"])
    body = client.get(f"/api/tickets/figures?hall={w.hall.pk}").content.decode()
    page = client.get(f"/tickets/figures/?hall={w.hall.pk}").content.decode()
    for text in (body, page):
        assert "A001" not in text and "id_number" not in text and "applicant" not in text
