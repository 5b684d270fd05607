"""The halls endpoints (mounted at /api/halls/): halls and their categories, the slots of a day,
one's own bookings (book, cancel, reschedule), and for the hall's staff the day's bookings (names and
phones masked), the clerk's booking for a caller and the clerk's "arrived" action. A bearer token or
the browser session."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses
from onewindow.errors import NotFound
from onewindow.halls import selectors, services
from onewindow.halls.models import Booking, ServiceCategory
from onewindow.orgs.domain import mask_name, mask_phone
from onewindow.workdays.selectors import work_calendar_for

router = Router(tags=["大厅与预约"])
ERRORS = error_responses(400, 401, 403, 404, 409, 422)


class CategoryOut(Schema):
    id: int
    name: str


class HallOut(Schema):
    id: int
    name: str
    address: str
    kind: str
    weekend_service: bool
    categories: list[CategoryOut]


class SlotOut(Schema):
    starts: dt.time
    capacity: int
    free: int


class SlotQuery(Schema):
    category_id: int
    on: dt.date = Field(description="日期 YYYY-MM-DD")


class BookingIn(Schema):
    hall_id: int
    category_id: int
    on: dt.date
    starts: dt.time = Field(description="时段开始 HH:MM")


class CallerBookingIn(Schema):
    category_id: int
    on: dt.date
    starts: dt.time = Field(description="时段开始 HH:MM")
    id_number: str = Field(description="来电人居民身份证号码", max_length=30)
    name: str = Field(description="来电人姓名", max_length=50)
    phone: str = Field("", description="来电人手机号（用于短信通知）", max_length=20)


class RescheduleIn(Schema):
    on: dt.date
    starts: dt.time


class BookingOut(Schema):
    id: int
    code: str = Field(description="预约码")
    hall_id: int
    hall_name: str
    category: str
    on: dt.date
    starts: dt.time
    status: str
    status_label: str
    person: str = Field(description="预约人（工作人员列表中脱敏）")
    phone: str


class DayQuery(Schema):
    on: dt.date


def _booking(booking: Booking, *, masked: bool) -> dict[str, Any]:
    name, phone = booking.person.name, booking.person.phone
    return {
        "id": booking.pk,
        "code": booking.code,
        "hall_id": booking.hall_id,
        "hall_name": booking.hall.name,
        "category": booking.category.name,
        "on": booking.on,
        "starts": booking.starts,
        "status": booking.status,
        "status_label": str(booking.get_status_display()),
        "person": mask_name(name) if masked else name,
        "phone": mask_phone(phone) if masked and phone else phone,
    }


@router.get("/halls", response={200: list[HallOut], **ERRORS}, summary="可预约的大厅")
def hall_list(request: HttpRequest) -> list[dict[str, Any]]:
    api_user(request)
    halls = selectors.halls_open_for_booking()
    return [
        {
            "id": h.pk,
            "name": h.name,
            "address": h.address,
            "kind": h.profile.kind,
            "weekend_service": h.profile.weekend_service,
            "categories": [{"id": c.pk, "name": c.name} for c in selectors.categories_of(h)],
        }
        for h in halls
    ]


@router.get("/halls/{int:hall_id}/slots", response={200: list[SlotOut], **ERRORS}, summary="某日可约时段")
def slot_list(request: HttpRequest, hall_id: int, params: Query[SlotQuery]) -> list[dict[str, Any]]:
    """休息日（周末开放窗口除外）、法定节假日、临时闭厅日无时段；调休上班日按工作日。"""
    api_user(request)
    hall = selectors.hall_for_booking(hall_id)
    category = ServiceCategory.objects.filter(hall=hall, pk=params.category_id).first()
    if category is None:
        raise NotFound("未找到该服务类别。", code="halls_category_not_found")
    slots = selectors.slots_of_day(hall, category, params.on, work_calendar_for(request))
    return [{"starts": s.starts, "capacity": s.capacity, "free": s.free} for s in slots]


@router.get("/bookings", response={200: list[BookingOut], **ERRORS}, summary="我的预约")
def my_bookings(request: HttpRequest) -> list[dict[str, Any]]:
    user = api_user(request)
    return [_booking(b, masked=False) for b in selectors.bookings_of(user).select_related("person")[:100]]


@router.post("/bookings", response={201: BookingOut, **ERRORS}, summary="预约")
def booking_create(request: HttpRequest, data: BookingIn) -> Status[dict[str, Any]]:
    """约满 409 halls_slot_full；同一时段已有预约 409 halls_already_booked；超过每日上限 409
    halls_daily_limit；多次失约暂停网上预约 409 halls_booking_paused（message 说明原因与期限）。"""
    user = api_user(request)
    booking = services.booking_create(
        actor=user,
        person=user,
        hall_id=data.hall_id,
        category_id=data.category_id,
        on=data.on,
        starts=data.starts,
        channel="api",
    )
    return Status(201, _booking(booking, masked=False))


@router.post("/bookings/{int:booking_id}/cancel", response={200: BookingOut, **ERRORS}, summary="取消预约")
def booking_cancel(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    user = api_user(request)
    selectors.booking_get_for_person(user, booking_id)
    return _booking(services.booking_cancel(actor=user, booking_id=booking_id), masked=False)


@router.post("/bookings/{int:booking_id}/reschedule", response={200: BookingOut, **ERRORS}, summary="改约")
def booking_reschedule(request: HttpRequest, booking_id: int, data: RescheduleIn) -> dict[str, Any]:
    user = api_user(request)
    selectors.booking_get_for_person(user, booking_id)
    booking = services.booking_reschedule(
        actor=user, booking_id=booking_id, on=data.on, starts=data.starts, channel="api"
    )
    return _booking(booking, masked=False)


@router.get(
    "/halls/{int:hall_id}/bookings", response={200: list[BookingOut], **ERRORS}, summary="大厅某日预约（工作人员）"
)
def hall_bookings(request: HttpRequest, hall_id: int, params: Query[DayQuery]) -> list[dict[str, Any]]:
    """本辖区（含下级）大厅的工作人员可见；姓名、手机号脱敏。其他人 404。"""
    user = api_user(request)
    return [_booking(b, masked=True) for b in selectors.bookings_for_staff(user, hall_id, params.on)]


@router.post(
    "/halls/{int:hall_id}/caller-bookings",
    response={201: BookingOut, **ERRORS},
    summary="代来电人预约（窗口人员）",
)
def caller_booking_create(request: HttpRequest, hall_id: int, data: CallerBookingIn) -> Status[dict[str, Any]]:
    """按身份证号查找来电人，未登记的登记后预约（渠道：窗口代约）。本大厅辖区的窗口人员和系统管理员可用，
    其他人 404。来电人信息有误 422 halls_caller_invalid（errors 按字段说明）；约满 409 halls_slot_full。"""
    user = api_user(request)
    booking = services.booking_create_for_caller(
        actor=user,
        hall_id=hall_id,
        category_id=data.category_id,
        on=data.on,
        starts=data.starts,
        id_number=data.id_number,
        name=data.name,
        phone=data.phone,
    )
    return Status(201, _booking(booking, masked=True))


@router.post("/bookings/{int:booking_id}/arrive", response={200: BookingOut, **ERRORS}, summary="签到（窗口人员）")
def booking_arrive(request: HttpRequest, booking_id: int) -> dict[str, Any]:
    user = api_user(request)
    return _booking(services.booking_arrive(actor=user, booking_id=booking_id), masked=True)
