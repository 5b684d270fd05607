"""Reads of concentrated starts (集中开工): scoped lists, one event with its projects and total."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from onewindow.briefings.domain.campaigns import start_event_total
from onewindow.briefings.selectors.access import is_office, manages_all
from onewindow.errors import NotFound
from onewindow.orgs.models import User
from onewindow.projects.models import Project, StartEvent
from onewindow.projects.selectors import projects_visible_to


def start_events_visible_to(user: User) -> QuerySet[StartEvent]:
    if not user.is_authenticated:
        return StartEvent.objects.none()
    condition = Q(projects__in=projects_visible_to(user).values("pk"))
    if is_office(user):
        condition |= Q(projects__isnull=True)
    return StartEvent.objects.filter(pk__in=StartEvent.objects.filter(condition).values("pk"))


def start_event_list(user: User) -> QuerySet[StartEvent]:
    """With each event's project count and total investment (all its projects)."""
    return (
        start_events_visible_to(user)
        .annotate(project_count=Count("projects"), total_investment=Sum("projects__total_investment"))
        .order_by("-held_on", "-pk")
    )


def start_event_get_for_user(user: User, event_id: int) -> StartEvent:
    event = start_events_visible_to(user).filter(pk=event_id).first()
    if event is None:
        raise NotFound(_("未找到该集中开工活动"), code="start_event_not_found")
    return event


def can_manage_start_event(user: User, event: StartEvent) -> bool:
    return manages_all(user, event.projects.all())


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
