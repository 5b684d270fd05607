"""The permission matrix of the bottlenecks page, its export and the API: leaders, supervisors and system
admins read their subtree's workload and what-if; every other role is refused (403), anonymous visitors go to
the login (401 on the API); a region or department of another district is 404 like a missing one."""

from __future__ import annotations

import pytest

from onewindow.analytics.tests.test_permissions_figures import ALLOWED, REFUSED, check
from onewindow.analytics.tests.test_permissions_figures import world as world
from onewindow.catalogue.tests.factories import BundleVersionFactory

pytestmark = pytest.mark.django_db
PAGES = ["/analytics/bottlenecks/", "/analytics/bottlenecks/export/"]
APIS = ["/api/analytics/bottlenecks"]


@pytest.mark.parametrize("path", PAGES + APIS)
def test_only_leaders_supervisors_and_system_admins_read_the_bottlenecks(world, path):
    *_orgs, users = world
    anonymous = 401 if path.startswith("/api/") else 302
    expected = {"anonymous": anonymous} | dict.fromkeys(REFUSED, 403) | dict.fromkeys(ALLOWED, 200)
    check(users, f"GET {path}", expected, path)


@pytest.mark.parametrize("path", PAGES + APIS)
def test_a_region_or_department_of_another_district_is_not_found(world, path):
    _home, dept, other, other_dept, users = world
    for query in (f"region={other.pk}", f"department={other_dept.pk}", "region=999999"):
        expected = {"leader": 404, "other_leader": 200 if "999999" not in query else 404}
        check(users, f"GET {path}?{query}", expected, f"{path}?{query}")
    check(
        users, f"GET {path}?department={dept.pk}", {"leader": 200, "other_leader": 404}, f"{path}?department={dept.pk}"
    )


@pytest.mark.parametrize("prefix", ["/analytics/bottlenecks/?whatif_", "/api/analytics/what-if?"])
def test_the_what_if_of_another_districts_department_is_not_found(world, prefix):
    _home, dept, _other, other_dept, users = world
    bundle = BundleVersionFactory.create(published=True).bundle_id
    anonymous = 401 if prefix.startswith("/api/") else 302
    mine = f"{prefix}department={dept.pk}&days=2&bundle={bundle}"
    expected = {"anonymous": anonymous, "leader": 200, "supervisor": 200, "admin": 200, "other_leader": 404}
    check(users, f"GET {mine}", expected | dict.fromkeys(REFUSED, 403), mine)
    theirs = f"{prefix}department={other_dept.pk}&days=2&bundle={bundle}"
    check(users, f"GET {theirs}", {"leader": 404, "other_leader": 200}, theirs)
    missing = f"{prefix}department={dept.pk}&days=2&bundle=999999"
    check(users, f"GET {missing}", {"leader": 404}, missing)
