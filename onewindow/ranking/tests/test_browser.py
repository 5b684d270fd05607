"""The issue's end-to-end path in a real browser: a project secretary enters last month's report,
the city's key-project office recalculates the month, and the ranking changes — the project that had
reported nothing (无进展) is on plan, and its district leaves last place.

Two districts of one city, one continuing project each, both planning 1,200 万元 this year. Every
month before last month is reported on plan by both; last month only the other district's project
has reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from onewindow.dispatch.domain.cycles import Cycle, cutoffs_in_month
from onewindow.dispatch.services.reports import progress_report_submit
from onewindow.orgs.models import Organisation, User
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import Project
from onewindow.projects.tests.factories import ProjectFactory, city, district, office_for, plan, team_member
from onewindow.ranking.models import DistrictRank, ProjectRank
from onewindow.web.tests.browser import ARTIFACTS, Sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("browser_test_settings"),
]


@dataclass
class World:
    office: User
    secretary: User
    late: Project
    punctual: Project
    month: dt.date  # the first day of last month


def _cutoff(month: dt.date) -> dt.date:
    return cutoffs_in_month(Cycle(), month.year, month.month)[-1]


def _world() -> World:
    home = city()
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    late = ProjectFactory(district=district(home), name="滨江智能装备产业园")
    punctual = ProjectFactory(district=district(home), name="临港冷链物流中心")
    office = office_for(home)
    secretary = team_member(late, TeamRole.SECRETARY)
    for project in (late, punctual):
        plan(project, month.year, "1200")
        for earlier in range(1, month.month):
            _report(office, project, month.replace(month=earlier), "100")
    _report(office, punctual, month, "100")
    return World(office, secretary, late, punctual, month)


def _report(actor: User, project: Project, month: dt.date, amount: str) -> None:
    cutoff = _cutoff(month)
    progress_report_submit(
        actor=actor,
        project=project,
        invested_in_period=Decimal(amount),
        progress_note="主体结构施工",
        workers=40,
        period_end=cutoff,
        today=cutoff,
    )


def _recalculate(page: Any, month: dt.date) -> None:
    page.goto("/ranking/")
    page.fill("#f-run-period", f"{month:%Y-%m}")
    page.get_by_role("button", name="重新计算").click()
    page.wait_for_selector(".alert-success")


def _class_of(page: Any, project: Project) -> str:
    row = page.locator(".ow-project-ranks tr", has_text=project.name)
    return str(row.locator(".ow-class").inner_text())


def _last_district(month: dt.date) -> Organisation:
    return DistrictRank.objects.filter(period=month).order_by("-position").select_related("district")[0].district


def test_a_monthly_report_entered_in_the_browser_changes_the_ranking(live_server: Any, browser: Any) -> None:
    world = _world()
    sessions = Sessions(browser, live_server.url)
    office = sessions.page(world.office)

    _recalculate(office, world.month)
    assert _class_of(office, world.late) == "无进展"
    assert _last_district(world.month) == world.late.district

    secretary = sessions.page(world.secretary)
    secretary.goto(f"/dispatch/projects/{world.late.pk}/reports/enter/")
    secretary.select_option("#f-period", _cutoff(world.month).isoformat())
    secretary.fill("#f-amount", "150")
    secretary.fill("#f-note", "主体结构施工至六层")
    secretary.fill("#f-workers", "46")
    secretary.get_by_role("button", name="提交").click()
    secretary.wait_for_selector(".alert-success")

    _recalculate(office, world.month)
    assert _class_of(office, world.late) != "无进展"
    assert ProjectRank.objects.get(period=world.month, project=world.late).rank_class != "no_progress"
    assert _last_district(world.month) != world.late.district
    ARTIFACTS.mkdir(exist_ok=True)
    office.screenshot(path=str(ARTIFACTS / "ranking_after_report.png"), full_page=True)
    sessions.close()
