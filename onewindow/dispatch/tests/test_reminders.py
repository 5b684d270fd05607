"""Reminders before the cut-off: to the secretary of each project that has not reported, once."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.dispatch.domain import CycleKind
from onewindow.dispatch.models import DispatchCycle
from onewindow.dispatch.services.reminders import reminders_send
from onewindow.dispatch.tasks import schedules
from onewindow.dispatch.tests.factories import World, progress_report, world
from onewindow.notify.backends import MemorySmsBackend
from onewindow.notify.models import Delivery
from onewindow.orgs.tests.factories import UserFactory
from onewindow.projects.domain import Phase, TeamRole
from onewindow.projects.tests.factories import ProjectFactory, team_member

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def w() -> World:
    return world()


def test_the_secretary_is_reminded_on_the_reminder_day_and_only_once(w: World) -> None:
    # Default monthly cycle, cut-off the 30th, reminder two days before.
    assert reminders_send(today=D(2026, 4, 27)) == 0
    assert reminders_send(today=D(2026, 4, 28)) == 1
    assert reminders_send(today=D(2026, 4, 29)) == 0

    assert len(MemorySmsBackend.outbox) == 1
    phone, text = MemorySmsBackend.outbox[0]
    assert phone == w.user("secretary").phone
    assert w.project.name in text and "4月30日" in text
    delivery = Delivery.objects.get()
    assert (delivery.recipient, delivery.topic) == (w.user("secretary"), "dispatch.reminder")


def test_a_project_that_reported_is_not_reminded(w: World) -> None:
    progress_report(w.project, w.user("secretary"), period_start=D(2026, 4, 1), period_end=D(2026, 4, 30))
    assert reminders_send(today=D(2026, 4, 29)) == 0
    assert not MemorySmsBackend.outbox


def test_the_regions_cycle_sets_the_reminder_day(w: World) -> None:
    DispatchCycle.objects.create(region=w.east, kind=CycleKind.TEN_DAY, remind_days_before=1)
    assert reminders_send(today=D(2026, 4, 8)) == 0
    assert reminders_send(today=D(2026, 4, 9)) == 1
    assert reminders_send(today=D(2026, 4, 19)) == 1  # the next ten days, a new cut-off


def test_the_chief_service_person_stands_in_for_a_missing_secretary_and_nobody_means_no_message() -> None:
    served = ProjectFactory()
    chief = team_member(served, TeamRole.CHIEF_SERVICE, UserFactory(phone="13900000002"))
    ProjectFactory()  # no team at all
    ProjectFactory(phase=Phase.PREPARATION)  # not under construction: not chased

    assert reminders_send(today=D(2026, 4, 28)) == 1
    assert MemorySmsBackend.outbox[0][0] == chief.phone


def test_the_reminder_and_the_escalation_run_as_periodic_jobs() -> None:
    jobs = {s.name: s.run for s in schedules()}
    assert set(jobs) == {"dispatch.reminders_send", "dispatch.problems_escalate_overdue"}
    assert jobs["dispatch.reminders_send"]() == 0  # runs with no arguments, on today's date
