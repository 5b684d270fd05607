"""Generating the monthly leader reports (领导月报).

Generation reads every leader's month set-based (briefings.selectors.facts), composes the text and the
bulletin (domain), draws both files outside any transaction (a PDF takes about a second), then
stores each report in its own short transaction with its audit event. Regenerating a month
replaces the text and the files and bumps the version; what was sent stays recorded (sending.py).

`with_files=False` stores the text and the bulletin's content only (all leaders in seconds); the
files are then drawn from the stored content when first needed (`report_files_ensure`: a download,
the e-mail), which is the same document: the renderers draw the stored Printable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.briefings.domain.amounts import month_start
from onewindow.briefings.domain.printable import Printable, printable_from_json, printable_to_json
from onewindow.briefings.domain.report import Bulletin, bulletin_compose
from onewindow.briefings.domain.sms import sms_text
from onewindow.briefings.models import LeaderReport
from onewindow.briefings.render.pdf import bulletin_pdf
from onewindow.briefings.render.word import bulletin_docx
from onewindow.briefings.selectors.facts import LeaderFacts, leader_facts
from onewindow.errors import InvalidFields, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import organisations_visible_to, user_has_role

TARGET_TYPE = "briefings.leaderreport"


@dataclass(frozen=True)
class Generation:
    period: dt.date
    created: int
    updated: int

    @property
    def count(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class Rendered:
    facts: LeaderFacts
    bulletin: Bulletin
    sms: str
    files: tuple[bytes, bytes] | None  # Word, PDF


def require_office(actor: User) -> None:
    if not user_has_role(actor, Role.PROJECT_OFFICE):
        raise PermissionDenied(_("只有重点项目办可以生成和发送领导月报"), code="briefings_office_required")


def check_period(period: dt.date, today: dt.date) -> dt.date:
    """A month that has begun, as its first day (a report of a future month says nothing)."""
    if month_start(period) > month_start(today):
        raise InvalidFields(
            _("不能生成尚未开始的月份的月报"), errors={"period": _("月份不能晚于本月")}, code="briefings_period_future"
        )
    return month_start(period)


def monthly_reports_generate(
    *,
    period: dt.date,
    actor: User | None = None,
    leader_ids: Collection[int] | None = None,
    with_files: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Generation:
    """Every leader's report for the month. With an actor (a key-project office), only the
    reports that office sees: those whose projects all lie in its region. `progress(done, total)`
    after each report (the pages run this as a job: tasks.reports_generate_job)."""
    if actor is not None:
        require_office(actor)
    period = check_period(period, timezone.localdate())
    facts = leader_facts(period, leader_ids)
    if actor is not None:
        visible = set(organisations_visible_to(actor, roles={Role.PROJECT_OFFICE}).values_list("pk", flat=True))
        facts = [f for f in facts if f.region_id in visible]
    created = updated = 0
    for done, item in enumerate(facts, start=1):
        if _store(_render(item, with_files=with_files), actor=actor):
            created += 1
        else:
            updated += 1
        if progress is not None:
            progress(done, len(facts))
    return Generation(period, created, updated)


def _render(facts: LeaderFacts, *, with_files: bool) -> Rendered:
    bulletin = bulletin_compose(facts.month)
    files = _files(bulletin.printable) if with_files else None
    return Rendered(facts, bulletin, sms_text(bulletin), files)


def _files(printable: Printable) -> tuple[bytes, bytes]:
    return bulletin_docx(printable), bulletin_pdf(printable)


@transaction.atomic
def _store(rendered: Rendered, *, actor: User | None) -> bool:
    """Create or replace the leader's report of the month; True when it was created."""
    facts, bulletin = rendered.facts, rendered.bulletin
    report = LeaderReport.objects.select_for_update().filter(leader=facts.leader, period=bulletin.period).first()
    is_new = report is None
    if report is None:
        report = LeaderReport(leader=facts.leader, period=bulletin.period, version=0)
    old_files = [f.name for f in (report.docx, report.pdf) if f]
    report.version += 1
    report.region_id = facts.region_id
    report.sms_text = rendered.sms
    report.title = bulletin.title
    report.project_count = bulletin.totals.project_count
    report.annual_plan = bulletin.totals.annual_plan
    report.invested_ytd = bulletin.totals.invested_ytd
    report.lagging_count = len(bulletin.lagging) + len(bulletin.no_progress)
    report.overdue_problem_count = len(bulletin.overdue_problems)
    report.content = printable_to_json(bulletin.printable)
    report.generated_at = timezone.now()
    report.generated_by = actor
    _attach(report, rendered.files)
    report.save()
    transaction.on_commit(lambda: _delete_files(report, old_files))
    audit_record(
        stream=f"leader_report:{report.pk}",
        action="briefings.report_generate",
        target_type=TARGET_TYPE,
        target_id=report.pk,
        actor=actor,
        organisation=report.region,
        changes={"period": f"{report.period:%Y-%m}", "version": report.version, "leader": facts.leader.pk},
    )
    return is_new


def _attach(report: LeaderReport, files: tuple[bytes, bytes] | None) -> None:
    """Put the files on the report (unsaved), or none: they are drawn when first needed."""
    if files is None:
        report.docx, report.pdf = "", ""
        return
    stem = f"{report.period:%Y-%m}-leader{report.leader_id}-v{report.version}"
    report.docx.save(f"{stem}.docx", ContentFile(files[0]), save=False)
    report.pdf.save(f"{stem}.pdf", ContentFile(files[1]), save=False)


def _delete_files(report: LeaderReport, names: list[str]) -> None:
    for name in names:
        report.docx.storage.delete(name)


def report_files_ensure(report: LeaderReport) -> LeaderReport:
    """The report with its Word and PDF files, drawn from its stored content if not yet there."""
    if report.docx and report.pdf:
        return report
    files = _files(printable_from_json(report.content))  # outside the transaction: it takes a while
    with transaction.atomic():
        locked = LeaderReport.objects.select_for_update().get(pk=report.pk)
        if locked.version == report.version and not (locked.docx and locked.pdf):
            _attach(locked, files)
            locked.save(update_fields=["docx", "pdf"])
    return LeaderReport.objects.select_related("leader", "region").get(pk=report.pk)
