"""What every registry write shares: the row lock, the office check, the audit event."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.models import Organisation, User
from onewindow.projects.models import Project
from onewindow.projects.selectors import is_project_office, is_project_office_for, is_project_office_for_district

TARGET_TYPE = "projects.project"


def project_lock(project_id: int) -> Project:
    """The project row, locked for the rest of the transaction (SQLite: the IMMEDIATE transaction)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("project_lock must run inside a transaction")
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("district", "responsible_unit")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise NotFound(_("未找到该项目"), code="project_not_found")
    return project


def office_refused() -> PermissionDenied:
    return PermissionDenied(_("只有项目所在区县或上级的重点项目办可以修改项目"), code="project_office_required")


def require_office(actor: User, project: Project) -> None:
    """The actor manages the project as key-project office of its district or above."""
    if not is_project_office_for(actor, project):
        raise office_refused()


def require_office_for_district(actor: User, district: Organisation) -> None:
    """The actor is key-project office, and `district` a region they manage (else a field error)."""
    if not is_project_office(actor):
        raise office_refused()
    if district.kind != Organisation.Kind.REGION:
        message = _("所属区县须为行政区划，而不是部门")
        raise InvalidFields(message, errors={"district": message}, code="project_invalid")
    if not is_project_office_for_district(actor, district):
        message = _("“%(name)s”不在您管理的区域内") % {"name": district.name}
        raise InvalidFields(message, errors={"district": message}, code="project_district_out_of_scope")


def project_stream(project_id: int) -> str:
    """The audit stream of one project: the registry's and dispatch's events read as one history."""
    return f"project:{project_id}"


def project_audit(*, project: Project, action: str, actor: User, changes: dict[str, Any]) -> None:
    """One event on the project's stream (project:<id>), in the caller's transaction."""
    audit_record(
        stream=project_stream(project.pk),
        action=f"projects.{action}",
        target_type=TARGET_TYPE,
        target_id=project.pk,
        actor=actor,
        organisation=project.district,
        changes=changes,
    )


AUDIT_LABELS = {
    "projects.project_created": "登记项目",
    "projects.project_updated": "修改项目信息",
    "projects.annual_plans_set": "修改年度计划投资",
    "projects.phase_changed": "变更建设阶段",
    "projects.actual_start_set": "登记实际开工日期",
    "projects.team_changed": "调整服务专班",
    "projects.responsible_unit_set": "调整责任单位",
    "projects.roadmap_set": "编制推进路径图",
    "projects.roadmap_published": "发布推进路径图",
    "projects.roadmap_unpublished": "撤回推进路径图",
    "projects.milestone_actual_recorded": "登记节点实际完成",
    "projects.case_linked": "关联审批办件",
    "projects.case_unlinked": "取消关联审批办件",
}
