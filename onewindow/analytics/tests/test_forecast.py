"""The forecast on a small year of history (`history_write`, 400 cases): the page, its Excel export and the API
answer with the same numbers, eight weeks ahead, no negative volume, the backtest's two methods and its
winner; the history counts every case the leader's scope holds; the department filter narrows it; another
district's leader sees none of ours."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pytest
from django.test import Client
from openpyxl import load_workbook

from onewindow import clock
from onewindow.analytics.forecast.tables import forecast_for
from onewindow.analytics.history.write import history_write
from onewindow.analytics.tests.history_district import history_district
from onewindow.api.auth import token_issue
from onewindow.cases.models import Case, CaseMatter
from onewindow.cases.tests.factories import (
    region,
)
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


@dataclass
class World:
    home: Organisation
    department: Organisation
    leader: User
    other_leader: User


@pytest.fixture(scope="module")
def world(module_db) -> World:
    home, _bundle, matters = history_district()
    history_write(400, seed=11)
    return World(home, matters[1].matter.department, staff(Role.LEADER, home), staff(Role.LEADER, region()))


def numbers(table):
    return [v for row in table.cells for v in row if isinstance(v, int | float)]


def test_the_forecast_covers_eight_weeks_ahead_without_negative_volumes(world):
    today = clock.today()
    forecast = forecast_for(world.leader, today, None, None)
    weekly, daily = forecast.table("weekly"), forecast.table("daily")
    assert len(weekly.rows) == 8 and len(daily.rows) == 56
    assert daily.rows[0]["date"] == f"{today:%Y-%m-%d}"
    assert daily.rows[-1]["date"] == f"{today + dt.timedelta(days=55):%Y-%m-%d}"
    assert min(numbers(weekly)) >= 0 and min(numbers(daily)) >= 0
    assert all(r["lower"] <= r["forecast"] <= r["upper"] for r in daily.rows)  # type: ignore[operator]
    assert sum(r["forecast"] for r in weekly.rows) > 0  # type: ignore[misc]
    history = forecast.table("history").rows
    past = Case.objects.filter(submitted_at__date__lt=today, submitted_at__date__gte=today - dt.timedelta(days=364))
    assert len(history) == 364 and sum(r["count"] for r in history) == past.count() > 300  # type: ignore[misc]


def test_the_backtest_scores_both_methods_and_names_the_winner(world):
    forecast = forecast_for(world.leader, clock.today(), None, None)
    backtest = forecast.table("backtest").rows
    assert len(backtest) == 2 and all(r["mae"] is not None and r["mae"] >= 0 for r in backtest)  # type: ignore[operator]
    assert forecast.winner in ("model", "baseline")
    winners = [r for r in backtest if r["winner"]]
    assert len(winners) == 1 and winners[0]["mae"] == min(r["mae"] for r in backtest)  # type: ignore[type-var]


def test_the_categories_share_each_week(world):
    forecast = forecast_for(world.leader, clock.today(), None, None)
    categories = forecast.table("by_category").rows
    assert categories and "一件事（联办）" in {r["name"] for r in categories}
    weekly = forecast.table("weekly").rows
    assert sum(r["w1"] for r in categories) == weekly[0]["forecast"]  # type: ignore[misc]


def test_the_department_filter_narrows_the_history_and_another_district_sees_none(world):
    today = clock.today()
    mine = forecast_for(world.leader, today, None, world.department.pk).table("history").rows
    in_department = CaseMatter.objects.filter(department=world.department, case__submitted_at__date__lt=today).values(
        "case"
    )
    assert sum(r["count"] for r in mine) == Case.objects.filter(pk__in=in_department).count() > 0  # type: ignore[misc]
    theirs = forecast_for(world.other_leader, today, None, None)
    assert sum(r["count"] for r in theirs.table("history").rows) == 0  # type: ignore[misc]
    assert all(r["forecast"] == 0 for r in theirs.table("weekly").rows)
    assert theirs.winner is None and theirs.table("backtest").rows == []


def test_the_page_and_its_export(world):
    client = Client()
    client.force_login(world.leader)
    page = client.get("/analytics/forecast/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "回测胜出：" in html and 'id="chart-forecast"' in html and "analytics-forecast" in html
    assert "第 8 周" in html and "平均绝对误差" in html
    assert 'href="/analytics/forecast/"' in client.get("/analytics/").content.decode()
    export = client.get(f"/analytics/forecast/export/?department={world.department.pk}")
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)), read_only=True)  # type: ignore[attr-defined]
    assert len(workbook.sheetnames) == 5
    weekly = list(workbook[workbook.sheetnames[0]].iter_rows(values_only=True))
    assert world.department.name in weekly[0][0] and len(weekly) == 2 + 8


def test_the_api_with_a_bearer_token(world):
    client = Client()
    headers = {"Authorization": f"Bearer {token_issue(world.leader).token}"}
    response = client.get("/api/analytics/forecast", headers=headers)
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    tables = {t["key"]: t for t in body["tables"]}
    assert set(tables) == {"weekly", "backtest", "by_category", "daily", "history"}
    assert len(tables["daily"]["rows"]) == 56 and body["winner"] in ("model", "baseline")
    assert body["today"] == f"{clock.today():%Y-%m-%d}" and body["department_id"] is None
    page = forecast_for(world.leader, clock.today(), None, None)
    assert tables["weekly"]["rows"] == page.table("weekly").rows
    assert client.get("/api/analytics/forecast").status_code == 401
