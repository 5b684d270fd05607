"""The application's materials: type by extension and content, size, SHA-256, stored with their rows."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from onewindow.cases.models import Case, CaseMaterial

MAX_FILE_BYTES = 20 * 1024 * 1024
# Extension → the bytes such a file starts with (OFD, GB/T 33190, is a ZIP package).
FILE_SIGNATURES: dict[str, bytes] = {
    "pdf": b"%PDF-",
    "jpg": b"\xff\xd8\xff",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
    "ofd": b"PK\x03\x04",
}


def file_problem(name: str, upload: UploadedFile) -> str | None:
    """What is wrong with one uploaded file, in Chinese, or None."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    signature = FILE_SIGNATURES.get(extension)
    if signature is None:
        return f"{name}的文件类型不支持，请上传 PDF、JPG、PNG 或 OFD 文件"
    size = upload.size or 0
    if size == 0:
        return f"{name}是空文件，请重新上传"
    if size > MAX_FILE_BYTES:
        return f"{name}超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请压缩后重新上传"
    upload.seek(0)
    head = upload.read(len(signature))
    upload.seek(0)
    if head != signature:
        return f"{name}的文件内容与扩展名“.{extension}”不符，请上传真实的 {extension.upper()} 文件"
    return None


def material_errors(files: Mapping[str, UploadedFile], names: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key, upload in files.items():
        if key not in names:
            errors[f"material:{key}"] = "申请材料中没有这一项"
            continue
        problem = file_problem(names[key], upload)
        if problem:
            errors[f"material:{key}"] = problem
    return errors


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def attach(row: CaseMaterial, upload: UploadedFile) -> None:
    """Store the file and record it on its material row (not saved)."""
    row.sha256 = _sha256(upload)
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
