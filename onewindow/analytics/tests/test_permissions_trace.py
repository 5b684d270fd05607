"""The permission matrix of the case list behind the figures (`/analytics/cases/`), its export and the API:
leaders, supervisors and system admins list their subtree's cases; every other role is refused (403), anonymous
visitors go to the login (401 on the API); a region or department of another district is 404 like a missing
one; a wrong slice is 422 for those who may read the list, and still 403 for those who may not."""

from __future__ import annotations

import pytest

from onewindow.analytics.tests.test_permissions_figures import ALLOWED, REFUSED, check
from onewindow.analytics.tests.test_permissions_figures import world as world

pytestmark = pytest.mark.django_db
PAGES = ["/analytics/cases/", "/analytics/cases/export/"]
APIS = ["/api/analytics/cases"]


@pytest.mark.parametrize("path", PAGES + APIS)
@pytest.mark.parametrize("slice_", ["", "of=decided&order=days", "of=open_tasks&assignee=none", "of=notices"])
def test_only_leaders_supervisors_and_system_admins_list_the_cases(world, path, slice_):
    *_orgs, users = world
    anonymous = 401 if path.startswith("/api/") else 302
    expected = {"anonymous": anonymous} | dict.fromkeys(REFUSED, 403) | dict.fromkeys(ALLOWED, 200)
    check(users, f"GET {path}?{slice_}", expected, f"{path}?{slice_}")


@pytest.mark.parametrize("path", PAGES + APIS)
def test_a_region_or_department_of_another_district_is_not_found(world, path):
    home, dept, other, other_dept, users = world
    for query in (f"region={other.pk}", f"department={other_dept.pk}", "region=999999"):
        expected = {"leader": 404, "other_leader": 200 if "999999" not in query else 404}
        check(users, f"GET {path}?{query}", expected, f"{path}?{query}")
    check(
        users, f"GET {path}?department={dept.pk}", {"leader": 200, "other_leader": 404}, f"{path}?department={dept.pk}"
    )
    check(users, f"GET {path}?region={home.pk}", {"supervisor": 200, "admin": 200}, f"{path}?region={home.pk}")


@pytest.mark.parametrize("path", PAGES + APIS)
def test_a_wrong_slice_is_422_for_readers_and_403_for_the_others(world, path):
    *_orgs, users = world
    query = f"{path}?of=open_tasks&month=2026-13"
    expected = dict.fromkeys(ALLOWED, 422) | dict.fromkeys(REFUSED, 403)
    check(users, f"GET {query}", expected, query)
