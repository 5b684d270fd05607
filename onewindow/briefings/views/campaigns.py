"""Pages of campaigns (百日攻坚): the list, a new campaign, one campaign with its progress and members."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from onewindow.briefings.domain.amounts import percent_text
from onewindow.briefings.selectors import campaigns as selectors
from onewindow.briefings.selectors.access import is_office
from onewindow.briefings.services import campaigns as services
from onewindow.briefings.views.common import FormReader, render_page
from onewindow.briefings.views.groups import GroupPages, group_views
from onewindow.orgs.models import User
from onewindow.projects.models import Campaign
from onewindow.web.http import request_user


@require_GET
@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    campaigns = (
        selectors.campaigns_visible_to(user).annotate(member_count=Count("projects")).order_by("-starts_on", "-pk")
    )
    rows = [{"campaign": c, "share": percent_text(c.target_investment_share)} for c in campaigns[:200]]
    return render_page(request, "briefings/campaigns.html", {"rows": rows, "can_create": is_office(user)})


def _create(form: FormReader, user: User, codes: list[str]) -> Campaign:
    name, starts_on, ends_on = form.text("name", 100), form.date("starts_on"), form.date("ends_on")
    target_starts, target_completions = form.count("target_starts"), form.count("target_completions")
    share = form.percent("target_investment_share")
    form.check()
    return services.campaign_create(
        actor=user,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        target_starts=target_starts,
        target_completions=target_completions,
        target_investment_share=share,
        project_codes=codes,
    )


def _describe(user: User, campaign: Campaign) -> dict[str, Any]:
    view = selectors.campaign_view(user, campaign, timezone.localdate())
    return {
        "view": view,
        "campaign": campaign,
        "elapsed": percent_text(view.progress.elapsed_share),
        "target_share": percent_text(campaign.target_investment_share),
        "member_rows": [
            {"member": m, "share": percent_text(m.invested_ytd / m.annual_plan if m.annual_plan > 0 else None)}
            for m in view.members
        ],
    }


PAGES = GroupPages(
    writes=services.WRITES,
    url_name="briefings:campaign",
    template="briefings/campaign_detail.html",
    new_template="briefings/campaign_new.html",
    create=_create,
    created=gettext_lazy("已创建攻坚行动“%(name)s”。"),
    removed=gettext_lazy("已将该项目移出攻坚行动。"),
    describe=_describe,
)
campaign_new, campaign_detail, campaign_members_add, campaign_member_remove = group_views(PAGES)
