"""Reads of campaigns (百日攻坚): scoped lists, one campaign, its progress against targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from onewindow.briefings.domain.campaigns import (
    CampaignProgress,
    MemberFacts,
    Targets,
    Window,
    campaign_progress,
    completed_within,
)
from onewindow.briefings.selectors.facts import ZERO, completion_milestone_days, plan_subquery, ytd_subquery
from onewindow.briefings.selectors.groups import GroupKind, can_manage_group, group_get_for_user, groups_visible_to
from onewindow.orgs.models import User
from onewindow.projects.domain import Phase, started_within
from onewindow.projects.models import Campaign
from onewindow.projects.selectors import projects_visible_to
from onewindow.projects.selectors.starts import phase_change_days

CAMPAIGNS = GroupKind(Campaign, gettext_lazy("未找到该攻坚行动"), "campaign_not_found")


def campaigns_visible_to(user: User) -> QuerySet[Campaign]:
    return groups_visible_to(CAMPAIGNS, user)


def campaign_get_for_user(user: User, campaign_id: int) -> Campaign:
    return group_get_for_user(CAMPAIGNS, user, campaign_id)


def can_manage_campaign(user: User, campaign: Campaign) -> bool:
    return can_manage_group(user, campaign)


def campaign_targets(campaign: Campaign) -> Targets:
    return Targets(campaign.target_starts, campaign.target_completions, campaign.target_investment_share)


@dataclass(frozen=True)
class CampaignView:
    campaign: Campaign
    progress: CampaignProgress
    members: list[MemberFacts]  # those the viewer sees
    hidden_count: int  # members outside the viewer's view (counted in the progress, not listed)
    as_of: dt.date


def campaign_view(user: User, campaign: Campaign, today: dt.date) -> CampaignView:
    """The campaign's progress over all its members; the member rows the user may see."""
    window = Window(campaign.starts_on, campaign.ends_on)
    as_of = min(today, campaign.ends_on)
    members = campaign_members(campaign, window, as_of)
    visible = set(projects_visible_to(user).filter(campaigns=campaign).values_list("pk", flat=True))
    shown = [m for m in members if m.project_id in visible]
    progress = campaign_progress(window, campaign_targets(campaign), members, today)
    return CampaignView(campaign, progress, shown, len(members) - len(shown), as_of)


def campaign_members(campaign: Campaign, window: Window, as_of: dt.date) -> list[MemberFacts]:
    """Each member's start, completion, plan and year to date (the campaign's end year), four queries."""
    year = window.ends_on.year
    rows: list[dict[str, Any]] = list(
        campaign.projects.annotate(
            plan=Coalesce(plan_subquery("pk", year), ZERO),
            ytd=Coalesce(ytd_subquery("pk", year, as_of), ZERO),
        )
        .values("pk", "name", "district__name", "actual_start", "plan", "ytd")
        .order_by("code")
    )
    ids = campaign.projects.values("pk")
    starts = phase_change_days(ids, window.starts_on, window.ends_on, Phase.NEW_START)
    completions = phase_change_days(ids, window.starts_on, window.ends_on, Phase.COMPLETED)
    for project_id, days in completion_milestone_days(ids, window).items():
        completions[project_id].extend(days)
    return [
        MemberFacts(
            project_id=row["pk"],
            name=row["name"],
            district=row["district__name"],
            started=started_within(
                window.starts_on,
                window.ends_on,
                actual_start=row["actual_start"],
                new_start_days=starts.get(row["pk"], []),
            ),
            completed=completed_within(window, completions.get(row["pk"], [])),
            annual_plan=Decimal(row["plan"]),
            invested_ytd=Decimal(row["ytd"]),
        )
        for row in rows
    ]
