"""The application's materials, checked and hashed by `onewindow.uploads`, stored with their rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile

from onewindow import clock
from onewindow.cases.models import Case, CaseMaterial
from onewindow.errors import InvalidFields
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
    row.uploaded_at = clock.now()
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


def store_numbered_files(
    case: Case, files: Sequence[UploadedFile], *, name: str, key_prefix: str, refusal: tuple[str, str]
) -> None:
    """Files handed in during review (supplements, rectifications): all checked first, then each
    stored as a material row of its own, "<name>1：<file name>", keyed "<key_prefix>-1"."""
    problems = {f"files.{n}": p for n, f in enumerate(files) if (p := document_problem(f"{name}{n + 1}", f))}
    if problems:
        message, code = refusal
        raise InvalidFields(message, errors=problems, code=code)
    for n, upload in enumerate(files, start=1):
        row = CaseMaterial(
            case=case,
            key=f"{key_prefix}-{n}",
            name=f"{name}{n}：{PurePath(upload.name or '').name}"[:200],
            sha256=upload_sha256(upload),
            size=upload.size or 0,
            content_type=upload.content_type or "",
            uploaded_at=clock.now(),
        )
        row.file.save(PurePath(upload.name or row.key).name, upload, save=False)
        row.save()
