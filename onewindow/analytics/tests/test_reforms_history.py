"""Last spring's reform in a written history (today 7 December 2026: the reform of 1 April 2026): the catalogue
keeps its current versions, the cases before the reform were filed under the versions asking more with longer
limits, those after under the current ones, and the reform's page shows fewer materials, fewer steps and fewer
days — counted here again from the cases themselves."""

from __future__ import annotations

import datetime as dt
import io
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from onewindow.analytics.history.reform import history_reform_record, reform_day
from onewindow.analytics.history.write import HistorySummary, history_write
from onewindow.analytics.models import Reform
from onewindow.analytics.reforms.tables import reform_ask, reform_results
from onewindow.analytics.tests.history_district import staff_district
from onewindow.cases.models import Case, Task
from onewindow.cases.tests.factories import (
    department,
    published_bundle,
    published_matter,
    region,
)
from onewindow.catalogue.models import BundleVersion, MatterVersion
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import staff
from onewindow.workdays.domain import working_days_between
from onewindow.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 7, 12, tzinfo=SHANGHAI)
SPRING = dt.date(2026, 4, 1)


@dataclass
class World:
    home: Organisation
    matters: list[MatterVersion]
    bundle: BundleVersion
    leader: User
    summary: HistorySummary
    reform: Reform


@pytest.fixture(scope="module")
def world(module_db) -> Iterator[World]:
    with time_machine.travel(NOW, tick=False):
        yield _world()


def _world() -> World:
    home = region()
    bundle = published_bundle(in_region=home)
    matters = [
        published_matter(department=department(home), promised_limit_days=days, statutory_limit_days=30)
        for days in (0, 10, 15)
    ]
    staff_district(home, bundle, matters)
    staff(Role.SYSTEM_ADMIN, home)
    summary = history_write(1500, seed=11, now=NOW, reform=True)
    assert summary.reform is not None
    reform = history_reform_record(summary.reform)
    assert reform is not None
    return World(home, matters, bundle, staff(Role.LEADER, home), summary, reform)


def test_the_reform_day_is_last_spring_kept_inside_the_history():
    assert reform_day(dt.date(2026, 12, 7), dt.date(2025, 12, 7)) == SPRING
    assert reform_day(dt.date(2026, 7, 15), dt.date(2025, 7, 15)) == SPRING
    assert reform_day(dt.date(2026, 5, 1), dt.date(2025, 5, 1)) == dt.date(2025, 7, 31)  # 2025's spring: too early
    assert reform_day(dt.date(2026, 5, 1), dt.date(2026, 1, 1)) is None  # four months of history


def test_the_catalogue_keeps_its_versions_and_gains_the_old_ones(world):
    reformed = set(world.reform.matters.all())
    assert reformed == {world.matters[1].matter, world.matters[2].matter}  # the on-the-spot matter has no limit to cut
    for version in (world.matters[1], world.matters[2]):
        old, current = MatterVersion.objects.filter(matter=version.matter, number__in=(2, 3)).order_by("number")
        assert (old.valid_from, old.valid_to, old.status) == (dt.date(2025, 12, 7), dt.date(2026, 3, 31), "retired")
        assert (current.valid_from, current.status) == (SPRING, "published")
        assert current.promised_limit_days == version.promised_limit_days
        assert old.promised_limit_days == min(30, version.promised_limit_days * 2)
        assert old.materials.count() > current.materials.count() == version.materials.count()
    old_bundle = BundleVersion.objects.get(bundle=world.bundle.bundle, number=2)
    assert [s.stage_matters.count() for s in old_bundle.stages.order_by("position")] == [1, 2, 1]
    current = BundleVersion.objects.get(bundle=world.bundle.bundle, status="published")
    assert [s.stage_matters.count() for s in current.stages.order_by("position")] == [3, 1]
    assert world.reform.effective_on == SPRING and world.reform.bundles.get() == world.bundle.bundle


def test_each_case_was_filed_under_the_version_valid_on_its_day(world):
    for version in MatterVersion.objects.filter(matter__in=world.reform.matters.all()):
        days = [c.submitted_at.astimezone(SHANGHAI).date() for c in Case.objects.filter(matter_version=version)]
        if version.number == 1:
            assert not days
        else:
            assert days and min(days) >= version.valid_from  # type: ignore[operator]
            assert version.valid_to is None or max(days) <= version.valid_to


def test_the_reform_shows_fewer_materials_steps_and_days(world):
    ask = reform_ask(world.leader, world.reform.pk, "", None, None)
    results = reform_results(world.leader, ask, NOW.date())
    assert results.windows is not None and results.windows.days == 90
    for _subject, _name, change in results.by_subject:
        assert change.before.cases > 10 and change.after.cases > 10
    matters = [c for (kind, _pk), _n, c in results.by_subject if kind == "matter"]
    assert all(c.after.materials < c.before.materials for c in matters)  # type: ignore[operator]
    assert all(c.after.promised_days < c.before.promised_days for c in matters)  # type: ignore[operator]
    assert all(c.after.working_p50 < c.before.working_p50 for c in matters)  # type: ignore[operator]
    [bundle] = [c for (kind, _pk), _n, c in results.by_subject if kind == "bundle"]
    assert bundle.after.steps < bundle.before.steps  # type: ignore[operator]
    assert results.total is not None and results.total.faster_percent > 0  # type: ignore[operator]
    assert results.headline.startswith("减少申请材料") and "办理时间提速" in results.headline


def test_the_figures_are_those_of_the_cases_behind_them(world):
    """One matter's median working days before the reform, counted again from its cases."""
    ask = reform_ask(world.leader, world.reform.pk, "", None, None)
    results = reform_results(world.leader, ask, NOW.date())
    assert results.windows is not None
    matter = world.matters[2].matter
    [change] = [c for (kind, pk), _n, c in results.by_subject if (kind, pk) == ("matter", matter.pk)]
    before = results.windows.before
    calendar = work_calendar()
    days, steps = [], []
    for case in Case.objects.filter(matter_version__matter=matter, status="completed"):
        submitted = case.submitted_at.astimezone(SHANGHAI).date()  # type: ignore[union-attr]
        if before.first <= submitted <= before.last:
            decided = case.completed_at.astimezone(SHANGHAI).date()  # type: ignore[union-attr]
            days.append(working_days_between(submitted, decided, calendar).working_days)
            steps.append(Task.objects.filter(case=case).count() + 1)
    assert change.before.decided == len(days)
    assert change.before.working_p50 == sorted(days)[(len(days) + 1) // 2 - 1]  # nearest rank
    assert change.before.steps == statistics.mean(steps) == 2


def test_the_overview_says_what_the_reform_saved_and_next_weeks_load(world, client):
    """A director opening the analysis reads, among its key findings, the latest reform's results and the load
    of the next four weeks with its backtested error, each linked to the page of its figures."""
    client.force_login(world.leader)
    response = client.get("/analytics/")
    assert response.status_code == 200
    findings = {f.url: f.text for f in response.context["findings"]}
    ask = reform_ask(world.leader, world.reform.pk, "", None, None)
    sentence = reform_results(world.leader, ask, NOW.date()).sentence
    assert findings[f"/analytics/reforms/{world.reform.pk}/"] == sentence
    assert "减少申请材料" in sentence
    load = findings["/analytics/forecast/"]
    assert load.startswith("未来四周（2026-12-07至2027-01-03）预计提交办件约") and "回测平均误差每日" in load
    assert sentence in response.content.decode()


def test_audit_verify_passes_and_a_second_history_changes_no_catalogue(world, settings):
    settings.DEBUG = True
    versions = MatterVersion.objects.count()
    call_command("history", "30", "--seed", "3", stdout=io.StringIO())
    assert MatterVersion.objects.count() == versions and Reform.objects.count() == 1
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "未发现断链" in out.getvalue()
