"""What every ticket write shares: the audit event (stream `ticket:<id>`, so that windows calling at once
never queue on one chain head; no personal data), the transition check, the recall setting."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from onewindow.audit.services import audit_record
from onewindow.errors import Conflict
from onewindow.orgs.models import User
from onewindow.tickets.domain import TicketAction, TicketStatus, TransitionNotAllowed, next_status
from onewindow.tickets.models import STATUS_CHOICES, Ticket

TARGET = "tickets.ticket"
AUDIT_LABELS = {
    "tickets.ticket_taken": "取号",
    "tickets.ticket_called": "叫号",
    "tickets.ticket_called_again": "重复叫号",
    "tickets.ticket_skipped": "过号",
    "tickets.ticket_recalled": "过号重呼",
    "tickets.ticket_transferred": "转移",
    "tickets.service_started": "开始办理",
    "tickets.service_finished": "办结",
    "tickets.case_linked": "关联办件",
    "tickets.ticket_abandoned": "作废",
    "tickets.service_closed": "日终结束办理（未点办结）",
}
ACTION_WORDS = {
    TicketAction.CALL: "叫号",
    TicketAction.CALL_AGAIN: "重复叫号",
    TicketAction.SKIP: "过号",
    TicketAction.RECALL: "重呼",
    TicketAction.TRANSFER: "转移",
    TicketAction.START: "开始办理",
    TicketAction.FINISH: "办结",
    TicketAction.ABANDON: "作废",
}


def recall_minutes() -> int:
    return int(settings.TICKETS_RECALL_MINUTES)


def audit(ticket: Ticket, action: str, actor: User | None, changes: dict[str, Any] | None = None) -> None:
    """The ticket's event: numbers and ids only, never a name or an ID number."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ticket writes run inside the service's transaction")
    audit_record(
        stream=f"ticket:{ticket.pk}",
        action=action,
        target_type=TARGET,
        target_id=ticket.pk,
        actor=actor,
        changes={"number": ticket.number, "status": ticket.status, **(changes or {})},
    )


def moved(ticket: Ticket, action: TicketAction) -> TicketStatus:
    """The ticket's next status, or a clear refusal (409 tickets_wrong_status)."""
    try:
        return next_status(TicketStatus(ticket.status), action)
    except TransitionNotAllowed:
        label = dict(STATUS_CHOICES).get(ticket.status, ticket.status)
        raise Conflict(
            f"{ticket.number}号当前{label}，不能{ACTION_WORDS[action]}。", code="tickets_wrong_status"
        ) from None
