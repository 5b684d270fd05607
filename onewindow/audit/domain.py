"""The hash chain of the audit log (全程留痕), as pure functions.

Each stream (one case, one matter, one user's roles, ...) is its own chain: an event's hash
covers a canonical JSON of its fields and the previous event's hash. Checkpoints anchor every
stream's head in one Merkle root. The algorithm (SM3, GB/T 32905, or SHA-256) is recorded in
every event so that the log stays verifiable if a deployment changes it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography.hazmat.primitives import hashes

ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {"sm3": hashes.SM3, "sha256": hashes.SHA256}
GENESIS_HASH = "0" * 64


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


def pseudonym(key: str, value: str) -> str:
    """A keyed hash that stands for a personal value inside an event (comparable, not reversible)."""
    return "h:" + hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()[:24]
