"""Pure rules of the key-project registry (重点项目库): phases and the order they move in.

No Django here (an import-linter contract keeps it so); services load rows, call these rules and
write the outcome with its audit event.
"""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    RESERVE = "reserve"
    PREPARATION = "preparation"
    NEW_START = "new_start"
    CONTINUING = "continuing"
    COMPLETED = "completed"
    IN_PRODUCTION = "in_production"


PHASE_LABELS: dict[Phase, str] = {
    Phase.RESERVE: "储备",
    Phase.PREPARATION: "前期",
    Phase.NEW_START: "新开工",
    Phase.CONTINUING: "续建",
    Phase.COMPLETED: "竣工",
    Phase.IN_PRODUCTION: "投产",
}

# A phase moves forward one step at a time; a step back is allowed (a start that slipped back into
# preparation) but always with a reason, which the service requires for every change anyway.
PHASE_ORDER: tuple[Phase, ...] = tuple(Phase)


class Level(StrEnum):
    CITY = "city"
    DISTRICT = "district"


LEVEL_LABELS: dict[Level, str] = {Level.CITY: "市级重点项目", Level.DISTRICT: "区级重点项目"}


class TeamRole(StrEnum):
    LEADER = "leader"
    CHIEF_SERVICE = "chief_service"
    SECRETARY = "secretary"
    COMMISSIONER = "commissioner"


TEAM_ROLE_LABELS: dict[TeamRole, str] = {
    TeamRole.LEADER: "包联领导",
    TeamRole.CHIEF_SERVICE: "首席服务人",
    TeamRole.SECRETARY: "项目秘书",
    TeamRole.COMMISSIONER: "企业特派员",
}


class MilestoneKind(StrEnum):
    LAND = "land"
    APPROVAL = "approval"
    START = "start"
    TOPPING_OUT = "topping_out"
    COMPLETION = "completion"
    PRODUCTION = "production"
    OTHER = "other"


MILESTONE_KIND_LABELS: dict[MilestoneKind, str] = {
    MilestoneKind.LAND: "土地",
    MilestoneKind.APPROVAL: "审批",
    MilestoneKind.START: "开工",
    MilestoneKind.TOPPING_OUT: "封顶",
    MilestoneKind.COMPLETION: "竣工",
    MilestoneKind.PRODUCTION: "投产",
    MilestoneKind.OTHER: "其他",
}
