"""One case's reads for its pages: its matters and tasks, its written intake decision, its timeline,
and what the applicant still has to answer. Callers pass a case they may see already
(`access.case_get_for_user` and the like)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from onewindow.cases.domain import CaseAction
from onewindow.cases.models import Case, CaseMatter, ClockStop, CorrectionNotice, Task, TimelineEntry
from onewindow.cases.selectors.access import TASK_RELATED, is_staff, with_open_stops
from onewindow.errors import NotFound
from onewindow.orgs.models import User


def case_matters(case: Case) -> list[CaseMatter]:
    """The matters of one case in stage order, with their versions and departments (one query)."""
    related = ("matter_version__matter", "department", "department__parent")
    return list(case.matters.select_related(*related).order_by("stage", "id"))


def case_detail_parts(case: Case) -> tuple[list[CaseMatter], list[Task]]:
    """The matters and tasks of one case, for its page (two queries plus the open stops)."""
    tasks = list(with_open_stops(case.tasks.select_related(*TASK_RELATED)).order_by("stage", "id"))
    return case_matters(case), tasks


@dataclass(frozen=True)
class IntakeNotice:
    """The dated, written intake decision handed to the applicant (Art. 32): the acceptance notice,
    the one-time correction notice while it waits for the applicant, or the refusal."""

    kind: str  # "accepted", "correction" or "refused"
    issued_on: dt.date
    number: str
    correction: CorrectionNotice | None = None


def intake_notice(case: Case) -> IntakeNotice:
    """The case's current intake decision; NotFound while the clerk has not decided."""
    kind = case.intake_notice_kind
    if kind == "refused":
        refused = case.timeline.filter(action=f"case_{CaseAction.REFUSE.value}").order_by("-at").first()
        on = timezone.localtime(refused.at).date() if refused else timezone.localdate()
        return IntakeNotice(kind=kind, issued_on=on, number=case.number)
    if kind == "accepted" and case.accepted_on is not None:
        return IntakeNotice(kind=kind, issued_on=case.accepted_on, number=case.acceptance_notice_number or case.number)
    if kind == "correction":
        correction = case.correction_notices.filter(resolved_at__isnull=True).order_by("-issued_at").first()
        if correction is not None:
            on = timezone.localtime(correction.issued_at).date()
            return IntakeNotice(kind=kind, issued_on=on, number=correction.number, correction=correction)
    raise NotFound("窗口尚未作出受理决定", code="intake_notice_not_found")


def case_timeline(*, user: User, case: Case) -> QuerySet[TimelineEntry]:
    """The case's steps, oldest first: applicants see the public rows only, staff every row."""
    entries = TimelineEntry.objects.filter(case=case).select_related("actor", "task__department__parent")
    if not is_staff(user):
        entries = entries.filter(is_public=True)
    return entries.order_by("at", "id")


def case_open_correction_notice(case: Case) -> CorrectionNotice | None:
    """The one-time correction notice the applicant still has to answer, if any."""
    return case.correction_notices.filter(resolved_at__isnull=True).order_by("-issued_at", "-id").first()


def case_open_supplement_requests(case: Case) -> list[ClockStop]:
    """The departments' open requests for supplementary material on the case, oldest first."""
    return list(
        ClockStop.objects.filter(
            case=case, task__isnull=False, reason=ClockStop.Reason.SUPPLEMENT, last_on__isnull=True
        )
        .select_related("task__department__parent")
        .order_by("first_on", "id")
    )
