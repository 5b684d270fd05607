"""The permission matrix shared by the page and API tests: who, and the world they act in.

Users (from factories.world): anonymous, a stranger, the office of another district, the project's
district office, the city office, the leader holding the project and one who does not, the
project's secretary and commissioner (service team), and a staff member of the assigned unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from onewindow.dispatch.domain import ProblemStatus, period_of
from onewindow.dispatch.models import Photo, Problem, ProgressReport, SiteReport
from onewindow.dispatch.selectors.cycles import default_cycle
from onewindow.dispatch.services.photos import photo_add
from onewindow.dispatch.tests.factories import World, jpeg, problem, progress_report, world

USERS = [
    "anonymous",
    "stranger",
    "other_office",
    "district_office",
    "city_office",
    "leader",
    "other_leader",
    "secretary",
    "commissioner",
    "unit_staff",
]
LOGIN = 302
DONE = 302  # a page's successful POST redirects

# Who sees the project (and its reports, photos, site reports).
SEES_PROJECT = {"district_office", "city_office", "leader", "secretary", "commissioner"}
# Who reports: the secretary and the office (the leader and the commissioner see but may not).
REPORTERS = {"district_office", "city_office", "secretary"}
OFFICES = {"other_office", "district_office", "city_office"}
SEES_PROBLEM = SEES_PROJECT | {"unit_staff"}


def expect(anonymous: int, ok: int, *, allowed: set[str], visible: set[str], other: int = 404) -> dict[str, int]:
    """`ok` for the allowed, 403 for those who see the object but may not act, `other` for the rest."""
    result = {"anonymous": anonymous}
    for who in USERS[1:]:
        result[who] = ok if who in allowed else 403 if who in visible else other
    return result


@dataclass
class Objects:
    world: World
    report: ProgressReport
    site_report: SiteReport
    photo: Photo
    problem: Problem
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def project_id(self) -> int:
        return self.world.project.pk


def build() -> Objects:
    w = world()
    today = timezone.localdate()
    period = period_of(default_cycle(), today)
    secretary = w.user("secretary")
    report = progress_report(w.project, secretary, period_start=period.start, period_end=period.end)
    site = SiteReport.objects.create(
        project=w.project, reported_on=today, workers=10, machines=2, reported_by=secretary
    )
    photo = photo_add(actor=secretary, report=report, upload=jpeg())
    issue = problem(
        w.project,
        w.east_bureau,
        secretary,
        raised_on=today,
        due_on=today + dt.timedelta(days=7),
        title="临时用电未接入",
    )
    return Objects(w, report, site, photo, issue)


def answered(objs: Objects) -> None:
    Problem.objects.filter(pk=objs.problem.pk).update(
        status=ProblemStatus.ANSWERED, answer="已协调", answered_on=timezone.localdate()
    )


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    url: Callable[[Objects], str]
    expected: dict[str, int]
    data: Callable[[Objects], dict[str, Any]] | None = None
    setup: Callable[[Objects], None] | None = None
    shows: Callable[[Objects], str] | None = None
