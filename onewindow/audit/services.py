"""Writing to the audit log. Call audit_record inside the service's own transaction."""

from __future__ import annotations

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
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    with connection.cursor() as cursor:
        head_seq, head_hash = _lock_head(cursor, stream)
        algorithm = settings.AUDIT_HASH_ALGORITHM
        event = Event(
            stream=stream,
            seq=head_seq + 1,
            occurred_at=timezone.now(),
            actor_id=actor.pk if actor is not None else None,
            organisation_id=organisation.pk if organisation is not None else None,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            changes=domain.normalise_changes(changes),
            request_id=current_request_id(),
            algorithm=algorithm,
            prev_hash=head_hash,
        )
        event.hash = domain.event_hash(algorithm, event.payload(), head_hash)
        _insert(cursor, event)
        cursor.execute(_UPDATE_HEAD, [event.seq, event.hash, stream])
    return event


# The hot path is plain SQL (the ORM cost four times the database work per event); it is the
# same SQL on SQLite (3.35+) and PostgreSQL. Table and column names come from the models.
HEAD_TABLE = StreamHead._meta.db_table
_EVENT_COLUMNS: list[Field[Any, Any]] = [
    field
    for name in (*domain.PAYLOAD_FIELDS, "prev_hash", "hash")
    if isinstance(field := Event._meta.get_field(name), Field)
]
_SELECT_HEAD = f"SELECT seq, hash FROM {HEAD_TABLE} WHERE stream = %s"  # noqa: S608
_CREATE_HEAD = f"INSERT INTO {HEAD_TABLE} (stream, seq, hash) VALUES (%s, 0, %s) ON CONFLICT (stream) DO NOTHING"  # noqa: S608
_UPDATE_HEAD = f"UPDATE {HEAD_TABLE} SET seq = %s, hash = %s WHERE stream = %s"  # noqa: S608
_INSERT_EVENT = (
    f"INSERT INTO {Event._meta.db_table} ({', '.join(f.column for f in _EVENT_COLUMNS)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * len(_EVENT_COLUMNS))}) RETURNING id"
)


def _lock_head(cursor: Any, stream: str) -> tuple[int, str]:
    # FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transaction already holds the write lock.
    select = _SELECT_HEAD + (" FOR UPDATE" if connection.features.has_select_for_update else "")
    cursor.execute(select, [stream])
    row = cursor.fetchone()
    if row is None:
        # A concurrent first writer's INSERT makes this one wait for its commit, then lock the row.
        cursor.execute(_CREATE_HEAD, [stream, domain.GENESIS_HASH])
        cursor.execute(select, [stream])
        row = cursor.fetchone()
    return int(row[0]), str(row[1])


def _insert(cursor: Any, event: Event) -> None:
    params = [field.get_db_prep_save(getattr(event, field.attname), connection) for field in _EVENT_COLUMNS]
    cursor.execute(_INSERT_EVENT, params)
    event.pk = cursor.fetchone()[0]
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
