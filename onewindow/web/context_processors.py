from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from onewindow.orgs.admin_access import ADMIN_ROLES
from onewindow.orgs.domain import ROLE_LABELS, Role
from onewindow.orgs.selectors import user_roles

EVALUATION_STAFF_ROLES = {Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR, Role.SUPERVISOR, Role.LEADER}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the page shell shows a signed-in user: their roles and the consoles open to them."""
    user: Any = request.user
    if not user.is_authenticated:
        return {}
    roles = user_roles(user)
    return {
        "nav_role_labels": [ROLE_LABELS[role] for role in sorted(roles)],
        "nav_admin": bool(roles & set(ADMIN_ROLES) - {Role.AUDIT_ADMIN}),
        "nav_audit_log": Role.AUDIT_ADMIN in roles,
        "nav_projects": bool(roles & {Role.PROJECT_OFFICE, Role.LEADER}),
        # 好差评: the follow-ups of bad ratings for department and supervision staff, the 评价器 for clerks.
        "nav_evaluation_staff": bool(roles & EVALUATION_STAFF_ROLES),
        "nav_evaluation_window": Role.CLERK in roles,
        # 预约办事 for applicants, 大厅管理/预约 for the halls' staff.
        "nav_halls_staff": bool(
            roles & {Role.CLERK, Role.DEPARTMENT_HEAD, Role.SUPERVISOR, Role.LEADER, Role.SYSTEM_ADMIN}
        ),
        # 取号叫号: the kiosk, the wall screen and the window consoles for the halls' clerks.
        "nav_tickets": bool(roles & {Role.CLERK, Role.SYSTEM_ADMIN}),
        # 收费核定 for the collecting departments' staff (fees.selectors.COLLECT_ROLES).
        "nav_fees_checks": bool(roles & {Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR}),
        # 领导分析 (analytics.figures.selectors.ANALYST_ROLES).
        "nav_analytics": bool(roles & {Role.LEADER, Role.SUPERVISOR, Role.SYSTEM_ADMIN}),
    }
