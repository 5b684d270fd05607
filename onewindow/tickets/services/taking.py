"""Taking a ticket at the kiosk (取号): by booking code, by resident ID number (today's booking, else a
walk-in), or as a walk-in by category. Numbers per hall, category and day come from a sequence row
locked for update (SQLite: the IMMEDIATE transaction holds the write lock from its start)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.errors import Conflict, InvalidFields
from onewindow.halls import services as halls_services
from onewindow.halls.domain import BookingStatus
from onewindow.halls.models import Booking, HallProfile, ServiceCategory
from onewindow.orgs.domain import InvalidIdentifier, clean_resident_id
from onewindow.orgs.models import Applicant, Hall, User
from onewindow.tickets import selectors
from onewindow.tickets.domain import (
    PRIORITY_RANK,
    PriorityGroup,
    TicketSource,
    format_number,
    is_within_arrival,
    priority_for,
)
from onewindow.tickets.models import Ticket, TicketSequence
from onewindow.tickets.services.common import audit
from onewindow.tickets.services.opening import refuse_when_closed

# halls' refusals of an arrival, told in the kiosk's words with tickets' codes.
ARRIVAL_REFUSALS = {
    "halls_too_early": ("尚未到签到时间，请在预约时段前30分钟内取号。", "tickets_too_early"),
    "halls_booking_lapsed": ("已超过签到时间，预约已失效，请现场取号。", "tickets_booking_lapsed"),
    "halls_booking_not_open": ("该预约已取消或失效。", "tickets_booking_not_open"),
}


@dataclass(frozen=True)
class TicketRequest:
    """What the kiosk (or the API) asks for: one of booking code, ID number, category."""

    booking_code: str = ""
    id_number: str = ""
    category_id: int | None = None
    priority_group: bool = False  # 老年人、残疾人、孕妇等
    green_channel: bool = False


def ticket_take(*, actor: User, hall_id: int, request: TicketRequest, now: dt.datetime | None = None) -> Ticket:
    """One ticket for one person: the kiosk's 取号."""
    now = now or timezone.now()
    hall = selectors.hall_for_desk(actor, hall_id)
    with transaction.atomic():
        if request.booking_code.strip():
            return _by_booking(actor, hall, _booking_by_code(hall, request.booking_code, now), request, now)
        if request.id_number.strip():
            return _by_id_number(actor, hall, request, now)
        return _issue(actor, hall, _category(hall, request.category_id), request, now, source=TicketSource.WALK_IN)


def _booking_by_code(hall: Hall, code: str, now: dt.datetime) -> Booking:
    booking = Booking.objects.filter(hall=hall, code=code.strip().upper()).first()
    if booking is None:
        raise InvalidFields(
            "未找到该预约码。", errors={"booking_code": "请核对预约码。"}, code="tickets_booking_not_found"
        )
    if booking.on != timezone.localdate(now):
        raise InvalidFields(
            f"该预约为 {booking.on:%Y-%m-%d}，不是今天。",
            errors={"booking_code": "请在预约当天取号。"},
            code="tickets_booking_not_today",
        )
    return booking


def _by_booking(actor: User, hall: Hall, booking: Booking, request: TicketRequest, now: dt.datetime) -> Ticket:
    taken = Ticket.objects.filter(booking=booking).first()
    if taken is not None:
        raise Conflict(f"该预约已取号：{taken.number}。", code="tickets_already_taken")
    _check_in(actor, booking, now)
    applicant = Applicant.objects.filter(user_id=booking.person_id, kind=Applicant.Kind.PERSON).first()
    category = ServiceCategory.objects.get(pk=booking.category_id)
    flags = TicketRequest(priority_group=request.priority_group, green_channel=request.green_channel)
    return _issue(
        actor,
        hall,
        category,
        flags,
        now,
        source=TicketSource.BOOKING,
        booking=booking,
        applicant=applicant,
        on_time=_on_time(booking, now),
    )


def _check_in(actor: User, booking: Booking, now: dt.datetime) -> None:
    """A booked person is checked in (halls' arrival window applies); one checked in at the desk already is fine."""
    if booking.status == BookingStatus.ARRIVED.value:
        return
    if booking.status != BookingStatus.BOOKED.value:
        message, code = ARRIVAL_REFUSALS["halls_booking_not_open"]
        raise Conflict(message, code=code)
    try:
        halls_services.booking_arrive(actor=actor, booking_id=booking.pk, now=now)
    except Conflict as refused:
        message, code = ARRIVAL_REFUSALS.get(refused.code, (refused.message, refused.code))
        raise Conflict(message, code=code) from refused


def _on_time(booking: Booking, now: dt.datetime) -> bool:
    """Within the slot's arrival window now (one checked in at the desk earlier may come back late)."""
    profile = HallProfile.objects.get(hall_id=booking.hall_id)
    return is_within_arrival(
        halls_services.slot_datetime(booking.on, booking.starts),
        now,
        before_minutes=profile.arrive_before_minutes,
        after_minutes=profile.arrive_after_minutes,
    )


def _by_id_number(actor: User, hall: Hall, request: TicketRequest, now: dt.datetime) -> Ticket:
    try:
        number = clean_resident_id(request.id_number, today=timezone.localdate(now))
    except InvalidIdentifier as exc:
        raise InvalidFields(str(exc), errors={"id_number": str(exc)}, code="tickets_id_number_invalid") from exc
    applicant = Applicant.objects.filter(kind=Applicant.Kind.PERSON, id_number=number).first()
    if applicant is not None and applicant.user_id is not None:
        booking = (
            Booking.objects.filter(
                hall=hall,
                person_id=applicant.user_id,
                on=timezone.localdate(now),
                status__in=[BookingStatus.BOOKED.value, BookingStatus.ARRIVED.value],
                ticket__isnull=True,
            )
            .order_by("starts")
            .first()
        )
        if booking is not None:
            return _by_booking(actor, hall, booking, request, now)
    category = _category(hall, request.category_id)
    return _issue(
        actor,
        hall,
        category,
        request,
        now,
        source=TicketSource.ID_CARD,
        applicant=applicant,
        id_number="" if applicant else number,
    )


def _category(hall: Hall, category_id: int | None) -> ServiceCategory:
    category = ServiceCategory.objects.filter(hall=hall, pk=category_id or 0).first()
    if category is None:
        raise InvalidFields(
            "请选择办理类别。", errors={"category": "请选择办理类别。"}, code="tickets_category_required"
        )
    return category


def _next_sequence(hall: Hall, category: ServiceCategory, day: dt.date) -> int:
    """Lock the day's sequence row of the category (created on the day's first ticket) and move it on."""
    try:
        with transaction.atomic():
            TicketSequence.objects.get_or_create(hall=hall, category=category, issued_on=day)
    except IntegrityError:
        pass  # another kiosk created it at the same moment: it exists now
    sequence = TicketSequence.objects.select_for_update().get(hall=hall, category=category, issued_on=day)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _issue(
    actor: User,
    hall: Hall,
    category: ServiceCategory,
    request: TicketRequest,
    now: dt.datetime,
    *,
    source: TicketSource,
    booking: Booking | None = None,
    applicant: Applicant | None = None,
    id_number: str = "",
    on_time: bool = False,
) -> Ticket:
    if booking is None:
        refuse_when_closed(
            hall, category, green_channel=request.green_channel, priority_group=request.priority_group, now=now
        )
    day = timezone.localdate(now)
    group = priority_for(
        on_time_booking=on_time,
        green_channel=request.green_channel,
        priority_group=request.priority_group,
    )
    sequence = _next_sequence(hall, category, day)
    ticket = Ticket.objects.create(
        hall=hall,
        category=category,
        issued_on=day,
        number=format_number(selectors.letter_of(category), sequence),
        source=source.value,
        priority=group.value,
        priority_rank=PRIORITY_RANK[PriorityGroup(group)],
        issued_at=now,
        booking=booking,
        applicant=applicant,
        id_number=id_number,
        issued_by=actor,
    )
    audit(ticket, "tickets.ticket_taken", actor, {"category": category.pk, "source": source.value, "priority": group})
    return ticket
