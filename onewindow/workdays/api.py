"""Public JSON API of the working-day calendar (mounted at /api/workdays/). No login needed.

Inputs are read as text and parsed here so that every mistake gets its own stable code and a
Chinese message (422), e.g. `workdays_invalid_date`, `workdays_invalid_days`.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from onewindow.api.schemas import ErrorOut
from onewindow.workdays import parsing, selectors
from onewindow.workdays.domain import MAX_DAYS, add_working_days, working_days_between

router = Router(tags=["工作日历"])

START = "起始日期 YYYY-MM-DD(不计入)"
SUSPEND = "中止计时的日期段（含首尾），如 2026-10-08..2026-10-09；可重复"


class AddIn(Schema):
    start: str = Field(description=START)
    days: str = Field(description=f"工作日数，0 至 {MAX_DAYS}")
    suspend: list[str] = Field(default_factory=list, description=SUSPEND)


class BetweenIn(Schema):
    start: str = Field(description=START)
    end: str = Field(description="结束日期 YYYY-MM-DD(计入)")
    suspend: list[str] = Field(default_factory=list, description=SUSPEND)


class DeadlineOut(Schema):
    start: dt.date
    days: int
    result: dt.date
    provisional: bool
    unknown_years: list[int]


class CountOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int
    provisional: bool
    unknown_years: list[int]


class HolidayPeriodOut(Schema):
    name: str
    first_on: dt.date
    last_on: dt.date
    day_count: int


class MakeupDayOut(Schema):
    on: dt.date
    name: str


class YearOut(Schema):
    year: int
    known: bool
    published_by: str
    holidays: list[HolidayPeriodOut]
    makeup_workdays: list[MakeupDayOut]


@router.get("/add", response={200: DeadlineOut, 422: ErrorOut}, auth=None, summary="起始日之后的第 N 个工作日")
def add(request: HttpRequest, params: Query[AddIn]) -> DeadlineOut:
    start_on = parsing.parse_date(params.start, field="start")
    n = parsing.parse_days(params.days)
    suspensions = [parsing.parse_suspension(s) for s in params.suspend]
    deadline = add_working_days(start_on, n, selectors.work_calendar(), suspensions)
    return DeadlineOut(
        start=start_on,
        days=n,
        result=deadline.on,
        provisional=deadline.provisional,
        unknown_years=list(deadline.unknown_years),
    )


@router.get(
    "/between", response={200: CountOut, 422: ErrorOut}, auth=None, summary="起始日之后至结束日（含）的工作日数"
)
def between(request: HttpRequest, params: Query[BetweenIn]) -> CountOut:
    start_on = parsing.parse_date(params.start, field="start")
    end_on = parsing.parse_date(params.end, field="end")
    suspensions = [parsing.parse_suspension(s) for s in params.suspend]
    count = working_days_between(start_on, end_on, selectors.work_calendar(), suspensions)
    return CountOut(
        start=start_on,
        end=end_on,
        working_days=count.working_days,
        provisional=count.provisional,
        unknown_years=list(count.unknown_years),
    )


@router.get("/years/{year}", response={200: YearOut, 422: ErrorOut}, auth=None, summary="某年的节假日与调休安排")
def year_detail(request: HttpRequest, year: str) -> YearOut:
    schedule = selectors.year_schedule(parsing.parse_year(year))
    return YearOut(
        year=schedule.year,
        known=schedule.known,
        published_by=schedule.published_by,
        holidays=[
            HolidayPeriodOut(name=p.name, first_on=p.first_on, last_on=p.last_on, day_count=p.day_count)
            for p in schedule.holidays
        ],
        makeup_workdays=[MakeupDayOut(on=d.on, name=d.name) for d in schedule.makeup_days],
    )
