"""Storage of cases (办件). Rules live in domain/; every write goes through services/.

- case.py:       the case, its matters and materials, correction notices, the case-number sequence;
                 the choice labels (`translated`) and `URGENCY`, the order of every work list
- review.py:     tasks (review, post-check, re-check), the departments a case reaches, 会签 opinions,
                 加签 signers, clock stops; `TASK_ORDER`
- timeline.py:   the timeline, one row per step, written with its audit event
- commitment.py: what follows 告知承诺 on the record: revocations and credit records

Every model is imported here, so `from onewindow.cases.models import X` works for each and Django
finds them all.
"""

from onewindow.cases.models.case import (
    DOMAIN_LABEL_MESSAGES,
    ONLINE_CHANNELS,
    URGENCY,
    Case,
    CaseMaterial,
    CaseMatter,
    CaseSequence,
    Channel,
    CorrectionNotice,
    translated,
)
from onewindow.cases.models.commitment import CreditRecord, Revocation
from onewindow.cases.models.review import TASK_ORDER, CaseDepartment, ClockStop, Signoff, Task, TaskSigner
from onewindow.cases.models.timeline import TimelineEntry

__all__ = [
    "DOMAIN_LABEL_MESSAGES",
    "ONLINE_CHANNELS",
    "TASK_ORDER",
    "URGENCY",
    "Case",
    "CaseDepartment",
    "CaseMaterial",
    "CaseMatter",
    "CaseSequence",
    "Channel",
    "ClockStop",
    "CorrectionNotice",
    "CreditRecord",
    "Revocation",
    "Signoff",
    "Task",
    "TaskSigner",
    "TimelineEntry",
    "translated",
]
