"""The demo's key projects, loaded once through the real services (a year of reports takes a while,
so one test reads the whole story): the registry, twelve months of reports, the problems, the
roadmaps, the campaign, the concentrated start, and 松溪县's warnings, replayable month by month."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine

from onewindow.briefings.models import LeaderReport
from onewindow.demo import services
from onewindow.demo.data import key_projects as data
from onewindow.demo.services import demo_load
from onewindow.demo.tests.fakes import skip_catalogue
from onewindow.dispatch.models import Problem, ProgressReport, SiteReport
from onewindow.projects.models import Campaign, Project, Roadmap, StartEvent
from onewindow.ranking.models import Warning
from onewindow.ranking.services.run import ranking_replay

pytestmark = pytest.mark.django_db

DEMO_DAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def warnings_by_month() -> list[tuple[str, str, str]]:
    return [
        (f"{w.period:%Y-%m}", w.district.name, w.level)
        for w in Warning.objects.select_related("district").order_by("period", "district__code")
    ]


def test_the_demo_city_steers_its_key_projects_for_a_year(monkeypatch) -> None:
    monkeypatch.setattr(services, "catalogue_import", skip_catalogue)
    with time_machine.travel(DEMO_DAY, tick=False):
        summary = demo_load(stdout=io.StringIO())

        assert Project.objects.count() == len(data.projects()) >= 150
        assert summary.key_projects["重点项目"] == Project.objects.count()
        months = {r.period_end.replace(day=1) for r in ProgressReport.objects.all()}
        assert len(months) == 12 and ProgressReport.objects.filter(is_late=True).exists()
        assert SiteReport.objects.filter(reported_on=dt.date(2026, 11, 23)).exists()
        assert Problem.objects.filter(status="closed").exists()
        assert Problem.objects.filter(status="open", due_on__lt=dt.date(2026, 11, 23)).exists()
        assert Roadmap.objects.filter(is_published=True).count() >= 10
        assert Campaign.objects.get().projects.count() >= 30
        assert StartEvent.objects.get().projects.exists()
        assert LeaderReport.objects.filter(period=dt.date(2026, 10, 1)).count() >= 10

        # One district earns a yellow and then a red warning, and replaying the year gives the same.
        story = [("2026-06", "松溪县", "yellow"), ("2026-07", "松溪县", "red")]
        assert warnings_by_month() == story
        ranking_replay(first=dt.date(2026, 1, 1), last=dt.date(2026, 10, 1))
        assert warnings_by_month() == story

        again = demo_load(stdout=io.StringIO())
        assert again.key_projects["月度进度填报"] == 0 and again.key_projects["交办问题"] == 0
