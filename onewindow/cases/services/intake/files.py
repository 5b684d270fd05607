"""The application's materials, checked and hashed by `onewindow.uploads`, stored with their rows."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from onewindow.cases.models import Case, CaseMaterial
from onewindow.uploads import document_problem, upload_sha256


def material_error_key(key: str) -> str:
    """Where a material's problem is reported among an application's errors."""
    return f"material:{key}"


def material_errors(files: Mapping[str, UploadedFile], names: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key, upload in files.items():
        if key not in names:
            errors[material_error_key(key)] = "申请材料中没有这一项"
            continue
        problem = document_problem(names[key], upload)
        if problem:
            errors[material_error_key(key)] = problem
    return errors


def attach(row: CaseMaterial, upload: UploadedFile) -> None:
    """Store the file and record it on its material row (not saved)."""
    row.sha256 = upload_sha256(upload)
    row.size = upload.size or 0
    row.content_type = upload.content_type or ""
    row.uploaded_at = timezone.now()
    row.deferred_due_on = None
    row.file.save(PurePath(upload.name or row.key).name, upload, save=False)


def store_files(case: Case, files: Mapping[str, UploadedFile]) -> None:
    """The files of a case whose material rows are written already (a draft, a resubmission)."""
    if not files:
        return
    rows = {row.key: row for row in case.materials.filter(key__in=list(files))}
    for key, upload in files.items():
        attach(rows[key], upload)
    CaseMaterial.objects.bulk_update(
        [rows[key] for key in files], ["file", "sha256", "size", "content_type", "uploaded_at", "deferred_due_on"]
    )
