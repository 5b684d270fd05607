"""The tickets endpoints (mounted at /api/tickets/): take a ticket (the kiosk's clients), the queue's
state, the window console's actions, and a ticket's place by its follow token (public). A bearer token
or the browser session; a hall, window or ticket out of one's scope is 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.responses import Status

from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses
from onewindow.tickets import selectors, services
from onewindow.tickets.figures.api import router as figures_router
from onewindow.tickets.models import Ticket

router = Router(tags=["取号叫号"])
router.add_router("/figures", figures_router)  # GET /api/tickets/figures
ERRORS = error_responses(400, 401, 403, 404, 409, 422)


class TakeIn(Schema):
    booking_code: str = Field("", max_length=12, description="预约码（三选一）")
    id_number: str = Field("", max_length=18, description="居民身份证号码（三选一）：有当日预约按预约取号")
    category_id: int | None = Field(None, description="办理类别（现场取号，或身份证号无当日预约时）")
    priority_group: bool = Field(False, description="老年人、残疾人、孕妇等优先群体")
    green_channel: bool = Field(False, description="绿色通道")


class TicketOut(Schema):
    id: int
    number: str
    hall_id: int
    category: str
    status: str
    status_label: str
    priority: str
    window: str | None = Field(None, description="叫号窗口的窗口号")
    people_ahead: int
    call_count: int
    issued_at: dt.datetime
    called_at: dt.datetime | None
    follow_url: str = Field(description="申请人手机查看排队进度的地址（二维码）")


class CallOut(Schema):
    number: str
    window: str
    status: str
    call_count: int
    called_at: dt.datetime | None


class QueueOut(Schema):
    hall_id: int
    waiting: int
    calls: list[CallOut]
    next_numbers: list[str]


class TicketTransferIn(Schema):
    to_window_id: int | None = None
    to_category_id: int | None = None


class TicketLinkCaseIn(Schema):
    case_number: str = Field(max_length=40)


def _ticket(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "number": ticket.number,
        "hall_id": ticket.hall_id,
        "category": ticket.category.name,
        "status": ticket.status,
        "status_label": str(ticket.get_status_display()),
        "priority": ticket.priority,
        "window": ticket.window.number if ticket.window else None,
        "people_ahead": selectors.ahead_of(ticket),
        "call_count": ticket.call_count,
        "issued_at": ticket.issued_at,
        "called_at": ticket.called_at,
        "follow_url": reverse("tickets:follow", args=[selectors.follow_token(ticket.pk)]),
    }


@router.post("/halls/{int:hall_id}/tickets", response={201: TicketOut, **ERRORS}, summary="取号（取号机）")
def ticket_take(request: HttpRequest, hall_id: int, data: TakeIn) -> Status[dict[str, Any]]:
    """本大厅所属区划（含上级）的窗口人员、系统管理员（取号机登录的账号）。预约码未找到 422
    tickets_booking_not_found；非当日 422 tickets_booking_not_today；已取号 409 tickets_already_taken；
    未到签到时间 409 tickets_too_early；身份证号有误 422 tickets_id_number_invalid；未选类别 422
    tickets_category_required。"""
    user = api_user(request)
    taken = services.ticket_take(
        actor=user,
        hall_id=hall_id,
        request=services.TicketRequest(
            booking_code=data.booking_code,
            id_number=data.id_number,
            category_id=data.category_id,
            priority_group=data.priority_group,
            green_channel=data.green_channel,
        ),
    )
    return Status(201, _ticket(taken))


@router.get("/halls/{int:hall_id}/queue", response={200: QueueOut, **ERRORS}, summary="大厅当日排队情况")
def queue_state(request: HttpRequest, hall_id: int) -> dict[str, Any]:
    """本大厅的窗口人员、系统管理员。只有号码与窗口号，不含个人信息。"""
    user = api_user(request)
    hall = selectors.hall_for_desk(user, hall_id)
    state = selectors.screen_state(hall, timezone.localdate())
    return {
        "hall_id": hall.pk,
        "waiting": state.waiting,
        "calls": [
            {
                "number": t.number,
                "window": t.window.number if t.window else "",
                "status": t.status,
                "call_count": t.call_count,
                "called_at": t.last_called_at,
            }
            for t in state.calls
        ],
        "next_numbers": [t.number for t in state.next_numbers],
    }


@router.get("/follow/{token}", response={200: TicketOut, **ERRORS}, auth=None, summary="排队进度（扫码，无需登录）")
def follow(request: HttpRequest, token: str) -> dict[str, Any]:
    """签名链接两天内有效；被篡改或过期 404 tickets_ticket_not_found。"""
    return _ticket(selectors.ticket_by_follow_token(token))


@router.post("/windows/{int:window_id}/call-next", response={200: TicketOut, **ERRORS}, summary="叫下一个号")
def call_next(request: HttpRequest, window_id: int) -> dict[str, Any]:
    """大厅有当日排班时只有该窗口值班人员（或系统管理员）可叫号，否则 403 tickets_not_on_duty；
    无等候 409 tickets_queue_empty；窗口有未办结的号 409 tickets_window_busy。"""
    return _ticket(services.ticket_call_next(actor=api_user(request), window_id=window_id))


ACTIONS = {
    "call-again": services.ticket_call_again,
    "skip": services.ticket_skip,
    "recall": services.ticket_recall,
    "start": services.service_start,
    "finish": services.service_finish,
}


def _action(name: str, summary: str) -> None:
    service = ACTIONS[name]

    def endpoint(request: HttpRequest, window_id: int, ticket_id: int) -> dict[str, Any]:
        return _ticket(service(actor=api_user(request), window_id=window_id, ticket_id=ticket_id))

    endpoint.__name__ = f"ticket_{name.replace('-', '_')}"
    endpoint.__doc__ = "状态不允许 409 tickets_wrong_status；号不在本窗口 409 tickets_not_at_window。"
    router.post(
        f"/windows/{{int:window_id}}/tickets/{{int:ticket_id}}/{name}",
        response={200: TicketOut, **ERRORS},
        summary=summary,
    )(endpoint)


for _name, _summary in [
    ("call-again", "重复叫号"),
    ("skip", "过号"),
    ("recall", "过号重呼（限定时间内）"),
    ("start", "开始办理"),
    ("finish", "办结"),
]:
    _action(_name, _summary)


@router.post(
    "/windows/{int:window_id}/tickets/{int:ticket_id}/transfer",
    response={200: TicketOut, **ERRORS},
    summary="转移到其他窗口或类别",
)
def transfer(request: HttpRequest, window_id: int, ticket_id: int, data: TicketTransferIn) -> dict[str, Any]:
    """to_window_id 与 to_category_id 二选一，否则 422 tickets_transfer_target。"""
    ticket = services.ticket_transfer(
        actor=api_user(request),
        window_id=window_id,
        ticket_id=ticket_id,
        to_window_id=data.to_window_id,
        to_category_id=data.to_category_id,
    )
    return _ticket(ticket)


@router.post(
    "/windows/{int:window_id}/tickets/{int:ticket_id}/case",
    response={200: TicketOut, **ERRORS},
    summary="关联已有办件",
)
def link_case(request: HttpRequest, window_id: int, ticket_id: int, data: TicketLinkCaseIn) -> dict[str, Any]:
    ticket = services.ticket_link_case(
        actor=api_user(request), window_id=window_id, ticket_id=ticket_id, case_number=data.case_number
    )
    return _ticket(ticket)
