"""The permission matrix of the forecast page, its export and its API: leaders, supervisors and system admins
read their subtree's forecast; every other role is refused (403), anonymous visitors go to the login (401 on
the API); a region or department of another district is 404 like a missing one (no existence leak)."""

from __future__ import annotations

import pytest

from onewindow.analytics.tests.test_permissions_figures import ALLOWED, REFUSED, check, world  # noqa: F401

pytestmark = pytest.mark.django_db
PATHS = ["/analytics/forecast/", "/analytics/forecast/export/", "/api/analytics/forecast"]


@pytest.mark.parametrize("path", PATHS)
def test_only_leaders_supervisors_and_system_admins_read_the_forecast(world, path):  # noqa: F811
    *_orgs, users = world
    anonymous = 401 if path.startswith("/api/") else 302
    expected = {"anonymous": anonymous} | dict.fromkeys(REFUSED, 403) | dict.fromkeys(ALLOWED, 200)
    check(users, f"GET {path}", expected, path)


@pytest.mark.parametrize("path", PATHS)
def test_a_region_or_department_of_another_district_is_not_found(world, path):  # noqa: F811
    home, dept, other, other_dept, users = world
    for query in (f"region={other.pk}", f"department={other_dept.pk}", "region=999999", "department=999999"):
        expected = {"leader": 404, "supervisor": 404, "other_leader": 200 if "999999" not in query else 404}
        check(users, f"GET {path}?{query}", expected, f"{path}?{query}")
    check(
        users, f"GET {path}?department={dept.pk}", {"leader": 200, "other_leader": 404}, f"{path}?department={dept.pk}"
    )
    check(users, f"GET {path}?region={home.pk}", {"supervisor": 200, "admin": 200}, f"{path}?region={home.pk}")


def test_a_post_is_not_allowed(world):  # noqa: F811
    *_orgs, users = world
    check_post = {"leader": 405}
    from django.test import Client

    from onewindow.web.tests.matrix import Matrix

    client = Client()
    checks = Matrix(client, users, "POST /analytics/forecast/")
    for who, status in check_post.items():
        with checks.as_user(who):
            assert client.post("/analytics/forecast/").status_code == status
    checks.verify()
