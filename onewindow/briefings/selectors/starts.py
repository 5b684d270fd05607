"""Reads of concentrated starts (集中开工): scoped lists, one event with its projects and total."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy

from onewindow.briefings.domain.campaigns import start_event_total
from onewindow.briefings.selectors.groups import GroupKind, can_manage_group, group_get_for_user, groups_visible_to
from onewindow.orgs.models import User
from onewindow.projects.models import Project, StartEvent
from onewindow.projects.selectors import projects_visible_to

START_EVENTS = GroupKind(StartEvent, gettext_lazy("未找到该集中开工活动"), "start_event_not_found")


def start_events_visible_to(user: User) -> QuerySet[StartEvent]:
    return groups_visible_to(START_EVENTS, user)


def start_event_list(user: User) -> QuerySet[StartEvent]:
    """With each event's project count and total investment (all its projects)."""
    return (
        start_events_visible_to(user)
        .annotate(project_count=Count("projects"), total_investment=Sum("projects__total_investment"))
        .order_by("-held_on", "-pk")
    )


def start_event_get_for_user(user: User, event_id: int) -> StartEvent:
    return group_get_for_user(START_EVENTS, user, event_id)


def can_manage_start_event(user: User, event: StartEvent) -> bool:
    return can_manage_group(user, event)


@dataclass(frozen=True)
class StartEventView:
    event: StartEvent
    projects: list[Project]  # those the viewer sees
    project_count: int
    total_investment: Decimal  # of all the event's projects
    hidden_count: int


def start_event_view(user: User, event: StartEvent) -> StartEventView:
    amounts = list(event.projects.values_list("total_investment", flat=True))
    visible = projects_visible_to(user).filter(start_events=event)
    shown = list(event.projects.filter(pk__in=visible.values("pk")).select_related("district").order_by("code"))
    return StartEventView(event, shown, len(amounts), start_event_total(amounts), len(amounts) - len(shown))
