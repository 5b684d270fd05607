"""Pure rules about organisations, roles and personal data.

Resident ID numbers follow GB 11643-1999 (check digit ISO 7064 MOD 11-2); unified social
credit codes follow GB 32100-2015. Both are checked by python-stdnum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum

from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc


class Role(StrEnum):
    CLERK = "clerk"
    REVIEWER = "reviewer"
    DEPARTMENT_HEAD = "department_head"
    LEAD_COORDINATOR = "lead_coordinator"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    PROJECT_OFFICE = "project_office"
    LEADER = "leader"
    SYSTEM_ADMIN = "system_admin"
    SECURITY_ADMIN = "security_admin"
    AUDIT_ADMIN = "audit_admin"


ROLE_LABELS: dict[Role, str] = {
    Role.CLERK: "窗口人员",
    Role.REVIEWER: "审核人员",
    Role.DEPARTMENT_HEAD: "部门负责人",
    Role.LEAD_COORDINATOR: "牵头部门协调人",
    Role.AGENT: "代办员",
    Role.SUPERVISOR: "效能监察",
    Role.PROJECT_OFFICE: "重点项目办",
    Role.LEADER: "领导",
    Role.SYSTEM_ADMIN: "系统管理员",
    Role.SECURITY_ADMIN: "安全管理员",
    Role.AUDIT_ADMIN: "审计管理员",
}

# 三权分立: one person never holds two of the three administrator roles.
SEPARATED_ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Roles whose work needs the applicant's full ID and phone number (intake, review). Not the agent's
# (代办员): they act for applicants who trusted them with what the form needs (the form's values, which
# they type and correct, are shown them), and see the applicant's registered ID and phone masked.
ROLES_SEEING_PERSONAL_DATA = frozenset({Role.CLERK, Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR})


class RoleGrantRefused(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def check_role_grant(
    *,
    actor_roles: Iterable[Role],
    actor_is_grantee: bool,
    grantee_roles: Iterable[Role],
    role: Role,
    grantee_is_applicant: bool,
) -> None:
    """Only a security admin grants roles, never to themselves nor to an applicant's online account
    (staff and applicants are different people's accounts), and admin roles stay apart."""
    if Role.SECURITY_ADMIN not in set(actor_roles):
        raise RoleGrantRefused("只有安全管理员可以分配角色", "role_grant_not_security_admin")
    if actor_is_grantee:
        raise RoleGrantRefused("不能给自己分配角色", "role_grant_to_self")
    if grantee_is_applicant:
        raise RoleGrantRefused(
            "该账号是申请人的网上账号，不能担任工作人员角色；请为其另建工作人员账号。", "role_grant_to_applicant"
        )
    held_admin_roles = (set(grantee_roles) & SEPARATED_ADMIN_ROLES) - {role}
    if role in SEPARATED_ADMIN_ROLES and held_admin_roles:
        held = "、".join(ROLE_LABELS[r] for r in sorted(held_admin_roles))
        raise RoleGrantRefused(
            f"三权分立：该用户已是{held}，不能再担任{ROLE_LABELS[role]}", "role_grant_separation_of_duties"
        )


def can_see_personal_data(roles: Iterable[Role]) -> bool:
    return bool(ROLES_SEEING_PERSONAL_DATA & set(roles))


def mask_id_number(value: str) -> str:
    """110105********002X: region and last four stay, birth date and sequence hide."""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_name(value: str) -> str:
    return value[:1] + "*" * (len(value) - 1) if value else value


class InvalidIdentifier(ValueError):
    pass


def clean_resident_id(value: str, *, today: dt.date) -> str:
    """Return the canonical 18-character resident ID number, or raise with a Chinese message."""
    number = ric.compact(value or "")
    if len(number) != 18 or not number[:17].isdigit():
        raise InvalidIdentifier("居民身份证号码应为18位，前17位为数字")
    try:
        birth_date = ric.get_birth_date(number)
    except stdnum_errors.ValidationError as exc:
        raise InvalidIdentifier("居民身份证号码中的出生日期无效") from exc
    if birth_date > today:
        raise InvalidIdentifier("居民身份证号码中的出生日期不能晚于今天")
    if ric.calc_check_digit(number) != number[-1]:
        raise InvalidIdentifier("居民身份证号码校验位错误，请核对最后一位")
    return number


def clean_credit_code(value: str) -> str:
    """Return the canonical unified social credit code, or raise with a Chinese message."""
    code = uscc.compact(value or "")
    if len(code) != 18:
        raise InvalidIdentifier("统一社会信用代码应为18位")
    try:
        return str(uscc.validate(code))
    except stdnum_errors.InvalidChecksum as exc:
        raise InvalidIdentifier("统一社会信用代码校验位错误，请核对最后一位") from exc
    except stdnum_errors.ValidationError as exc:
        raise InvalidIdentifier("统一社会信用代码格式不正确") from exc


def is_within(path: str, ancestor_paths: Iterable[str]) -> bool:
    """An organisation lies within another when its materialised path starts with the other's."""
    return any(path.startswith(ancestor) for ancestor in ancestor_paths)


def path_and_ancestors(path: str) -> list[str]:
    """The materialised paths of an organisation and of every organisation above it, top first:
    "/3301/330102/" → ["/3301/", "/3301/330102/"]."""
    codes = [code for code in path.split("/") if code]
    return ["/" + "/".join(codes[: n + 1]) + "/" for n in range(len(codes))]
