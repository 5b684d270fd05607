from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from onewindow.api.auth import api_user
from onewindow.api.schemas import ErrorOut
from onewindow.orgs.domain import ROLE_LABELS, mask_id_number
from onewindow.orgs.selectors import applicants_of, organisations_visible_to, user_roles

router = Router(tags=["组织与人员"])


class RoleOut(Schema):
    role: str
    label: str


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    level: str
    parent_id: int | None


class MyApplicantOut(Schema):
    id: int = Field(description="提交申请时的 applicant_id")
    kind: str = Field(description="person（个人）或 enterprise（企业）")
    name: str
    id_number: str = Field(description="证件号码（隐去中间部分）")


class MeOut(Schema):
    username: str
    name: str
    roles: list[RoleOut]
    applicants: list[MyApplicantOut] = Field(description="本账号可以其名义网上申报的申请人")


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="当前用户与角色")
def me(request: HttpRequest) -> dict[str, Any]:
    user = api_user(request)
    roles = sorted(user_roles(user))
    return {
        "username": user.username,
        "name": user.name,
        "roles": [{"role": role.value, "label": ROLE_LABELS[role]} for role in roles],
        "applicants": [
            {"id": a.pk, "kind": a.kind, "name": a.name, "id_number": mask_id_number(a.id_number)}
            for a in applicants_of(user)
        ],
    }


@router.get("/organisations", response={200: list[OrganisationOut], 401: ErrorOut}, summary="我可见的组织")
def organisations(request: HttpRequest) -> Any:
    user = api_user(request)
    return organisations_visible_to(user).only("id", "code", "name", "kind", "level", "parent_id")
