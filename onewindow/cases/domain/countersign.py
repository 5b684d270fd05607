"""会签 (countersigning): when a task signed by several reviewers, 加签 signers among them, is decided."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum


class CountersignOutcome(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def countersign_outcome(*, required: int, named: Iterable[int], opinions: Mapping[int, bool]) -> CountersignOutcome:
    """A countersigned task: any disagreement rejects it; it is approved once `required` reviewers
    agreed, every named signer (加签) among them. `opinions`: reviewer → agreed."""
    if not all(opinions.values()):
        return CountersignOutcome.REJECTED
    if len(opinions) >= required and set(named) <= set(opinions):
        return CountersignOutcome.APPROVED
    return CountersignOutcome.PENDING


def signoffs_remaining(*, required: int, named: Iterable[int], opinions: Mapping[int, bool]) -> int:
    """How many more sign-offs the task waits for (the named signers who have not signed among them)."""
    unsigned_named = len(set(named) - set(opinions))
    return max(required - len(opinions), unsigned_named)
