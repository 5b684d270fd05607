"""The demo halls' past days (先取号后办理 as it went): four weeks up to yesterday in the city hall and in
清河区's hall, through the halls' and tickets' services at their own times (`now=`), as the people
involved would: bookings made two days ahead (kept, cancelled, a few lapsed), tickets taken at the kiosk
(bookings, walk-ins, priority groups) on the day's curve, called, skipped and recalled, transferred,
served at the windows by the clerks working them; what is left at closing time is void.

Working days: the city hall's windows 1 and 2 (clerk_2, clerk_3), 3 walk-ins and 2 bookings a day;
清河区's window 1 (clerk_qh), 1. Saturdays and Sundays: window 1 only (its weekend service; the halls
themselves keep working days), the city hall 2 walk-ins and a booking on Saturday, 1 and a booking on
Sunday; 清河区 1 on Saturday. Legal holidays: closed, weekend windows too.

A small volume on purpose: every write goes through the services with its audit event (about 40 ms a
ticket on SQLite), and the whole demo must load in seconds.

Which days: `queue_plan.history_days` (the holiday before the four weeks is added when none falls in
them). A day that holds tickets already is left alone; loaded once per hall (a hall whose history
clerks served a ticket has its history). A few ID-card tickets of the city hall become cases at the
window afterwards (`queue_bookings`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction

from onewindow.demo import queue_plan
from onewindow.demo.queue_bookings import BookingBook, CaseCandidates, Visit, at
from onewindow.errors import Conflict
from onewindow.halls import selectors as hall_selectors
from onewindow.halls.domain import HallHours, hours_on
from onewindow.halls.models import ServiceCategory, WindowProfile
from onewindow.halls.services import bookings_lapse
from onewindow.orgs.models import Hall, User, Window
from onewindow.tickets import services as ticket_services
from onewindow.tickets.domain import TicketStatus
from onewindow.tickets.models import Ticket
from onewindow.tickets.services.common import recall_minutes
from onewindow.workdays.domain import WorkCalendar
from onewindow.workdays.selectors import work_calendar

MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class HallPlan:
    """Who works which window of a hall's region on working days and weekends, and how many come."""

    region: str
    weekday_desks: tuple[tuple[str, str], ...]  # (window number, clerk username)
    weekend_desks: dict[int, tuple[tuple[str, str], ...]]  # weekday (5, 6) -> desks
    weekday_count: int
    weekend_count: dict[int, int]
    bookings: bool = False


PLANS = (
    HallPlan(
        "9901",
        (("1", "clerk_2"), ("2", "clerk_3")),
        {5: (("1", "clerk_2"),), 6: (("1", "clerk_3"),)},
        3,
        {5: 2, 6: 1},
        bookings=True,
    ),
    HallPlan("990102", (("1", "clerk_qh"),), {5: (("1", "clerk_qh"),), 6: (("1", "clerk_qh"),)}, 1, {5: 1, 6: 0}),
)


@dataclass
class Desk:
    window: Window
    clerk: User
    free_at: dt.datetime
    recall: tuple[int, dt.datetime, dt.datetime] | None = None  # a skipped ticket to call again: when, until


@dataclass
class Day:
    hall: Hall
    on: dt.date
    closes: dt.datetime
    kiosk: User
    categories: list[ServiceCategory]
    rng: random.Random
    visits: list[Visit]
    waiting: list[int] = field(default_factory=list)
    transferred: set[int] = field(default_factory=set)
    filing: set[int] = field(default_factory=set)  # tickets of people come to file a case: they answer their call


@transaction.atomic
def queue_history_load(*, today: dt.date) -> int:
    """The halls' past days, once; returns the tickets taken (0 on a second run)."""
    before = Ticket.objects.count()
    calendar = work_calendar()
    days = queue_plan.history_days(today, calendar.holidays)
    candidates = CaseCandidates()
    for plan in PLANS:
        hall = Hall.objects.filter(region__code=plan.region, profile__isnull=False).order_by("pk").first()
        clerks = {name for desks in (plan.weekday_desks, *plan.weekend_desks.values()) for _, name in desks}
        if hall is None or Ticket.objects.filter(hall=hall, clerk__username__in=clerks).exists():
            continue
        book = BookingBook(hall) if plan.bookings else None
        for day in days:
            _hall_day(hall, plan, day, calendar, book, candidates if plan.bookings else None)
    _earlier_days_closed(today)
    candidates.file_cases()
    return Ticket.objects.count() - before


def _earlier_days_closed(today: dt.date) -> None:
    """What an earlier day left (its queue, told by an earlier run): the ticket being served is finished
    by its clerk, the rest is void (the day's end, `tickets_abandon`), so that today's windows are free."""
    for ticket in Ticket.objects.filter(issued_on__lt=today, status=TicketStatus.SERVING.value).order_by("pk"):
        assert ticket.clerk is not None and ticket.window_id is not None and ticket.started_at is not None
        ticket_services.service_finish(
            actor=ticket.clerk, window_id=ticket.window_id, ticket_id=ticket.pk, now=ticket.started_at + MINUTE * 15
        )
    ticket_services.tickets_abandon(day=today - dt.timedelta(days=1))


def _hall_day(
    hall: Hall,
    plan: HallPlan,
    on: dt.date,
    calendar: WorkCalendar,
    book: BookingBook | None,
    candidates: CaseCandidates | None,
) -> None:
    hours = hall_selectors.hall_hours(hall)
    weekday = hours_on(on, hours, calendar) is not None
    desks_of = plan.weekday_desks if weekday else plan.weekend_desks.get(on.weekday(), ())
    desks = _desks(hall, desks_of, on, hours, calendar, weekday)
    if not desks or Ticket.objects.filter(hall=hall, issued_on=on).exists():
        return
    span = hours_on(on, hours, calendar, window_weekend=not weekday)
    assert span is not None
    rng = queue_plan.rng_of(on, hall.region.code)
    categories = list(hall_selectors.categories_of(hall))
    count = plan.weekday_count if weekday else plan.weekend_count.get(on.weekday(), 0)
    visits = _walk_ins(rng, on, span, categories, count)
    if book is not None:
        visits += book.bookings_of_day(on, rng, weekday=weekday)
    if candidates is not None and weekday:
        candidates.pick(visits, categories)
    day = Day(hall, on, at(on, span[1]), desks[0].clerk, categories, rng, sorted(visits, key=lambda v: v.at))
    _run(day, desks, candidates)
    bookings_lapse(now=day.closes)


def _desks(
    hall: Hall,
    desks: tuple[tuple[str, str], ...],
    on: dt.date,
    hours: HallHours,
    calendar: WorkCalendar,
    weekday: bool,
) -> list[Desk]:
    """The day's windows with their clerk, those open that day only (a weekend: the weekend windows)."""
    found = []
    for number, username in desks:
        window = Window.objects.filter(hall=hall, number=number).first()
        clerk = User.objects.filter(username=username).first()
        if window is None or clerk is None:
            continue
        profile = WindowProfile.objects.filter(window=window).first()
        weekend = bool(profile and profile.weekend_service)
        span = hours_on(on, hours, calendar, window_weekend=weekend)
        if span is not None and (weekday or weekend):
            found.append(Desk(window, clerk, at(on, span[0]) + MINUTE * 2))
    return found


def _walk_ins(
    rng: random.Random, on: dt.date, span: tuple[dt.time, dt.time], categories: list[ServiceCategory], count: int
) -> list[Visit]:
    opened = at(on, span[0])
    return [
        Visit(
            opened + MINUTE * a.minute,
            ticket_services.TicketRequest(category_id=categories[a.category].pk, priority_group=a.priority_group),
        )
        for a in queue_plan.arrivals(rng, count=count, opens=span[0], closes=span[1], categories=len(categories))
    ]


def _run(day: Day, desks: list[Desk], candidates: CaseCandidates | None) -> None:
    """The day, one call at a time: the window free first calls next (or recalls its skipped ticket)."""
    while desks:
        desk = min(desks, key=lambda d: d.free_at)
        if desk.free_at >= day.closes:
            desks.remove(desk)
            continue
        _take_until(day, desk.free_at, candidates)
        if desk.recall is not None and desk.free_at > desk.recall[2]:
            desk.recall = None  # too late to recall: the ticket is void at closing time
        if desk.recall is not None and desk.free_at >= desk.recall[1]:
            ticket_id = desk.recall[0]
            desk.recall = None
            ticket_services.ticket_recall(
                actor=desk.clerk, window_id=desk.window.pk, ticket_id=ticket_id, now=desk.free_at
            )
            _serve(day, desk, ticket_id, queue_plan.fate(day.rng).minutes)
            continue
        if not day.waiting:
            _wait(day, desk, desks)
            continue
        _call(day, desk)


def _take_until(day: Day, now: dt.datetime, candidates: CaseCandidates | None) -> None:
    while day.visits and day.visits[0].at <= now:
        visit = day.visits.pop(0)
        try:
            ticket = ticket_services.ticket_take(
                actor=day.kiosk, hall_id=day.hall.pk, request=visit.request, now=visit.at
            )
        except Conflict:
            continue  # a booking checked in too late (the kiosk refuses it): the person goes home
        day.waiting.append(ticket.pk)
        if candidates is not None and visit.candidate is not None:
            candidates.taken(ticket, visit.candidate)
            day.filing.add(ticket.pk)


def _wait(day: Day, desk: Desk, desks: list[Desk]) -> None:
    """Nobody waiting: the window waits for the next visit (or its recall); with neither, it is done."""
    upcoming = [v.at for v in day.visits[:1]] + ([desk.recall[1]] if desk.recall else [])
    if upcoming:
        desk.free_at = max(desk.free_at, min(upcoming)) + MINUTE
    else:
        desks.remove(desk)


def _call(day: Day, desk: Desk) -> None:
    try:
        ticket = ticket_services.ticket_call_next(actor=desk.clerk, window_id=desk.window.pk, now=desk.free_at)
    except Conflict:
        day.waiting.clear()  # nothing this window may call (should not happen: both windows serve every category)
        return
    day.waiting.remove(ticket.pk)
    fate = queue_plan.fate(day.rng)
    if fate.skipped and desk.recall is None and ticket.pk not in day.filing:
        skipped_at = desk.free_at + MINUTE * 2
        ticket_services.ticket_skip(actor=desk.clerk, window_id=desk.window.pk, ticket_id=ticket.pk, now=skipped_at)
        if fate.recalled:
            recall_at = skipped_at + MINUTE * day.rng.randrange(5, 20)
            desk.recall = (ticket.pk, recall_at, skipped_at + MINUTE * (recall_minutes() - 1))
        desk.free_at = skipped_at + MINUTE
        return
    if fate.transferred and ticket.pk not in day.transferred:
        _transfer(day, desk, ticket)
        return
    _serve(day, desk, ticket.pk, fate.minutes)


def _transfer(day: Day, desk: Desk, ticket: Ticket) -> None:
    """Came to the wrong queue: sent to another category's, keeping their place."""
    others = [c for c in day.categories if c.pk != ticket.category_id]
    target = others[day.rng.randrange(len(others))]
    now = desk.free_at + MINUTE * 2
    ticket_services.ticket_transfer(
        actor=desk.clerk, window_id=desk.window.pk, ticket_id=ticket.pk, to_category_id=target.pk, now=now
    )
    day.transferred.add(ticket.pk)
    day.waiting.append(ticket.pk)
    desk.free_at = now + MINUTE


def _serve(day: Day, desk: Desk, ticket_id: int, minutes: int) -> None:
    started = desk.free_at + MINUTE
    finished = started + MINUTE * minutes
    ticket_services.service_start(actor=desk.clerk, window_id=desk.window.pk, ticket_id=ticket_id, now=started)
    ticket_services.service_finish(actor=desk.clerk, window_id=desk.window.pk, ticket_id=ticket_id, now=finished)
    desk.free_at = finished + MINUTE * day.rng.randrange(1, 4)
