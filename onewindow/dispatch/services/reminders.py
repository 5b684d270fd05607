"""Reminders before a cut-off: each project under construction that has not reported yet gets one
message to its secretary (else its chief service person) through the notify app, once per project
and cut-off (the delivery's dedupe key), from its reminder day up to the cut-off itself.

The messages go out after nothing of ours was written: notify records each delivery itself.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from onewindow.dispatch.domain import REPORTING_PHASES, cutoff_to_remind
from onewindow.dispatch.models import ProgressReport
from onewindow.dispatch.selectors.cycles import cycle_for_path, cycle_table
from onewindow.notify.models import Delivery
from onewindow.notify.services import notify_send
from onewindow.orgs.models import User
from onewindow.projects.domain import TeamRole
from onewindow.projects.models import Project, TeamMember

TOPIC = "dispatch.reminder"


def reminder_key(project_id: int, cutoff: dt.date) -> str:
    return f"{TOPIC}:{project_id}:{cutoff.isoformat()}"


def _due(today: dt.date) -> dict[int, tuple[str, dt.date]]:
    """Projects whose reminder is due today: {project id: (name, cut-off)}."""
    table = cycle_table()
    due: dict[int, tuple[str, dt.date]] = {}
    rows = Project.objects.filter(phase__in=list(REPORTING_PHASES)).values_list("pk", "name", "district__path")
    for pk, name, path in rows.iterator(chunk_size=2000):
        cutoff = cutoff_to_remind(cycle_for_path(path, table), today)
        if cutoff is not None:
            due[pk] = (name, cutoff)
    return due


def _not_done(due: dict[int, tuple[str, dt.date]]) -> dict[int, tuple[str, dt.date]]:
    """Without those that reported for the cut-off or were reminded already."""
    cutoffs = {cutoff for _name, cutoff in due.values()}
    reported = set(
        ProgressReport.objects.filter(project__in=list(due), period_end__in=cutoffs).values_list(
            "project_id", "period_end"
        )
    )
    keys = {reminder_key(pk, cutoff): pk for pk, (_name, cutoff) in due.items()}
    reminded = {
        keys[k] for k in Delivery.objects.filter(dedupe_key__in=list(keys)).values_list("dedupe_key", flat=True)
    }
    return {pk: v for pk, v in due.items() if (pk, v[1]) not in reported and pk not in reminded}


def _recipients(project_ids: list[int]) -> dict[int, User]:
    """The secretary of each project, else its chief service person."""
    chosen: dict[int, User] = {}
    members = TeamMember.objects.filter(
        project_id__in=project_ids, role__in=[TeamRole.SECRETARY, TeamRole.CHIEF_SERVICE]
    ).select_related("user")
    for member in sorted(members, key=lambda m: m.role != TeamRole.SECRETARY):
        chosen.setdefault(member.project_id, member.user)
    return chosen


def reminders_send(*, today: dt.date | None = None) -> int:
    """Send today's reminders; returns how many were sent (a project with no one to tell is skipped)."""
    today = today or timezone.localdate()
    pending = _not_done(_due(today))
    recipients = _recipients(list(pending))
    sent = 0
    for pk, (name, cutoff) in sorted(pending.items()):
        recipient = recipients.get(pk)
        if recipient is None:
            continue
        body = f"【重点项目调度】{name}本期进度填报将于{cutoff.month}月{cutoff.day}日截止，请及时填报。"
        notify_send(
            recipient=recipient,
            subject="重点项目进度填报提醒",
            body=body,
            topic=TOPIC,
            dedupe_key=reminder_key(pk, cutoff),
        )
        sent += 1
    return sent
