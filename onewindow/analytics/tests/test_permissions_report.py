"""The permission matrix of the monthly report: its page, its Word and PDF files and its API. Leaders,
supervisors and system admins read their own subtree's report; every other role is refused (403), anonymous
visitors go to the login (401 on the API). Another district's leader gets a report of their district only:
none of our cases (see `test_report.py`)."""

from __future__ import annotations

import pytest

from onewindow.analytics.tests.test_permissions_figures import ALLOWED, REFUSED, check
from onewindow.analytics.tests.test_permissions_figures import world as world

pytestmark = pytest.mark.django_db
PAGES = ["/analytics/report/", "/analytics/report/?month=2026-03", "/analytics/report/2026-03.docx"]
APIS = ["/api/analytics/report", "/api/analytics/report?month=2026-03"]


@pytest.mark.parametrize("path", [*PAGES, "/analytics/report/2026-03.pdf", *APIS])
def test_only_leaders_supervisors_and_system_admins_read_the_report(world, path):
    *_orgs, users = world
    anonymous = 401 if path.startswith("/api/") else 302
    expected = {"anonymous": anonymous} | dict.fromkeys(REFUSED, 403) | dict.fromkeys(ALLOWED, 200)
    check(users, f"GET {path}", expected, path)


@pytest.mark.parametrize("path", ["/analytics/report/2026-00.docx", "/analytics/report/2026-13.pdf"])
def test_a_month_that_does_not_exist_is_not_found(world, path):
    *_orgs, users = world
    check(users, f"GET {path}", {"leader": 404, "clerk": 403, "anonymous": 302}, path)


def test_a_wrong_month_on_the_api_is_refused(world):
    *_orgs, users = world
    check(users, "GET /api/analytics/report?month=x", {"leader": 422, "clerk": 403}, "/api/analytics/report?month=x")
