"""Background work of the projects app: importing a large key-project workbook.

A workbook of more than PROJECTS_IMPORT_BACKGROUND_ROWS rows is imported by a worker: the page keeps
the upload in the file storage (shared by every node, like the reports' files), starts a job and
shows its progress panel; the job reads the file again, imports it (every error reported, nothing
half-imported, exactly as on the page) and deletes it.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from onewindow.jobs.services import job_running
from onewindow.projects.excel.importer import ImportReport, projects_import, read_registry_file

IMPORT_JOB = "projects.import"
MAX_ERRORS_SHOWN = 200


def import_summary(report: ImportReport, *, dry_run: bool) -> str:
    counts = {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
    text = _("新增 %(created)s 个项目，更新 %(updated)s 个，未变 %(unchanged)s 个") % counts
    return (_("检查通过（未导入）：") if dry_run else _("导入完成：")) + text


@task()
def projects_import_job(job_id: str, path: str, dry_run: bool) -> None:
    with job_running(job_id) as job:
        try:
            with default_storage.open(path, "rb") as upload:
                rows = read_registry_file(upload)
            report = projects_import(actor=job.actor, rows=rows, dry_run=dry_run)
        finally:
            default_storage.delete(path)
        if report.ok:
            job.succeed([("success", import_summary(report, dry_run=dry_run))], {"created": report.created})
            return
        count = len(report.errors)
        heading = ngettext(
            "发现 %(counter)s 处错误，未导入任何数据", "发现 %(counter)s 处错误，未导入任何数据", count
        ) % {"counter": count}
        lines = [
            ("danger", _("第 %(row)s 行 %(column)s：%(message)s") % {**vars(e), "column": e.column or "—"})
            for e in report.errors[:MAX_ERRORS_SHOWN]
        ]
        errors = [vars(e) for e in report.errors]
        job.fail([("danger", heading), *lines], {"errors": errors})
