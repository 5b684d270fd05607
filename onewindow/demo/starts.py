"""云川市's new starts break ground (实际开工) the way a key-project office records it: registered in
前期, each project moves to 新开工 through the phase change on its start day (`data.start_day`: its
planned start, or the concentrated start's day for those started there), which records its actual
start. Only starts up to today: a later run records those that have come due since.
"""

from __future__ import annotations

import datetime as dt

from onewindow.demo.data import key_projects as data
from onewindow.demo.data.story import Story
from onewindow.orgs.models import User
from onewindow.projects.models import Project
from onewindow.projects.services.registry import project_actual_start_set, project_change_phase

PLANNED_REASON = "项目按计划开工。"
EVENT_REASON = "集中开工活动当日开工。"


def starts_load(office: User, story: Story, today: dt.date) -> int:
    """Record every start that has come and is not recorded yet; returns how many were recorded.

    A database loaded before starts were recorded holds its new starts in 新开工 already, without an
    actual start: they get it (the correction the office makes on the project's edit page).
    """
    projects = {p.code: p for p in Project.objects.filter(code__startswith=data.CODE_PREFIX, actual_start=None)}
    recorded = 0
    for spec in data.projects(story):
        project, day = projects.get(spec.code), data.start_day(spec, story)
        if spec.phase != "new_start" or project is None or day > today:
            continue
        if project.phase == "preparation":
            reason = EVENT_REASON if data.starts_at_event(spec, story) else PLANNED_REASON
            project_change_phase(
                actor=office, project=project, to_phase="new_start", reason=reason, started_on=day, today=day
            )
        else:
            project_actual_start_set(actor=office, project=project, actual_start=day, today=day)
        recorded += 1
    return recorded
