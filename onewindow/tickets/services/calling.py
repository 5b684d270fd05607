"""The window console's writes: call next, call again, skip (过号), recall, transfer, start and finish
service, link a case; and the day's end. Each in one transaction with the ticket's audit event.

Two windows calling at once never get the same ticket: `ticket_call_next` locks its own window row
(one call at a time per window), then takes the first ticket of its queue with
SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL, so another window's caller passes over a ticket being
taken instead of waiting for it; on SQLite the IMMEDIATE transaction serialises every writer. The
partial unique constraint `tickets_one_at_window` keeps one ticket per window in the database too.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from onewindow.cases.models import Case
from onewindow.cases.selectors import case_get_for_user
from onewindow.errors import Conflict, InvalidFields, NotFound
from onewindow.halls.models import ServiceCategory, WindowProfile
from onewindow.orgs.models import User, Window
from onewindow.tickets import selectors
from onewindow.tickets.domain import TicketAction, TicketStatus, may_recall
from onewindow.tickets.models import Ticket
from onewindow.tickets.services.common import audit, moved, recall_minutes


def _console(actor: User, window_id: int, now: dt.datetime) -> Window:
    return selectors.window_for_console(actor, window_id, timezone.localdate(now))


def _lock_window(window: Window) -> WindowProfile | None:
    """Lock the window's row (one call at a time per window) and read its profile in the same query."""
    locked = Window.objects.select_for_update(of=("self",)).select_related("profile").filter(pk=window.pk).first()
    try:
        return locked.profile if locked is not None else None
    except WindowProfile.DoesNotExist:
        return None


def _window_free(window: Window) -> None:
    """Read after the window's lock (a fresh snapshot on PostgreSQL): what the last call left there."""
    busy = selectors.number_at_window(window.pk)
    if busy is not None:
        raise Conflict(f"本窗口正在处理{busy}号，请先办结、过号或转移。", code="tickets_window_busy")


def ticket_call_next(*, actor: User, window_id: int, now: dt.datetime | None = None) -> Ticket:
    """Call the first ticket of the window's queue (domain.window_may_call, domain.queue_order)."""
    now = now or timezone.now()
    window = _console(actor, window_id, now)
    with transaction.atomic():
        profile = _lock_window(window)
        _window_free(window)
        queue = selectors.callable_at(window.pk, profile, window.hall_id, timezone.localdate(now))
        ticket = queue.select_for_update(skip_locked=True).first()
        if ticket is None:
            raise Conflict("当前没有等候的号。", code="tickets_queue_empty")
        status = moved(ticket, TicketAction.CALL)
        _called(ticket, status, window, actor, now)
        ticket.save(update_fields=_CALL_FIELDS)
        audit(ticket, "tickets.ticket_called", actor, {"window": window.pk})
    return ticket


_CALL_FIELDS = ["status", "window", "clerk", "target_window", "called_at", "last_called_at", "call_count"]


def _called(ticket: Ticket, status: TicketStatus, window: Window, actor: User, now: dt.datetime) -> None:
    ticket.status = status.value
    ticket.window, ticket.clerk, ticket.target_window = window, actor, None
    ticket.called_at = ticket.called_at or now
    ticket.last_called_at = now
    ticket.call_count += 1


def _at_console(actor: User, window_id: int, ticket_id: int, now: dt.datetime) -> tuple[Window, Ticket]:
    """The console's window and the ticket at it, locked: a ticket of another window is refused."""
    window = _console(actor, window_id, now)
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id, hall_id=window.hall_id).first()
    if ticket is None:
        raise selectors.ticket_not_found()
    if ticket.window_id != window.pk:
        raise Conflict(f"{ticket.number}号不在本窗口。", code="tickets_not_at_window")
    return window, ticket


def ticket_call_again(*, actor: User, window_id: int, ticket_id: int, now: dt.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    with transaction.atomic():
        window, ticket = _at_console(actor, window_id, ticket_id, now)
        status = moved(ticket, TicketAction.CALL_AGAIN)
        _called(ticket, status, window, actor, now)
        ticket.save(update_fields=_CALL_FIELDS)
        audit(ticket, "tickets.ticket_called_again", actor, {"window": window.pk, "call_count": ticket.call_count})
    return ticket


def ticket_skip(*, actor: User, window_id: int, ticket_id: int, now: dt.datetime | None = None) -> Ticket:
    """过号: the person did not come; they may be recalled within TICKETS_RECALL_MINUTES."""
    now = now or timezone.now()
    with transaction.atomic():
        window, ticket = _at_console(actor, window_id, ticket_id, now)
        ticket.status = moved(ticket, TicketAction.SKIP).value
        ticket.skipped_at = now
        ticket.save(update_fields=["status", "skipped_at"])
        audit(ticket, "tickets.ticket_skipped", actor, {"window": window.pk})
    return ticket


def ticket_recall(*, actor: User, window_id: int, ticket_id: int, now: dt.datetime | None = None) -> Ticket:
    """A skipped ticket comes back to the window that skipped it, within the recall window."""
    now = now or timezone.now()
    with transaction.atomic():
        window, ticket = _at_console(actor, window_id, ticket_id, now)
        _lock_window(window)
        status = moved(ticket, TicketAction.RECALL)
        minutes = recall_minutes()
        if ticket.skipped_at is None or not may_recall(ticket.skipped_at, now, minutes):
            raise Conflict(f"过号已超过 {minutes} 分钟，请重新取号。", code="tickets_recall_expired")
        _window_free(window)
        _called(ticket, status, window, actor, now)
        ticket.save(update_fields=_CALL_FIELDS)
        audit(ticket, "tickets.ticket_recalled", actor, {"window": window.pk})
    return ticket


def ticket_transfer(
    *,
    actor: User,
    window_id: int,
    ticket_id: int,
    to_window_id: int | None = None,
    to_category_id: int | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Send the ticket to another window of the hall, or to another category's queue; it keeps its place."""
    now = now or timezone.now()
    with transaction.atomic():
        window, ticket = _at_console(actor, window_id, ticket_id, now)
        status = moved(ticket, TicketAction.TRANSFER)
        target = Window.objects.filter(pk=to_window_id or 0, hall_id=window.hall_id).exclude(pk=window.pk).first()
        category = ServiceCategory.objects.filter(pk=to_category_id or 0, hall_id=window.hall_id).first()
        if (target is None) == (category is None):
            raise InvalidFields(
                "请选择转至的窗口或类别（二选一）。",
                errors={"to": "请选择本大厅的另一个窗口，或另一个类别。"},
                code="tickets_transfer_target",
            )
        ticket.status = status.value
        ticket.window, ticket.target_window = None, target
        if category is not None:
            ticket.category = category
        ticket.save(update_fields=["status", "window", "target_window", "category"])
        changes = {"from_window": window.pk, "to_window": to_window_id, "to_category": to_category_id}
        audit(ticket, "tickets.ticket_transferred", actor, changes)
    return ticket


def service_start(*, actor: User, window_id: int, ticket_id: int, now: dt.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    with transaction.atomic():
        window, ticket = _at_console(actor, window_id, ticket_id, now)
        ticket.status = moved(ticket, TicketAction.START).value
        ticket.started_at, ticket.clerk = now, actor
        ticket.save(update_fields=["status", "started_at", "clerk"])
        audit(ticket, "tickets.service_started", actor, {"window": window.pk})
    return ticket


def service_finish(*, actor: User, window_id: int, ticket_id: int, now: dt.datetime | None = None) -> Ticket:
    """办结; a case the clerk submitted for the ticket's applicant since the start is linked to it."""
    now = now or timezone.now()
    with transaction.atomic():
        window, ticket = _at_console(actor, window_id, ticket_id, now)
        ticket.status = moved(ticket, TicketAction.FINISH).value
        ticket.finished_at = now
        ticket.save(update_fields=["status", "finished_at"])
        audit(ticket, "tickets.service_finished", actor, {"window": window.pk})
        if ticket.case_id is None and (case := _case_started_for(ticket, actor)) is not None:
            _link(ticket, case, actor)
    return ticket


def _case_started_for(ticket: Ticket, clerk: User) -> Case | None:
    cases = Case.objects.filter(submitted_by=clerk, created_at__gte=ticket.started_at or ticket.issued_at)
    if ticket.applicant_id is not None:
        cases = cases.filter(applicant_id=ticket.applicant_id)
    elif ticket.id_number:
        cases = cases.filter(applicant__id_number=ticket.id_number)
    return cases.order_by("-created_at", "-pk").first()


def _link(ticket: Ticket, case: Case, actor: User) -> None:
    ticket.case = case
    ticket.applicant_id = ticket.applicant_id or case.applicant_id
    ticket.save(update_fields=["case", "applicant"])
    audit(ticket, "tickets.case_linked", actor, {"case": case.pk})


def ticket_link_case(
    *, actor: User, window_id: int, ticket_id: int, case_number: str, now: dt.datetime | None = None
) -> Ticket:
    """Link an existing case (by its number) that the clerk may see to the ticket being served."""
    now = now or timezone.now()
    with transaction.atomic():
        _window, ticket = _at_console(actor, window_id, ticket_id, now)
        found = Case.objects.filter(number=case_number.strip()).first()
        try:
            case = case_get_for_user(user=actor, case_id=found.pk if found else 0)
        except NotFound:
            raise InvalidFields(
                "未找到该办件。", errors={"case_number": "请核对办件编号。"}, code="tickets_case_not_found"
            ) from None
        _link(ticket, case, actor)
    return ticket


def tickets_abandon(*, day: dt.date) -> int:
    """The day's end: tickets still waiting, called or skipped on or before `day` are void (作废); one
    still in service is closed as done without a finish time (办结 was not pressed, so its service time
    is unknown and stays out of the figures), which frees its window for the next day."""
    count = 0
    open_statuses = [TicketStatus.WAITING, TicketStatus.TRANSFERRED, TicketStatus.CALLED, TicketStatus.SKIPPED]
    endings = {TicketStatus.SERVING: (TicketAction.FINISH, "tickets.service_closed")}
    endings |= {status: (TicketAction.ABANDON, "tickets.ticket_abandoned") for status in open_statuses}
    for ticket_id in Ticket.objects.filter(issued_on__lte=day, status__in=endings).values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
            ending = endings.get(TicketStatus(ticket.status))
            if ending is None:  # moved on since the list was read
                continue
            action, event = ending
            ticket.status = moved(ticket, action).value
            ticket.save(update_fields=["status"])
            audit(ticket, event, None)
            count += action == TicketAction.ABANDON
    return count
