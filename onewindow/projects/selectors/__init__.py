"""Scoped reads of key projects. Who sees what:

- the key-project office (重点项目办) sees the projects of its region's subtree (the city's office
  sees every project, a district's office its district's);
- a member of a project's service team (包联领导, 首席服务人, 项目秘书, 企业特派员) sees that project;
- a leader (领导) sees the projects they hold as responsible leader;
- the agent the office assigned to a project (agency, 免费代办) sees that project.

Every page and endpoint of the key-project half reads projects through `projects_visible_to`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext

from onewindow.agency.selectors import project_agent
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import organisations_visible_to, user_has_role
from onewindow.projects.domain import TEAM_ROLE_LABELS, Level, Phase, TeamRole, clean_text
from onewindow.projects.models import AnnualPlan, Campaign, PhaseChange, Project, TeamMember


def projects_visible_to(user: User) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    condition = Q(team__user=user) | Q(
        agency_authorisations__agent=user, agency_authorisations__revoked_at__isnull=True
    )
    if user_has_role(user, Role.PROJECT_OFFICE):
        condition |= Q(district__in=organisations_visible_to(user, roles={Role.PROJECT_OFFICE}))
    return Project.objects.filter(pk__in=Project.objects.filter(condition).values("pk"))


def project_get_for_user(user: User, project_id: int) -> Project:
    """The project if the user may see it; the same "not found" for missing and forbidden."""
    project = projects_visible_to(user).select_related("district", "responsible_unit").filter(pk=project_id).first()
    if project is None:
        raise NotFound("未找到该项目", code="project_not_found")
    return project


def project_get_for_office(user: User, project_id: int) -> Project:
    """The project for a write: NotFound unless the user sees it, PermissionDenied unless they manage it."""
    project = project_get_for_user(user, project_id)
    if not is_project_office_for(user, project):
        raise PermissionDenied(
            gettext("只有项目所在区县或上级的重点项目办可以修改项目"), code="project_office_required"
        )
    return project


def is_project_office_for(user: User, project: Project) -> bool:
    """Whether the user manages the project as key-project office of its district or above."""
    if not user_has_role(user, Role.PROJECT_OFFICE):
        return False
    return organisations_visible_to(user, roles={Role.PROJECT_OFFICE}).filter(pk=project.district_id).exists()


def office_regions(user: User) -> QuerySet[Organisation]:
    """The regions whose projects the user manages as key-project office (their subtree)."""
    if not user_has_role(user, Role.PROJECT_OFFICE):
        return Organisation.objects.none()
    return organisations_visible_to(user, roles={Role.PROJECT_OFFICE}).filter(kind=Organisation.Kind.REGION)


def is_project_office_for_district(user: User, district: Organisation) -> bool:
    """Whether the user may register projects in `district` (its office or one above it)."""
    return office_regions(user).filter(pk=district.pk).exists()


def is_project_office(user: User) -> bool:
    return user_has_role(user, Role.PROJECT_OFFICE)


# --- the registry list and its filters -----------------------------------------------------------------

FILTER_KEYS = ("district", "phase", "level", "industry", "chain_tag", "campaign", "q")


@dataclass(frozen=True)
class ProjectFilters:
    district: Organisation | None = None
    phase: str = ""
    level: str = ""
    industry: str = ""
    chain_tag: str = ""
    campaign: Campaign | None = None
    text: str = ""

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for pagination links and the Excel export)."""
        values = {
            "district": self.district.code if self.district else "",
            "phase": self.phase,
            "level": self.level,
            "industry": self.industry,
            "chain_tag": self.chain_tag,
            "campaign": str(self.campaign.pk) if self.campaign else "",
            "q": self.text,
        }
        return {key: value for key, value in values.items() if value}


def project_filters(params: Mapping[str, str]) -> tuple[ProjectFilters, dict[str, str]]:
    """The list's filters from query parameters; each bad one is reported (per field) and dropped."""
    values = {key: clean_text(params.get(key))[:100] for key in FILTER_KEYS}
    errors: dict[str, str] = {}
    district = Organisation.objects.filter(code=values["district"]).first() if values["district"] else None
    if values["district"] and district is None:
        errors["district"] = gettext("未找到编码为“%(code)s”的区县") % {"code": values["district"]}
    if values["phase"] and values["phase"] not in {p.value for p in Phase}:
        errors["phase"] = gettext("建设阶段取值无效，可选：%(choices)s") % {
            "choices": "、".join(p.value for p in Phase)
        }
    if values["level"] and values["level"] not in {lv.value for lv in Level}:
        errors["level"] = gettext("项目级别取值无效，可选：%(choices)s") % {
            "choices": "、".join(lv.value for lv in Level)
        }
    campaign = None
    if values["campaign"]:
        campaign = Campaign.objects.filter(pk=int(values["campaign"])).first() if values["campaign"].isdigit() else None
        if campaign is None:
            errors["campaign"] = gettext("未找到该攻坚行动")
    filters = ProjectFilters(
        district=district,
        phase="" if "phase" in errors else values["phase"],
        level="" if "level" in errors else values["level"],
        industry=values["industry"],
        chain_tag=values["chain_tag"],
        campaign=campaign,
        text=values["q"],
    )
    return filters, errors


def project_list(user: User, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """The projects the user sees, filtered, ordered by code, with their district selected."""
    projects = projects_visible_to(user).select_related("district", "responsible_unit")
    return _filtered(projects, filters or ProjectFilters()).order_by("code")


def _filtered(projects: QuerySet[Project], filters: ProjectFilters) -> QuerySet[Project]:
    if filters.district is not None:
        projects = projects.filter(district__path__startswith=filters.district.path)
    for field, value in (("phase", filters.phase), ("level", filters.level), ("industry", filters.industry)):
        if value:
            projects = projects.filter(**{field: value})
    if filters.chain_tag:
        projects = projects.filter(pk__in=_with_chain_tag(filters.chain_tag))
    if filters.campaign is not None:
        projects = projects.filter(campaigns=filters.campaign)
    if filters.text:
        text = filters.text
        projects = projects.filter(Q(name__icontains=text) | Q(code__icontains=text) | Q(owner_name__icontains=text))
    return projects


def _with_chain_tag(tag: str) -> QuerySet[Project, Any] | RawSQL:
    """Projects carrying an industry-chain tag: JSON containment on PostgreSQL, json_each on SQLite."""
    if connection.vendor == "postgresql":
        return Project.objects.filter(chain_tags__contains=[tag]).values("pk")
    table = Project._meta.db_table
    # The table name comes from the model; the tag is a bound parameter.
    return RawSQL(f"SELECT p.id FROM {table} p, json_each(p.chain_tags) t WHERE t.value = %s", [tag])  # noqa: S608, S611


@dataclass(frozen=True)
class FilterChoices:
    districts: list[Organisation]
    campaigns: list[Campaign]
    industries: list[str]
    chain_tags: list[str]


def project_filter_choices(user: User) -> FilterChoices:
    """What the list's filter form offers: the regions, campaigns, industries and tags of the user's projects."""
    visible = projects_visible_to(user)
    district_ids = set(visible.values_list("district_id", flat=True)) | set(
        office_regions(user).values_list("pk", flat=True)
    )
    tags: set[str] = set()
    for row in visible.values_list("chain_tags", flat=True)[:5000]:
        tags.update(tag for tag in (row or []) if isinstance(tag, str))
    return FilterChoices(
        districts=list(Organisation.objects.filter(pk__in=district_ids).order_by("path")),
        campaigns=list(Campaign.objects.filter(projects__in=visible.values("pk")).distinct().order_by("-starts_on")),
        industries=sorted(set(visible.values_list("industry", flat=True))),
        chain_tags=sorted(tags),
    )


# --- one project -----------------------------------------------------------------------------------------


def project_team(project: Project) -> dict[TeamRole, TeamMember]:
    """The service team by role (a role nobody holds is missing)."""
    members = project.team.select_related("user")
    return {TeamRole(member.role): member for member in members}


def project_chief_service_person(project: Project) -> User | None:
    """The project's agent for its approvals (代办): its chief service person (首席服务人)."""
    member = project.team.filter(role=TeamRole.CHIEF_SERVICE).select_related("user").first()
    return member.user if member is not None else None


def project_case_agent(project: Project) -> User | None:
    """Who serves the project's approval cases (代办员): the agent the key-project office assigned
    (agency, free of charge), else its chief service person."""
    return project_agent(project) or project_chief_service_person(project)


@dataclass(frozen=True)
class ProjectParts:
    plans: list[AnnualPlan]
    team: list[tuple[TeamRole, str, User | None]]
    phase_changes: list[PhaseChange]
    campaigns: list[Campaign]


def project_parts(project: Project) -> ProjectParts:
    """What the project page shows besides its basics (four queries)."""
    team = project_team(project)
    return ProjectParts(
        plans=list(project.annual_plans.order_by("year")),
        team=[(role, TEAM_ROLE_LABELS[role], team[role].user if role in team else None) for role in TeamRole],
        phase_changes=list(project.phase_changes.select_related("changed_by").order_by("changed_at", "id")),
        campaigns=list(project.campaigns.order_by("-starts_on")),
    )


@dataclass(frozen=True)
class HeldProjects:
    role: TeamRole
    label: str
    projects: list[Project]


def projects_held_by(user: User) -> list[HeldProjects]:
    """我的项目: per service-team role, the projects the user holds (a leader holds many)."""
    if not user.is_authenticated:
        return []
    held: dict[str, list[Project]] = {role.value: [] for role in TeamRole}
    members = TeamMember.objects.filter(user=user).select_related("project__district").order_by("project__code")
    for member in members:
        held[member.role].append(member.project)
    return [HeldProjects(role, TEAM_ROLE_LABELS[role], held[role.value]) for role in TeamRole if held[role.value]]


# --- people and units named in forms and workbooks ---------------------------------------------------------

# 姓名(用户名), with ASCII or full-width parentheses
_WITH_USERNAME = re.compile("^(?P<name>.*?)\\s*[(\uff08](?P<username>[^()\uff08\uff09]+)[)\uff09]\\s*$")


def user_label(user: User) -> str:
    """How the registry writes a person: 姓名(用户名), read back by `user_find`."""
    return f"{user.name}({user.username})" if user.name else user.username


def user_find(text: str) -> User:
    """An active user by "姓名(用户名)", by user name, or by a name only one active user has."""
    text = clean_text(text)
    if not text:
        raise NotFound(gettext("请填写用户"), code="user_not_found")
    match = _WITH_USERNAME.match(text)
    username = match.group("username").strip() if match else text
    users = User.objects.filter(is_active=True)
    found = users.filter(username=username).first()
    if found is not None:
        return found
    named = list(users.filter(name=text)[:2]) if not match else []
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise InvalidFields(
            gettext("有多名用户叫“%(name)s”，请填写用户名") % {"name": text},
            errors={"user": gettext("有多名同名用户，请填写用户名")},
            code="user_ambiguous",
        )
    raise NotFound(gettext("未找到用户“%(name)s”") % {"name": text}, code="user_not_found")


def organisation_find(text: str, candidates: QuerySet[Organisation]) -> Organisation:
    """An organisation among `candidates` by code, by full name (部门带区划) or by a name only one has."""
    text = clean_text(text)
    found = candidates.filter(code=text).first()
    if found is not None:
        return found
    # A department reads with its region (西湖区住房和城乡建设局): its own name is a suffix of the text.
    suffixes = [text[i:] for i in range(len(text))]
    rows = candidates.filter(Q(name__in=suffixes) | Q(short_name=text)).select_related("parent") if text else []
    named = [o for o in rows if text in (o.name, o.display_name, o.short_name)]
    if len(named) == 1:
        return named[0]
    if len(named) > 1:
        raise InvalidFields(
            gettext("有多个单位名为“%(name)s”，请填写单位编码") % {"name": text},
            errors={"organisation": gettext("名称不唯一，请填写编码")},
            code="organisation_ambiguous",
        )
    raise NotFound(gettext("未找到单位“%(name)s”") % {"name": text}, code="organisation_not_found")


def team_from_names(names: Mapping[str, str]) -> dict[str, User | None]:
    """The users of a service team by role, from what was typed (blank: nobody); every name that
    is not found or not unique is reported at once, per role."""
    members: dict[str, User | None] = {}
    errors: dict[str, str] = {}
    for role, text in names.items():
        try:
            members[role] = user_find(text) if clean_text(text) else None
        except (NotFound, InvalidFields) as exc:
            errors[role] = exc.message
    if errors:
        raise InvalidFields(gettext("服务专班信息有误"), errors=errors, code="team_invalid")
    return members


def unit_from_name(text: str) -> Organisation | None:
    """The responsible unit by code or name (blank: none); an unknown or ambiguous name is a field error."""
    if not clean_text(text):
        return None
    try:
        return organisation_find(text, Organisation.objects.all())
    except (NotFound, InvalidFields) as exc:
        raise InvalidFields(exc.message, errors={"responsible_unit": exc.message}, code="team_invalid") from None
