"""The city hall's past bookings and the tickets that became cases, for `queue_history`.

Bookings: the demo's applicants book two days ahead online (`halls.services.booking_create`); most come
and take their ticket by booking code (checked in on time: they are called first), now and then one
cancels the day before, and a few never come (lapsed by `bookings_lapse` at closing time, one each at
most, far from the three no-shows that pause online booking).

Cases: on every other working day one walk-in shows an ID card at the kiosk and is served; afterwards the
clerk who served them files a case for them at the window (`cases.services.intake.case_submit_at_window`,
accepted there) and links it to the ticket (`tickets.services.ticket_link_case`), as 关联已有办件 does.
Ten at most, and only when the catalogue holds the matters.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from onewindow.cases.services import intake
from onewindow.catalogue.models import MatterVersion, VersionStatus
from onewindow.demo.identifiers import resident_id
from onewindow.demo.township_cases import window_case_submit
from onewindow.halls import selectors as hall_selectors
from onewindow.halls.models import ServiceCategory
from onewindow.halls.services import booking_cancel, booking_create, slot_datetime
from onewindow.orgs.models import Applicant, Hall, User
from onewindow.tickets import services as ticket_services
from onewindow.tickets.domain import TicketStatus
from onewindow.tickets.models import Ticket
from onewindow.workdays.selectors import work_calendar

# Walk-ins who leave with a case: name, resident ID stem, phone.
PEOPLE = (
    ("邵文杰", "33010619850312011", "13800001101"),
    ("谢婉清", "32010219900521022", "13800001102"),
    ("彭志强", "42010619780907035", "13800001103"),
    ("蒋雨涵", "51010719950114046", "13800001104"),
    ("曹立伟", "44030519820630057", "13800001105"),
    ("袁梦琪", "35020319970818068", "13800001106"),
    ("潘国庆", "37010219711001079", "13800001107"),
    ("钟欣怡", "43010519931225082", "13800001108"),
    ("魏海波", "61010319880402093", "13800001109"),
    ("龚晓雪", "23010219920716104", "13800001110"),
)
# The category a case's walk-in queued in, and the matter filed for them.
MATTER_OF_CATEGORY = {"企业开办": "990100-SCJG-004", "不动产登记": "990100-BDC-003"}
LAPSES = 4


SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=SHANGHAI)


@dataclass
class Visit:
    """Someone coming to the kiosk at `at`: a walk-in (category), an ID card, or a booking's code."""

    at: dt.datetime
    request: ticket_services.TicketRequest
    candidate: int | None = None  # an ID-card visit that becomes a case (an index into PEOPLE)


class BookingBook:
    """The city hall's bookings of the past days, made and ended through the halls' services."""

    def __init__(self, hall: Hall) -> None:
        self.hall = hall
        self.persons = [a.user for a in Applicant.objects.filter(user__isnull=False, kind="person").order_by("pk")]
        self.count = 0
        self.lapsed: set[int] = set()

    def bookings_of_day(self, on: dt.date, rng: random.Random, *, weekday: bool) -> list[Visit]:
        """Book the day's slots two days ahead; returns the visits of those who come."""
        categories = list(hall_selectors.categories_of(self.hall)[:2])
        if not self.persons or not categories:
            return []
        category = categories[on.toordinal() % len(categories)]
        slots = [s.starts for s in hall_selectors.slots_of_day(self.hall, category, on, work_calendar()) if s.free]
        slots = slots[1:-1]  # not the first slot (people would queue before the doors open) nor the last
        visits = []
        for starts in sorted(rng.sample(slots, min(len(slots), 2 if weekday else 1))):
            person: User = self.persons[self.count % len(self.persons)]  # type: ignore[assignment]
            self.count += 1
            booking = booking_create(
                actor=person,
                person=person,
                hall_id=self.hall.pk,
                category_id=category.pk,
                on=on,
                starts=starts,
                now=at(on - dt.timedelta(days=2), dt.time(20)),
            )
            if self.count % 7 == 3:
                booking_cancel(actor=person, booking_id=booking.pk, now=at(on - dt.timedelta(days=1), dt.time(12)))
            elif self.count % 9 == 5 and len(self.lapsed) < LAPSES and person.pk not in self.lapsed:
                self.lapsed.add(person.pk)  # never comes: lapsed at closing time
            else:
                arrives = slot_datetime(on, starts) - dt.timedelta(minutes=rng.randrange(3, 25))
                visits.append(Visit(arrives, ticket_services.TicketRequest(booking_code=booking.code)))
        return visits


class CaseCandidates:
    """ID-card walk-ins served at the city hall who leave with a case filed at the window."""

    def __init__(self) -> None:
        self.days = 0
        self.tickets: list[tuple[int, int]] = []  # (ticket id, index into PEOPLE)

    def pick(self, visits: list[Visit], categories: list[ServiceCategory]) -> None:
        """On every other working day, the day's first walk-in shows an ID card."""
        self.days += 1
        index = self.days // 2 - 1
        wanted = [c for c in categories if c.name in MATTER_OF_CATEGORY]
        if self.days % 2 or index >= len(PEOPLE) or not wanted:
            return
        for visit in sorted(visits, key=lambda v: v.at):
            if visit.request.category_id is not None and not visit.request.booking_code:
                category = wanted[index % len(wanted)]
                visit.request = ticket_services.TicketRequest(
                    id_number=resident_id(PEOPLE[index][1]), category_id=category.pk
                )
                visit.candidate = index
                return

    def taken(self, ticket: Ticket, index: int) -> None:
        self.tickets.append((ticket.pk, index))

    def file_cases(self) -> int:
        """File and accept a case for each candidate served, by the clerk who served them; link it."""
        filed = 0
        for ticket_id, index in self.tickets:
            ticket = Ticket.objects.select_related("category").get(pk=ticket_id)
            code = MATTER_OF_CATEGORY.get(ticket.category.name, "")
            version = MatterVersion.objects.filter(matter__code=code, status=VersionStatus.PUBLISHED).first()
            if ticket.status != TicketStatus.DONE.value or version is None or ticket.clerk is None:
                continue
            _file_for(ticket, version, PEOPLE[index])
            filed += 1
        return filed


def _file_for(ticket: Ticket, version: MatterVersion, person: tuple[str, str, str]) -> None:
    clerk: User = ticket.clerk  # type: ignore[assignment]
    name, stem, phone = person
    applicant = intake.WindowApplicant(kind=Applicant.Kind.PERSON, name=name, id_number=resident_id(stem), phone=phone)
    case = window_case_submit(clerk, applicant, version)
    intake.case_accept(actor=clerk, case=case)
    assert ticket.window_id is not None and ticket.finished_at is not None
    ticket_services.ticket_link_case(
        actor=clerk, window_id=ticket.window_id, ticket_id=ticket.pk, case_number=case.number, now=ticket.finished_at
    )
