"""Booking writes: create, cancel, reschedule, arrive, and the periodic lapse and reminder.

Never a double booking: every booking write of a hall locks the hall's `HallProfile` row first
(SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the database
write lock), then counts the slot's live bookings against its capacity. The partial unique constraint
`halls_one_booking_per_person_slot` backs the person rule in the database.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.audit.services import audit_record
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied
from onewindow.halls import selectors
from onewindow.halls.domain import BookingStatus, can_change, has_lapsed
from onewindow.halls.models import Booking, HallProfile, ServiceCategory
from onewindow.notify.services import notify_send
from onewindow.orgs.models import Hall, User
from onewindow.workdays.selectors import work_calendar

NOTIFY_TOPIC = "halls.booking"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _stream(hall_id: int) -> str:
    return f"hall:{hall_id}"


def slot_datetime(day: dt.date, starts: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, starts))


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def _check_slot(hall: Hall, category: ServiceCategory, on: dt.date, starts: dt.time, person: User) -> None:
    """Under the hall's lock: the slot exists, has room, and the person's limits hold."""
    profile = HallProfile.objects.get(hall=hall)
    slot = next((s for s in selectors.slots_of_day(hall, category, on, work_calendar()) if s.starts == starts), None)
    if slot is None:
        raise InvalidFields("该时段不可预约。", errors={"starts": "大厅在该时段不办公。"}, code="halls_slot_closed")
    if slot.free <= 0:
        raise Conflict("该时段已约满，请选择其他时段。", code="halls_slot_full")
    live = Booking.objects.filter(person=person, status__in=selectors.ACTIVE)
    if live.filter(on=on, starts=starts).exists():
        raise Conflict("您在该时段已有预约。", code="halls_already_booked")
    if live.filter(hall=hall, on=on).count() >= profile.daily_limit:
        raise Conflict(f"每人每日最多预约 {profile.daily_limit} 次。", code="halls_daily_limit")


def booking_create(
    *,
    actor: User,
    person: User,
    hall_id: int,
    category_id: int,
    on: dt.date,
    starts: dt.time,
    channel: str = "online",
    now: dt.datetime | None = None,
) -> Booking:
    """Book a slot for `person` (themselves online or through the API, or a clerk for a caller)."""
    now = now or timezone.now()
    if channel == "clerk":
        hall = selectors.hall_get_for_staff(actor, hall_id, selectors.DESK_ROLES)
        if not HallProfile.objects.filter(hall=hall).exists():
            raise NotFound("该大厅未开放预约。", code="halls_hall_not_found")
    else:
        if actor.pk != person.pk:
            raise PermissionDenied("只能为本人预约。", code="halls_not_yourself")
        hall = selectors.hall_for_booking(hall_id)
    category = ServiceCategory.objects.filter(hall=hall, pk=category_id).first()
    if category is None:
        raise NotFound("未找到该服务类别。", code="halls_category_not_found")
    if slot_datetime(on, starts) <= now:
        raise InvalidFields("该时段已过。", errors={"starts": "请选择将来的时段。"}, code="halls_slot_past")
    with transaction.atomic():
        profile = HallProfile.objects.select_for_update().get(hall=hall)
        if channel != "clerk":
            until = selectors.booking_pause(person, profile, now)
            if until is not None:
                raise Conflict(
                    f"因多次预约未到，网上预约暂停至 {timezone.localtime(until):%Y-%m-%d}，可到窗口现场办理。",
                    code="halls_booking_paused",
                )
        _check_slot(hall, category, on, starts, person)
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    hall=hall,
                    category=category,
                    person=person,
                    on=on,
                    starts=starts,
                    channel=channel,
                    code=_new_code(),
                    booked_by=actor,
                )
        except IntegrityError as exc:
            raise Conflict("您在该时段已有预约。", code="halls_already_booked") from exc
        audit_record(
            stream=_stream(hall.pk),
            action="halls.booking_created",
            target_type="booking",
            target_id=booking.pk,
            actor=actor,
            organisation=hall.region,
            changes={"category": category.pk, "on": on.isoformat(), "starts": starts.isoformat(), "channel": channel},
        )
        body = f"您已预约{hall.name}{category.name}，{on:%m月%d日} {starts:%H:%M}，预约码{booking.code}。"
        notify_send(
            recipient=person,
            subject="预约成功",
            body=body,
            topic=NOTIFY_TOPIC,
            dedupe_key=f"halls:booking:{booking.pk}:confirm",
        )
    return booking


def _booking_for_change(actor: User, booking_id: int) -> Booking:
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        raise NotFound("未找到该预约。", code="halls_booking_not_found")
    if booking.person_id != actor.pk:
        selectors.booking_get_for_staff(actor, booking_id, selectors.DESK_ROLES)
    return booking


def booking_cancel(*, actor: User, booking_id: int, now: dt.datetime | None = None) -> Booking:
    now = now or timezone.now()
    with transaction.atomic():
        booking, profile = _locked_open(_booking_for_change(actor, booking_id), "该预约已不能取消。")
        if not can_change(slot_datetime(booking.on, booking.starts), now, profile.cutoff_minutes):
            raise Conflict(
                f"距预约时段不足 {profile.cutoff_minutes} 分钟，不能取消或改约。", code="halls_cutoff_passed"
            )
        _move(booking, BookingStatus.CANCELLED, "halls.booking_cancelled", actor)
    return booking


def _locked_open(booking: Booking, refusal: str) -> tuple[Booking, HallProfile]:
    """The booking read again under its hall's lock (every booking writer holds it), still booked."""
    profile = HallProfile.objects.select_for_update().get(hall_id=booking.hall_id)
    booking.refresh_from_db()
    if booking.status != BookingStatus.BOOKED.value:
        raise Conflict(refusal, code="halls_booking_not_open")
    return booking, profile


def _move(booking: Booking, status: BookingStatus, action: str, actor: User) -> None:
    booking.status = status.value
    booking.save(update_fields=["status", "changed_at"])
    audit_record(
        stream=_stream(booking.hall_id), action=action, target_type="booking", target_id=booking.pk, actor=actor
    )


def booking_reschedule(
    *,
    actor: User,
    booking_id: int,
    on: dt.date,
    starts: dt.time,
    channel: str = "online",
    now: dt.datetime | None = None,
) -> Booking:
    """Cancel and book again, in one transaction: the old slot is kept when the new one is refused.

    The new booking's channel is the one this change came through: `channel` ("online" from the page,
    "api" from the app) when the person moves their own booking, "clerk" when staff move it for them."""
    now = now or timezone.now()
    with transaction.atomic():
        old = booking_cancel(actor=actor, booking_id=booking_id, now=now)
        by_staff = actor.pk != old.person_id
        return booking_create(
            actor=actor,
            person=old.person,
            hall_id=old.hall_id,
            category_id=old.category_id,
            on=on,
            starts=starts,
            channel="clerk" if by_staff else channel,
            now=now,
        )


def booking_arrive(*, actor: User, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """A clerk checks the person in (the kiosk comes with tickets). Only within the arrival window."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = selectors.booking_get_for_staff(actor, booking_id, selectors.DESK_ROLES)
        booking, profile = _locked_open(booking, "该预约不在待到场状态。")
        at = slot_datetime(booking.on, booking.starts)
        if now < at - dt.timedelta(minutes=profile.arrive_before_minutes):
            raise Conflict("尚未到签到时间。", code="halls_too_early")
        if has_lapsed(at, now, profile.arrive_after_minutes):
            raise Conflict("已超过签到时间，预约已失效。", code="halls_booking_lapsed")
        _move(booking, BookingStatus.ARRIVED, "halls.booking_arrived", actor)
    return booking


def bookings_lapse(now: dt.datetime | None = None) -> int:
    """Periodic: bookings not checked in by the end of their arrival window lapse (a no-show)."""
    now = now or timezone.now()
    count = 0
    for booking in Booking.objects.filter(status=BookingStatus.BOOKED.value, on__lte=timezone.localdate(now)):
        profile = HallProfile.objects.get(hall_id=booking.hall_id)
        if not has_lapsed(slot_datetime(booking.on, booking.starts), now, profile.arrive_after_minutes):
            continue
        with transaction.atomic():
            updated = Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED.value).update(
                status=BookingStatus.LAPSED.value, changed_at=now
            )
            if updated:
                audit_record(
                    stream=_stream(booking.hall_id),
                    action="halls.booking_lapsed",
                    target_type="booking",
                    target_id=booking.pk,
                )
                count += 1
    return count


def bookings_remind(now: dt.datetime | None = None) -> int:
    """Periodic: an SMS the day before (once per booking, through the dedupe key)."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    count = 0
    for booking in Booking.objects.filter(status=BookingStatus.BOOKED.value, on=tomorrow).select_related(
        "hall", "category", "person"
    ):
        notify_send(
            recipient=booking.person,
            subject="预约提醒",
            body=(
                f"提醒：您预约了明天 {booking.starts:%H:%M} 在{booking.hall.name}办理{booking.category.name}，"
                f"预约码{booking.code}，请准时到场签到。"
            ),
            topic=NOTIFY_TOPIC,
            dedupe_key=f"halls:booking:{booking.pk}:remind",
        )
        count += 1
    return count
