"""The figures as tables: one list of named tables that the page (charts and tables), the Excel export and
the API all read, so each shows the same numbers. Durations in minutes, rates in percent (one decimal)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.halls.models import CHANNEL_CHOICES
from onewindow.orgs.models import Hall, User
from onewindow.tickets.figures import selectors
from onewindow.tickets.figures.domain import (
    Durations,
    TicketTimes,
    abandonment,
    durations_by,
    hour_issued,
    hour_started,
    share,
)
from onewindow.tickets.figures.selectors import BookingCount, Names, Period, WindowUse
from onewindow.web.tables import Cell, Table
from onewindow.workdays.domain import WorkCalendar

WEEKDAYS = [
    gettext_noop("周一"),
    gettext_noop("周二"),
    gettext_noop("周三"),
    gettext_noop("周四"),
    gettext_noop("周五"),
    gettext_noop("周六"),
    gettext_noop("周日"),
]
BOOKING_STATUSES = ("arrived", "cancelled", "lapsed", "booked")


@dataclass(frozen=True)
class Figures:
    period: Period
    halls: list[Hall]
    hall: Hall | None
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def figures_for(
    user: User, *, hall_id: int | None, period: Period, now: dt.datetime, calendar: WorkCalendar
) -> Figures:
    hall_list = selectors.halls_in_scope(user, hall_id)
    ids = [h.pk for h in hall_list]
    names = selectors.names_of(hall_list)
    tickets = selectors.ticket_times(ids, period)
    uses = selectors.window_uses(hall_list, period, tickets, calendar, now)
    bookings = selectors.booking_counts(ids, period)
    tables = [
        *_duration_tables(tickets, names),
        _abandoned_table(tickets, names),
        _utilisation_table(uses, names),
        *_booking_tables(bookings, names),
        _weekend_table(uses, names),
    ]
    return Figures(period, hall_list, hall_list[0] if hall_id else None, tables)


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def percent(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


# --- waiting and service times ---------------------------------------------------------------------------


def _duration_columns(first: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        *first,
        ("waiting_count", _("已叫号数")),
        ("waiting_p50", _("等候时间 P50（分钟）")),
        ("waiting_p90", _("等候时间 P90（分钟）")),
        ("service_count", _("已办结数")),
        ("service_p50", _("办理时间 P50（分钟）")),
        ("service_p90", _("办理时间 P90（分钟）")),
    ]


def _duration_cells(d: Durations) -> dict[str, Cell]:
    return {
        "waiting_count": d.waiting.count,
        "waiting_p50": minutes(d.waiting.p50),
        "waiting_p90": minutes(d.waiting.p90),
        "service_count": d.service.count,
        "service_p50": minutes(d.service.p50),
        "service_p90": minutes(d.service.p90),
    }


def _duration_tables(tickets: list[TicketTimes], names: Names) -> list[Table]:
    hall_col, name_col = ("hall", _("大厅")), ("name", _("名称"))
    by_hall = durations_by(tickets, lambda t: t.hall)
    by_category = durations_by(tickets, lambda t: t.category)
    by_window = durations_by(tickets, lambda t: t.window)
    by_hour = durations_by(tickets, hour_issued, hour_started)
    by_weekday = durations_by(tickets, lambda t: t.day.weekday())
    return [
        _durations("times_by_hall", _("等候与办理时间（按大厅）"), [name_col], by_hall, lambda k: _hall(names, k)),
        _durations(
            "times_by_category", _("等候与办理时间（按类别）"), [hall_col, name_col], by_category, _category(names)
        ),
        _durations("times_by_window", _("等候与办理时间（按窗口）"), [hall_col, name_col], by_window, _window(names)),
        _durations(
            "times_by_hour", _("等候与办理时间（按时段）"), [name_col], by_hour, lambda h: {"name": f"{h:02d}:00"}
        ),
        _durations(
            "times_by_weekday",
            _("等候与办理时间（按星期）"),
            [name_col],
            by_weekday,
            lambda d: {"name": _(WEEKDAYS[d])},
        ),
    ]


def _durations(
    key: str,
    title: str,
    first: list[tuple[str, str]],
    groups: dict[Any, Durations],
    label: Callable[[Any], dict[str, Cell]],
) -> Table:
    rows = [label(k) | _duration_cells(groups[k]) for k in sorted(groups)]
    return Table(key, title, _duration_columns(first), rows)


def _hall(names: Names, hall: int) -> dict[str, Cell]:
    return {"name": names.halls.get(hall, "")}


def _category(names: Names) -> Callable[[int], dict[str, Cell]]:
    def label(category: int) -> dict[str, Cell]:
        hall, name = names.categories.get(category, (0, ""))
        return {"hall": names.halls.get(hall, ""), "name": name}

    return label


def _window(names: Names) -> Callable[[int], dict[str, Cell]]:
    def label(window: int) -> dict[str, Cell]:
        hall, number = names.windows.get(window, (0, ""))
        return {"hall": names.halls.get(hall, ""), "name": _("%(number)s号窗口") % {"number": number}}

    return label


# --- abandoned, utilisation, weekend ---------------------------------------------------------------------


def _abandoned_table(tickets: list[TicketTimes], names: Names) -> Table:
    per_hall: dict[int, list[TicketTimes]] = defaultdict(list)
    for t in tickets:
        per_hall[t.hall].append(t)
    rows: list[dict[str, Cell]] = []
    for hall in sorted(per_hall):
        a = abandonment(per_hall[hall])
        rows.append(
            {
                "name": names.halls.get(hall, ""),
                "taken": a.taken,
                "abandoned": a.abandoned,
                "left_in_queue": a.left_in_queue,
                "skipped_never_recalled": a.skipped_never_recalled,
                "rate": percent(a.rate),
            }
        )
    columns = [
        ("name", _("大厅")),
        ("taken", _("取号数")),
        ("abandoned", _("弃号数")),
        ("left_in_queue", _("其中：未叫到即离开")),
        ("skipped_never_recalled", _("其中：过号未重呼")),
        ("rate", _("弃号率（%）")),
    ]
    return Table("abandoned", _("弃号"), columns, rows)


def _utilisation_table(uses: list[WindowUse], names: Names) -> Table:
    label = _window(names)
    rows = [
        label(u.window)
        | {
            "open_days": u.open_days,
            "open_hours": round(u.open_seconds / 3600, 1),
            "serving_hours": round(u.serving_seconds / 3600, 1),
            "utilisation": percent(share(u.serving_seconds, u.open_seconds)),
        }
        for u in sorted(uses, key=lambda u: (u.hall, names.windows.get(u.window, (0, ""))[1], u.window))
    ]
    columns = [
        ("hall", _("大厅")),
        ("name", _("窗口")),
        ("open_days", _("开放天数")),
        ("open_hours", _("开放时长（小时）")),
        ("serving_hours", _("办理时长（小时）")),
        ("utilisation", _("利用率（%）")),
    ]
    return Table("utilisation", _("窗口利用率"), columns, rows)


def _weekend_table(uses: list[WindowUse], names: Names) -> Table:
    label = _window(names)
    rows = [
        label(u.window)
        | {
            "saturday": u.weekend_served.get(5, 0),
            "sunday": u.weekend_served.get(6, 0),
            "total": sum(u.weekend_served.values()),
        }
        for u in sorted(uses, key=lambda u: (u.hall, u.window))
        if u.weekend_served
    ]
    columns = [
        ("hall", _("大厅")),
        ("name", _("窗口")),
        ("saturday", _("周六")),
        ("sunday", _("周日")),
        ("total", _("合计")),
    ]
    return Table("weekend", _("周末办件量（按窗口）"), columns, rows)


# --- bookings --------------------------------------------------------------------------------------------


def _booking_tables(counts: list[BookingCount], names: Names) -> list[Table]:
    category = _category(names)
    return [
        _bookings("bookings_by_hall", _("预约（按大厅）"), counts, lambda c: c.hall, lambda k: _hall(names, k), False),
        _bookings("bookings_by_category", _("预约（按类别）"), counts, lambda c: c.category, category, True),
        _bookings(
            "bookings_by_channel",
            _("预约（按渠道）"),
            counts,
            lambda c: c.channel,
            lambda k: {"name": str(dict(CHANNEL_CHOICES).get(k, k))},
            False,
        ),
    ]


def _bookings(
    key: str,
    title: str,
    counts: Iterable[BookingCount],
    group: Callable[[BookingCount], Hashable],
    label: Callable[[Any], dict[str, Cell]],
    with_hall: bool,
) -> Table:
    totals: dict[Any, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BOOKING_STATUSES, 0))
    for c in counts:
        totals[group(c)][c.status] = totals[group(c)].get(c.status, 0) + c.count
    rows = []
    for k in sorted(totals):
        t = totals[k]
        total = sum(t.values())
        done = t["arrived"] + t["lapsed"]  # slots that have passed: kept or not
        rows.append(
            label(k)
            | {
                "total": total,
                "kept": t["arrived"],
                "cancelled": t["cancelled"],
                "no_show": t["lapsed"],
                "pending": t["booked"],
                "no_show_rate": percent(share(t["lapsed"], done)),
            }
        )
    columns = [
        *([("hall", _("大厅"))] if with_hall else []),
        ("name", _("名称")),
        ("total", _("预约数")),
        ("kept", _("已到场")),
        ("cancelled", _("已取消")),
        ("no_show", _("失约")),
        ("pending", _("待到场")),
        ("no_show_rate", _("失约率（%）")),
    ]
    return Table(key, title, columns, rows)
