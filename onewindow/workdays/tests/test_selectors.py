import datetime as dt

import pytest
from django.db import transaction

from onewindow.workdays import selectors, services
from onewindow.workdays.domain import DayKind, is_working_day
from onewindow.workdays.tests.factories import SpecialDayFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_calendar_is_loaded_once_and_reused(django_assert_num_queries):
    first = selectors.work_calendar()
    with django_assert_num_queries(1):  # only the revision number
        assert selectors.work_calendar() is first
    assert 2026 in first.known_years and 2027 not in first.known_years


def test_a_service_change_is_seen_by_the_next_read(system_admin):
    assert is_working_day(D(2027, 10, 4), selectors.work_calendar())
    services.special_days_add(actor=system_admin, first_on=D(2027, 10, 4), kind=DayKind.HOLIDAY, name="国庆节")
    assert not is_working_day(D(2027, 10, 4), selectors.work_calendar())


def test_a_rolled_back_change_is_forgotten(system_admin):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        services.special_days_add(actor=system_admin, first_on=D(2027, 10, 4), kind=DayKind.HOLIDAY, name="国庆节")
        assert not is_working_day(D(2027, 10, 4), selectors.work_calendar())
        raise Abort

    assert is_working_day(D(2027, 10, 4), selectors.work_calendar())


def test_year_schedule_groups_holidays_into_periods():
    schedule = selectors.year_schedule(2026)

    assert schedule.known
    national_day = next(p for p in schedule.holidays if p.name == "国庆节")
    assert (national_day.first_on, national_day.last_on, national_day.day_count) == (D(2026, 10, 1), D(2026, 10, 7), 7)
    assert D(2026, 10, 10) in [d.on for d in schedule.makeup_days]


def test_an_unentered_year_is_not_known():
    schedule = selectors.year_schedule(2027)
    assert (schedule.known, schedule.holidays, schedule.makeup_days) == (False, [], [])


def test_days_of_an_unpublished_year_show_but_the_year_stays_unknown():
    SpecialDayFactory(on=D(2030, 10, 1))
    schedule = selectors.year_schedule(2030)
    assert not schedule.known
    assert schedule.holidays[0].first_on == D(2030, 10, 1)
