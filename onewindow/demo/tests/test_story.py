"""Where the key-project story falls on the calendar, whatever the day it is first loaded (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.demo.data import key_projects as data
from onewindow.demo.data.story import Story, last_complete_month, month_add, months_from

LOAD_DAYS = [dt.date(year, month, day) for year in (2026, 2027, 2028) for month in range(1, 13) for day in (1, 28)]


def test_loaded_in_december_2026_the_story_is_the_one_the_demo_always_told() -> None:
    story = Story.told_on(dt.date(2026, 12, 6))

    assert story.first_month == dt.date(2025, 12, 1) and story.year == 2026
    assert story.month(story.slump_offset) == dt.date(2026, 5, 1)
    assert (story.campaign_starts_on, story.campaign_ends_on) == (dt.date(2026, 8, 1), dt.date(2026, 11, 8))
    assert (story.start_event_on, story.start_event_quarter) == (dt.date(2026, 9, 18), "三")
    assert story.problems_from == dt.date(2026, 8, 3)
    assert story.roadmap_target_on == dt.date(2027, 3, 31)
    assert story.plan_years(dt.date(2026, 12, 6)) == [2026] and story.carried_months() == []
    assert data.projects(story)[0].code == "YC2026-102-001"


@pytest.mark.parametrize("today", LOAD_DAYS, ids=str)
def test_twelve_months_of_reports_end_last_month_and_the_stall_and_its_warnings_are_ranked_in_them(
    today: dt.date,
) -> None:
    story = Story.told_on(today)
    last = last_complete_month(today)

    assert story.report_months(today) == [*months_from(month_add(last, -11), last), today.replace(day=1)]
    ranked = story.ranked_months(today)
    stall = story.month(story.slump_offset)
    assert stall.month <= 5  # early in a year: three months without investment put the district below target
    assert stall in ranked and month_add(stall, 3) in ranked  # the stall, yellow, red and the catch-up
    assert [story.lagging_pace(month_add(stall, n)) for n in range(-1, 5)] == [None, 0.1, 0.1, 0.1, 6.0, None]
    assert set(story.plan_years(today)) >= {month.year for month in ranked}


@pytest.mark.parametrize("today", LOAD_DAYS, ids=str)
def test_the_first_report_carries_its_year_so_far_unless_the_ranking_starts_a_new_year(today: dt.date) -> None:
    story = Story.told_on(today)
    first = story.first_month

    carried = story.carried_months()

    if first.month == 12:
        assert carried == []
    else:
        assert carried == months_from(first.replace(month=1), month_add(first, -1))


def test_a_story_keeps_its_months_when_told_again_later() -> None:
    story = Story.told_on(dt.date(2026, 12, 6))

    assert story.ranked_months(dt.date(2027, 3, 15))[-1] == dt.date(2027, 2, 1)
    assert story.plan_years(dt.date(2027, 3, 15)) == [2026, 2027]
    assert story.month(story.slump_offset) == dt.date(2026, 5, 1)
