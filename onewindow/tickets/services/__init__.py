"""Writes of tickets: taking one at the kiosk (`taking`), the window console and the day's end (`calling`)."""

from onewindow.tickets.services.calling import (
    service_finish,
    service_start,
    ticket_call_again,
    ticket_call_next,
    ticket_link_case,
    ticket_recall,
    ticket_skip,
    ticket_transfer,
    tickets_abandon,
)
from onewindow.tickets.services.common import AUDIT_LABELS, TARGET
from onewindow.tickets.services.taking import TicketRequest, ticket_take

__all__ = [
    "AUDIT_LABELS",
    "TARGET",
    "TicketRequest",
    "service_finish",
    "service_start",
    "ticket_call_again",
    "ticket_call_next",
    "ticket_link_case",
    "ticket_recall",
    "ticket_skip",
    "ticket_take",
    "ticket_transfer",
    "tickets_abandon",
]
