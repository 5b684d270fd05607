"""Photos of progress and site reports (形象进度照片): JPEG or PNG judged by their leading bytes, at
most 5 MB each, SHA-256 recorded (read in one pass by onewindow.uploads); stored under a name of
their own (never the uploaded one)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from onewindow.audit.services import audit_record
from onewindow.dispatch.domain import PHOTO_MAX_BYTES, PHOTOS_PER_REPORT, photo_kind, photo_problem
from onewindow.dispatch.models import Photo, ProgressReport, SiteReport
from onewindow.dispatch.services.reports import require_reporter
from onewindow.errors import Conflict, InvalidFields
from onewindow.orgs.models import User
from onewindow.projects.services.common import project_stream
from onewindow.uploads import upload_read

CAPTION_MAX = 200


def _check_report(report: ProgressReport | SiteReport) -> None:
    if isinstance(report, ProgressReport) and report.is_locked:
        raise Conflict("该期已排位锁定，不能再修改", code="progress_report_locked")
    if report.photos.count() >= PHOTOS_PER_REPORT:
        raise Conflict(f"每份填报最多 {PHOTOS_PER_REPORT} 张照片", code="photo_limit_reached")


@transaction.atomic
def photo_add(
    *, actor: User, report: ProgressReport | SiteReport, upload: UploadedFile | None, caption: str = ""
) -> Photo:
    report = type(report).objects.select_for_update(of=("self",)).select_related("project__district").get(pk=report.pk)
    require_reporter(actor, report.project)
    _check_report(report)
    caption = (caption or "").strip()
    errors: dict[str, str] = {}
    if len(caption) > CAPTION_MAX:
        errors["caption"] = f"说明不能超过 {CAPTION_MAX} 字"
    if upload is None:
        errors["file"] = "请选择照片"
    else:
        facts = upload_read(upload, max_bytes=PHOTO_MAX_BYTES)
        head, size, sha256 = facts.head, facts.size, facts.sha256
        problem = photo_problem(head, size)
        if problem:
            errors["file"] = problem
    if errors or upload is None:
        raise InvalidFields("照片未能上传", errors=errors, code="photo_invalid")
    mime, extension = photo_kind(head) or ("", "")
    photo = Photo(
        progress_report=report if isinstance(report, ProgressReport) else None,
        site_report=report if isinstance(report, SiteReport) else None,
        caption=caption,
        sha256=sha256,
        content_type=mime,
        size=size,
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    photo.file.save(f"{sha256[:20]}.{extension}", upload, save=False)
    photo.save()
    audit_record(
        stream=project_stream(report.project_id),
        action="dispatch.photo_add",
        target_type="dispatch.Photo",
        target_id=photo.pk,
        actor=actor,
        organisation=report.project.district,
        changes={"report": f"{type(report).__name__}:{report.pk}", "sha256": sha256, "size": size, "caption": caption},
    )
    return photo


@transaction.atomic
def photo_remove(*, actor: User, photo: Photo) -> None:
    photo = (
        Photo.objects.select_for_update(of=("self",)).select_related("progress_report", "site_report").get(pk=photo.pk)
    )
    report: ProgressReport | SiteReport | None = photo.progress_report or photo.site_report
    assert report is not None  # the database holds exactly one (photo_one_report)
    require_reporter(actor, report.project)
    if isinstance(report, ProgressReport) and report.is_locked:
        raise Conflict("该期已排位锁定，不能再修改", code="progress_report_locked")
    pk, name, storage = photo.pk, photo.file.name, photo.file.storage
    photo.delete()
    audit_record(
        stream=project_stream(report.project_id),
        action="dispatch.photo_remove",
        target_type="dispatch.Photo",
        target_id=pk,
        actor=actor,
        organisation=report.project.district,
        changes={"report": f"{type(report).__name__}:{report.pk}", "sha256": photo.sha256},
    )
    transaction.on_commit(lambda: storage.delete(name))
