"""The first case screens: what applicants and staff see on them (in Chinese), and what they do not."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import TimelineEntry
from onewindow.cases.services.intake import case_refuse, case_request_correction
from onewindow.cases.services.locking import case_lock
from onewindow.cases.services.transitions import case_record
from onewindow.cases.tests.test_permissions import World, build_world, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


def page(client: Any, user: Any, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return str(response.content.decode())


def test_my_cases_lists_the_applicants_cases_linked_to_their_pages(client: Any, world: World) -> None:
    draft, _ = make_case(applicant=world.applicant, department=world.department, status=CaseStatus.DRAFT)
    html = page(client, world.users["applicant"], "/cases/mine/")
    assert "我的办件" in html and "草稿" in html
    assert f'href="/cases/{world.case.pk}/"' in html and f'href="/cases/{draft.pk}/"' in html
    assert html.index(draft.number) < html.index(world.case.number)


def test_the_status_page_shows_public_steps_and_hides_internal_notes(client: Any, world: World) -> None:
    html = page(client, world.users["applicant"], f"/cases/{world.case.pk}/")
    assert "审查中" in html and "提交申请" in html and "营业执照" in html
    assert "内部意见" not in html and "ow-audit-trail" not in html
    assert world.applicant.id_number not in html  # the applicant's own number is shown masked


def test_the_staff_case_page_has_the_timeline_and_the_audit_trail(client: Any, world: World) -> None:
    case_record(
        locked=case_lock(world.case.pk), action="case_accept", actor=world.users["clerk"], from_status="submitted"
    )
    html = page(client, world.users["clerk"], f"/cases/{world.case.pk}/")
    assert "内部意见" in html  # the internal timeline row
    assert "全程留痕" in html and "ow-audit-trail" in html
    assert "暂无留痕记录" not in html  # the accept event is in the trail
    assert world.applicant.id_number in html  # a clerk needs the full number


def test_the_supervisor_sees_the_case_page_with_masked_personal_data(client: Any, world: World) -> None:
    html = page(client, world.users["supervisor"], f"/cases/{world.case.pk}/")
    assert world.applicant.id_number not in html and world.applicant.phone not in html


def test_my_tasks_shows_the_warning_colours_red_first(client: Any, world: World) -> None:
    red, _ = make_case(applicant=world.applicant, department=world.department, warning="red", due_in_days=-3)
    yellow, _ = make_case(applicant=world.applicant, department=world.department, warning="yellow", due_in_days=1)
    html = page(client, world.users["assigned_reviewer"], "/cases/tasks/")
    assert "待办" in html and "已办" in html
    assert html.index(red.number) < html.index(yellow.number) < html.index(world.case.number)
    assert "ow-warning-red" in html
    assert re.search(r"超期 \d+ 个工作日", html)


def test_a_task_row_offers_its_task_page_only_to_reviewers_of_its_department(client: Any, world: World) -> None:
    task_page = f'href="/cases/tasks/{world.task.pk}/"'
    assert task_page in page(client, world.users["assigned_reviewer"], "/cases/tasks/")
    assert task_page in page(client, world.users["assigned_reviewer"], f"/cases/{world.case.pk}/")
    assert task_page not in page(client, world.users["supervisor"], "/cases/supervision/")  # it would be a 404
    assert task_page not in page(client, world.users["supervisor"], f"/cases/{world.case.pk}/")
    assert task_page not in page(client, world.users["clerk"], f"/cases/{world.case.pk}/")


def test_the_done_tab_lists_what_the_reviewer_did(client: Any, world: World) -> None:
    reviewer = world.users["assigned_reviewer"]
    assert world.case.number not in page(client, reviewer, "/cases/tasks/?tab=done")
    TimelineEntry.objects.create(
        case=world.case, task=world.task, at=timezone.now(), actor=reviewer, action="task_approve"
    )
    html = page(client, reviewer, "/cases/tasks/?tab=done")
    assert world.case.number in html and 'aria-current="page" href="?tab=done"' in html


def test_the_intake_queue_links_each_case(client: Any, world: World) -> None:
    queued, _ = make_case(
        applicant=world.applicant,
        department=world.department,
        status=CaseStatus.SUBMITTED,
        task_status=None,
        intake_due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    html = page(client, world.users["clerk"], "/cases/intake/")
    assert f'href="/cases/{queued.pk}/"' in html and "受理期限" in html
    assert world.case.number not in html  # already accepted


def test_the_supervision_board_shows_counts_filters_and_rates(client: Any, world: World) -> None:
    other_case, _ = make_case(applicant=world.applicant, department=world.other_department, warning="red")
    supervisor = world.users["supervisor"]
    html = page(client, supervisor, "/cases/supervision/")
    assert "效能监察看板" in html and "各部门按期办结率" in html
    assert world.case.number in html and other_case.number in html
    filtered = page(client, supervisor, f"/cases/supervision/?department={world.other_department.code}")
    assert other_case.number in filtered and world.case.number not in filtered


def test_the_board_reloads_itself_with_the_filters_it_shows(client: Any, world: World) -> None:
    address = f"/cases/supervision/?department={world.other_department.code}"
    html = page(client, world.users["supervisor"], address)
    reload = f'id="ow-board" hx-get="{address}" hx-trigger="every 60s"'
    assert reload in html
    refreshed = client.get(address, headers={"HX-Request": "true", "HX-Target": "ow-board"})  # the reload
    body = refreshed.content.decode()
    assert refreshed.status_code == 200 and body.startswith('<div id="ow-board"') and reload in body
    assert world.case.number not in body and "各部门按期办结率" not in body and "<form" not in body


def test_filtering_the_board_in_place_returns_the_filters_and_the_board_only(client: Any, world: World) -> None:
    other_case, _ = make_case(applicant=world.applicant, department=world.other_department, warning="red")
    page(client, world.users["supervisor"], "/cases/supervision/")
    address = f"/cases/supervision/?department={world.other_department.code}"
    body = client.get(address, headers={"HX-Request": "true", "HX-Target": "ow-supervision"}).content.decode()
    assert body.lstrip().startswith('<div id="ow-supervision">')
    assert "<form" in body and other_case.number in body and world.case.number not in body
    assert "各部门按期办结率" not in body and "<html" not in body


def test_an_unknown_filter_is_explained_not_a_crash(client: Any, world: World) -> None:
    html = page(client, world.users["supervisor"], "/cases/supervision/?matter=NOPE")
    assert "未找到编码为“NOPE”的事项" in html
    assert world.case.number in html


def test_the_sub_navigation_offers_only_the_users_pages(client: Any, world: World) -> None:
    html = page(client, world.users["clerk"], "/cases/mine/")
    assert 'href="/cases/intake/"' in html and 'href="/cases/supervision/"' not in html
    html = page(client, world.users["applicant"], "/cases/mine/")
    assert 'href="/cases/intake/"' not in html and 'href="/cases/tasks/"' not in html


def test_pages_are_paginated(client: Any, world: World) -> None:
    for _ in range(21):
        make_case(applicant=world.applicant, department=world.department, task_status=None)
    html = page(client, world.users["applicant"], "/cases/mine/")
    assert "第 1 / 2 页" in html
    assert world.case.number in page(client, world.users["applicant"], "/cases/mine/?page=2")


def test_a_case_accepted_through_the_services_reads_back_everywhere(client: Any) -> None:
    """End to end with the write side: submit online, accept at the window, then read it back."""
    from onewindow.cases.tests.factories import accepted_case, reviewer_for

    case = accepted_case()
    [task] = case.tasks.all()
    mine = page(client, case.applicant.user, "/cases/mine/")
    assert case.number in mine
    status = page(client, case.applicant.user, f"/cases/{case.pk}/")
    assert "审查中" in status and "受理" in status
    todo = page(client, reviewer_for(task.department), "/cases/tasks/")
    assert case.number in todo


def test_the_admin_shows_cases_read_only_to_the_system_admin(client: Any, world: World) -> None:
    from onewindow.orgs.domain import Role
    from onewindow.orgs.tests.factories import staff

    client.force_login(staff(Role.SYSTEM_ADMIN, world.district))
    assert world.case.number in client.get("/admin/cases/case/").content.decode()
    change = client.get(f"/admin/cases/case/{world.case.pk}/change/")
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.get("/admin/cases/case/add/").status_code == 403
    assert client.get("/admin/cases/task/").status_code == 200
    assert client.get("/admin/cases/timelineentry/").status_code == 200


def test_an_organisation_outside_the_subtree_is_explained_beside_the_filter(client: Any, world: World) -> None:
    html = page(client, world.users["supervisor"], f"/cases/supervision/?organisation={world.other_district.code}")
    assert "该组织不在您的监察范围内" in html and world.case.number in html


def test_the_matter_filter_offers_matters_by_name(client: Any, world: World) -> None:
    html = page(client, world.users["supervisor"], "/cases/supervision/")
    assert f"{world.case.matter_version.name}({world.case.matter_version.matter.code})" in html


def test_an_english_reader_sees_statuses_steps_and_warnings_in_english(client: Any) -> None:
    from django.conf import settings

    from onewindow.cases.tests.factories import accepted_case

    case = accepted_case()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    status = page(client, case.applicant.user, f"/cases/{case.pk}/")
    assert "In review" in status and "Submit the application" in status and "To do" in status
    assert "审查中" not in status and "提交申请" not in status and "待办" not in status


def _submitted(world: World) -> Any:
    case, _ = make_case(
        applicant=world.applicant, department=world.department, status=CaseStatus.SUBMITTED, task_status=None
    )
    return case


def test_the_acceptance_prints_as_a_dated_notice_from_the_case_page(client: Any, world: World) -> None:
    applicant = world.users["applicant"]
    assert f'href="/cases/{world.case.pk}/notice/"' in page(client, applicant, f"/cases/{world.case.pk}/")
    html = page(client, applicant, f"/cases/{world.case.pk}/notice/")
    assert "受理通知书" in html and "决定予以受理" in html and world.case.number in html
    assert f'ow-notice-date">{timezone.localdate():%Y-%m-%d}<' in html and "data-ow-print" in html


def test_a_refusal_notice_gives_the_reason_the_legal_basis_and_the_remedies(client: Any, world: World) -> None:
    case = _submitted(world)
    basis = "《中华人民共和国行政许可法》第三十二条第一款第(二)项"
    case_refuse(actor=world.users["clerk"], case=case, reason="不属于本机关职权范围", legal_basis=basis)
    html = page(client, world.users["applicant"], f"/cases/{case.pk}/notice/")
    assert "不予受理通知书" in html and "不属于本机关职权范围" in html and basis in html
    assert "行政复议" in html and "行政诉讼" in html
    assert "法律依据" in page(client, world.users["applicant"], f"/cases/{case.pk}/")


def test_the_correction_notice_prints_every_item(client: Any, world: World) -> None:
    case = _submitted(world)
    notice = case_request_correction(
        actor=world.users["clerk"], case=case, items=[{"target": "material:business_licence", "problem": "已过有效期"}]
    )
    html = page(client, world.users["clerk"], f"/cases/{case.pk}/notice/")
    assert "一次性告知书" in html and notice.number in html and "营业执照" in html and "已过有效期" in html


def test_there_is_no_notice_before_the_decision_nor_for_another_applicant(client: Any, world: World) -> None:
    client.force_login(world.users["applicant"])
    assert client.get(f"/cases/{_submitted(world).pk}/notice/").status_code == 404
    client.force_login(world.users["other_applicant"])
    assert client.get(f"/cases/{world.case.pk}/notice/").status_code == 404
