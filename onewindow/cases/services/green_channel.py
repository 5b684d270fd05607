"""The green channel (绿色通道) for a key project's approval case, with the project's agent (代办员).

Called by the key-project registry when its office links a case to an approval milestone. Marks the
flag and the agent only: limits already running are not recomputed. The case's tasks carry a copy of
the flag (the work lists sort by it from the task's own index), set here in the same transaction.
"""

from __future__ import annotations

from django.db import transaction

from onewindow.cases.models import Case, Task
from onewindow.cases.services.locking import case_lock
from onewindow.cases.services.transitions import case_record
from onewindow.orgs.models import User


@transaction.atomic
def case_mark_green_channel(*, case_id: int, actor: User, agent: User | None, note: str = "") -> Case:
    """Put the case on the green channel with `agent` (None keeps the current agent); idempotent.

    Locks the case, saves the two fields and its tasks' copy of the flag, writes the internal timeline
    row and the audit event (cases.case_green_channel) in the same transaction (the caller's, when it
    has one).
    """
    locked = case_lock(case_id)
    case = locked.case
    agent_id = agent.pk if agent is not None else case.agent_id
    if case.is_green_channel and case.agent_id == agent_id:
        return case
    changes = {"is_green_channel": [case.is_green_channel, True], "agent_id": [case.agent_id, agent_id]}
    case.is_green_channel, case.agent_id = True, agent_id
    case.save(update_fields=["is_green_channel", "agent"])
    Task.objects.filter(case=case, is_green_channel=False).update(is_green_channel=True)
    case_record(
        locked=locked,
        action="case_green_channel",
        actor=actor,
        from_status=case.status,
        note=note,
        is_public=False,
        changes=changes,
    )
    return case
