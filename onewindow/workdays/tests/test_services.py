import datetime as dt

import pytest

from onewindow.audit.models import Event
from onewindow.errors import Conflict
from onewindow.workdays import selectors, services
from onewindow.workdays.domain import DayKind, add_working_days
from onewindow.workdays.models import CalendarYear, SpecialDay
from onewindow.workdays.services import InvalidDayRange

pytestmark = pytest.mark.django_db
D = dt.date


def calendar_events(action=None):
    events = Event.objects.filter(stream=services.STREAM)
    return events.filter(action=action) if action else events


def test_the_migration_seeded_every_year_chinesecalendar_covers():
    assert set(CalendarYear.objects.filter(is_published=True).values_list("year", flat=True)) == set(range(2004, 2027))
    national_day = SpecialDay.objects.get(on=D(2026, 10, 1))
    assert (national_day.kind, national_day.name, national_day.source) == ("holiday", "国庆节", "chinesecalendar")
    assert SpecialDay.objects.get(on=D(2026, 10, 10)).kind == "makeup_workday"


def test_an_admin_enters_a_holiday_period_day_by_day_with_one_event_per_day(system_admin):
    days = services.special_days_add(
        actor=system_admin, first_on=D(2027, 10, 1), last_on=D(2027, 10, 7), kind=DayKind.HOLIDAY, name="国庆节"
    )

    assert [d.on for d in days] == [D(2027, 10, d) for d in range(1, 8)]
    assert all(d.source == SpecialDay.Source.ADMIN for d in days)
    added = calendar_events("workdays.day_added")
    assert added.count() == 7
    assert added.first().actor_id == system_admin.pk
    assert calendar_events("workdays.year_added").filter(target_id="2027").exists()
    assert not CalendarYear.objects.get(year=2027).is_published


def test_new_days_change_deadlines_at_once(system_admin):
    before = add_working_days(D(2027, 9, 30), 1, selectors.work_calendar()).on
    services.special_days_add(
        actor=system_admin, first_on=D(2027, 10, 1), last_on=D(2027, 10, 7), kind=DayKind.HOLIDAY, name="国庆节"
    )
    after = add_working_days(D(2027, 9, 30), 1, selectors.work_calendar())

    assert before == D(2027, 10, 1)
    assert after.on == D(2027, 10, 8)
    assert after.provisional  # 2027 is not published yet


def test_publishing_a_year_makes_its_deadlines_final(system_admin):
    services.calendar_year_save(actor=system_admin, year=2027, is_published=True, published_by="国办发明电〔2026〕1号")

    assert not add_working_days(D(2027, 3, 1), 10, selectors.work_calendar()).provisional
    event = calendar_events("workdays.year_added").get(target_id="2027")
    assert event.changes["is_published"] == [False, True]


def test_changing_a_year_records_only_what_changed(system_admin):
    services.calendar_year_save(actor=system_admin, year=2027, is_published=False)
    services.calendar_year_save(actor=system_admin, year=2027, is_published=True, published_by="国办")
    services.calendar_year_save(actor=system_admin, year=2027, is_published=True, published_by="国办")

    changed = calendar_events("workdays.year_changed")
    assert changed.count() == 1
    assert set(changed.get().changes) == {"is_published", "published_by"}


def test_a_day_already_entered_is_refused_and_nothing_is_written(system_admin):
    events_before = calendar_events().count()

    with pytest.raises(Conflict) as refused:
        services.special_days_add(
            actor=system_admin, first_on=D(2026, 9, 29), last_on=D(2026, 10, 2), kind=DayKind.HOLIDAY, name="国庆节"
        )

    assert refused.value.code == "workdays_day_exists"
    assert "2026-10-01" in refused.value.message
    assert not SpecialDay.objects.filter(on=D(2026, 9, 29)).exists()
    assert calendar_events().count() == events_before


@pytest.mark.parametrize(("first", "last"), [(D(2027, 10, 7), D(2027, 10, 1)), (D(2027, 1, 1), D(2027, 3, 1))])
def test_a_backwards_or_overlong_period_is_refused(system_admin, first, last):
    with pytest.raises(InvalidDayRange):
        services.special_days_add(actor=system_admin, first_on=first, last_on=last, kind=DayKind.HOLIDAY, name="x")
    assert not SpecialDay.objects.filter(on__year=2027).exists()


def test_changing_a_package_day_makes_it_an_admin_day_and_is_audited(system_admin):
    day = SpecialDay.objects.get(on=D(2026, 10, 10))

    services.special_day_change(actor=system_admin, day=day, kind=DayKind.HOLIDAY, name="国庆节")

    day.refresh_from_db()
    assert (day.kind, day.source) == ("holiday", "admin")
    assert calendar_events("workdays.day_changed").get().changes == {"kind": ["makeup_workday", "holiday"]}
    assert add_working_days(D(2026, 10, 9), 1, selectors.work_calendar()).on == D(2026, 10, 12)


def test_removing_a_day_brings_back_the_weekend_rule(system_admin):
    services.special_day_remove(actor=system_admin, day=SpecialDay.objects.get(on=D(2026, 10, 10)))

    assert not SpecialDay.objects.filter(on=D(2026, 10, 10)).exists()
    assert calendar_events("workdays.day_removed").get().target_id == "2026-10-10"
    assert add_working_days(D(2026, 9, 30), 5, selectors.work_calendar()).on == D(2026, 10, 14)


def test_reseeding_is_idempotent_and_keeps_admin_entries(system_admin):
    services.special_day_change(
        actor=system_admin, day=SpecialDay.objects.get(on=D(2026, 10, 10)), kind=DayKind.HOLIDAY, name="国庆节"
    )
    SpecialDay.objects.filter(on=D(2026, 5, 1)).update(name="wrong")  # a package row that drifted
    SpecialDay.objects.create(
        on=D(2026, 3, 2), calendar_year_id=2026, kind="holiday", name="x", source="chinesecalendar"
    )

    report = services.calendar_seed(actor=system_admin)
    again = services.calendar_seed(actor=system_admin)

    assert (report.days_updated, report.days_removed, report.admin_days_kept, report.days_created) == (1, 1, 1, 0)
    assert (again.days_updated, again.days_removed, again.days_created) == (0, 0, 0)
    assert SpecialDay.objects.get(on=D(2026, 10, 10)).kind == "holiday"
    assert SpecialDay.objects.get(on=D(2026, 5, 1)).name == "劳动节"
    assert calendar_events("workdays.seeded").count() == 2


def test_reseeding_restores_a_deleted_package_day(system_admin):
    SpecialDay.objects.filter(on=D(2026, 10, 1)).delete()

    report = services.calendar_seed(actor=system_admin)

    assert report.days_created == 1
    assert SpecialDay.objects.get(on=D(2026, 10, 1)).source == "chinesecalendar"
