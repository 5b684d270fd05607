"""`onewindow audit verify` proves each case is what its audit events say: its status, its tasks'
statuses and every timeline row. A database administrator who edits them with SQL is named."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from onewindow.cases import consistency
from onewindow.cases.models import Case, CaseMatter, Task, TimelineEntry
from onewindow.cases.services import intake, review
from onewindow.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def verify() -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", "verify", "--chunk-size", "40", stdout=out, stderr=err)  # two cases a page
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def as_a_dba(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def stage_tasks(case: Case, stage: int) -> list[Task]:
    return list(Task.objects.filter(case=case, stage=stage).order_by("pk"))


@pytest.fixture
def cases() -> dict[str, Case]:
    """A handful of cases at every step, each written by the services as people would."""
    decided = f.submitted_case(bundle=True)
    clerk = f.clerk_for(decided.region)
    intake.case_request_correction(actor=clerk, case=decided, items=[{"target": "field:floor_area", "problem": "不符"}])
    intake.case_resubmit(actor=decided.applicant.user, case=decided, form_data={"floor_area": 11800}, files={})
    intake.case_accept(actor=clerk, case=decided)
    for stage in (1, 2):
        for task in stage_tasks(decided, stage):
            reviewer = f.reviewer_for(task.department)
            review.task_claim(actor=reviewer, task=task)
            review.task_approve(actor=reviewer, task=task, opinion="同意")
    lead = decided.bundle_version.stages.order_by("-position").first().lead_department
    results = {m.pk: CaseMatter.Result.APPROVED for m in decided.matters.all()}
    review.case_decide(actor=f.coordinator_for(lead), case=decided, results=results, note="准予许可")

    in_review = f.accepted_case()
    task = in_review.tasks.get()
    reviewer = f.reviewer_for(task.department)
    review.task_request_supplement(actor=reviewer, task=task, items=["补充现场照片"])
    review.task_supplement_received(actor=in_review.applicant.user, task=task, note="已上传")

    withdrawn = f.submitted_case()
    intake.case_withdraw(actor=withdrawn.applicant.user, case=withdrawn, reason="个人原因")
    refused = f.submitted_case()
    clerk = f.clerk_for(refused.region)
    intake.case_refuse(actor=clerk, case=refused, reason="不属于受理范围", legal_basis="第三十二条")
    draft = intake.case_save_draft(
        actor=refused.applicant.user, applicant=refused.applicant, matter_version=refused.matter_version,
        form_data={}, channel="online",
    )  # fmt: skip
    found = {"decided": decided, "in_review": in_review, "withdrawn": withdrawn, "refused": refused, "draft": draft}
    return {name: Case.objects.get(pk=case.pk) for name, case in found.items()}


def test_cases_written_only_by_the_platform_verify(cases):
    code, out, err = verify()
    assert (code, err) == (0, "")
    assert f"已核对 {len(cases)} 个{consistency.NOUN}与留痕事件是否一致" in out


def test_a_case_status_edited_with_sql_is_named_with_what_its_events_say(cases):
    case = cases["in_review"]
    as_a_dba("UPDATE cases_case SET status = 'completed' WHERE id = %s", case.pk)
    code, _, err = verify()
    assert code == 1
    assert f"case:{case.pk}：办件 {case.number} 的状态为“已办结”，而留痕事件记录的是“审查中”（状态被改动）" in err
    assert err.count("断链") == 1  # the other cases stay whole


def test_a_task_status_edited_with_sql_is_named(cases):
    task = cases["in_review"].tasks.get()
    as_a_dba("UPDATE cases_task SET status = 'approved' WHERE id = %s", task.pk)
    code, _, err = verify()
    assert code == 1
    assert f"的审查任务 #{task.pk} 状态为“同意”，而留痕事件记录的是“待办”（状态被改动）" in err


def test_a_timeline_row_whose_status_was_edited_is_named_with_its_event(cases):
    case = cases["refused"]
    row = case.timeline.order_by("pk").last()
    as_a_dba("UPDATE cases_timelineentry SET to_status = 'in_review' WHERE id = %s", row.pk)
    code, _, err = verify()
    assert code == 1
    last_seq = case.timeline.count()
    assert f"case:{case.pk} 第 {last_seq} 号：办件 {case.number} 的第 {last_seq} 条办理环节与此事件不符" in err
    assert "新状态为“审查中”，事件记录为“不予受理”" in err


@pytest.mark.parametrize(
    "column, value",
    [("note", "理由：材料齐全"), ("is_public", False), ("at", "2020-01-01 00:00:00"), ("actor_id", None)],
)
def test_a_timeline_row_whose_note_time_visibility_or_actor_was_edited_is_named(cases, column, value):
    case = cases["refused"]
    row = case.timeline.order_by("pk").last()
    as_a_dba(f"UPDATE cases_timelineentry SET {column} = %s WHERE id = %s", value, row.pk)  # noqa: S608
    code, _, err = verify()
    assert code == 1
    assert f"办件 {case.number} 的第 {case.timeline.count()} 条办理环节与此事件不符" in err


def test_a_deleted_timeline_row_is_named(cases):
    case = cases["decided"]
    rows = list(case.timeline.order_by("pk"))
    as_a_dba("DELETE FROM cases_timelineentry WHERE id = %s", rows[3].pk)
    code, _, err = verify()
    assert code == 1
    assert f"case:{case.pk} 第 4 号：办件 {case.number} 缺少与此事件对应的办理环节（办理环节被删除）" in err


def test_a_timeline_row_inserted_at_the_end_is_named(cases):
    case = cases["withdrawn"]
    TimelineEntry.objects.create(case=case, at=timezone.now(), action="case_decide", to_status="completed")
    code, _, err = verify()
    assert code == 1
    assert f"办件 {case.number} 的第 {case.timeline.count()} 条办理环节（“case_decide”）没有对应的留痕事件" in err


def test_a_row_inserted_or_deleted_between_others_is_told_apart_from_an_edited_one(cases):
    case = cases["decided"]
    [stored] = consistency._read([(case.pk, case.number, case.status)])
    assert consistency.case_problems(stored) == []
    rows = stored.rows
    inserted = stored._replace(rows=[*rows[:2], rows[5], *rows[2:]])
    [problem] = consistency.case_problems(inserted)
    assert problem.reason.endswith("条办理环节（“task_open”）没有对应的留痕事件（办理环节被插入）")
    assert problem.reason.startswith(f"办件 {case.number} 的第 3 条")
    deleted = stored._replace(rows=[*rows[:2], *rows[3:]])
    [problem] = consistency.case_problems(deleted)
    assert (problem.seq, problem.reason) == (3, f"办件 {case.number} 缺少与此事件对应的办理环节（办理环节被删除）")
    edited = stored._replace(rows=[*rows[:2], rows[2]._replace(actor_id=None), *rows[3:]])
    [problem] = consistency.case_problems(edited)
    assert problem.seq == 3 and "操作人为“None”" in problem.reason


def test_a_case_inserted_behind_the_platforms_back_has_no_events_and_is_named(cases):
    model = cases["withdrawn"]
    forged = Case.objects.create(
        number="330000-20260101-99999", status="completed", channel="window", applicant=model.applicant,
        region=model.region, matter_version=model.matter_version, title="伪造的办件",
    )  # fmt: skip
    code, _, err = verify()
    assert code == 1
    assert f"case:{forged.pk}：办件 330000-20260101-99999 没有任何留痕事件（不是经平台写入的）" in err


def test_a_deleted_case_leaves_its_events_and_is_named(cases):
    case = cases["withdrawn"]
    events = case.timeline.count()
    Case.objects.filter(pk=case.pk).delete()
    code, _, err = verify()
    assert code == 1
    assert f"case:{case.pk}：办件 #{case.pk} 已不存在，留痕中却有它的 {events} 个事件（办件被删除）" in err


def test_a_case_that_moved_on_while_its_page_was_read_is_read_again_under_its_lock_not_reported(cases):
    case = cases["in_review"]
    [stale] = consistency._read([(case.pk, case.number, case.status)])
    task = case.tasks.get()
    review.task_approve(actor=task.assignee, task=task, opinion="同意")  # completes the case
    assert consistency.case_problems(stale._replace(status="completed"))  # the page's rows against newer events
    assert consistency._problems_rechecked(stale._replace(status="completed")) == []
