"""容缺受理's follow-through in the cases API (mounted at /api/cases/): handing in a deferred material.

A multipart form with the file in `file`; who may act (the applicant, or a clerk of the case's
region) is decided in the service, which answers a caller who may not see the case exactly as a
missing case (404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from onewindow.api.auth import api_user
from onewindow.api.schemas import error_responses
from onewindow.cases.api.read_out import OwedMaterialOut, owed_material
from onewindow.cases.models import Case
from onewindow.cases.selectors import deferral as deferral_selectors
from onewindow.cases.services import deferral

router = Router(tags=["容缺受理"])

ERRORS = error_responses(401, 403, 404, 409, 422)


class HandedInOut(Schema):
    key: str
    name: str
    deferred_due_on: dt.date = Field(description="补交期限")
    is_late: bool = Field(description="逾期补交")
    size: int = Field(description="字节数")
    sha256: str
    content_type: str
    uploaded_at: dt.datetime
    owed_materials: list[OwedMaterialOut] = Field(description="仍未补交的容缺材料")


@router.post(
    "/cases/{int:case_id}/deferred-materials/{key}",
    response={200: HandedInOut, **ERRORS},
    summary="补交容缺材料",
)
def hand_in(request: HttpRequest, case_id: int, key: str) -> dict[str, Any]:
    """申请人本人或受理地窗口人员补交容缺受理时约定后补的材料（逾期也可补交）。表单提交，文件放在 file 中：
    PDF、JPG、PNG 或 OFD，不超过 20 MB，按文件内容核对类型，记录 SHA-256。"""
    upload = request.FILES.get("file")
    row = deferral.case_deferred_material_hand_in(
        actor=api_user(request),
        case=Case(pk=case_id),  # the service locks it and answers as for a missing case if need be
        key=key,
        upload=upload if isinstance(upload, UploadedFile) else None,
    )
    assert row.deferred_due_on is not None and row.uploaded_at is not None
    return {
        "key": row.key,
        "name": row.name,
        "deferred_due_on": row.deferred_due_on,
        "is_late": timezone.localtime(row.uploaded_at).date() > row.deferred_due_on,
        "size": row.size,
        "sha256": row.sha256,
        "content_type": row.content_type,
        "uploaded_at": row.uploaded_at,
        "owed_materials": [owed_material(r) for r in deferral_selectors.case_owed_rows(row.case)],
    }
