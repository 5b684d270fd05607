"""The pages: the kiosk (取号机, a hall device logged in as a clerk of the hall), the hall's wall screen
(public: numbers and window numbers only), the window console (the clerk on duty) and the follow page
(public, from the ticket's QR code, works at 390 px)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.cases.prefill import window_prefill_token
from onewindow.errors import NotFound, PermissionDenied
from onewindow.halls.models import ServiceCategory
from onewindow.orgs.domain import mask_name
from onewindow.orgs.models import Window
from onewindow.tickets import selectors, services
from onewindow.tickets.models import Ticket
from onewindow.web.http import Page, act, domain_errors_as_http, int_or_none, render_page, request_user


@login_required
@domain_errors_as_http
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """取号叫号: the desk staff's halls with their kiosk, wall screen and window consoles."""
    user = request_user(request)
    halls = list(selectors.halls_for_desk(user))
    if not halls and not selectors.is_desk_staff(user):
        raise PermissionDenied(_("只有大厅窗口人员可以使用取号叫号。"), code="tickets_not_desk_staff")
    rows = [(hall, Window.objects.filter(hall=hall).order_by("number")) for hall in halls]
    return render_page(request, "tickets/index.html", {"rows": rows})


# --- the kiosk ------------------------------------------------------------------------------------------


def _kiosk_request(post: Any) -> services.TicketRequest:
    way = post.get("way", "")
    return services.TicketRequest(
        booking_code=post.get("booking_code", "") if way == "booking" else "",
        id_number=post.get("id_number", "") if way == "id_card" else "",
        category_id=int_or_none(post.get("category")),
        priority_group=post.get("priority_group") == "on",
    )


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, hall_id: int) -> HttpResponse:
    user = request_user(request)
    hall = selectors.hall_for_desk(user, hall_id)

    def page(req: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        context = {"hall": hall, "categories": selectors.categories_with_letters(hall), "values": {}}
        return render_page(req, "tickets/kiosk.html", context | extra, status)

    if request.method != "POST":
        return page(request, {})
    return act(
        request,
        lambda: services.ticket_take(actor=user, hall_id=hall.pk, request=_kiosk_request(request.POST)),
        lambda t: (_("取号成功：%(number)s。") % {"number": t.number}, reverse("tickets:printed", args=[t.pk])),
        page,
    )


def _qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=5, border=2))


@login_required
@domain_errors_as_http
@require_GET
def printed(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """The printed ticket: number, category, people ahead, and the QR code of the follow page."""
    ticket = selectors.ticket_for_desk(request_user(request), ticket_id)
    follow_url = request.build_absolute_uri(reverse("tickets:follow", args=[selectors.follow_token(ticket.pk)]))
    context = {
        "ticket": ticket,
        "ahead": selectors.ahead_of(ticket),
        "follow_url": follow_url,
        "qr": _qr_data_uri(follow_url),
    }
    return render_page(request, "tickets/printed.html", context)


# --- the wall screen and the follow page (public) -------------------------------------------------------


def _screen_context(hall_id: int) -> dict[str, Any]:
    hall = selectors.hall_for_screen(hall_id)
    return {"hall": hall, "state": selectors.screen_state(hall, timezone.localdate())}


@domain_errors_as_http
@require_GET
def screen(request: HttpRequest, hall_id: int) -> HttpResponse:
    return render_page(request, "tickets/screen.html", _screen_context(hall_id))


@domain_errors_as_http
@require_GET
def screen_board(request: HttpRequest, hall_id: int) -> HttpResponse:
    """The part of the screen htmx fetches every 2 seconds."""
    return render_page(request, "tickets/_board.html", _screen_context(hall_id))


def _follow_context(token: str) -> dict[str, Any]:
    ticket = selectors.ticket_by_follow_token(token)
    return {"ticket": ticket, "ahead": selectors.ahead_of(ticket), "token": token}


@domain_errors_as_http
@require_GET
def follow(request: HttpRequest, token: str) -> HttpResponse:
    return render_page(request, "tickets/follow.html", _follow_context(token))


@domain_errors_as_http
@require_GET
def follow_status(request: HttpRequest, token: str) -> HttpResponse:
    return render_page(request, "tickets/_follow_status.html", _follow_context(token))


# --- the window console ---------------------------------------------------------------------------------


def _applicant_label(ticket: Ticket | None) -> str:
    if ticket is None:
        return ""
    if ticket.applicant_id is not None and ticket.applicant is not None:
        return mask_name(ticket.applicant.name)
    return _("已登记身份证号") if ticket.id_number else ""


def _console_context(request: HttpRequest, window: Window) -> dict[str, Any]:
    day = timezone.localdate()
    current = selectors.at_window(window)
    scope = selectors.window_scope(window)
    return {
        "window": window,
        "current": current,
        "applicant": _applicant_label(current),
        "intake_url": intake_url(current) if current is not None else "",
        "queue": list(selectors.callable_by(scope, window.hall_id, day).select_related("category")[:10]),
        "recallable": list(selectors.recallable_at(window, day)[:10]),
        "other_windows": Window.objects.filter(hall_id=window.hall_id).exclude(pk=window.pk).order_by("number"),
        "categories": ServiceCategory.objects.filter(hall_id=window.hall_id).order_by("pk"),
    }


def _console_page(window: Window) -> Page:
    def page(req: HttpRequest, extra: dict[str, Any], status: int = 200) -> HttpResponse:
        return render_page(req, "tickets/console.html", _console_context(req, window) | extra, status)

    return page


@login_required
@domain_errors_as_http
@require_GET
def console(request: HttpRequest, window_id: int) -> HttpResponse:
    window = selectors.window_for_console(request_user(request), window_id, timezone.localdate())
    return _console_page(window)(request, {}, 200)


@login_required
@domain_errors_as_http
@require_GET
def console_queue(request: HttpRequest, window_id: int) -> HttpResponse:
    """The console's queue, fetched by htmx every 5 seconds."""
    window = selectors.window_for_console(request_user(request), window_id, timezone.localdate())
    queue = selectors.callable_by(selectors.window_scope(window), window.hall_id, timezone.localdate())
    context = {"window": window, "queue": list(queue.select_related("category")[:10])}
    return render_page(request, "tickets/_console_queue.html", context)


def intake_url(ticket: Ticket) -> str:
    """The window intake with the ticket's applicant filled in (cases' signed ?prefill=)."""
    token = window_prefill_token(applicant_id=ticket.applicant_id, id_number=ticket.id_number)
    return reverse("cases:window_new") + "?" + urlencode({"prefill": token})


def rating_url(ticket: Ticket, window: Window) -> str:
    query = {"window": window.pk} | ({"case": ticket.case_id} if ticket.case_id else {})
    return reverse("evaluation:window_start") + "?" + urlencode(query)


CONSOLE_ACTIONS: dict[str, tuple[Callable[..., Ticket], Any]] = {
    "call-again": (services.ticket_call_again, gettext_lazy("已重复叫号。")),
    "skip": (services.ticket_skip, gettext_lazy("已过号，可在限定时间内重呼。")),
    "recall": (services.ticket_recall, gettext_lazy("已重呼。")),
    "start": (services.service_start, gettext_lazy("已开始办理。")),
    "finish": (services.service_finish, gettext_lazy("已办结，请申请人评价。")),
    "transfer": (services.ticket_transfer, gettext_lazy("已转移。")),
    "link-case": (services.ticket_link_case, gettext_lazy("已关联办件。")),
}


def _action_kwargs(action: str, post: Any) -> dict[str, Any]:
    if action == "transfer":
        return {
            "to_window_id": int_or_none(post.get("to_window")),
            "to_category_id": int_or_none(post.get("to_category")),
        }
    if action == "link-case":
        return {"case_number": post.get("case_number", "")}
    return {}


@login_required
@domain_errors_as_http
@require_POST
def console_action(request: HttpRequest, window_id: int, action: str) -> HttpResponse:
    """One console button: call next, or an action on the ticket at the window."""
    user = request_user(request)
    window = selectors.window_for_console(user, window_id, timezone.localdate())
    back = reverse("tickets:console", args=[window.pk])
    page = _console_page(window)
    if action == "call-next":
        return act(
            request,
            lambda: services.ticket_call_next(actor=user, window_id=window.pk),
            lambda t: (
                _("请%(number)s号到%(window)s号窗口办理。") % {"number": t.number, "window": window.number},
                back,
            ),
            page,
        )
    if action not in CONSOLE_ACTIONS:
        raise NotFound(_("未找到该操作。"))
    service, message = CONSOLE_ACTIONS[action]
    ticket_id = int_or_none(request.POST.get("ticket")) or 0
    kwargs = _action_kwargs(action, request.POST)

    def done(ticket: Ticket) -> tuple[str, str]:
        then = {"start": intake_url(ticket), "finish": rating_url(ticket, window)}.get(action, back)
        return str(message), then

    return act(request, lambda: service(actor=user, window_id=window.pk, ticket_id=ticket_id, **kwargs), done, page)
