"""The permission matrix of handing in a deferred material (容缺材料补交), in the style of
test_permissions.py and on its world: the applicant's page, the window page and the API endpoint.

Who may hand it in: the applicant (their own case) and a clerk of the case's region. Anyone who may
not see the case gets exactly the answer of a missing case; a reviewer who sees it gets 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from onewindow.cases.models import CaseMaterial
from onewindow.cases.tests import factories as f
from onewindow.cases.tests.test_permissions import LIKE_MISSING, LOGIN, MISSING_ID, World, build_world, checks_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: Any, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    CaseMaterial.objects.create(
        case=world.case, key="site_plan", name="总平面图", deferred_due_on=timezone.localdate() + dt.timedelta(days=7)
    )
    return world


PORTAL_PAGE = {
    "anonymous": LOGIN,
    "applicant": 200,
    "other_applicant": 404,
    "clerk": 404,  # the applicant's own page: staff use the window page
    "other_clerk": 404,
    "other_reviewer": 404,
    "assigned_reviewer": 404,
    "other_supervisor": 404,
    "supervisor": 404,
}
# The window page opens to clerks first (403 for any id), then to the cases they may see.
WINDOW_PAGE = {
    "anonymous": LOGIN,
    "applicant": 403,
    "other_applicant": 403,
    "clerk": 200,
    "other_clerk": 404,
    "other_reviewer": 403,
    "assigned_reviewer": 403,
    "other_supervisor": 403,
    "supervisor": 403,
}


@pytest.mark.parametrize(("page", "expected"), [("deferred", PORTAL_PAGE), ("window-deferred", WINDOW_PAGE)])
def test_the_hand_in_pages(client: Any, world: World, page: str, expected: dict[str, int]) -> None:
    url = f"/cases/{world.case.pk}/{page}/"
    checks = checks_for(client, world, f"GET {url}")
    for who, status in expected.items():
        with checks.as_user(who):
            response = client.get(url)
            assert response.status_code == status
            if status == 200:
                assert "总平面图" in response.content.decode()
            if status != LOGIN:
                assert client.get(f"/cases/{MISSING_ID}/{page}/").status_code == (403 if status == 403 else 404)
    checks.verify()


@pytest.mark.parametrize(("page", "who"), [("deferred", "applicant"), ("window-deferred", "clerk")])
def test_posting_on_the_hand_in_page(client: Any, world: World, page: str, who: str) -> None:
    checks = checks_for(client, world, f"POST /cases/{{case}}/{page}/")
    with checks.as_user(who):
        response = client.post(f"/cases/{world.case.pk}/{page}/", {"key": "site_plan", "file": f.pdf_file()})
        assert response.status_code == 302
        assert CaseMaterial.objects.get(case=world.case, key="site_plan").file
    checks.verify()


HAND_IN_ENDPOINT = {
    "anonymous": 401,
    "applicant": 200,
    "other_applicant": LIKE_MISSING,
    "clerk": 200,
    "other_clerk": LIKE_MISSING,
    "other_reviewer": LIKE_MISSING,
    "assigned_reviewer": 403,
    "other_supervisor": LIKE_MISSING,
    "supervisor": 403,
}


def test_the_hand_in_endpoint(client: Any, world: World) -> None:
    path = "/api/cases/cases/{case}/deferred-materials/site_plan"
    checks = checks_for(client, world, f"POST {path}")

    def answer(case_id: int) -> tuple[int, str | None]:
        response = client.post(path.format(case=case_id), {"file": f.pdf_file()})
        return response.status_code, response.json().get("code") if response.status_code >= 400 else None

    for who, expected in HAND_IN_ENDPOINT.items():
        with checks.as_user(who):
            on_missing, got = answer(MISSING_ID), answer(world.case.pk)
            if expected == LIKE_MISSING:
                assert got == on_missing == (404, "case_not_found")
            else:
                assert got[0] == expected, got
            filed = bool(CaseMaterial.objects.get(case=world.case, key="site_plan").file)
            assert filed == (expected == 200)
    checks.verify()
