"""No walk-in ticket while the hall is closed (outside its hours, a closure, a legal holiday, a weekend
without weekend service) or while every window of the category is (a Saturday with another category's
weekend window open): a clear refusal at the kiosk and in the API, and no number used up."""

import datetime as dt
import json

import pytest
import time_machine

from onewindow.errors import Conflict
from onewindow.halls.domain import HallHours
from onewindow.halls.models import Closure
from onewindow.halls.tests.factories import SATURDAY
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff
from onewindow.tickets import services
from onewindow.tickets.domain import ClosedReason, closed_for_ticket
from onewindow.tickets.tests.factories import AT_TEN, DAY, booked_person, ticket_world
from onewindow.workdays.domain import DayKind, WorkCalendar
from onewindow.workdays.services import special_days_add

D, T = dt.date, dt.time
# 2026-10-01 (Thursday) is a legal holiday; 2026-10-10 (Saturday) a make-up working day.
CAL = WorkCalendar(
    holidays=frozenset({D(2026, 10, 1)}), makeup_workdays=frozenset({D(2026, 10, 10)}), known_years=frozenset({2026})
)
HOURS = HallHours(hours={d: (T(9), T(17)) for d in range(7)}, closures=frozenset({D(2026, 10, 13)}))
MONDAY, SAT = D(2026, 10, 12), D(2026, 10, 17)


def reason(day, at, hall=HOURS, *, weekend_window=False, serving=(False,)):
    closed = closed_for_ticket(day, at, hall, CAL, weekend_window=weekend_window, serving_weekends=serving)
    return closed and closed.reason


def test_open_within_the_hours_of_an_ordinary_day():
    assert reason(MONDAY, T(9)) is None and reason(MONDAY, T(16, 59)) is None


def test_before_opening_and_from_closing_time_the_hall_is_closed_and_says_its_hours():
    closed = closed_for_ticket(MONDAY, T(8, 59), HOURS, CAL, weekend_window=False, serving_weekends=[False])
    assert closed is not None and closed.reason is ClosedReason.OUTSIDE_HOURS and closed.hours == (T(9), T(17))
    assert reason(MONDAY, T(17)) is ClosedReason.OUTSIDE_HOURS


def test_a_closure_a_legal_holiday_and_a_weekend_without_weekend_service():
    assert reason(D(2026, 10, 13), T(10)) is ClosedReason.CLOSURE
    assert reason(D(2026, 10, 1), T(10), HallHours(hours=HOURS.hours, weekend_service=True)) is ClosedReason.HOLIDAY
    assert reason(SAT, T(10)) is ClosedReason.WEEKEND
    assert reason(D(2026, 10, 10), T(10)) is None  # a make-up working day is an ordinary day


def test_on_a_weekend_only_the_categories_of_a_weekend_window_take_tickets():
    assert reason(SAT, T(10), weekend_window=True, serving=[True, False]) is None
    assert reason(SAT, T(10), weekend_window=True, serving=[False]) is ClosedReason.CATEGORY
    assert reason(SAT, T(10), HallHours(hours=HOURS.hours, weekend_service=True)) is None


@pytest.fixture
def world(db):
    return ticket_world()  # open 9:00-12:00 every day; window 9 (社会事务) opens on weekends


def refusal(world, at, category=None) -> Conflict:
    with pytest.raises(Conflict) as refused:
        world.walk_in(category, at=at)
    return refused.value


def test_a_walk_in_before_opening_is_refused_and_uses_no_number(world):
    early = refusal(world, AT_TEN.replace(hour=8, minute=30))
    assert early.code == "tickets_hall_closed" and early.message == "大厅今天的开放时间为 09:00–12:00，现在不能取号。"
    assert refusal(world, AT_TEN.replace(hour=12)).code == "tickets_hall_closed"
    assert world.walk_in(at=AT_TEN.replace(hour=11, minute=59)).number == "A001"


def test_a_closure_and_a_legal_holiday_refuse_tickets(world):
    Closure.objects.create(hall=world.hall, on=DAY, reason="停电检修")
    assert refusal(world, AT_TEN).message == "今天大厅闭厅，暂停取号。"
    tuesday = DAY + dt.timedelta(days=1)
    special_days_add(actor=staff(Role.SYSTEM_ADMIN, world.region), first_on=tuesday, kind=DayKind.HOLIDAY, name="假日")
    holiday = refusal(world, AT_TEN + dt.timedelta(days=1))
    assert holiday.code == "tickets_hall_closed" and "法定节假日" in holiday.message


def test_on_saturday_only_the_weekend_windows_category_takes_tickets(world):
    saturday_ten = AT_TEN.replace(day=SATURDAY.day)
    closed = refusal(world, saturday_ten, world.halls.business)
    assert closed.code == "tickets_category_closed" and "企业开办" in closed.message
    assert world.walk_in(world.halls.social, at=saturday_ten).number == "B001"


def test_the_api_and_the_kiosk_say_why(client, world):
    client.force_login(world.clerk)
    with time_machine.travel(AT_TEN.replace(hour=7), tick=False):
        response = client.post(
            f"/api/tickets/halls/{world.hall.pk}/tickets",
            json.dumps({"category_id": world.halls.business.pk}),
            content_type="application/json",
        )
        assert response.status_code == 409 and response.json()["code"] == "tickets_hall_closed"
        assert response.json()["message"] == "大厅今天的开放时间为 09:00–12:00，现在不能取号。"
        page = client.post(f"/tickets/kiosk/{world.hall.pk}/", {"way": "walk_in", "category": world.halls.business.pk})
        assert "现在不能取号" in page.content.decode()


def test_a_booking_takes_its_ticket_in_its_arrival_window_before_the_hall_opens(world):
    booking, _applicant = booked_person(world, starts=T(9))
    request = services.TicketRequest(booking_code=booking.code)
    at = AT_TEN.replace(hour=8, minute=45)
    ticket = services.ticket_take(actor=world.clerk, hall_id=world.hall.pk, request=request, now=at)
    assert ticket.number == "A001" and ticket.priority == "booking"
