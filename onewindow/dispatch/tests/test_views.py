"""What people do on the dispatch pages: enter a report and see the year to date, get their typing
back with the reason when something is wrong, add photos in place, chase late reporters, set a
cycle, and take a problem from raised to closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.dispatch.domain import ProblemLevel, ProblemStatus
from onewindow.dispatch.models import DispatchCycle, Photo, Problem, ProgressReport
from onewindow.dispatch.selectors.reports import late_reporters
from onewindow.dispatch.tests.factories import World, jpeg, progress_report, world
from onewindow.projects.domain import TeamRole
from onewindow.projects.tests.factories import ProjectFactory, team_member

pytestmark = pytest.mark.django_db
NOON = dt.datetime(2026, 4, 15, 12, tzinfo=dt.UTC)


@pytest.fixture
def w() -> World:
    return world()


def as_user(client: Any, w: World, who: str) -> Any:
    client.force_login(w.user(who))
    return client


@time_machine.travel(NOON)
def test_the_secretary_enters_the_months_report_and_sees_the_year_to_date(client: Any, w: World) -> None:
    progress_report(
        w.project, w.user("secretary"), period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 30), amount="500"
    )
    client = as_user(client, w, "secretary")
    form = client.get(f"/dispatch/projects/{w.project.pk}/reports/enter/").content.decode()
    assert "2026-04-30" in form  # the current period is offered first

    response = client.post(
        f"/dispatch/projects/{w.project.pk}/reports/enter/",
        {"period_end": "2026-04-30", "invested_in_period": "1,200.5", "progress_note": "主体结构封顶", "workers": "85"},
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "1200.50" in page and "1700.50" in page and "主体结构封顶" in page
    assert ProgressReport.objects.get(period_end=dt.date(2026, 4, 30)).invested_year_to_date == 1700.5


@time_machine.travel(NOON)
def test_the_form_of_an_entered_period_is_filled_in_for_an_edit(client: Any, w: World) -> None:
    progress_report(
        w.project, w.user("secretary"), period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 30), amount="321"
    )
    client = as_user(client, w, "secretary")
    url = f"/dispatch/projects/{w.project.pk}/reports/enter/"

    assert 'value="321.00"' in client.get(f"{url}?period_end=2026-03-30").content.decode()
    assert client.get(f"{url}?period_end=not-a-date").status_code == 200


@time_machine.travel(NOON)
def test_a_wrong_report_comes_back_with_the_reasons_and_the_typing_kept(client: Any, w: World) -> None:
    response = as_user(client, w, "secretary").post(
        f"/dispatch/projects/{w.project.pk}/reports/enter/",
        {"period_end": "2026-04-29", "invested_in_period": "-3", "progress_note": "基础施工", "workers": "十"},
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "金额不能为负数" in page and "请输入 0 或正整数" in page and "不是本项目调度周期的截止日" in page
    assert "基础施工" in page and 'value="十"' in page
    assert not ProgressReport.objects.exists()


@time_machine.travel(NOON)
def test_photos_are_added_in_place_with_htmx_and_a_fake_one_is_explained(client: Any, w: World) -> None:
    report = progress_report(
        w.project, w.user("secretary"), period_start=dt.date(2026, 4, 1), period_end=dt.date(2026, 4, 30)
    )
    client = as_user(client, w, "secretary")
    url = f"/dispatch/reports/{report.pk}/photos/"

    added = client.post(url, {"file": jpeg(), "caption": "塔吊安装"}, HTTP_HX_REQUEST="true")
    fake = client.post(url, {"file": SimpleUploadedFile("a.png", b"MZ\x90\x00 not an image")}, HTTP_HX_REQUEST="true")

    assert added.status_code == 200 and "塔吊安装" in added.content.decode()
    assert "<html" not in added.content.decode()  # the fragment only
    assert "照片须为 JPEG 或 PNG 格式" in fake.content.decode()
    photo = Photo.objects.get()
    served = client.get(f"/dispatch/photos/{photo.pk}/")
    assert served["Content-Type"] == "image/jpeg" and b"".join(served.streaming_content).startswith(b"\xff\xd8\xff")


def test_late_reporters_name_the_secretary_and_disappear_once_they_report(client: Any, w: World) -> None:
    idle = ProjectFactory(district=w.east, name="东区物流园")
    team_member(idle, TeamRole.SECRETARY, w.user("secretary"))
    progress_report(w.project, w.user("secretary"), period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 30))

    with time_machine.travel(NOON):
        page = as_user(client, w, "district_office").get("/dispatch/late/").content.decode()
        chosen = client.get("/dispatch/late/?cutoff=2026-02-28").content.decode()
        wrong = client.get("/dispatch/late/?cutoff=2026-02-31")

    assert "东区物流园" in page and w.project.name not in page
    assert w.user("secretary").name in page and "2026年3月30日" in page
    assert "东区物流园" in chosen and w.project.name in chosen
    assert wrong.status_code == 200 and "请按 年-月-日 填写日期" in wrong.content.decode()


def test_the_late_list_costs_the_same_queries_for_many_projects(w: World, django_assert_max_num_queries) -> None:
    for _ in range(30):
        ProjectFactory(district=w.east)
    with django_assert_max_num_queries(6):
        rows = late_reporters(w.user("city_office"), today=dt.date(2026, 4, 15))
    assert len(rows) == 31


def test_the_office_sets_a_districts_cycle_and_a_wrong_day_is_explained(client: Any, w: World) -> None:
    client = as_user(client, w, "district_office")
    wrong = client.post(
        f"/dispatch/cycles/{w.east.pk}/", {"kind": "monthly", "cutoff_day": "32", "remind_days_before": "2"}
    )
    saved = client.post(
        f"/dispatch/cycles/{w.east.pk}/", {"kind": "monthly", "cutoff_day": "25", "remind_days_before": "3"}
    )

    assert wrong.status_code == 422 and "截止日须为 1 至 31 之间的整数" in wrong.content.decode()
    assert saved.status_code == 302
    cycle = DispatchCycle.objects.get(region=w.east)
    assert (cycle.cutoff_day, cycle.remind_days_before) == (25, 3)
    page = client.get("/dispatch/cycles/").content.decode()
    assert "每月 25 日截止" in page
    cleared = client.post(f"/dispatch/cycles/{w.east.pk}/", {"clear": "1"})
    assert cleared.status_code == 302 and not DispatchCycle.objects.exists()


def test_a_problem_goes_from_raised_to_closed_on_its_pages(client: Any, w: World) -> None:
    raised = as_user(client, w, "secretary").post(
        f"/dispatch/projects/{w.project.pk}/problems/new/",
        {"category": "utilities", "title": "临时用电未接入", "unit": str(w.east_bureau.pk), "level": "district"},
    )
    problem = Problem.objects.get()
    assert raised.status_code == 302 and raised["Location"] == f"/dispatch/problems/{problem.pk}/"

    as_user(client, w, "unit_staff").post(f"/dispatch/problems/{problem.pk}/answer/", {"note": "已协调供电公司"})
    returned = as_user(client, w, "secretary").post(f"/dispatch/problems/{problem.pk}/return/", {"note": ""})
    assert returned.status_code == 422 and "请填写退回理由" in returned.content.decode()
    client.post(f"/dispatch/problems/{problem.pk}/confirm/")

    problem.refresh_from_db()
    assert problem.status == ProblemStatus.CLOSED
    page = client.get(f"/dispatch/problems/{problem.pk}/").content.decode()
    assert "已协调供电公司" in page and "确认办结" in page
    board = client.get("/dispatch/problems/?status=closed").content.decode()
    assert "临时用电未接入" in board


def test_a_problem_form_with_mistakes_keeps_the_typing(client: Any, w: World) -> None:
    response = as_user(client, w, "secretary").post(
        f"/dispatch/projects/{w.project.pk}/problems/new/",
        {"category": "", "title": "拆迁补偿未到位", "unit": "", "level": "city_leader", "due_on": "明天"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "请按 年-月-日 填写日期" in page and 'value="拆迁补偿未到位"' in page
    assert not Problem.objects.exists()


def test_the_city_office_escalates_on_the_page_and_the_board_counts_overdue_ones(client: Any, w: World) -> None:
    with time_machine.travel(NOON):
        as_user(client, w, "secretary").post(
            f"/dispatch/projects/{w.project.pk}/problems/new/",
            {"category": "land", "title": "用地报批滞后", "unit": str(w.east_bureau.pk), "due_on": "2026-04-20"},
        )
    problem = Problem.objects.get()
    with time_machine.travel(dt.datetime(2026, 4, 22, 12, tzinfo=dt.UTC)):
        board = as_user(client, w, "city_office").get("/dispatch/problems/?overdue=1&status=bogus").content.decode()
        moved = client.post(
            f"/dispatch/problems/{problem.pk}/escalate/", {"unit": str(w.city_bureau.pk), "note": "市级协调"}
        )

    assert "用地报批滞后" in board and "筛选条件有误" in board
    assert moved.status_code == 302
    problem.refresh_from_db()
    assert (problem.level, problem.assigned_unit) == (ProblemLevel.CITY_DEPARTMENT, w.city_bureau)


@time_machine.travel(NOON)
def test_the_site_report_of_the_day_is_entered_and_the_missing_list_updates(client: Any, w: World) -> None:
    office = as_user(client, w, "district_office")
    assert w.project.name in office.get("/dispatch/site-reports/missing/").content.decode()

    as_user(client, w, "secretary").post(
        f"/dispatch/projects/{w.project.pk}/site-reports/", {"workers": "60", "machines": "4"}
    )

    missing = as_user(client, w, "district_office").get("/dispatch/site-reports/missing/").content.decode()
    assert w.project.name not in missing
