"""Migration 0003 gives the campaigns and concentrated starts recorded before regions an organising
region: where their projects meet, or the tree's root for an empty one."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps

from onewindow.projects.models import Campaign, StartEvent
from onewindow.projects.tests.factories import ProjectFactory, district

pytestmark = pytest.mark.django_db

migration = importlib.import_module("onewindow.projects.migrations.0003_project_groups_organised_by_region")


def test_groups_are_organised_where_their_projects_meet_and_empty_ones_by_the_root():
    home = district()
    city = home.parent
    assert city is not None
    other = district(city)
    one_district = Campaign.objects.create(name="区攻坚", starts_on=dt.date(2026, 6, 1), ends_on=dt.date(2026, 9, 1))
    one_district.projects.add(ProjectFactory(district=home), ProjectFactory(district=home))
    two_districts = StartEvent.objects.create(name="集中开工", held_on=dt.date(2026, 10, 28))
    two_districts.projects.add(ProjectFactory(district=home), ProjectFactory(district=other))
    empty = StartEvent.objects.create(name="空活动", held_on=dt.date(2026, 10, 28))

    migration.organising_regions(apps, None)

    for group in (one_district, two_districts, empty):
        group.refresh_from_db()
    assert (one_district.region, two_districts.region, empty.region) == (home, city, city)


def test_common_ancestor_of_paths():
    assert migration._common_ancestor(["/1/2/3/", "/1/2/4/"]) == "/1/2/"
    assert migration._common_ancestor(["/1/2/"]) == "/1/2/"
    assert migration._common_ancestor(["/1/", "/5/"]) == ""
    assert migration._common_ancestor([]) == ""
