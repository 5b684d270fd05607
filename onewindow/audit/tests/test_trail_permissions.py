"""The permission matrix of the trail fragment (`/audit/trail/<type>/<id>/`), for a case, a key
project and an admin-only type (a matter version), for every kind of user.

A trail is visible exactly to those who may see its object (each app registers who that is, see
audit.registry), and to the audit admin. Anonymous visitors are sent to the login; anyone else who
may not see the object gets a 404, exactly as for an unknown object. The case's applicant reads the
case's public timeline, not its trail (which also holds the internal steps).

The world is built once per test and every kind of user checked against it, each in a savepoint
that is rolled back (onewindow.web.tests.matrix).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from onewindow.audit.models import Event
from onewindow.audit.tests.factories import record
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import accepted_case, applicant_with_user, department, published_matter, region
from onewindow.catalogue.models import MatterVersion
from onewindow.orgs.domain import Role, mask_name
from onewindow.orgs.models import Membership, Organisation, User
from onewindow.orgs.tests.factories import staff
from onewindow.projects.models import Project
from onewindow.projects.tests.factories import ProjectFactory
from onewindow.web.tests.matrix import Matrix

pytestmark = pytest.mark.django_db

LOGIN = 302
MARKER = "第七版发布记录"
USERS = [
    "anonymous",
    "applicant",  # an applicant with cases of their own elsewhere
    "owner",  # the case's applicant
    "other_district",  # clerk and key-project office of the neighbouring district
    "district",  # clerk and key-project office of the objects' district
    "city",  # clerk and key-project office of the city above it
    "audit_admin",
    "system_admin",
]


def matrix(**expected: int) -> dict[str, int]:
    return {user: expected[user] for user in USERS}


@dataclass
class World:
    case: Case
    project: Project
    matter_version: MatterVersion
    users: dict[str, User | None]


def clerk_and_office(organisation: Organisation) -> User:
    user = staff(Role.CLERK, organisation)
    Membership.objects.create(user=user, organisation=organisation, role=Role.PROJECT_OFFICE)
    return user


@pytest.fixture
def world() -> World:
    city = region(level=Organisation.Level.CITY)
    district, other_district = region(parent=city), region(parent=city)
    owner = applicant_with_user()
    version = published_matter(department=department(district))
    case = accepted_case(matter_version=version, applicant=owner)  # submitted by the owner, accepted by a clerk
    project = ProjectFactory(district=district)
    record(f"project:{project.pk}", action="projects.project_created", target_type="projects.project",
           target_id=project.pk, organisation=district, changes={"code": project.code})  # fmt: skip
    record(f"matter:{version.matter_id}", action="catalogue.matter_published", target_type="catalogue.matterversion",
           target_id=version.pk, changes={"published": MARKER})  # fmt: skip
    users: dict[str, User | None] = {
        "anonymous": None,
        "applicant": applicant_with_user().user,
        "owner": owner.user,
        "other_district": clerk_and_office(other_district),
        "district": clerk_and_office(district),
        "city": clerk_and_office(city),
        "audit_admin": staff(Role.AUDIT_ADMIN, city),
        "system_admin": staff(Role.SYSTEM_ADMIN, city),
    }
    return World(case, project, version, users)


def check_trail(
    client: Any, world: World, target_type: str, target_id: int, marker: str, expected: dict[str, int]
) -> Matrix:
    """`marker`: a value the object's events record, shown in its trail and nowhere else."""
    url = f"/audit/trail/{target_type}/{target_id}/"
    event_count = Event.objects.filter(target_type=target_type, target_id=str(target_id)).count()
    assert event_count, "the world records the object's events"
    checks = Matrix(client, world.users, f"GET {url}")
    for who, status in expected.items():
        with checks.as_user(who):
            response = client.get(url, headers={"HX-Request": "true"})
            assert response.status_code == status
            if status == LOGIN:
                assert response["Location"].startswith("/accounts/login/")
            text = response.content.decode()
            assert (marker in text) == (status == 200)
            if status == 200:
                assert text.count("<tr>") == event_count + 1  # the header and every event
    return checks


CASE_TRAIL = matrix(
    anonymous=LOGIN,
    applicant=404,
    owner=404,
    other_district=404,
    district=200,
    city=200,
    audit_admin=200,
    system_admin=200,  # staff of the city, as the case page has it (cases.selectors: any role)
)


def test_case_trail(client: Any, world: World) -> None:
    check_trail(client, world, "cases.case", world.case.pk, world.case.number, CASE_TRAIL).verify()


PROJECT_TRAIL = matrix(
    anonymous=LOGIN,
    applicant=404,
    owner=404,
    other_district=404,
    district=200,
    city=200,
    audit_admin=200,
    system_admin=404,
)


def test_project_trail(client: Any, world: World) -> None:
    check_trail(client, world, "projects.project", world.project.pk, world.project.code, PROJECT_TRAIL).verify()


MATTER_VERSION_TRAIL = matrix(
    anonymous=LOGIN,
    applicant=404,
    owner=404,
    other_district=404,
    district=404,
    city=404,
    audit_admin=200,
    system_admin=200,
)


def test_matter_version_trail_shown_on_the_admin_change_form(client: Any, world: World) -> None:
    version = world.matter_version
    check_trail(client, world, "catalogue.matterversion", version.pk, MARKER, MATTER_VERSION_TRAIL).verify()


def test_a_missing_object_looks_like_a_forbidden_one(client: Any, world: World) -> None:
    for target_type in ("cases.case", "projects.project", "catalogue.matterversion", "tests.unregistered"):
        checks = Matrix(client, world.users, f"GET /audit/trail/{target_type}/999999/")
        for who in USERS[1:-2]:
            with checks.as_user(who):
                assert client.get(f"/audit/trail/{target_type}/999999/").status_code == 404
        checks.verify()


def test_the_applicant_acting_in_a_case_trail_is_masked_unless_the_viewers_role_needs_the_name(
    client: Any, world: World
) -> None:
    owner = world.users["owner"]
    assert owner is not None and owner.name
    url = f"/audit/trail/cases.case/{world.case.pk}/"
    client.force_login(world.users["city"])  # a clerk: intake needs the applicant's name
    assert owner.name in client.get(url).content.decode()
    client.force_login(world.users["audit_admin"])
    text = client.get(url).content.decode()
    assert owner.name not in text and mask_name(owner.name) in text
