"""好差评 of the history's ended cases, as the evaluation services write them (in memory, then inserted by
`write.py` with the cases): the invitation every ending opens, the planned ratings (`plan_ratings.py`) and
the follow-ups of the bad ones, each with its audit events on the evaluation's own streams.

- `invitation_open` (the `invite_on_case_end` listener's task): an `Invitation` a few seconds after the
  ending, its `evaluation.invited` event on `evaluation_case:<case>`. The SMS itself (`notify.Delivery`)
  is not written.
- `case_rate` (the case as a whole; no department ratings): a `Rating` answered for by the deciding
  department (a bundle's lead department, a matter's own), `evaluation.rated` on `evaluation_rating:<id>`;
  through the SMS link also the invitation's `sms_used_at` and `evaluation.sms_link_used`.
- `follow_up_open` (a 差评), `follow_up_verify`, `follow_up_answer` (by the department's reviewer, a bundle's
  lead coordinator or head) and `follow_up_settle` (the applicant), on the rating's stream.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from onewindow.analytics.history.plan import SHANGHAI, PlannedCase
from onewindow.analytics.history.plan_ratings import BAD, PlannedRating
from onewindow.analytics.history.steps import Ids
from onewindow.analytics.history.world import Product
from onewindow.audit.services import AuditEntry
from onewindow.cases.models import Case
from onewindow.evaluation.domain import Subject, follow_up_deadlines, subject_key
from onewindow.evaluation.models import FollowUp, Invitation, Rating
from onewindow.evaluation.selectors import ENDED
from onewindow.evaluation.services.common import FOLLOW_UP_TARGET, INVITATION_TARGET, RATING_TARGET, rating_stream
from onewindow.orgs.models import Organisation, User
from onewindow.workdays.domain import WorkCalendar

MODELS = (Invitation, Rating, FollowUp)
INVITED_AFTER = dt.timedelta(seconds=3)  # the task runs once the ending has committed
VERIFICATION = "经调阅办件记录并与经办人员核实，情况基本属实。"
RECTIFICATION = "已在办事指南中补充说明相关材料要求，并对经办人员进行了服务规范培训。"
ANSWER = "感谢您的监督。我们已核实并整改，相关要求已在网上和窗口同步更新，欢迎继续监督。"


@dataclass
class EvaluationRows:
    """What one batch writes of 好差评, in insert order, and its streams' events."""

    invitations: list[Invitation] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    streams: dict[str, list[AuditEntry]] = field(default_factory=dict)


class Evaluations:
    def __init__(self, ids: Ids, calendar: WorkCalendar, *, verify_days: int, answer_days: int) -> None:
        self.ids, self.calendar = ids, calendar
        self.verify_days, self.answer_days = verify_days, answer_days

    def case_ended(
        self, case: Case, product: Product, plan: PlannedCase, rating: PlannedRating | None, rows: EvaluationRows
    ) -> None:
        """The invitation of an ended case and, a decided one, its planned rating."""
        if case.status not in ENDED:
            return
        invitation = Invitation(
            id=self.ids.next(Invitation),
            case=case,
            created_at=plan.steps[-1].at + INVITED_AFTER,
            sms_nonce=secrets.token_hex(16),
        )
        rows.invitations.append(invitation)
        stream = rows.streams[f"evaluation_case:{case.pk}"] = [
            AuditEntry("evaluation.invited", INVITATION_TARGET, case.pk, None, case.region, {"status": case.status})
        ]
        if rating is None or case.status != "completed" or rating.at <= invitation.created_at:
            return
        rated = self._rate(case, product, rating, rows)
        if rating.channel == "sms":
            invitation.sms_used_at = rating.at
            stream.append(
                AuditEntry(
                    "evaluation.sms_link_used", INVITATION_TARGET, case.pk, None, case.region, {"rating_id": rated.pk}
                )
            )

    def _rate(self, case: Case, product: Product, plan: PlannedRating, rows: EvaluationRows) -> Rating:
        """case_rate → _insert: the case as a whole, answered for by its deciding department."""
        first = product.source.matters[0][0]
        department = product.source.deciding_department if product.bundle_version else first.matter.department
        rated_on = plan.at.astimezone(SHANGHAI).date()
        rater = case.applicant.user
        rating = Rating(
            id=self.ids.next(Rating),
            subject=Subject.CASE.value,
            subject_key=subject_key(Subject.CASE, case_id=case.pk),
            case=case,
            department=department,
            region=case.region,
            matter_id=first.matter_id,
            channel=plan.channel,
            level=plan.level,
            tags=list(plan.tags),
            comment=plan.comment,
            may_contact=plan.may_contact,
            rater=rater,
            rated_at=plan.at,
            rated_on=rated_on,
            month=rated_on.replace(day=1),
        )
        rows.ratings.append(rating)
        changes = {
            "subject_key": rating.subject_key,
            "channel": rating.channel,
            "level": rating.level,
            "tags": rating.tags,
            "may_contact": rating.may_contact,
        }
        events = rows.streams[rating_stream(rating.pk)] = [
            AuditEntry("evaluation.rated", RATING_TARGET, rating.pk, rater, department, changes)
        ]
        if plan.level in BAD:
            self._follow_up(rating, product, plan, rows, events)
        return rating

    def _follow_up(
        self, rating: Rating, product: Product, plan: PlannedRating, rows: EvaluationRows, events: list[AuditEntry]
    ) -> None:
        """follow_up_open, then as far as the plan got: verify, answer, settle."""
        deadlines = follow_up_deadlines(
            rating.rated_on, self.calendar, verify_days=self.verify_days, answer_days=self.answer_days
        )
        follow_up = FollowUp(
            id=self.ids.next(FollowUp),
            rating=rating,
            department=rating.department,
            opened_on=rating.rated_on,
            verify_due_on=deadlines.verify_due_on,
            answer_due_on=deadlines.answer_due_on,
        )
        rows.follow_ups.append(follow_up)

        def event(action: str, actor: User | None, **changes: object) -> None:
            entry = AuditEntry(
                f"evaluation.{action}",
                FOLLOW_UP_TARGET,
                follow_up.pk,
                actor,
                follow_up.department,
                {"status": follow_up.status, **changes},
            )
            events.append(entry)

        event(
            "follow_up_opened",
            None,
            verify_due_on=deadlines.verify_due_on.isoformat(),
            answer_due_on=deadlines.answer_due_on.isoformat(),
        )
        staff = self._department_staff(product, rating.department)
        if plan.verified_at is None or staff is None:
            return
        follow_up.status, follow_up.verification = "verified", VERIFICATION
        follow_up.verified_by, follow_up.verified_at = staff, plan.verified_at
        event("follow_up_verified", staff)
        if plan.answered_at is None:
            return
        follow_up.status, follow_up.rectification, follow_up.answer = "answered", RECTIFICATION, ANSWER
        follow_up.answered_by, follow_up.answered_at = staff, plan.answered_at
        follow_up.answered_on = plan.answered_at.astimezone(SHANGHAI).date()
        event("follow_up_answered", staff, on_time=follow_up.answered_on <= follow_up.answer_due_on)
        if plan.settled_at is None:
            return
        follow_up.status, follow_up.settled_at = ("settled" if plan.settled else "unsettled"), plan.settled_at
        event("follow_up_settled", rating.rater, settled=plan.settled)

    @staticmethod
    def _department_staff(product: Product, department: Organisation) -> User | None:
        """Who verifies and answers for the department: its reviewer, or a bundle's lead (coordinator or head)."""
        return product.reviewers.get(department.pk) or product.heads.get(department.pk) or product.lead
