"""Campaigns (百日攻坚): create one with its window and targets, add and remove member projects.

The steps are those of every group of projects (services.groups): any key-project office creates
a campaign, organised by its region, with projects of its region; it manages (adds and removes
members) a campaign whose projects all lie in its region. Audited on the stream campaign:<id>.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy

from onewindow.briefings.domain.campaigns import Targets, targets_check
from onewindow.briefings.selectors.campaigns import CAMPAIGNS
from onewindow.briefings.services.groups import (
    GroupWrites,
    group_create,
    group_project_remove,
    group_projects_add,
)
from onewindow.orgs.models import User
from onewindow.projects.models import Campaign

WRITES = GroupWrites(
    kind=CAMPAIGNS,
    stream="campaign",
    member="member",
    office_required=gettext_lazy("只有重点项目办可以管理攻坚行动"),
    not_managed=gettext_lazy("该攻坚行动含有您辖区以外的项目，请由上级重点项目办调整"),
    member_not_found=gettext_lazy("该项目不在此攻坚行动中"),
)


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    name: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    target_starts: int,
    target_completions: int,
    target_investment_share: Decimal,
    project_codes: list[str],
) -> Campaign:
    WRITES.require_office(actor)
    targets = Targets(target_starts, target_completions, target_investment_share)
    window, targets = targets_check(name=name, starts_on=starts_on, ends_on=ends_on, targets=targets)
    values = {
        "name": name.strip(),
        "starts_on": window.starts_on,
        "ends_on": window.ends_on,
        "target_starts": targets.starts,
        "target_completions": targets.completions,
        "target_investment_share": targets.investment_share,
    }
    summary = {
        "name": values["name"],
        "starts_on": window.starts_on.isoformat(),
        "ends_on": window.ends_on.isoformat(),
        "targets": [targets.starts, targets.completions, str(targets.investment_share)],
    }
    return group_create(WRITES, actor=actor, values=values, summary=summary, project_codes=project_codes)


@transaction.atomic
def campaign_members_add(*, actor: User, campaign: Campaign, project_codes: list[str]) -> Campaign:
    return group_projects_add(WRITES, actor=actor, group=campaign, project_codes=project_codes)


@transaction.atomic
def campaign_member_remove(*, actor: User, campaign: Campaign, project_id: int) -> Campaign:
    return group_project_remove(WRITES, actor=actor, group=campaign, project_id=project_id)
