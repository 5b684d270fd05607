"""The slice of a traced figure, read from a query and written back (pure: no database)."""

from __future__ import annotations

import pytest

from onewindow.analytics.trace.domain import NONE, Of, Slice, SliceInvalid, Unit, parse_slice, slice_params


def test_by_default_the_cases_submitted_in_the_period():
    s = parse_slice({"from": "2026-03-01", "region": "4", "page": "2"})
    assert s == Slice(Of.SUBMITTED, {}, "latest") and s.unit == Unit.CASES


def test_conditions_are_read_typed_and_written_back_in_one_order():
    query = {"of": "decided", "on_time": "1", "matter": "12", "month": "2026-03", "online": "0", "order": "days"}
    s = parse_slice(query)
    assert s.conditions == {"matter": 12, "online": False, "month": "2026-03", "on_time": True}
    params = slice_params(s.of, s.conditions, s.order)
    assert params == [
        ("of", "decided"),
        ("matter", "12"),
        ("online", "0"),
        ("month", "2026-03"),
        ("on_time", "1"),
        ("order", "days"),
    ]
    assert parse_slice(dict(params)) == s


def test_what_is_counted_decides_the_unit():
    assert parse_slice({"of": "review_tasks", "task_department": "3"}).unit == Unit.TASKS
    assert parse_slice({"of": "shared_stages", "ended_by": "3", "stage": "1"}).unit == Unit.STAGES
    assert parse_slice({"of": "notices", "material": "总平面图"}).unit == Unit.NOTICES
    unassigned = parse_slice({"of": "open_tasks", "assignee": NONE, "warning": "red"})
    assert unassigned.conditions == {"assignee": NONE, "warning": "red"} and unassigned.number("assignee") is None


def test_every_wrong_parameter_is_reported_at_once():
    with pytest.raises(SliceInvalid) as wrong:
        parse_slice({"of": "everything", "order": "random", "matter": "abc", "hour": "24", "online": "yes"})
    assert wrong.value.problems == {
        "of": "unknown_of",
        "order": "unknown_order",
        "matter": "not_whole",
        "hour": "out_of_range",
        "online": "not_flag",
    }
    with pytest.raises(SliceInvalid) as odd:
        parse_slice({"month": "2026-13", "matter": "0", "channel": "Window!", "warning": "blue", "material": "x" * 201})
    assert odd.value.problems == {
        "matter": "not_whole",
        "channel": "not_code",
        "material": "too_long",
        "month": "not_month",
        "warning": "not_choice",
    }


def test_a_condition_the_counted_things_do_not_have_is_refused():
    with pytest.raises(SliceInvalid) as wrong:
        parse_slice({"of": "submitted", "ended_by": "3", "warning": "red"})
    assert wrong.value.problems == {"warning": "not_allowed", "ended_by": "not_allowed"}
    with pytest.raises(SliceInvalid):
        parse_slice({"of": "open_tasks", "month": "2026-03"})  # open now: no period of their own


def test_a_slice_cannot_be_written_with_a_condition_that_does_not_exist():
    with pytest.raises(ValueError):
        slice_params(Of.SUBMITTED, {"matters": 1})
    assert slice_params(Of.SUBMITTED, {"matter": None, "hour": 0}) == [("of", "submitted"), ("hour", "0")]
