"""What the cases API returns: the response schemas of the read side and the functions that fill
them from selected rows (with their progress, `cases.presentation`). The applicant's ID and phone
are masked by the caller (`orgs.selectors.display_id_number`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema

from onewindow.api.pagination import PageQuery, page_of
from onewindow.cases.api.commitment_out import CreditRecordOut, RectificationOut, RevocationOut
from onewindow.cases.domain import CASE_STATUS_LABELS, WARNING_LABELS, CaseStatus, TaskStatus, task_status_label
from onewindow.cases.models import Case, CaseMaterial, CaseMatter, ClockStop, Task, TimelineEntry
from onewindow.cases.presentation import CaseRow, Progress, TaskRow, case_rows, task_rows, timeline_action_label
from onewindow.cases.selectors.deferral import OwedRow
from onewindow.cases.selectors.levels import LevelRollup
from onewindow.orgs.models import Organisation, User
from onewindow.workdays.schemas import provisional_field, provisional_resolver

# --- responses ------------------------------------------------------------------------------------


class TokenOut(Schema):
    token: str = Field(description="登录凭证,放在请求头 Authorization: Bearer <token>")
    expires_at: dt.datetime = Field(description="过期时间；修改密码后立即失效")


class CaseOrganisationOut(Schema):
    id: int
    code: str = Field(description="组织编码")
    name: str = Field(description="名称（部门带所属区划）")


class ApplicantOut(Schema):
    kind: str = Field(description="person 自然人 / enterprise 法人")
    name: str
    id_number: str = Field(description="证件号码；无需查看的角色只见脱敏号码")
    phone: str = Field(description="联系电话；无需查看的角色只见脱敏号码")


class ProgressFields(Schema):
    remaining_days: int | None = Field(description="剩余工作日，超期为负；不计时为空")
    warning_level: str = Field(description="预警:normal 正常、yellow 黄灯、red 红灯")
    warning_label: str
    is_suspended: bool = Field(description="是否中止计时（补正、补充材料、特别程序）")


class CaseSummaryOut(ProgressFields):
    id: int
    number: str = Field(description="办件编号")
    title: str = Field(description="办件名称")
    status: str
    status_label: str = Field(description="状态（中文）")
    channel: str = Field(description="online 网上申报 / app 移动端申报 / window 窗口受理")
    applicant_name: str
    region: CaseOrganisationOut
    is_green_channel: bool = Field(description="绿色通道（重点项目）")
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    intake_due_on: dt.date | None = Field(description="受理期限")
    intake_due_on_provisional: bool = provisional_field("受理期限")
    resolve_intake_due_on_provisional = provisional_resolver("intake_due_on")
    accepted_on: dt.date | None = Field(description="受理日")
    is_deemed_accepted: bool = Field(
        description="视为受理：受理期限届满未作决定，依《行政许可法》第三十二条自收到材料之日起受理（记录前即如此显示）"
    )
    due_on: dt.date | None = Field(description="办结期限")
    due_on_provisional: bool = provisional_field("办结期限")
    resolve_due_on_provisional = provisional_resolver("due_on")


class CasePageOut(Schema):
    count: int = Field(description="总条数")
    limit: int
    offset: int
    items: list[CaseSummaryOut]


class CaseMatterOut(Schema):
    name: str = Field(description="事项名称")
    code: str = Field(description="事项编码")
    department: CaseOrganisationOut
    stage: int = Field(description="阶段")
    result: str
    result_label: str = Field(description="结果：办理中、准予许可、不予许可、告知承诺准予")


class CaseMaterialOut(Schema):
    key: str
    name: str
    size: int = Field(description="字节数")
    sha256: str
    content_type: str
    uploaded_at: dt.datetime | None
    deferred_due_on: dt.date | None = Field(description="容缺补交期限")
    reused_certificate: str = Field(description="免提交：文件取自申请人的这张电子证照（编号），空为自行上传")


class TaskOut(ProgressFields):
    id: int
    case_id: int
    case_number: str
    case_title: str
    matter_name: str
    department: CaseOrganisationOut
    kind: str = Field(description="review 审查 / post_check 承诺核查 / recheck 整改复查")
    stage: int
    status: str
    status_label: str = Field(description="状态（中文）；承诺核查、整改复查为“符合”“不符合”")
    assignee: str | None = Field(description="经办人")
    started_on: dt.date
    limit_days: int
    extension_days: int
    due_on: dt.date
    due_on_provisional: bool = provisional_field("审查期限")
    resolve_due_on_provisional = provisional_resolver("due_on")
    decided_at: dt.datetime | None
    is_green_channel: bool


class TaskPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[TaskOut]


class TimelineOut(Schema):
    at: dt.datetime
    action: str
    action_label: str = Field(description="环节（中文）")
    from_status: str
    to_status: str
    note: str
    actor: str | None = Field(description="办理人（员工可见）或办理部门")
    department: str | None


class CorrectionItemOut(Schema):
    target: str = Field(description="material:材料编码 或 field:字段编码")
    label: str = Field(description="材料或字段名称")
    problem: str


class CorrectionNoticeOut(Schema):
    number: str = Field(description="一次性告知书编号")
    issued_at: dt.datetime
    resolved_at: dt.datetime | None = Field(description="补正提交时间；未补正为 null")
    items: list[CorrectionItemOut]


class SupplementRequestOut(Schema):
    task_id: int = Field(description="补交时用：POST /api/cases/tasks/{task_id}/supplement/received")
    department: CaseOrganisationOut = Field(description="要求补充的部门")
    requested_on: dt.date
    note: str = Field(description="需要补充的材料及说明")


class OwedMaterialOut(Schema):
    key: str = Field(description="材料编码;补交用：POST /api/cases/cases/{id}/deferred-materials/{key}")
    name: str
    due_on: dt.date = Field(description="补交期限")
    is_overdue: bool = Field(description="已过补交期限仍未补交")
    overdue_days: int = Field(description="逾期天数（自然日），未逾期为 0")


class CaseDetailOut(CaseSummaryOut):
    applicant: ApplicantOut
    acceptance_notice_number: str
    limit_days: int
    extension_days: int
    completed_at: dt.datetime | None
    decision_note: str
    refusal_reason: str
    correction_notices: list[CorrectionNoticeOut] = Field(description="一次性告知书，最新在前：申请人据此补正")
    supplement_requests: list[SupplementRequestOut] = Field(
        description="各部门尚未收到的补充材料要求，最早的在前：申请人据此补交"
    )
    owed_materials: list[OwedMaterialOut] = Field(
        description="容缺受理后尚未补交的材料及补交期限，最早到期的在前；办结后仍未补交的也列出"
    )
    matters: list[CaseMatterOut]
    materials: list[CaseMaterialOut] = Field(description="材料（不含存储路径）")
    tasks: list[TaskOut]
    timeline: list[TimelineOut]
    revocation: RevocationOut | None = Field(description="撤销许可决定（办件状态为 revoked 时）")
    rectifications: list[RectificationOut] = Field(description="告知承诺核查不符合、尚待复查的整改要求")
    applicant_credit_records: list[CreditRecordOut] = Field(
        description="申请人的信用记录，仅向受理地窗口人员提供（受理时的提示）"
    )


class WarningCountsOut(Schema):
    normal: int
    yellow: int
    red: int
    total: int


class BoardOut(Schema):
    case_counts: WarningCountsOut = Field(description="在办办件数，按预警等级；每级最多计到 1000")
    case_counts_capped: bool = Field(description="有一级达到 1000 时为 true:该级与合计为下限（显示为“1000+”）")
    task_counts: WarningCountsOut = Field(description="在办审查任务数，按预警等级")
    limit: int
    offset: int
    cases: list[CaseSummaryOut]
    tasks: list[TaskOut]


class RegionOut(CaseOrganisationOut):
    level: str = Field(
        description="层级：city 市 / district 区 / county 县 / township 乡镇 / street 街道 / community 社区、村"
    )


class RegionCountsOut(Schema):
    region: RegionOut
    is_own: bool = Field(description="true:本级受理的办件；false:该区划及其所有下级受理的办件")
    case_counts: WarningCountsOut = Field(description="在办办件数，按预警等级")


class LevelCountOut(Schema):
    level: str = Field(description="受理地层级")
    label: str = Field(description="层级名称")
    count: int = Field(description="在办办件数")


class LevelsOut(Schema):
    rows: list[RegionCountsOut] = Field(description="本级在前，其后为各下级区划（含其下级），按编码排序")
    by_level: list[LevelCountOut] = Field(description="按受理地层级合计，上级在前")


class DepartmentRateOut(Schema):
    department: CaseOrganisationOut
    decided_count: int = Field(description="已办结审查任务数")
    on_time_count: int = Field(description="按期办结数（办理日不晚于期限）")
    rate: float | None = Field(description="按期办结率，0 至 1")


# --- serialisation --------------------------------------------------------------------------------


def levels_out(rollup: LevelRollup) -> dict[str, Any]:
    rows = [
        {
            "region": {**organisation_out(row.region), "level": row.region.level},
            "is_own": row.is_own,
            "case_counts": {"normal": row.normal, "yellow": row.yellow, "red": row.red, "total": row.total},
        }
        for row in rollup.rows
    ]
    by_level = [{"level": level.level, "label": level.label, "count": level.count} for level in rollup.by_level]
    return {"rows": rows, "by_level": by_level}


def organisation_out(organisation: Organisation) -> dict[str, Any]:
    return {"id": organisation.pk, "code": organisation.code, "name": organisation.display_name}


def progress_out(progress: Progress) -> dict[str, Any]:
    return {
        "remaining_days": progress.remaining_days,
        "warning_level": progress.level.value,
        "warning_label": WARNING_LABELS[progress.level],
        "is_suspended": progress.is_suspended,
    }


def case_out(row: CaseRow) -> dict[str, Any]:
    case = row.case
    return progress_out(row.progress) | {
        "id": case.pk,
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "status_label": CASE_STATUS_LABELS[CaseStatus(case.status)],
        "channel": case.channel,
        "applicant_name": case.applicant.name,
        "region": organisation_out(case.region),
        "is_green_channel": case.is_green_channel,
        "created_at": case.created_at,
        "submitted_at": case.submitted_at,
        "intake_due_on": case.intake_due_on,
        "accepted_on": case.accepted_on,
        "is_deemed_accepted": case.is_deemed_accepted,
        "due_on": case.due_on,
    }


def task_out(row: TaskRow) -> dict[str, Any]:
    task = row.task
    assignee: User | None = task.assignee
    return progress_out(row.progress) | {
        "id": task.pk,
        "case_id": task.case_id,
        "case_number": task.case.number,
        "case_title": task.case.title,
        "matter_name": task.case_matter.matter_version.name,
        "department": organisation_out(task.department),
        "kind": task.kind,
        "stage": task.stage,
        "status": task.status,
        "status_label": task_status_label(TaskStatus(task.status), is_check=task.is_check),
        "assignee": str(assignee) if assignee else None,
        "started_on": task.started_on,
        "limit_days": task.limit_days,
        "extension_days": task.extension_days,
        "due_on": task.due_on,
        "decided_at": task.decided_at,
        "is_green_channel": task.case.is_green_channel,
    }


def matter_out(matter: CaseMatter) -> dict[str, Any]:
    return {
        "name": matter.matter_version.name,
        "code": matter.matter_version.matter.code,
        "department": organisation_out(matter.department),
        "stage": matter.stage,
        "result": matter.result,
        "result_label": matter.get_result_display(),
    }


def material_out(material: CaseMaterial) -> dict[str, Any]:
    return {
        "key": material.key,
        "name": material.name,
        "size": material.size,
        "sha256": material.sha256,
        "content_type": material.content_type,
        "uploaded_at": material.uploaded_at,
        "deferred_due_on": material.deferred_due_on,
        "reused_certificate": material.reused_certificate,
    }


def owed_material(row: OwedRow) -> dict[str, Any]:
    return {
        "key": row.material.key,
        "name": row.material.name,
        "due_on": row.due_on,
        "is_overdue": row.is_overdue,
        "overdue_days": row.overdue_days,
    }


def supplement_request_out(stop: ClockStop) -> dict[str, Any]:
    task = stop.task
    assert task is not None  # case_open_supplement_requests reads the stops of tasks only
    return {
        "task_id": task.pk,
        "department": organisation_out(task.department),
        "requested_on": stop.first_on,
        "note": stop.note,
    }


def timeline_out(entry: TimelineEntry, *, staff_view: bool) -> dict[str, Any]:
    department = entry.task.department.display_name if entry.task else None
    actor = str(entry.actor) if staff_view and entry.actor else department
    return {
        "at": entry.at,
        "action": entry.action,
        "action_label": timeline_action_label(entry.action),
        "from_status": entry.from_status,
        "to_status": entry.to_status,
        "note": entry.note,
        "actor": actor,
        "department": department,
    }


def case_page(cases: QuerySet[Case], params: PageQuery) -> dict[str, Any]:
    count, page = page_of(cases, params)
    items = [case_out(row) for row in case_rows(page)]
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": items}


def task_page(tasks: QuerySet[Task], params: PageQuery) -> dict[str, Any]:
    count, page = page_of(tasks, params)
    items = [task_out(row) for row in task_rows(page)]
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": items}
