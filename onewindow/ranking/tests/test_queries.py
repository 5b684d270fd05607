"""Pages and endpoints read a month in a fixed number of queries, however many projects it has; the
figures they read from dispatch are counted by dispatch's rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onewindow.dispatch.models import Problem
from onewindow.projects.tests.factories import city, district, office_for
from onewindow.ranking.selectors import problems_by_unit
from onewindow.ranking.services.run import ranking_replay
from onewindow.ranking.tests.factories import building, milestone, month, problem, report

pytestmark = pytest.mark.django_db

PAGES = [
    "/ranking/?period=2026-02",
    "/ranking/board/?period=2026-02",
    "/ranking/dashboard/?period=2026-02",
    "/ranking/warnings/",
    "/ranking/assessment/?period=2026-02&window=year",
    "/api/ranking/periods/2026-02/projects",
    "/api/ranking/periods/2026-02/districts",
    "/api/ranking/warnings",
    "/api/ranking/dashboard?period=2026-02",
]


def _grow(districts, per_district: int) -> None:
    for where in districts:
        for _ in range(per_district):
            project = building(where)
            report(project, 2026, 2, amount="10")
            milestone(project, planned_on=dt.date(2026, 1, 10))
            problem(project, where, dt.date(2026, 2, 5))


def _counts(client) -> list[int]:
    counts = []
    for url in PAGES:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts.append(len(captured))
    return counts


def test_the_number_of_queries_of_each_page_does_not_grow_with_the_projects(client):
    town = city()
    districts = [district(town), district(town)]
    _grow(districts, 1)
    client.force_login(office_for(town))
    ranking_replay(first=month(2026, 1), last=month(2026, 2), today=dt.date(2026, 3, 1))
    few = _counts(client)
    _grow(districts, 4)
    ranking_replay(first=month(2026, 1), last=month(2026, 2), today=dt.date(2026, 3, 1))
    assert _counts(client) == few


def test_the_dashboard_counts_problems_as_the_dispatch_board_does() -> None:
    where = district()
    project = building(where)
    today = dt.date(2026, 3, 23)
    problem(project, where, dt.date(2026, 3, 20))  # open past its deadline: overdue
    problem(project, where, dt.date(2026, 3, 30))  # open, within its deadline
    answered = problem(project, where, dt.date(2026, 3, 20))
    Problem.objects.filter(pk=answered.pk).update(status="answered", answer="已协调", answered_on=dt.date(2026, 3, 19))
    problem(project, where, dt.date(2026, 3, 10), closed_on=dt.date(2026, 3, 9))
    problem(building(district()), where, dt.date(2026, 3, 1))  # another district's project: not the office's

    rows = problems_by_unit(office_for(where), today=today)

    # Answered by its deadline and awaiting confirmation: open, not overdue (dispatch's rule).
    assert rows == [{"unit": where.name, "open": 2, "overdue": 1, "closed": 1}]
