"""The endpoints every group of projects has (campaigns, concentrated starts): add projects to a
group and remove one, each answering with the group's detail. `group_member_endpoints` adds them to
a kind's router, with that kind's paths, summaries and operation ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.params.functions import Path

from onewindow.api.auth import api_user
from onewindow.briefings.api.schemas import ERRORS, CodesIn
from onewindow.briefings.selectors.groups import group_get_for_user
from onewindow.briefings.services.groups import GroupWrites, group_project_remove, group_projects_add


def group_member_endpoints(
    router: Router,
    *,
    path: str,
    writes: GroupWrites[Any],
    detail: Callable[[HttpRequest, Any], dict[str, Any]],
    out: type[Schema],
    label: str,
) -> None:
    """`path` names the group's id, e.g. "/campaigns/{int:campaign_id}/members" (a project's is
    added for the removal); `label` what its projects are called ("成员项目": 加入成员项目). The
    operation ids are the router module's: onewindow_briefings_api_campaigns_members_add."""
    id_name = path.split("{int:")[1].split("}")[0]
    prefix = f"onewindow_briefings_api_{path.split('/')[1]}"
    summaries = (f"加入{label}", f"移出{label}")
    operation_ids = (f"{prefix}_{writes.member}s_add", f"{prefix}_{writes.member}_remove")

    @router.post(path, response={200: out, **ERRORS}, summary=summaries[0], operation_id=operation_ids[0])
    def members_add(request: HttpRequest, payload: CodesIn, group_id: int = Path(..., alias=id_name)) -> dict[str, Any]:
        user = api_user(request)
        group = group_get_for_user(writes.kind, user, group_id)
        group_projects_add(writes, actor=user, group=group, project_codes=payload.codes)
        return detail(request, group)

    @router.delete(
        path + "/{int:project_id}", response={200: out, **ERRORS}, summary=summaries[1], operation_id=operation_ids[1]
    )
    def member_remove(
        request: HttpRequest, group_id: int = Path(..., alias=id_name), project_id: int = Path(...)
    ) -> dict[str, Any]:
        user = api_user(request)
        group = group_get_for_user(writes.kind, user, group_id)
        group_project_remove(writes, actor=user, group=group, project_id=project_id)
        return detail(request, group)
