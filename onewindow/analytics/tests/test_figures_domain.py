"""The analysis' maths without a database: percentiles, a case's phases, stopped days, the critical path."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from onewindow.analytics.figures.domain import (
    CaseTimes,
    TaskTimes,
    finish_last,
    materials_named,
    percentile,
    phase_spreads,
    stage_ends,
    stopped_days,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, 3, 2 + day, hour, tzinfo=SHANGHAI)


def test_percentiles_are_nearest_rank_and_always_a_measured_value():
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.0  # rank ⌈0.5·4⌉ = 2
    assert percentile([float(n) for n in range(1, 11)], 0.9) == 9.0
    assert percentile([float(n) for n in range(1, 12)], 0.9) == 10.0  # rank ⌈9.9⌉ = 10


def test_stopped_days_merge_overlapping_stops_and_run_an_open_one_to_the_end():
    d = dt.date(2026, 3, 2)
    assert stopped_days([], d) == 0
    assert stopped_days([(d, d)], d) == 1
    two_departments = [(d, d + dt.timedelta(days=3)), (d + dt.timedelta(days=2), d + dt.timedelta(days=5))]
    assert stopped_days(two_departments, d) == 6  # 2..7 March once, not 4 + 4
    assert stopped_days([(d, None)], d + dt.timedelta(days=2)) == 3
    assert stopped_days([(d, d), (d + dt.timedelta(days=5), d + dt.timedelta(days=5))], d) == 2


def case(**overrides) -> CaseTimes:
    values = {
        "case": 1,
        "subject": ("matter", 1),
        "region": 1,
        "submitted_at": at(0, 15),
        "accepted_at": at(2),
        "review_finished_at": at(8),
        "decided_at": at(9),
        "waiting_days": 4,
        "due_on": dt.date(2026, 3, 11),
        "extended": False,
    }
    return CaseTimes(**(values | overrides))


def test_a_case_time_splits_into_intake_review_waiting_and_decision_that_add_up():
    c = case()
    assert round(c.intake, 3) == round(43 / 24, 3)  # Monday 15:00 to Wednesday 10:00
    assert c.waiting == 4.0
    assert c.review == 2.0  # six days from acceptance to the end of review, four of them waiting
    assert c.decision == 1.0
    assert round(c.intake + c.review + c.waiting + c.decision, 6) == round(c.total, 6)
    assert c.on_time is True
    assert case(due_on=dt.date(2026, 3, 10)).on_time is False
    assert case(due_on=None).on_time is None


def test_a_case_decided_without_acceptance_spent_all_its_time_in_intake():
    c = case(accepted_at=None, review_finished_at=None, waiting_days=0, decided_at=at(1, 15))
    assert c.intake == 1.0 and c.review == c.waiting == c.decision == 0.0


def test_phase_spreads_count_on_time_among_cases_with_a_due_date_and_the_extended():
    cases = [case(case=1), case(case=2, due_on=dt.date(2026, 3, 1), extended=True), case(case=3, due_on=None)]
    s = phase_spreads(cases)
    assert (s.count, s.on_time, s.with_due_date, s.extended) == (3, 1, 2, 1)
    assert s.on_time_rate == 0.5
    assert s.phases["waiting"].p50 == 4.0


def task(case: int, stage: int, department: int, decided: dt.datetime | None) -> TaskTimes:
    return TaskTimes(case, stage, department, at(0), decided, dt.date(2026, 3, 9), False)


def test_the_department_decided_last_ended_the_stage_by_its_margin_over_the_one_before():
    tasks = [
        task(1, 1, 10, at(1)),
        task(1, 1, 11, at(1)),
        task(1, 1, 12, at(3)),  # ended stage 1 of case 1, two days after the others
        task(1, 2, 13, at(4)),  # a stage of one department: no critical path to speak of
        task(2, 1, 10, at(2)),
        task(2, 1, 12, at(6)),  # ended it again, four days later
        task(3, 1, 10, at(5)),
        task(3, 1, 11, None),  # not decided: the stage has not ended
    ]
    ends = stage_ends(tasks)
    assert [(e.case, e.department, e.margin_days) for e in ends] == [(1, 12, 2.0), (2, 12, 4.0)]
    rows = finish_last(tasks)
    assert rows[0].department == 12 and rows[0].last == 2 and rows[0].stages_in == 2 and rows[0].rate == 1.0
    assert rows[0].margin.p50 == 2.0 and rows[0].margin.p90 == 4.0
    by_department = {r.department: (r.stages_in, r.last) for r in rows}
    assert by_department == {12: (2, 2), 10: (2, 0), 11: (1, 0)}


def test_a_task_review_time_leaves_out_its_own_stopped_days():
    t = TaskTimes(1, 1, 10, at(2), at(8), dt.date(2026, 3, 11), False, stopped_days=4)
    assert t.days == 2.0 and t.on_time is True
    assert task(1, 1, 10, None).days is None


def test_materials_are_counted_once_per_notice_and_form_fields_left_out():
    notices = [
        [
            {"target": "material:site_plan", "label": "总平面图", "problem": "比例尺不清"},
            {"target": "material:site_plan", "label": "总平面图", "problem": "缺少签章"},
            {"target": "field:floor_area", "label": "建筑面积", "problem": "与图纸不符"},
        ],
        [{"target": "material:business_licence", "label": "营业执照", "problem": "已过期"}],
        [{"target": "material:site_plan", "label": "总平面图", "problem": "模糊"}],
    ]
    assert materials_named(notices).most_common() == [("总平面图", 2), ("营业执照", 1)]
