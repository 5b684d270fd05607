"""The figures a supervisor reads, from a week of one hall made through the tickets' services at set times
(Monday 2026-12-07) plus a Saturday ticket at the weekend window and four bookings; the page, its Excel
export and the API show the same numbers, scoped to the staff's halls."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from onewindow.demo.halls import halls_demo_load
from onewindow.demo.tickets import tickets_demo_load
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.halls.models import Booking, Duty
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Hall, Window
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff
from onewindow.tickets import services
from onewindow.tickets.figures import selectors
from onewindow.tickets.figures.selectors import Period
from onewindow.tickets.figures.tables import figures_for
from onewindow.tickets.models import Ticket
from onewindow.tickets.tests.factories import SHANGHAI, TicketWorld, ticket_world
from onewindow.workdays.domain import WorkCalendar

pytestmark = pytest.mark.django_db
MONDAY, TUESDAY, SATURDAY = dt.date(2026, 12, 7), dt.date(2026, 12, 8), dt.date(2026, 12, 12)
WEEK = Period(MONDAY, dt.date(2026, 12, 13))
NEXT_MONDAY = dt.datetime(2026, 12, 14, 10, tzinfo=SHANGHAI)
QUERY = "from=2026-12-07&to=2026-12-13"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def serve(w: TicketWorld, window: int, called: dt.datetime, started: dt.datetime, finished: dt.datetime) -> Ticket:
    window_id = w.window(window).pk
    ticket = services.ticket_call_next(actor=w.clerk, window_id=window_id, now=called)
    services.service_start(actor=w.clerk, window_id=window_id, ticket_id=ticket.pk, now=started)
    return services.service_finish(actor=w.clerk, window_id=window_id, ticket_id=ticket.pk, now=finished)


def book(w: TicketWorld, status: str, channel: str, code: str) -> Booking:
    return Booking.objects.create(
        hall=w.hall,
        category=w.halls.business,
        person=UserFactory(),
        on=MONDAY,
        starts=dt.time(10),
        status=status,
        channel=channel,
        code=code,
    )


@pytest.fixture
def week() -> TicketWorld:
    """Monday: five walk-ins at 9:00, 9:05, 9:10, 9:20, 9:30; window 1 serves the first two (waits 10 and
    20 minutes, service 10 and 30), window 2 the third (wait 30, service 5) and skips the fourth (wait 30);
    the fifth is never called; the day's end voids both. Tuesday has a roster: window 2 only. Saturday:
    one ticket at the weekend window 9 (wait 2, service 10). Bookings: kept, cancelled, no-show, pending."""
    w = ticket_world()
    for minute in (0, 5, 10, 20, 30):
        w.walk_in(at=at(MONDAY, 9, minute))
    serve(w, 0, at(MONDAY, 9, 10), at(MONDAY, 9, 11), at(MONDAY, 9, 21))
    serve(w, 0, at(MONDAY, 9, 25), at(MONDAY, 9, 26), at(MONDAY, 9, 56))
    serve(w, 1, at(MONDAY, 9, 40), at(MONDAY, 9, 41), at(MONDAY, 9, 46))
    skipped = services.ticket_call_next(actor=w.clerk, window_id=w.window(1).pk, now=at(MONDAY, 9, 50))
    services.ticket_skip(actor=w.clerk, window_id=w.window(1).pk, ticket_id=skipped.pk, now=at(MONDAY, 9, 52))
    services.tickets_abandon(day=MONDAY)
    Ticket.objects.create(
        hall=w.hall,
        category=w.halls.social,
        issued_on=SATURDAY,
        number="B001",
        source="walk_in",
        priority="normal",
        priority_rank=3,
        status="done",
        window=w.window(2),
        clerk=w.clerk,
        issued_at=at(SATURDAY, 10),
        called_at=at(SATURDAY, 10, 2),
        started_at=at(SATURDAY, 10, 3),
        finished_at=at(SATURDAY, 10, 13),
        call_count=1,
    )
    Duty.objects.create(window=w.window(1), on=TUESDAY, clerk=w.clerk)
    for status, channel, code in [
        ("arrived", "online", "KEPT2345"),
        ("cancelled", "api", "CANC2345"),
        ("lapsed", "online", "LAPS2345"),
        ("booked", "clerk", "BOOK2345"),
    ]:
        book(w, status, channel, code)
    return w


def week_figures(w: TicketWorld, user=None, hall_id=None):
    return figures_for(user or w.clerk, hall_id=hall_id, period=WEEK, now=NEXT_MONDAY, calendar=WorkCalendar())


def rows(figures, key):
    return {(row.get("hall"), row["name"]): row for row in figures.table(key).rows}


def test_waiting_and_service_times_of_the_hall_are_counted_with_p50_and_p90(week):
    hall = rows(week_figures(week), "times_by_hall")[(None, "测试政务服务大厅")]
    # waits 2, 10, 20, 30, 30 minutes; services 5, 10, 10, 30
    assert (hall["waiting_count"], hall["waiting_p50"], hall["waiting_p90"]) == (5, 20.0, 30.0)
    assert (hall["service_count"], hall["service_p50"], hall["service_p90"]) == (4, 10.0, 30.0)


def test_times_by_window_category_hour_and_weekday(week):
    figures = week_figures(week)
    windows = rows(figures, "times_by_window")
    one = windows[("测试政务服务大厅", "1号窗口")]
    assert (one["waiting_count"], one["waiting_p50"], one["service_p90"]) == (2, 10.0, 30.0)
    two = windows[("测试政务服务大厅", "2号窗口")]
    assert (two["waiting_count"], two["waiting_p90"], two["service_count"]) == (2, 30.0, 1)
    categories = rows(figures, "times_by_category")
    assert categories[("测试政务服务大厅", "社会事务")]["waiting_p50"] == 2.0
    hours = rows(figures, "times_by_hour")
    assert (hours[(None, "09:00")]["waiting_count"], hours[(None, "09:00")]["service_p50"]) == (4, 10.0)
    assert hours[(None, "10:00")]["service_p50"] == 10.0
    weekdays = rows(figures, "times_by_weekday")
    assert (weekdays[(None, "周一")]["waiting_count"], weekdays[(None, "周六")]["waiting_count"]) == (4, 1)


def test_abandoned_tickets_count_those_left_in_the_queue_and_those_skipped_never_recalled(week):
    row = rows(week_figures(week), "abandoned")[(None, "测试政务服务大厅")]
    assert (row["taken"], row["abandoned"], row["left_in_queue"], row["skipped_never_recalled"]) == (6, 2, 1, 1)
    assert row["rate"] == 33.3


def test_window_utilisation_is_service_time_over_the_open_time_of_its_days(week):
    windows = rows(week_figures(week), "utilisation")
    # Window 1: open 9-12 Monday, Wednesday-Friday (Tuesday's roster has window 2 only): 12 h; served 40 min.
    one = windows[("测试政务服务大厅", "1号窗口")]
    assert (one["open_days"], one["open_hours"], one["serving_hours"], one["utilisation"]) == (4, 12.0, 0.7, 5.6)
    # Window 9 has weekend service: every day but Tuesday (no clerk on duty), 18 h; served 10 minutes.
    nine = windows[("测试政务服务大厅", "9号窗口")]
    assert (nine["open_days"], nine["open_hours"], nine["utilisation"]) == (6, 18.0, 0.9)


def test_weekend_volume_is_counted_per_window(week):
    weekend = rows(week_figures(week), "weekend")
    assert list(weekend) == [("测试政务服务大厅", "9号窗口")]
    assert weekend[("测试政务服务大厅", "9号窗口")] | {} == {
        "hall": "测试政务服务大厅",
        "name": "9号窗口",
        "saturday": 1,
        "sunday": 0,
        "total": 1,
    }


def test_bookings_kept_cancelled_and_no_shows_by_hall_category_and_channel(week):
    figures = week_figures(week)
    hall = rows(figures, "bookings_by_hall")[(None, "测试政务服务大厅")]
    assert (hall["total"], hall["kept"], hall["cancelled"], hall["no_show"], hall["pending"]) == (4, 1, 1, 1, 1)
    assert hall["no_show_rate"] == 50.0  # one of the two slots that passed
    assert rows(figures, "bookings_by_category")[("测试政务服务大厅", "企业开办")]["total"] == 4
    channels = rows(figures, "bookings_by_channel")
    assert channels[(None, "网上预约")]["total"] == 2 and channels[(None, "移动端")]["cancelled"] == 1


def test_a_period_outside_the_tickets_shows_empty_tables(week):
    empty = figures_for(
        week.clerk,
        hall_id=None,
        period=Period(dt.date(2026, 11, 1), dt.date(2026, 11, 2)),
        now=NEXT_MONDAY,
        calendar=WorkCalendar(),
    )
    assert empty.table("times_by_hall").rows == [] and empty.table("bookings_by_hall").rows == []


def test_staff_see_their_subtree_s_halls_only(week):
    other = ticket_world()
    assert [h.pk for h in week_figures(week).halls] == [week.hall.pk]
    with pytest.raises(NotFound):
        week_figures(week, hall_id=other.hall.pk)
    with pytest.raises(PermissionDenied):
        week_figures(week, user=UserFactory())
    city_admin = staff(Role.SYSTEM_ADMIN, RegionFactory())
    assert week_figures(week, user=city_admin).halls == []


def test_the_figures_read_a_fixed_number_of_queries(week, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        week_figures(week)


def test_the_period_defaults_to_the_last_30_days_and_refuses_wrong_dates():
    today = dt.date(2026, 12, 14)
    assert selectors.period_of("", "", today) == Period(dt.date(2026, 11, 15), today)
    assert selectors.period_of("2026-12-14", "2026-12-14", today) == Period(today, today)
    for first, last in [("2026-13-01", ""), ("2026-12-15", "2026-12-14"), ("2024-01-01", "2026-12-14")]:
        with pytest.raises(InvalidFields) as refused:
            selectors.period_of(first, last, today)
        assert refused.value.code == "tickets_figures_period_invalid"


# --- the page, the export, the API -----------------------------------------------------------------------


@time_machine.travel(NEXT_MONDAY, tick=False)
def test_the_dashboard_renders_the_charts_data_and_the_tables(client, week):
    client.force_login(week.clerk)
    response = client.get(f"/tickets/figures/?hall={week.hall.pk}&{QUERY}")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="tickets-figures"' in page and "/static/tickets/figures." in page
    assert "/static/vendor/echarts.min." in page  # vendored (hashed with DEBUG=0)
    assert not re.search(r'<script[^>]+src="(?:https?:)?//', page)  # no script from another site
    assert 'id="chart-utilisation"' in page and "窗口利用率" in page
    charts = response.context["charts"]
    assert charts["times_by_hall"][0]["waiting_p50"] == 20.0
    assert charts["weekend"][0]["saturday"] == 1
    assert "<td>33.3</td>" in page  # the abandonment rate in its table


@time_machine.travel(NEXT_MONDAY, tick=False)
def test_a_wrong_date_shows_the_last_30_days_with_the_error_beside_the_field(client, week):
    client.force_login(week.clerk)
    response = client.get("/tickets/figures/?from=2026-99-01")
    assert response.status_code == 200
    assert response.context["figures"].period == Period(dt.date(2026, 11, 15), dt.date(2026, 12, 14))
    assert "日期格式应为 YYYY-MM-DD。" in response.content.decode()


@time_machine.travel(NEXT_MONDAY, tick=False)
def test_the_export_has_a_sheet_per_table_with_the_rows(client, week):
    client.force_login(week.clerk)
    response = client.get(f"/tickets/figures/export/?{QUERY}")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) == 11
    sheet = list(workbook["窗口利用率"].values)
    assert sheet[1][:3] == ("大厅", "窗口", "开放天数")
    assert ("测试政务服务大厅", "1号窗口", 4, 12, 0.7, 5.6) in sheet
    times = list(workbook["等候与办理时间（按大厅）"].values)
    assert times[2] == ("测试政务服务大厅", 5, 20, 30, 4, 10, 30)


@time_machine.travel(NEXT_MONDAY, tick=False)
def test_the_api_returns_the_same_figures(client, week):
    client.force_login(week.clerk)
    body = client.get(f"/api/tickets/figures?hall={week.hall.pk}&{QUERY}").json()
    assert (body["from_date"], body["to_date"], body["hall_id"]) == ("2026-12-07", "2026-12-13", week.hall.pk)
    tables = {t["key"]: t for t in body["tables"]}
    assert tables["times_by_hall"]["rows"][0]["waiting_p90"] == 30.0
    assert tables["abandoned"]["rows"][0]["rate"] == 33.3
    assert {"key": "utilisation", "label": "利用率（%）"} in tables["utilisation"]["columns"]
    refused = client.get("/api/tickets/figures?from=2026-12-14&to=2026-12-01")
    assert refused.status_code == 422 and refused.json()["code"] == "tickets_figures_period_invalid"


def test_the_tickets_index_and_the_halls_desk_link_to_the_figures(client):
    w = ticket_world()
    client.force_login(w.clerk)
    link = f"/tickets/figures/?hall={w.hall.pk}"
    assert link in client.get("/tickets/").content.decode()
    assert link in client.get("/halls/desk/").content.decode()
    assert link in client.get(f"/halls/desk/{w.hall.pk}/").content.decode()
    assert client.get(link).status_code == 200


def test_the_figures_of_the_day_show_the_demo_hall_s_queue(client):
    region = RegionFactory()
    hall = Hall.objects.create(region=region, name="云川市政务服务中心")
    for n in ("1", "2"):
        Window.objects.create(hall=hall, number=n, name="综合窗口")
    staff(Role.CLERK, region)
    halls_demo_load(today=timezone.localdate())
    tickets_demo_load()
    client.force_login(staff(Role.SUPERVISOR, region))
    today = f"{timezone.localdate():%Y-%m-%d}"
    response = client.get(f"/tickets/figures/?hall={hall.pk}&from={today}&to={today}")
    assert response.status_code == 200 and response.context["is_today"]
    charts = response.context["charts"]
    day = Ticket.objects.filter(hall=hall, issued_on=timezone.localdate())
    assert sum(row["taken"] for row in charts["abandoned"]) == day.count()
    assert sum(row["waiting_count"] for row in charts["times_by_hall"]) == day.exclude(called_at=None).count()
