"""Reads for 会签 / 加签 and for what follows an approval on commitment: who has signed a task and who
has not, what the applicant must rectify and by when, the revocation, and credit records.

Credit records (信用记录) are seen by the applicant's own account, by staff whose organisations
include the region of the record's case, and, at intake, by a clerk of the new case's region
(whatever region the record comes from): they decide whether to approve on commitment again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from onewindow.cases import domain
from onewindow.cases.domain import OPEN_TASK_STATUSES, TaskStatus
from onewindow.cases.models import Case, CreditRecord, Revocation, Signoff, Task, TimelineEntry
from onewindow.cases.selectors.access import department_reviewers, is_staff
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import holds_role_over, organisations_visible_to

REPORT_ACTION = "task_report_rectification"  # services/commitment.py writes it

# --- 会签 -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignerRow:
    reviewer: User
    is_named: bool  # named by the department head (加签)
    signoff: Signoff | None  # None: not signed yet


@dataclass(frozen=True)
class Countersign:
    required: int
    rows: list[SignerRow]  # who signed (in order), then the named signers who have not
    remaining: int  # sign-offs still needed, the unsigned named signers among them
    candidates: list[User]  # whom the head may still name

    @property
    def is_countersigned(self) -> bool:
        return self.required > 1


def task_countersign(task: Task) -> Countersign:
    """Who has signed the task and who has not (three queries)."""
    signoffs = list(task.signoffs.select_related("reviewer").order_by("signed_at", "pk"))
    signers = list(task.signers.select_related("signer").order_by("added_at", "pk"))
    named = {s.signer_id for s in signers}
    opinions = {s.reviewer_id: s.approve for s in signoffs}
    rows = [SignerRow(s.reviewer, s.reviewer_id in named, s) for s in signoffs]
    rows += [SignerRow(s.signer, True, None) for s in signers if s.signer_id not in opinions]
    taken = named | set(opinions)
    return Countersign(
        required=task.required_signoffs,
        rows=rows,
        remaining=domain.signoffs_remaining(required=task.required_signoffs, named=named, opinions=opinions),
        candidates=[u for u in department_reviewers(task) if u.pk not in taken],
    )


# --- rectification and revocation ----------------------------------------------------------------


@dataclass(frozen=True)
class Rectification:
    task: Task  # the re-check (整改复查) task, open
    finding: str  # what the failed post-check found
    due_on: dt.date
    reported_at: dt.datetime | None  # when the applicant reported it done


@dataclass(frozen=True)
class CommitmentFacts:
    rectifications: list[Rectification]
    revocation: Revocation | None


def case_commitment(case: Case) -> CommitmentFacts:
    """The open rectification orders of a case and its revocation, for its pages (three queries)."""
    revocation = Revocation.objects.filter(case=case).select_related("task__department__parent").first()
    rechecks = list(
        Task.objects.filter(case=case, kind=Task.Kind.RECHECK, status__in=sorted(OPEN_TASK_STATUSES))
        .select_related("department__parent")
        .order_by("pk")
    )
    if not rechecks:
        return CommitmentFacts([], revocation)
    findings = dict(
        Task.objects.filter(
            case=case,
            kind=Task.Kind.POST_CHECK,
            status=TaskStatus.REJECTED,
            case_matter__in=[t.case_matter_id for t in rechecks],
        ).values_list("case_matter_id", "opinion")
    )
    reported = dict(TimelineEntry.objects.filter(task__in=rechecks, action=REPORT_ACTION).values_list("task_id", "at"))
    rows = [Rectification(t, findings.get(t.case_matter_id, ""), t.due_on, reported.get(t.pk)) for t in rechecks]
    return CommitmentFacts(rows, revocation)


# --- credit records (信用记录) ------------------------------------------------------------------------


def credit_records_for_user(user: User) -> QuerySet[CreditRecord]:
    """The records the user may see: their own applicants', and as staff those of cases in their regions."""
    if not (user.is_authenticated and user.is_active):
        return CreditRecord.objects.none()
    condition = Q(applicant__user=user)
    if is_staff(user):
        condition |= Q(case__region__in=organisations_visible_to(user).values("id"))
    return (
        CreditRecord.objects.filter(condition)
        .select_related("applicant", "case__region", "recorded_by")
        .order_by("-recorded_on", "-pk")
    )


def applicant_credit_warning(*, user: User, case: Case) -> list[CreditRecord]:
    """At intake, for a clerk of the case's region: every record of the case's applicant."""
    if not holds_role_over(user, case.region, frozenset({Role.CLERK})):
        return []
    return list(
        CreditRecord.objects.filter(applicant_id=case.applicant_id)
        .select_related("case__region")
        .order_by("-recorded_on", "-pk")
    )


def task_rectification(task: Task) -> Rectification | None:
    """The rectification order a re-check task follows (None for any other task, or once it is decided)."""
    if task.kind != Task.Kind.RECHECK:
        return None
    return next((r for r in case_commitment(task.case).rectifications if r.task.pk == task.pk), None)
