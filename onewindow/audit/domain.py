"""The hash chain of the audit log (全程留痕), as pure functions.

Each stream (one case, one matter, one user's roles, ...) is its own chain: an event's hash
covers a canonical JSON of its fields and the previous event's hash. Checkpoints anchor every
stream's head in one Merkle root. The algorithm (SM3, GB/T 32905, or SHA-256) is recorded in
every event so that the log stays verifiable if a deployment changes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import hashes

ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {"sm3": hashes.SM3, "sha256": hashes.SHA256}
GENESIS_HASH = "0" * 64

# The event fields the hash covers, in addition to prev_hash (see README.md, "Chain format").
PAYLOAD_FIELDS = (
    "stream",
    "seq",
    "occurred_at",
    "actor_id",
    "organisation_id",
    "action",
    "target_type",
    "target_id",
    "changes",
    "request_id",
    "algorithm",
)


class UnknownAlgorithm(ValueError):
    pass


def digest(algorithm: str, data: bytes) -> str:
    try:
        algorithm_class = ALGORITHMS[algorithm]
    except KeyError as exc:
        raise UnknownAlgorithm(f"unknown audit hash algorithm {algorithm!r}; use one of {sorted(ALGORITHMS)}") from exc
    if algorithm == "sha256":  # hashlib is the faster path for the same bytes
        return hashlib.sha256(data).hexdigest()
    hasher = hashes.Hash(algorithm_class())
    hasher.update(data)
    return hasher.finalize().hex()


def algorithm_is_available(algorithm: str) -> bool:
    try:
        digest(algorithm, b"probe")
    except Exception:  # noqa: BLE001 - any failure means this deployment cannot compute it
        return False
    return True


def canonical_json(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def normalise_changes(changes: Mapping[str, Any] | None) -> dict[str, Any]:
    """`changes` as it will read back from the database, so that the stored row re-hashes the same."""
    normalised: dict[str, Any] = json.loads(canonical_json(changes or {}))
    return normalised


def event_payload(values: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed fields of one event from its stored values (a model's or a row's)."""
    payload = {name: values[name] for name in PAYLOAD_FIELDS}
    occurred_at = payload["occurred_at"]
    if isinstance(occurred_at, dt.datetime):
        payload["occurred_at"] = occurred_at.astimezone(dt.UTC).isoformat()
    return payload


def event_hash(algorithm: str, payload: Mapping[str, Any], prev_hash: str) -> str:
    """The hash of one event: its canonical fields, with the previous hash among them."""
    return digest(algorithm, canonical_json({**payload, "prev_hash": prev_hash}))


def merkle_root(algorithm: str, leaves: Sequence[str]) -> str:
    """Merkle root over hex leaves; an odd node is carried up unchanged."""
    if not leaves:
        return GENESIS_HASH
    level = [digest(algorithm, leaf.encode()) for leaf in leaves]
    while len(level) > 1:
        paired = [digest(algorithm, (a + b).encode()) for a, b in zip(level[0::2], level[1::2], strict=False)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def head_leaf(stream: str, seq: int, head_hash: str) -> str:
    return f"{stream}|{seq}|{head_hash}"


def heads_root(algorithm: str, heads: Sequence[Sequence[Any]]) -> str:
    """Merkle root over (stream, seq, hash) heads, taken in stream order."""
    ordered = sorted(heads, key=lambda head: str(head[0]))
    return merkle_root(algorithm, [head_leaf(str(s), int(q), str(h)) for s, q, h in ordered])


def checkpoint_signed_bytes(
    *, algorithm: str, created_at: str, root: str, stream_count: int, event_count: int
) -> bytes:
    """What a checkpoint's signature covers; the heads are covered through the root."""
    return canonical_json(
        {
            "algorithm": algorithm,
            "created_at": created_at,
            "event_count": event_count,
            "root": root,
            "stream_count": stream_count,
            "type": "onewindow.audit.checkpoint/1",
        }
    )


def pseudonym(key: str, value: str) -> str:
    """A keyed hash that stands for a personal value inside an event (comparable, not reversible)."""
    return "h:" + hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()[:24]


# --- verification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first bad link of a stream: where the chain stops proving anything."""

    stream: str
    seq: int
    reason: str


@dataclass(frozen=True)
class Link:
    """One stored event as verification reads it."""

    stream: str
    seq: int
    prev_hash: str
    hash: str
    algorithm: str
    payload: Mapping[str, Any]


class ChainChecker:
    """Walks events in (stream, seq) order and reports the first break of each stream.

    Keeps only the current stream's last link, so memory stays flat however long the log.
    """

    def __init__(self) -> None:
        self.stream: str | None = None
        self.seq = 0
        self.hash = GENESIS_HASH
        self.broken = False
        self.checked = 0

    def feed(self, link: Link) -> Break | None:
        if link.stream != self.stream:
            self.stream, self.seq, self.hash, self.broken = link.stream, 0, GENESIS_HASH, False
        self.checked += 1
        if self.broken:
            return None
        expected = self.seq + 1
        problem = self._problem(link)
        self.seq, self.hash = link.seq, link.hash
        if problem is None:
            return None
        self.broken = True
        return Break(link.stream, min(expected, link.seq), problem)

    def _problem(self, link: Link) -> str | None:
        if link.seq != self.seq + 1:
            return f"序号不连续：期望 {self.seq + 1}，实际 {link.seq}"
        if link.prev_hash != self.hash:
            return "前一哈希与上一事件不符"
        try:
            recomputed = event_hash(link.algorithm, link.payload, link.prev_hash)
        except UnknownAlgorithm:
            return f"无法计算的哈希算法 {link.algorithm}"
        if recomputed != link.hash:
            return "事件内容与哈希不符（事件被改动）"
        return None
