"""Writing to the audit log. Call audit_record inside the service's own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import Field, Sum
from django.utils import timezone

from onewindow.audit import domain, signing
from onewindow.audit.context import current_request_id
from onewindow.audit.models import Checkpoint, Event, StreamHead

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
    entry = AuditEntry(action, target_type, target_id, actor, organisation, changes)
    return audit_record_many(stream=stream, entries=[entry])[0]


@dataclass(frozen=True)
class AuditEntry:
    """One event for audit_record_many: the same fields as audit_record's, in that order."""

    action: str
    target_type: str
    target_id: object
    actor: User | None = None
    organisation: Organisation | None = None
    changes: dict[str, Any] | None = None


def audit_record_many(
    *, stream: str, entries: Sequence[AuditEntry], head: tuple[int, str] | None = None
) -> list[Event]:
    """Append several events to one stream in order: the same chain as one audit_record call each,
    written with one lock of the head, one INSERT and one head update (a fan-out's events).

    `head` is the stream's (seq, hash) as the caller read it under a lock that every writer of the
    stream takes first (a case's row lock for `case:<id>`): the events are then written in one
    statement that moves the head only from that (seq, hash). Should another writer have moved it
    meanwhile, nothing is written by that statement and the events are chained from the locked head.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    if not entries:
        return []
    with connection.cursor() as cursor:
        if head is not None:
            events = _chain(stream, entries, *head)
            if _insert_from(cursor, stream, events, head):
                return events
        events = _chain(stream, entries, *_lock_head(cursor, stream))
        _insert(cursor, stream, events)
    return events


def _chain(stream: str, entries: Sequence[AuditEntry], head_seq: int, head_hash: str) -> list[Event]:
    algorithm = settings.AUDIT_HASH_ALGORITHM
    request_id = current_request_id()
    events = []
    for entry in entries:
        event = Event(
            stream=stream,
            seq=head_seq + 1,
            occurred_at=timezone.now(),
            actor_id=entry.actor.pk if entry.actor is not None else None,
            organisation_id=entry.organisation.pk if entry.organisation is not None else None,
            action=entry.action,
            target_type=entry.target_type,
            target_id=str(entry.target_id),
            changes=domain.normalise_changes(entry.changes),
            request_id=request_id,
            algorithm=algorithm,
            prev_hash=head_hash,
        )
        event.hash = domain.event_hash(algorithm, event.payload(), head_hash)
        head_seq, head_hash = event.seq, event.hash
        events.append(event)
    return events


# The hot path is plain SQL (the ORM cost four times the database work per event); it is the
# same SQL on SQLite (3.35+) and PostgreSQL. Table and column names come from the models.
HEAD_TABLE = StreamHead._meta.db_table
_EVENT_COLUMNS: list[Field[Any, Any]] = [
    field
    for name in (*domain.PAYLOAD_FIELDS, "prev_hash", "hash")
    if isinstance(field := Event._meta.get_field(name), Field)
]
# One statement creates the head on a stream's first event or locks the existing one, and reads
# it: the no-op DO UPDATE takes the row lock as SELECT … FOR UPDATE would, and a concurrent first
# writer's INSERT makes this one wait for its commit, then lock and read the committed row.
_LOCK_HEAD = (
    f"INSERT INTO {HEAD_TABLE} (stream, seq, hash) VALUES (%s, 0, %s) "  # noqa: S608
    f"ON CONFLICT (stream) DO UPDATE SET seq = {HEAD_TABLE}.seq RETURNING seq, hash"
)
_UPDATE_HEAD = f"UPDATE {HEAD_TABLE} SET seq = %s, hash = %s WHERE stream = %s"  # noqa: S608
_EVENT_INTO = f"INSERT INTO {Event._meta.db_table} ({', '.join(f.column for f in _EVENT_COLUMNS)})"
_EVENT_INSERT = f"{_EVENT_INTO} VALUES "
_EVENT_ROW = f"({', '.join(['%s'] * len(_EVENT_COLUMNS))})"


def _lock_head(cursor: Any, stream: str) -> tuple[int, str]:
    cursor.execute(_LOCK_HEAD, [stream, domain.GENESIS_HASH])
    row = cursor.fetchone()
    return int(row[0]), str(row[1])


def _params(events: list[Event]) -> list[Any]:
    # An event's values are never expressions: each field's conversion without get_db_prep_save's check for one.
    return [
        field.get_db_prep_value(getattr(e, field.attname), connection, prepared=False)
        for e in events
        for field in _EVENT_COLUMNS
    ]


def _insert(cursor: Any, stream: str, events: list[Event]) -> None:
    """The events and the new head: one statement on PostgreSQL (a data-modifying CTE), two on SQLite."""
    rows = ", ".join([_EVENT_ROW] * len(events))
    head = [events[-1].seq, events[-1].hash, stream]
    if connection.vendor == "postgresql":
        cursor.execute(
            f"WITH inserted AS ({_EVENT_INSERT}{rows} RETURNING id), "  # noqa: S608
            f"head AS ({_UPDATE_HEAD}) SELECT id FROM inserted ORDER BY id",
            [*_params(events), *head],
        )
    else:
        cursor.execute(f"{_EVENT_INSERT}{rows} RETURNING id", _params(events))
    ids = [row[0] for row in cursor.fetchall()]
    if connection.vendor != "postgresql":
        cursor.execute(_UPDATE_HEAD, head)
    _saved(events, ids)


# Moves the head from an expected (seq, hash) to the new one, creating it for a new stream; returns
# a row only when it did (the row lock is taken either way, as by _LOCK_HEAD).
_MOVE_HEAD = (
    f"INSERT INTO {HEAD_TABLE} (stream, seq, hash) VALUES (%s, %s, %s) "  # noqa: S608
    f"ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, hash = excluded.hash "
    f"WHERE {HEAD_TABLE}.seq = %s AND {HEAD_TABLE}.hash = %s RETURNING seq"
)
# PostgreSQL types the columns of a VALUES list in a SELECT from its first row: cast each one.
_EVENT_ROW_CAST = f"({', '.join(f'CAST(%s AS {field.db_type(connection)})' for field in _EVENT_COLUMNS)})"


def _insert_from(cursor: Any, stream: str, events: list[Event], head: tuple[int, str]) -> bool:
    """The events, chained from the expected head: one statement on PostgreSQL, two on SQLite. False
    (no event written) when the head is no longer where the caller read it."""
    move = [stream, events[-1].seq, events[-1].hash, *head]
    if connection.vendor == "postgresql":
        rows = ", ".join([_EVENT_ROW_CAST] * len(events))
        columns = ", ".join(field.column for field in _EVENT_COLUMNS)
        cursor.execute(
            f"WITH head AS ({_MOVE_HEAD}), inserted AS ({_EVENT_INTO} SELECT * FROM (VALUES {rows}) "  # noqa: S608
            f"AS v ({columns}) WHERE EXISTS (SELECT FROM head) RETURNING id) SELECT id FROM inserted ORDER BY id",
            [*move, *_params(events)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return False
    else:
        cursor.execute(_MOVE_HEAD, move)
        if cursor.fetchone() is None:
            return False
        cursor.execute(f"{_EVENT_INSERT}{', '.join([_EVENT_ROW] * len(events))} RETURNING id", _params(events))
        ids = [row[0] for row in cursor.fetchall()]
    _saved(events, sorted(ids))
    return True


def _saved(events: list[Event], ids: list[int]) -> None:
    for event, pk in zip(events, sorted(ids), strict=True):
        event.pk = pk
        event._state.adding = False
        event._state.db = connection.alias


def pseudonym(value: str) -> str:
    return domain.pseudonym(settings.PSEUDONYM_KEY, value)


def checkpoint_create(*, force: bool = False) -> Checkpoint | None:
    """Sign every stream's head now. Without `force`, returns None when nothing was written since the last one.

    Reads the heads in one statement outside any transaction: writers are never blocked, and
    a writer committing meanwhile is simply anchored by the next checkpoint.
    """
    if not force and not _changed_since_last_checkpoint():
        return None
    heads: list[list[Any]] = [
        [stream, seq, head_hash]
        for stream, seq, head_hash in StreamHead.objects.order_by("stream").values_list("stream", "seq", "hash")
        if seq > 0
    ]
    algorithm = settings.AUDIT_HASH_ALGORITHM
    signer = signing.get_signer()
    public_key = signer.public_key_pem()
    checkpoint = Checkpoint(
        created_at=timezone.now(),
        algorithm=algorithm,
        root=domain.heads_root(algorithm, heads),
        stream_count=len(heads),
        event_count=sum(head[1] for head in heads),
        heads=heads,
        signature_scheme=signer.scheme,
        public_key=public_key,
        key_fingerprint=signing.key_fingerprint(public_key),
    )
    checkpoint.signature = signing.encode_signature(signer.sign(checkpoint_signed_bytes(checkpoint)))
    checkpoint.save(force_insert=True)
    return checkpoint


def checkpoint_signed_bytes(checkpoint: Checkpoint) -> bytes:
    return domain.checkpoint_signed_bytes(
        algorithm=checkpoint.algorithm,
        created_at=checkpoint.created_at.isoformat(),
        root=checkpoint.root,
        stream_count=checkpoint.stream_count,
        event_count=checkpoint.event_count,
    )


def _changed_since_last_checkpoint() -> bool:
    # Every commit raises some head's seq, so the sum of seqs moves exactly when the log grows.
    total = StreamHead.objects.aggregate(total=Sum("seq"))["total"] or 0
    last = Checkpoint.objects.order_by("-id").values_list("event_count", flat=True).first()
    return last is None or last != total
