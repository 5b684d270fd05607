"""Writing to the audit log. Call audit_record inside the service's own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from onewindow.audit import domain
from onewindow.audit.context import current_request_id
from onewindow.audit.models import Event, StreamHead

if TYPE_CHECKING:
    from onewindow.orgs.models import Organisation, User


def audit_record(
    *,
    stream: str,
    action: str,
    target_type: str,
    target_id: object,
    actor: User | None = None,
    organisation: Organisation | None = None,
    changes: dict[str, Any] | None = None,
) -> Event:
    """Append one event to `stream`'s chain, in the caller's transaction.

    Writers to one stream queue on that stream's head row; writers to other streams never wait.
    `changes` must hold no personal data in clear: use `pseudonym()` for such values.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    head = _lock_head(stream)
    algorithm = settings.AUDIT_HASH_ALGORITHM
    event = Event(
        stream=stream,
        seq=head.seq + 1,
        occurred_at=timezone.now(),
        actor_id=actor.pk if actor is not None else None,
        organisation_id=organisation.pk if organisation is not None else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        changes=changes or {},
        request_id=current_request_id(),
        algorithm=algorithm,
        prev_hash=head.hash,
    )
    event.hash = domain.event_hash(algorithm, event.payload(), head.hash)
    event.save(force_insert=True)
    StreamHead.objects.filter(stream=stream).update(seq=event.seq, hash=event.hash)
    return event


def _lock_head(stream: str) -> StreamHead:
    head = StreamHead.objects.select_for_update().filter(stream=stream).first()
    if head is None:
        StreamHead.objects.bulk_create(
            [StreamHead(stream=stream, seq=0, hash=domain.GENESIS_HASH)], ignore_conflicts=True
        )
        head = StreamHead.objects.select_for_update().get(stream=stream)
    return head


def pseudonym(value: str) -> str:
    return domain.pseudonym(settings.PSEUDONYM_KEY, value)

