"""Campaigns (百日攻坚): create one with its window and targets, add and remove member projects.

Any key-project office may create a campaign with projects of its region; it manages (adds and
removes members) a campaign whose projects all lie in its region. Each write is audited on the
campaign's stream (campaign:<id>).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.briefings.domain.campaigns import Targets, targets_check
from onewindow.briefings.selectors.access import is_office
from onewindow.briefings.selectors.campaigns import can_manage_campaign
from onewindow.briefings.services.members import projects_by_codes
from onewindow.errors import NotFound, PermissionDenied
from onewindow.orgs.models import User
from onewindow.projects.models import Campaign

TARGET_TYPE = "projects.campaign"


def _require_office(actor: User) -> None:
    if not is_office(actor):
        raise PermissionDenied(_("只有重点项目办可以管理攻坚行动"), code="campaign_office_required")


def _audit(campaign: Campaign, action: str, actor: User, changes: Mapping[str, object]) -> None:
    audit_record(
        stream=f"campaign:{campaign.pk}",
        action=f"briefings.{action}",
        target_type=TARGET_TYPE,
        target_id=campaign.pk,
        actor=actor,
        changes=dict(changes),
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
    _require_office(actor)
    targets = Targets(target_starts, target_completions, target_investment_share)
    window, targets = targets_check(name=name, starts_on=starts_on, ends_on=ends_on, targets=targets)
    projects = projects_by_codes(actor, project_codes) if project_codes else []
    campaign = Campaign.objects.create(
        name=name.strip(),
        starts_on=window.starts_on,
        ends_on=window.ends_on,
        target_starts=targets.starts,
        target_completions=targets.completions,
        target_investment_share=targets.investment_share,
    )
    campaign.projects.add(*projects)
    changes = {
        "name": campaign.name,
        "starts_on": window.starts_on.isoformat(),
        "ends_on": window.ends_on.isoformat(),
        "targets": [targets.starts, targets.completions, str(targets.investment_share)],
        "projects": [p.code for p in projects],
    }
    _audit(campaign, "campaign_create", actor, changes)
    return campaign


def _lock_managed(actor: User, campaign_id: int) -> Campaign:
    campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(_("未找到该攻坚行动"), code="campaign_not_found")
    _require_office(actor)
    if not can_manage_campaign(actor, campaign):
        raise PermissionDenied(_("该攻坚行动含有您辖区以外的项目，请由上级重点项目办调整"), code="campaign_not_managed")
    return campaign


@transaction.atomic
def campaign_members_add(*, actor: User, campaign: Campaign, project_codes: list[str]) -> Campaign:
    campaign = _lock_managed(actor, campaign.pk)
    projects = projects_by_codes(actor, project_codes)
    campaign.projects.add(*projects)
    _audit(campaign, "campaign_members_add", actor, {"projects": [p.code for p in projects]})
    return campaign


@transaction.atomic
def campaign_member_remove(*, actor: User, campaign: Campaign, project_id: int) -> Campaign:
    campaign = _lock_managed(actor, campaign.pk)
    project = campaign.projects.filter(pk=project_id).first()
    if project is None:
        raise NotFound(_("该项目不在此攻坚行动中"), code="campaign_member_not_found")
    campaign.projects.remove(project)
    _audit(campaign, "campaign_member_remove", actor, {"project": project.code})
    return campaign
