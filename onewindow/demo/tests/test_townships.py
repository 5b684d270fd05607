"""Down to the street: township and street halls, their clerks and matters, and the cases filed there."""

from __future__ import annotations

import re

import pytest

from onewindow.demo import data
from onewindow.demo.data.townships import LEVEL_DEPARTMENTS
from onewindow.demo.tests.test_data import CATEGORIES, ONLINE_LEVELS
from onewindow.demo.township_cases import TOWNSHIP_CASES

DEPARTMENT_CODES = {d.code for d in data.DEPARTMENTS}
PLACES = {p.code: p for d in data.LEVEL_DISTRICTS for p in d.places}


def test_two_districts_go_down_to_the_street_with_a_hall_and_a_clerk_in_every_township():
    assert {d.level for d in data.LEVEL_DISTRICTS} == {"district", "county"}
    halls = {hall.region: hall for hall in data.LOCAL_HALLS}
    clerks = {s.organisation for s in data.LOCAL_STAFF if s.role == "clerk"}
    for code, place in PLACES.items():
        assert halls[code].name.endswith(f"{place.name}便民服务中心")
        assert any(w.department is None for w in halls[code].windows)
        assert code in clerks
    for _street, community in data.COMMUNITIES:
        assert halls[community.code].name.endswith("便民服务站") and community.code in clerks


def test_every_department_deciding_a_township_matter_has_a_reviewer():
    reviewed = {s.organisation for s in data.LOCAL_STAFF if s.role == "reviewer"}
    assert {m.department for m in data.LOCAL_MATTERS} <= reviewed
    assert {d.code for d in LEVEL_DEPARTMENTS} <= reviewed


@pytest.mark.parametrize("matter", data.LOCAL_MATTERS, ids=lambda m: m.code)
def test_every_township_matter_is_complete_and_owned_by_its_region(matter):
    region, _department, _number = matter.code.split("-")
    assert re.fullmatch(r"9901\d{2}(\d{3})?-[A-Z]+-\d{3}", matter.code)
    assert matter.department in DEPARTMENT_CODES and matter.department.startswith(f"{region}-")
    assert matter.category in CATEGORIES and matter.online_level in ONLINE_LEVELS
    assert 0 <= matter.promised_days <= matter.statutory_days
    assert matter.legal_basis.startswith("《") and matter.conditions
    assert set(matter.materials) <= set(data.MATERIALS) and set(matter.fields) <= set(data.FIELDS)


def test_residents_find_what_they_do_there_some_decided_by_the_township_some_by_the_district():
    decided_by = {(m.name, m.department.split("-")[0] in PLACES) for m in data.LOCAL_MATTERS}
    assert {("生育登记", True), ("老年人优待证办理", True)} <= decided_by
    assert {
        ("最低生活保障审核确认", False),
        ("居住证申领", False),
        ("城乡居民基本医疗保险参保登记", False),
    } <= decided_by


@pytest.mark.django_db
def test_township_cases_are_received_at_the_township_and_decided_by_the_district(loaded_with_catalogue):
    from onewindow.cases import selectors
    from onewindow.cases.models import Case
    from onewindow.halls.models import HallProfile, WindowProfile
    from onewindow.orgs.models import User

    low_income = Case.objects.get(matter_version__matter__code="990102-MZ-001")
    assert (low_income.region.code, low_income.status, low_income.channel) == ("990102001", "in_review", "window")
    assert low_income.submitted_by.username == "clerk_990102001"
    assert low_income.tasks.get().department.code == "990102-MZ"
    reviewer = User.objects.get(username="reviewer_990102_mz")
    assert selectors.tasks_todo(user=reviewer).filter(case=low_income).exists()
    assert selectors.cases_for_staff(User.objects.get(username="clerk_990102001")).filter(pk=low_income.pk).exists()
    assert not selectors.visible_cases(User.objects.get(username="reviewer_990121_mz")).filter(pk=low_income.pk)
    residence = Case.objects.get(matter_version__matter__code="990121-GA-001")
    assert (residence.region.code, residence.status) == ("990121002", "completed")
    assert sorted(Case.objects.filter(region__level__in=["township", "street"]).values_list("status", flat=True)) == [
        "completed",
        "completed",
        "in_review",
        "submitted",
    ]
    assert len(TOWNSHIP_CASES) == 4
    kinds = dict(HallProfile.objects.values_list("hall__region__code", "kind"))
    assert (kinds["9901"], kinds["990102"], kinds["990102001"], kinds["990121001001"]) == (
        "centre",
        "centre",
        "township",
        "station",
    )
    weekend = set(
        WindowProfile.objects.filter(weekend_service=True).values_list("window__hall__region__code", flat=True)
    )
    assert {"990102", "990121"} <= weekend and not weekend & set(PLACES)
