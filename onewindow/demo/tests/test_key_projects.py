"""The demo's key projects, loaded through the real services and told relative to the day they are
loaded (a year of reports takes a while, so each test reads the whole story): the registry, twelve
months of reports up to last month, the new starts breaking ground, the problems, the roadmaps, the
campaign, the concentrated start, and 松溪县's stall and warnings; a second run the same day changes
nothing, a run months later goes on with the same story."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps

from onewindow.audit.models import Event
from onewindow.briefings.models import LeaderReport
from onewindow.briefings.services.reports import monthly_reports_generate
from onewindow.demo import services
from onewindow.demo.data import key_projects as data
from onewindow.demo.data.story import Story, month_add, months_from
from onewindow.demo.services import DemoSummary, demo_load
from onewindow.demo.tests.fakes import skip_catalogue
from onewindow.dispatch.models import Problem, ProgressReport, SiteReport
from onewindow.projects.models import AnnualPlan, Campaign, PhaseChange, Project, Roadmap, StartEvent
from onewindow.ranking.models import AssessmentScore, DistrictRank, RankingRun, Warning

pytestmark = pytest.mark.django_db

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(autouse=True)
def without_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "demo_catalogue_import", skip_catalogue)


def load(today: dt.date) -> DemoSummary:
    with time_machine.travel(dt.datetime.combine(today, dt.time(10), tzinfo=SHANGHAI), tick=False):
        return demo_load(stdout=io.StringIO())


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def warnings_by_month() -> list[tuple[str, str, str]]:
    return [
        (f"{w.period:%Y-%m}", w.district.name, w.level)
        for w in Warning.objects.select_related("district").order_by("period", "district__code")
    ]


def report_months() -> list[dt.date]:
    return sorted({r.period_end.replace(day=1) for r in ProgressReport.objects.all()})


def assert_the_story_holds(today: dt.date, *, stall: dt.date, first_month: dt.date) -> None:
    """Reports from the story's first month to last month, ranked; 松溪县 last with its target unmet
    for three months from `stall` (yellow, then red), then not; the campaign, the start, the problems."""
    last_month = month_add(today, -1)
    story = Story(first_month)
    assert Project.objects.count() == len(data.projects(story)) >= 150
    months = report_months()  # up to last month, and this month's filed so far
    assert [m for m in months if m <= last_month] == months_from(first_month, last_month)
    assert months[-1] <= today
    assert ProgressReport.objects.filter(is_late=True).exists()
    assert set(RankingRun.objects.values_list("period", flat=True)) == set(
        months_from(month_add(first_month, 1), last_month)
    )
    assert LeaderReport.objects.filter(period=last_month).count() >= 10
    latest_site_report = SiteReport.objects.latest("reported_on").reported_on  # the last working day
    assert today - dt.timedelta(days=4) <= latest_site_report <= today

    yellow, red = month_add(stall, 1), month_add(stall, 2)
    assert warnings_by_month() == [(f"{yellow:%Y-%m}", "松溪县", "yellow"), (f"{red:%Y-%m}", "松溪县", "red")]
    lagging = DistrictRank.objects.filter(district__code=data.LAGGING_DISTRICT)
    last_and_unmet = {r.period for r in lagging if r.last_unmet_streak}
    assert last_and_unmet == {stall, yellow, red}

    campaign = Campaign.objects.get()
    assert campaign.starts_on == month_add(first_month, 8) and (campaign.ends_on - campaign.starts_on).days == 99
    assert campaign.projects.count() >= 30
    start = StartEvent.objects.get()
    assert start.held_on == month_add(first_month, 9).replace(day=18) and start.projects.exists()
    # organised by the city's key-project office: every district office sees them
    assert campaign.region is not None and campaign.region.level == "city"
    assert start.region == campaign.region
    assert Problem.objects.filter(status="closed").exists()
    assert Problem.objects.filter(status="open", due_on__lt=today).exists()
    assert Roadmap.objects.filter(is_published=True).count() >= 10


def assert_the_new_starts_broke_ground(today: dt.date, story: Story) -> None:
    """Every new start moved from 前期 to 新开工 with its actual start on its start day; the ranking's
    new-starts indicator counts those of last month's year for their districts, and the leaders' report
    of the concentrated start's month lists those started there."""
    new_starts = [spec for spec in data.projects(story) if spec.phase == "new_start"]
    started_on = {spec.code: data.start_day(spec, story) for spec in new_starts}
    assert dict(Project.objects.filter(code__in=started_on).values_list("code", "actual_start")) == started_on
    moves = PhaseChange.objects.filter(project__code__in=started_on, from_phase="preparation", to_phase="new_start")
    assert moves.count() == len(new_starts)

    last_month = month_add(today, -1)
    year = AssessmentScore.objects.filter(window="year", subject="district", as_of=last_month).select_related(
        "organisation"
    )
    counted = {s.organisation.code: int(s.indicators["new_starts"]["numerator"]) for s in year}
    this_year = [spec for spec in new_starts if last_month.year == started_on[spec.code].year]
    per_district = Counter(spec.district for spec in this_year)
    assert this_year and {code: counted[code] for code in per_district} == per_district

    event_month = story.start_event_on.replace(day=1)
    with time_machine.travel(dt.datetime.combine(today, dt.time(10), tzinfo=SHANGHAI), tick=False):
        monthly_reports_generate(period=event_month, with_files=False)
    at_the_event = [spec for spec in new_starts if data.starts_at_event(spec, story)]
    assert at_the_event
    for spec in at_the_event:
        report = LeaderReport.objects.get(leader__username=spec.leader, period=event_month)
        listed = re.search(r"新开工项目(\d+)个：([^。]*)。", json.dumps(report.content, ensure_ascii=False))
        assert listed is not None and spec.name in listed.group(2).split("、")


def assert_a_second_run_changes_nothing(today: dt.date) -> None:
    before, events = row_counts(), Event.objects.count()
    again = load(today)
    assert row_counts() == before and Event.objects.count() == events
    assert set(again.key_projects.values()) == {0, Project.objects.count()}


def test_the_story_is_told_over_the_twelve_months_up_to_last_month_and_goes_on_months_later() -> None:
    # Loaded in December 2026: December 2025 to November 2026, the stall in May (as it always was).
    summary = load(dt.date(2026, 12, 6))

    assert_the_story_holds(dt.date(2026, 12, 6), stall=dt.date(2026, 5, 1), first_month=dt.date(2025, 12, 1))
    assert summary.key_projects["重点项目"] == Project.objects.count()
    assert summary.key_projects["实际开工"] == len(
        [s for s in data.projects(Story(dt.date(2025, 12, 1))) if s.phase == "new_start"]
    )
    assert_the_new_starts_broke_ground(dt.date(2026, 12, 6), Story(dt.date(2025, 12, 1)))
    assert_a_second_run_changes_nothing(dt.date(2026, 12, 6))

    # Loaded again in March 2027: the same story goes on to February, nothing is told twice or rewritten.
    projects = set(Project.objects.values_list("code", flat=True))
    campaign, problems = Campaign.objects.get(), Problem.objects.count()
    story_so_far = {(r.project_id, r.period_end): r.invested_in_period for r in ProgressReport.objects.all()}
    # … two of its new starts as a database loaded before starts were recorded holds them: 新开工, no start.
    unrecorded = list(Project.objects.filter(phase="new_start").order_by("code")[:2])
    Project.objects.filter(pk__in=[p.pk for p in unrecorded]).update(actual_start=None)

    later = load(dt.date(2027, 3, 15))

    assert later.key_projects["实际开工"] == 2
    assert all(Project.objects.get(pk=p.pk).actual_start == p.actual_start for p in unrecorded)

    assert set(Project.objects.values_list("code", flat=True)) == projects
    assert_the_story_holds(dt.date(2027, 3, 15), stall=dt.date(2026, 5, 1), first_month=dt.date(2025, 12, 1))
    assert later.key_projects["月度进度填报"] > 0 and later.key_projects["领导月报"] >= 10
    reports = {(r.project_id, r.period_end): r.invested_in_period for r in ProgressReport.objects.all()}
    assert {key: reports[key] for key in story_so_far} == story_so_far
    assert AnnualPlan.objects.filter(year=2027, planned_investment__gt=Decimal(0)).count() == 135
    assert Campaign.objects.get() == campaign and campaign.starts_on == dt.date(2026, 8, 1)
    assert Problem.objects.count() == problems
    assert Roadmap.objects.filter(project__milestones__actual_on__isnull=False).exists()


def test_a_story_first_told_in_june_2027_stalls_early_in_2027() -> None:
    """June 2026 to May 2027: the ranking counts by calendar year, so the stall comes early in 2027
    (February, yellow for March, red for April), its catch-up in May; the first report carries the
    investment of January to May 2026."""
    load(dt.date(2027, 6, 10))

    assert_the_story_holds(dt.date(2027, 6, 10), stall=dt.date(2027, 2, 1), first_month=dt.date(2026, 6, 1))
    assert_the_new_starts_broke_ground(dt.date(2027, 6, 10), Story(dt.date(2026, 6, 1)))
    first = ProgressReport.objects.filter(period_end__month=6, period_end__year=2026).first()
    assert first is not None and "平台启用前" in first.progress_note
    assert_a_second_run_changes_nothing(dt.date(2027, 6, 10))
