"""The registry's pure rules without a database: phase moves, field rules, reverse scheduling over
the real PRC calendar (the workdays seed: holidays and 调休 make-up weekends), slippage."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.errors import DomainError
from onewindow.projects.domain import (
    MilestoneKind,
    MilestonePlan,
    Phase,
    PhaseChangeRefused,
    ProjectRules,
    SlipState,
    StartRefused,
    allowed_phase_moves,
    check_actual_start,
    check_milestone_plans,
    check_phase_change,
    check_project,
    clean_amount,
    clean_chain_tags,
    has_started,
    is_the_start,
    milestone_due_on,
    milestone_slippage,
    reverse_schedule,
    roadmap_slippage_days,
    started_within,
)
from onewindow.projects.tests.factories import credit_code
from onewindow.workdays.domain import add_working_days, is_working_day
from onewindow.workdays.tests.test_domain import CALENDAR

D = dt.date
LAND, APPROVAL, START = MilestoneKind.LAND, MilestoneKind.APPROVAL, MilestoneKind.START


# --- phases -------------------------------------------------------------------------------------------


def test_a_phase_moves_to_the_next_one_or_back_one():
    assert allowed_phase_moves(Phase.PREPARATION) == (Phase.NEW_START, Phase.RESERVE)
    assert allowed_phase_moves(Phase.RESERVE) == (Phase.PREPARATION,)
    assert allowed_phase_moves(Phase.IN_PRODUCTION) == (Phase.COMPLETED,)
    assert check_phase_change(Phase.NEW_START, Phase.CONTINUING, "  主体开工 ") == "主体开工"
    assert check_phase_change(Phase.NEW_START, Phase.PREPARATION, "土地未交付,退回前期") == "土地未交付,退回前期"


def test_skipping_a_phase_is_refused_and_names_the_allowed_ones():
    with pytest.raises(PhaseChangeRefused) as refused:
        check_phase_change(Phase.RESERVE, Phase.CONTINUING, "直接续建")
    assert refused.value.code == "project_phase_change_refused"
    assert "“前期”" in refused.value.message


def test_staying_in_the_same_phase_or_giving_no_reason_is_refused():
    with pytest.raises(PhaseChangeRefused, match="已处于"):
        check_phase_change(Phase.CONTINUING, Phase.CONTINUING, "原因")
    with pytest.raises(PhaseChangeRefused) as refused:
        check_phase_change(Phase.CONTINUING, Phase.COMPLETED, "   ")
    assert refused.value.code == "project_phase_reason_required"
    assert refused.value.field == "reason"


# --- registry fields ------------------------------------------------------------------------------------


def rules(**overrides):
    values = {
        "code": "XM-1",
        "name": "滨江科创园",
        "owner_name": "滨江建设有限公司",
        "owner_credit_code": credit_code(7),
        "industry": "先进制造",
        "total_investment": Decimal("100"),
        "planned_start": D(2026, 3, 1),
        "planned_finish": D(2027, 12, 31),
    }
    return ProjectRules(**(values | overrides))


def test_a_valid_project_gives_its_canonical_credit_code_and_no_errors():
    code = credit_code(7)
    assert check_project(rules(owner_credit_code=code.lower())) == (code, {})


def test_every_broken_rule_is_reported_at_once_with_the_field_named():
    _code, errors = check_project(
        rules(
            name=" ",
            owner_credit_code="91330100MA0000007X",
            total_investment=Decimal("-1"),
            planned_finish=D(2026, 2, 1),
        )
    )
    assert set(errors) == {"name", "owner_credit_code", "total_investment", "planned_finish"}
    assert errors["owner_credit_code"].startswith("业主单位统一社会信用代码有误")
    assert "计划竣工" in errors["planned_finish"]


def test_amounts_are_not_negative_and_keep_two_places():
    assert clean_amount("1,234.5", "总投资") == Decimal("1234.50")
    with pytest.raises(ValueError, match="总投资不能为负数"):
        clean_amount(-1, "总投资")
    with pytest.raises(ValueError, match="应为数字"):
        clean_amount("十万", "总投资")
    with pytest.raises(ValueError, match="请填写"):
        clean_amount(None, "总投资")


def test_chain_tags_drop_blanks_and_repeats():
    assert clean_chain_tags([" 新能源汽车", "", "集成电路", "新能源汽车"]) == ["新能源汽车", "集成电路"]


# --- reverse scheduling (倒排工期) -----------------------------------------------------------------------


def test_the_last_milestone_ends_on_the_target_and_each_earlier_one_before_the_next_starts():
    plans = [MilestonePlan(LAND, 30), MilestonePlan(APPROVAL, 5, True), MilestonePlan(START, 0)]
    land, approval, start = reverse_schedule(D(2026, 10, 13), plans, CALENDAR)
    assert start.latest_on == D(2026, 10, 13)
    assert approval.latest_on == start.latest_start_on == D(2026, 10, 13)
    # 5 working days back from Tue 13 October: Mon 12, the 调休 Saturday 10, Fri 9, Thu 8, then over
    # the National Day holiday (1–7 October) to Wed 30 September.
    assert approval.latest_start_on == D(2026, 9, 30)
    assert land.latest_on == D(2026, 9, 30)
    assert land.latest_start_on == D(2026, 8, 31)  # calendar days: 30 days before
    assert not any(m.provisional for m in (land, approval, start))


def test_an_approval_due_over_a_holiday_counts_from_the_last_working_day_before_it():
    # The start must happen by Sunday 4 October (a holiday): the approval has to be decided by
    # Wednesday 30 September, so its 2 working days start after Monday 28 September.
    plans = [MilestonePlan(APPROVAL, 2, True), MilestonePlan(START, 3)]
    approval, start = reverse_schedule(D(2026, 10, 7), plans, CALENDAR)
    assert start.latest_start_on == approval.latest_on == D(2026, 10, 4)
    assert approval.latest_start_on == D(2026, 9, 28)
    assert add_working_days(approval.latest_start_on, 2, CALENDAR).on == D(2026, 9, 30)


def test_a_count_back_into_a_year_without_a_known_schedule_is_provisional():
    (approval,) = reverse_schedule(D(2027, 1, 8), [MilestonePlan(APPROVAL, 10, True)], CALENDAR)
    assert approval.provisional


def test_no_milestones_give_an_empty_schedule():
    assert reverse_schedule(D(2026, 10, 13), [], CALENDAR) == []


milestone_plans = st.lists(
    st.builds(MilestonePlan, st.sampled_from(list(MilestoneKind)), st.integers(0, 120), st.booleans()), max_size=8
)


@given(target=st.dates(D(2010, 1, 1), D(2026, 12, 31)), plans=milestone_plans)
def test_every_milestone_fits_before_the_next_and_the_chain_ends_on_the_target(target, plans):
    scheduled = reverse_schedule(target, plans, CALENDAR)
    assert len(scheduled) == len(plans)
    if scheduled:
        assert scheduled[-1].latest_on == target
    for earlier, later in pairwise(scheduled):
        assert earlier.latest_on == later.latest_start_on
    for plan, when in zip(plans, scheduled, strict=True):
        assert when.latest_start_on <= when.latest_on
        if plan.counts_working_days and plan.duration_days:
            assert is_working_day(when.latest_start_on, CALENDAR)
            assert add_working_days(when.latest_start_on, plan.duration_days, CALENDAR).on <= when.latest_on
        elif not plan.counts_working_days:
            assert (when.latest_on - when.latest_start_on).days == plan.duration_days


def test_too_many_milestones_or_too_long_a_duration_are_refused():
    with pytest.raises(DomainError) as too_many:
        check_milestone_plans([MilestonePlan(LAND, 1)] * 31)
    assert too_many.value.code == "roadmap_invalid"
    with pytest.raises(DomainError) as too_long:
        check_milestone_plans([MilestonePlan(LAND, 1), MilestonePlan(LAND, 4000)])
    assert "milestones.1.duration_days" in too_long.value.errors


# --- slippage -------------------------------------------------------------------------------------------


def test_a_milestone_reached_late_slips_by_the_days_after_its_due_date():
    slip = milestone_slippage(due_on=D(2026, 5, 1), actual_on=D(2026, 5, 11), today=D(2026, 6, 1))
    assert (slip.state, slip.days, slip.is_behind) == (SlipState.DONE_LATE, 10, True)


def test_a_milestone_reached_early_or_on_time_does_not_slip():
    slip = milestone_slippage(due_on=D(2026, 5, 1), actual_on=D(2026, 4, 20), today=D(2026, 6, 1))
    assert (slip.state, slip.days) == (SlipState.DONE_ON_TIME, 0)


def test_an_open_milestone_is_overdue_from_the_day_after_its_due_date():
    due = D(2026, 5, 1)
    assert milestone_slippage(due_on=due, actual_on=None, today=due).state == SlipState.PENDING
    late = milestone_slippage(due_on=due, actual_on=None, today=D(2026, 5, 4))
    assert (late.state, late.days) == (SlipState.OVERDUE, 3)


def test_the_planned_date_wins_over_the_latest_date_and_the_roadmap_slips_by_its_worst_milestone():
    assert milestone_due_on(D(2026, 4, 1), D(2026, 5, 1)) == D(2026, 4, 1)
    assert milestone_due_on(None, D(2026, 5, 1)) == D(2026, 5, 1)
    slips = [milestone_slippage(due_on=D(2026, 5, 1), actual_on=a, today=D(2026, 5, 20)) for a in (None, D(2026, 5, 3))]
    assert roadmap_slippage_days(slips) == 19
    assert roadmap_slippage_days([]) == 0


def test_every_label_the_pages_translate_is_offered_to_makemessages():
    from onewindow.projects.domain import (
        LEVEL_LABELS,
        MILESTONE_KIND_LABELS,
        PHASE_LABELS,
        SLIP_LABELS,
        TEAM_ROLE_LABELS,
    )
    from onewindow.projects.models import LABEL_MESSAGES

    labels = {*PHASE_LABELS.values(), *LEVEL_LABELS.values(), *TEAM_ROLE_LABELS.values()}
    labels |= {*MILESTONE_KIND_LABELS.values(), *SLIP_LABELS.values()}
    assert labels == set(LABEL_MESSAGES)


# --- new starts -----------------------------------------------------------------------------------


def test_a_new_start_counts_by_the_actual_start_else_by_the_move_to_new_start():
    june_to_september = (D(2026, 6, 1), D(2026, 9, 8))
    assert started_within(*june_to_september, actual_start=D(2026, 6, 1), new_start_days=[])
    # A recorded actual start decides, even against a move to 新开工 within the days.
    assert not started_within(*june_to_september, actual_start=D(2026, 5, 31), new_start_days=[D(2026, 6, 5)])
    assert started_within(*june_to_september, actual_start=None, new_start_days=[D(2026, 9, 8)])
    assert not started_within(*june_to_september, actual_start=None, new_start_days=[D(2026, 9, 9)])
    assert not started_within(*june_to_september, actual_start=None, new_start_days=[])


def test_only_the_move_from_preparation_to_new_start_is_the_start():
    assert is_the_start(Phase.PREPARATION, Phase.NEW_START)
    assert not is_the_start(Phase.CONTINUING, Phase.NEW_START)  # a step back: it started long ago
    assert [p for p in Phase if has_started(p)] == [
        Phase.NEW_START,
        Phase.CONTINUING,
        Phase.COMPLETED,
        Phase.IN_PRODUCTION,
    ]


def test_an_actual_start_is_not_in_the_future_nor_before_2000():
    today = D(2026, 3, 10)
    assert check_actual_start(today, today=today, field="started_on") == today
    assert check_actual_start(D(2000, 1, 1), today=today, field="started_on") == D(2000, 1, 1)
    with pytest.raises(StartRefused) as tomorrow:
        check_actual_start(D(2026, 3, 11), today=today, field="started_on")
    assert (tomorrow.value.code, tomorrow.value.field) == ("project_start_in_future", "started_on")
    assert "2026-03-10" in tomorrow.value.message
    with pytest.raises(StartRefused) as slip:
        check_actual_start(D(1926, 3, 1), today=today, field="actual_start")
    assert (slip.value.code, slip.value.field) == ("project_start_too_early", "actual_start")
