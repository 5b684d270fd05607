"""The reform results' maths, without a database: the windows, the figures of a side, the change, the total over
the matters and the headline in the seed's words."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from onewindow.analytics.reforms.domain import (
    CaseFacts,
    Change,
    Figures,
    Window,
    add_months,
    basket,
    bundle_promised_days,
    change_of,
    figures_of,
    number_text,
    reform_windows,
)
from onewindow.analytics.reforms.headline import headline_text, reform_sentence
from onewindow.workdays.domain import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
APRIL = dt.date(2026, 4, 1)
# 2026: 清明 4–6 April closed, no make-up day that week.
CALENDAR = WorkCalendar(
    holidays=frozenset({dt.date(2026, 4, 4), dt.date(2026, 4, 5), dt.date(2026, 4, 6)}),
    known_years=frozenset({2026}),
)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def facts(
    case: int,
    submitted: dt.date,
    decided: dt.date | None,
    *,
    materials: int = 6,
    promised: int = 20,
    tasks: int = 1,
    stages: int = 1,
    subject: tuple[str, int] = ("matter", 1),
) -> CaseFacts:
    return CaseFacts(
        case, subject, at(submitted), at(decided, 16) if decided else None, materials, promised, tasks, stages
    )


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(APRIL, -3) == dt.date(2026, 1, 1)
    assert add_months(dt.date(2026, 5, 31), -3) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 15)
    assert add_months(dt.date(2025, 12, 31), 2) == dt.date(2026, 2, 28)


def test_the_windows_are_three_months_each_side_by_default():
    windows = reform_windows(APRIL, 3, dt.date(2026, 12, 7), dt.date(2025, 12, 7))
    assert windows is not None
    assert windows.before == Window(dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert windows.after == Window(dt.date(2026, 4, 1), dt.date(2026, 6, 29))
    assert (windows.days, windows.asked_days, windows.bounded) == (90, 90, False)
    assert (windows.side_of(dt.date(2026, 3, 31)), windows.side_of(APRIL), windows.side_of(dt.date(2026, 7, 1))) == (
        "before",
        "after",
        None,
    )


def test_the_windows_shrink_alike_to_the_data_on_either_side():
    today = dt.date(2026, 4, 30)  # 30 days since the reform
    windows = reform_windows(APRIL, 3, today, dt.date(2025, 6, 1))
    assert windows is not None and windows.days == 30 and windows.bounded
    assert windows.before == Window(dt.date(2026, 3, 2), dt.date(2026, 3, 31))
    assert windows.after == Window(APRIL, today)
    first_case = dt.date(2026, 3, 20)  # twelve days of cases before the reform
    windows = reform_windows(APRIL, 6, dt.date(2026, 12, 7), first_case)
    assert windows is not None and windows.days == 12 and windows.before.first == first_case


def test_no_windows_without_cases_on_both_sides():
    assert reform_windows(APRIL, 3, dt.date(2026, 3, 31), dt.date(2025, 1, 1)) is None  # not yet in force
    assert reform_windows(APRIL, 3, dt.date(2026, 12, 7), APRIL) is None  # no case before it
    assert reform_windows(APRIL, 3, dt.date(2026, 12, 7), None) is None


def test_a_bundles_promised_limit_runs_its_stages_one_after_another():
    assert bundle_promised_days([[1], [0, 0, 0, 0]]) == 1
    assert bundle_promised_days([[5, 10, 3], [7]]) == 17
    assert bundle_promised_days([[5, 10, 3, 7]]) == 10


def test_a_sides_figures_count_working_days_without_the_holiday():
    rows = [
        facts(1, dt.date(2026, 4, 1), dt.date(2026, 4, 8), tasks=3, stages=2),  # Wed → Wed: 2,3,7,8 = 4
        facts(2, dt.date(2026, 4, 2), dt.date(2026, 4, 3)),  # Thu → Fri: 1
        facts(3, dt.date(2026, 4, 3), None, materials=4),  # not decided: counted for materials only
    ]
    figures = figures_of(rows, CALENDAR)
    assert (figures.cases, figures.decided) == (3, 2)
    assert figures.materials is not None and round(figures.materials, 2) == 5.33
    assert figures.steps == 3.5  # (3 + 2) and (1 + 1)
    assert (figures.working_p50, figures.working_p90) == (1.0, 4.0)
    assert rows[0].calendar_days == 7.25  # 10:00 → 16:00 a week later
    assert figures.calendar_p50 == 1.25


def test_the_change_of_a_matter_after_a_limit_cut_and_a_material_removed():
    before = [facts(i, dt.date(2026, 3, 2), dt.date(2026, 3, 2) + dt.timedelta(days=14)) for i in range(3)]
    after = [facts(10 + i, dt.date(2026, 4, 13), dt.date(2026, 4, 20), materials=4, promised=10) for i in range(2)]
    change = change_of(before, after, CALENDAR)
    assert (change.before.working_p50, change.after.working_p50) == (10.0, 5.0)
    assert (change.materials_fewer, change.materials_percent) == (2.0, 2 / 6 * 100)
    assert (change.promised_percent, change.steps_percent, change.faster_percent) == (50.0, 0.0, 50.0)
    assert headline_text(change) == "减少申请材料2件（33.3%）、审批环节不变、承诺时限压减50%、办理时间提速50%"


def figures(cases: int, materials: float | None, steps: float | None, p50: float | None) -> Figures:
    return Figures(cases, cases, materials, 10.0 if cases else None, steps, p50, p50, p50)


def test_the_total_sums_each_subject_known_on_both_sides():
    matter = Change(figures(30, 6, 2, 10), figures(40, 4, 2, 6))
    bundle = Change(figures(10, 12, 7, 4), figures(12, 12, 6, 4))
    undecided = Change(figures(5, 3, None, None), figures(0, None, None, None))  # no case after: left out
    total = basket([matter, bundle, undecided])
    assert (total.before.cases, total.after.cases) == (45, 52)
    assert (total.before.materials, total.after.materials) == (18, 16)
    assert (total.before.steps, total.after.steps) == (9, 8)
    assert (total.before.working_p50, total.after.working_p50) == (14, 10)
    assert headline_text(total) == "减少申请材料2件（11.1%）、审批环节减少11.1%、承诺时限不变、办理时间提速28.6%"


def test_the_headline_says_when_a_measure_grew_and_leaves_out_the_unknown():
    worse = Change(figures(5, 4, 2, 4), figures(5, 5, 3, 5))
    assert headline_text(worse) == "增加申请材料1件（25%）、审批环节增加50%、承诺时限不变、办理时间延长25%"
    nothing = Change(figures(5, 4, None, None), figures(0, None, None, None))
    assert headline_text(nothing) == ""


def test_the_reports_sentence_names_the_reform_and_its_windows():
    windows = reform_windows(APRIL, 3, dt.date(2026, 12, 7), dt.date(2025, 12, 7))
    change = Change(figures(30, 6, 2, 10), figures(40, 4, 2, 6))
    sentence = reform_sentence(
        title="减材料改革", document_number="云政办发〔2026〕8号", effective_on=APRIL, windows=windows, change=change
    )
    assert sentence == (
        "“减材料改革”（云政办发〔2026〕8号，2026年4月1日起实施）实施前后各90天的办件相比，"
        "减少申请材料2件（33.3%）、审批环节不变、承诺时限不变、办理时间提速40%。"
    )
    empty = reform_sentence(title="“减材料”改革", document_number="X", effective_on=APRIL, windows=None, change=None)
    assert empty == "“‘减材料’改革”（X，2026年4月1日起实施）实施前后暂无可比较的办件。"  # quotes in quotes


def test_numbers_keep_one_decimal_without_a_trailing_zero():
    assert [number_text(v) for v in (12.5, 40.0, 0.04, 33.333, -2.25)] == ["12.5", "40", "0", "33.3", "-2.2"]
