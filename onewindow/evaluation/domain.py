"""Pure rules of the evaluation of government services (政务服务“好差评”).

The shape comes from 国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见（国办发〔2019〕51号）:
- one rating per service (一次一评, 一事一评), whatever the channel it came through;
- five levels: 非常满意、满意、基本满意、不满意、非常不满意; rating is voluntary;
- a bad rating (差评: 不满意, 非常不满意) is verified, rectified and answered by the department
  concerned (核实、整改、反馈): verification within 1 working day, rectification and the answer to the
  applicant within 15 working days (the defaults; settings `EVALUATION_VERIFY_DAYS`,
  `EVALUATION_ANSWER_DAYS`), overdue ones go to the supervisor (督办);
- ratings are never edited or deleted; a disputed one (恶意差评, wrong service) is excluded from the
  statistics by a supervisor's decision, and stays on record;
- the results are public: satisfaction rate = (非常满意 + 满意 + 基本满意) / all counted ratings.

No Django here, no clock: `today` is always passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from fractions import Fraction

from onewindow.workdays.domain import WorkCalendar, add_working_days, working_days_between

VERIFY_DAYS = 1
# The reason tags a new deployment offers (migration 0002 seeds them; admins keep them afterwards).
DEFAULT_REASON_TAGS = (
    ("attitude", "服务态度差"),
    ("efficiency", "办事效率低"),
    ("repeated_visits", "多次跑"),
    ("unclear_materials", "材料要求不清"),
    ("long_wait", "等候时间长"),
    ("not_on_time", "未按时办结"),
    ("website", "网上办事不便"),
    ("other", "其他"),
)
ANSWER_DAYS = 15
MAX_COMMENT = 500


class Level(IntEnum):
    VERY_SATISFIED = 5
    SATISFIED = 4
    BASICALLY_SATISFIED = 3
    DISSATISFIED = 2
    VERY_DISSATISFIED = 1


LEVEL_LABELS: dict[Level, str] = {
    Level.VERY_SATISFIED: "非常满意",
    Level.SATISFIED: "满意",
    Level.BASICALLY_SATISFIED: "基本满意",
    Level.DISSATISFIED: "不满意",
    Level.VERY_DISSATISFIED: "非常不满意",
}
BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})
# Reason tags are asked for the lower levels (基本满意 and below).
TAGGED_LEVELS = frozenset({Level.BASICALLY_SATISFIED, *BAD_LEVELS})


class Channel(StrEnum):
    PORTAL = "portal"
    API = "api"
    WINDOW = "window"  # the 评价器 tablet facing the applicant at the window
    SMS = "sms"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.PORTAL: "网上办事大厅",
    Channel.API: "移动端（接口）",
    Channel.WINDOW: "窗口评价器",
    Channel.SMS: "短信评价",
}


class Subject(StrEnum):
    CASE = "case"  # the case as a whole
    CASE_DEPARTMENT = "case_department"  # one department that handled the case
    WINDOW = "window"  # one window service (a clerk at a window)


SUBJECT_LABELS: dict[Subject, str] = {
    Subject.CASE: "办件整体",
    Subject.CASE_DEPARTMENT: "审查部门",
    Subject.WINDOW: "窗口服务",
}


def subject_key(
    subject: Subject,
    *,
    case_id: int | None = None,
    department_id: int | None = None,
    window_service_id: int | None = None,
) -> str:
    """The one key per rated service: the database holds it unique (one rating, whatever the channel)."""
    if subject is Subject.CASE:
        return f"case:{case_id}"
    if subject is Subject.CASE_DEPARTMENT:
        return f"case:{case_id}:department:{department_id}"
    return f"window:{window_service_id}"


def is_bad(level: int) -> bool:
    return level in BAD_LEVELS


def is_satisfied(level: int) -> bool:
    return level >= Level.BASICALLY_SATISFIED


class RatingRefused(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def rating_errors(level: object, tags: Iterable[str], comment: str, *, known_tags: Iterable[str]) -> dict[str, str]:
    """Every problem of a rating at once (empty when it may be recorded)."""
    errors: dict[str, str] = {}
    if not isinstance(level, int) or level not in set(Level):
        errors["level"] = "请选择评价等级（非常满意至非常不满意）"
    unknown = set(tags) - set(known_tags)
    if unknown:
        errors["tags"] = "评价原因不在可选范围内"
    elif tags and isinstance(level, int) and level not in TAGGED_LEVELS:
        errors["tags"] = "满意及以上的评价无需选择原因"
    if len(comment) > MAX_COMMENT:
        errors["comment"] = f"评价内容不超过 {MAX_COMMENT} 字"
    return errors


# --- the follow-up of a bad rating (差评整改) -------------------------------------------------------


class FollowUpStatus(StrEnum):
    AWAITING_VERIFICATION = "awaiting_verification"  # 待核实
    VERIFIED = "verified"  # 已核实，整改中
    ANSWERED = "answered"  # 已整改并答复，待申请人确认
    SETTLED = "settled"  # 申请人满意，办结
    UNSETTLED = "unsettled"  # 申请人仍不满意（留档，督办可见）


FOLLOW_UP_LABELS: dict[FollowUpStatus, str] = {
    FollowUpStatus.AWAITING_VERIFICATION: "待核实",
    FollowUpStatus.VERIFIED: "整改中",
    FollowUpStatus.ANSWERED: "已答复，待确认",
    FollowUpStatus.SETTLED: "申请人满意",
    FollowUpStatus.UNSETTLED: "申请人不满意",
}
OPEN_FOLLOW_UP = frozenset({FollowUpStatus.AWAITING_VERIFICATION, FollowUpStatus.VERIFIED})


class FollowUpAction(StrEnum):
    VERIFY = "verify"
    ANSWER = "answer"
    SETTLE = "settle"
    UNSETTLE = "unsettle"


TRANSITIONS: dict[tuple[FollowUpStatus, FollowUpAction], FollowUpStatus] = {
    (FollowUpStatus.AWAITING_VERIFICATION, FollowUpAction.VERIFY): FollowUpStatus.VERIFIED,
    (FollowUpStatus.VERIFIED, FollowUpAction.ANSWER): FollowUpStatus.ANSWERED,
    (FollowUpStatus.ANSWERED, FollowUpAction.SETTLE): FollowUpStatus.SETTLED,
    (FollowUpStatus.ANSWERED, FollowUpAction.UNSETTLE): FollowUpStatus.UNSETTLED,
}


class TransitionNotAllowed(Exception):
    pass


def next_status(status: FollowUpStatus, action: FollowUpAction) -> FollowUpStatus:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise TransitionNotAllowed(f"{status} → {action}") from None


@dataclass(frozen=True)
class FollowUpDeadlines:
    verify_due_on: dt.date
    answer_due_on: dt.date


def follow_up_deadlines(
    rated_on: dt.date, calendar: WorkCalendar, *, verify_days: int = VERIFY_DAYS, answer_days: int = ANSWER_DAYS
) -> FollowUpDeadlines:
    """Both counted in working days from the day of the rating (not counted itself; Art. 82)."""
    return FollowUpDeadlines(
        verify_due_on=add_working_days(rated_on, verify_days, calendar).on,
        answer_due_on=add_working_days(rated_on, answer_days, calendar).on,
    )


def pending_due_on(status: FollowUpStatus, deadlines: FollowUpDeadlines) -> dt.date | None:
    """The deadline the follow-up runs against now (none once answered)."""
    if status is FollowUpStatus.AWAITING_VERIFICATION:
        return deadlines.verify_due_on
    if status is FollowUpStatus.VERIFIED:
        return deadlines.answer_due_on
    return None


def remaining_days(today: dt.date, due_on: dt.date, calendar: WorkCalendar) -> int:
    """Working days left until the end of `due_on`; negative (working days late) once past it."""
    if today <= due_on:
        return working_days_between(today, due_on, calendar).working_days
    return -working_days_between(due_on, today, calendar).working_days


def is_overdue(today: dt.date, due_on: dt.date | None) -> bool:
    return due_on is not None and today > due_on


def answered_on_time(answered_on: dt.date | None, answer_due_on: dt.date) -> bool:
    return answered_on is not None and answered_on <= answer_due_on


# --- statistics ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Counts per level of the counted ratings (excluded ones left out before)."""

    very_satisfied: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0
    very_dissatisfied: int = 0

    @classmethod
    def of(cls, levels: Iterable[int]) -> Tally:
        counts = dict.fromkeys(Level, 0)
        for level in levels:
            counts[Level(level)] += 1
        return cls.from_counts(counts)

    @classmethod
    def from_counts(cls, counts: dict[Level, int]) -> Tally:
        return cls(
            very_satisfied=counts.get(Level.VERY_SATISFIED, 0),
            satisfied=counts.get(Level.SATISFIED, 0),
            basically_satisfied=counts.get(Level.BASICALLY_SATISFIED, 0),
            dissatisfied=counts.get(Level.DISSATISFIED, 0),
            very_dissatisfied=counts.get(Level.VERY_DISSATISFIED, 0),
        )

    @property
    def total(self) -> int:
        return self.satisfied_count + self.bad_count

    @property
    def satisfied_count(self) -> int:
        return self.very_satisfied + self.satisfied + self.basically_satisfied

    @property
    def bad_count(self) -> int:
        return self.dissatisfied + self.very_dissatisfied

    @property
    def satisfaction_rate(self) -> Fraction | None:
        return Fraction(self.satisfied_count, self.total) if self.total else None


def rate_percent(rate: Fraction | None) -> str:
    """A rate as the public page shows it: one decimal place, or a dash when nothing was counted."""
    if rate is None:
        return "—"
    return f"{float(rate) * 100:.1f}%"


def share(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None
