"""The ratings (好差评) of the history's decided cases, planned (pure: no Django, no database).

A share of the decided cases is rated by the applicant after the decision: mostly 非常满意 or 满意, a few
基本满意 and 差评 (more of them after a rejection or a correction notice), through the channel their case
came by (the SMS link sent at the end, the portal, the app). A bad rating opens the department's follow-up
(差评整改), which verifies it within its working day, rectifies and answers within its fifteen, and the
applicant often says whether that settled it; all on time (an overdue stage would have been escalated by the
hourly job, which the history does not restate). Steps after "now" are not planned: the newest decisions
are not rated yet, the newest bad ratings wait for verification or the answer.

Drawn from its own `random.Random` (seeded from the history's seed), so the cases' plan is the same with or
without ratings. The writer (`ratings.py`) rates only the cases that really ended decided.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

from onewindow.analytics.history.plan import SHANGHAI, PlannedCase
from onewindow.workdays.domain import WorkCalendar, add_working_days, is_working_day

RATED_SHARE = 0.6
LEVELS = (5, 4, 3, 2, 1)  # 非常满意 … 非常不满意
LEVEL_WEIGHTS = (0.70, 0.22, 0.05, 0.02, 0.01)
LEVEL_WEIGHTS_AFTER_TROUBLE = (0.45, 0.28, 0.14, 0.08, 0.05)  # a rejection or a correction notice
BAD = frozenset({2, 1})
TAGGED = frozenset({3, 2, 1})
# Rating channels (evaluation.domain.Channel) by the case's channel: the SMS link reaches every applicant.
RATING_CHANNELS = {
    "window": (("sms", 0.75), ("portal", 0.25)),
    "online": (("portal", 0.7), ("sms", 0.3)),
    "app": (("api", 0.85), ("sms", 0.15)),
}
SMS_LINK_DAYS = 15  # the SMS link's life (EVALUATION_SMS_LINK_DAYS)
SETTLE_SHARE = 0.7  # of the answered: the applicant says whether the answer settled it
SETTLED_SHARE = 0.8  # of those: settled (else unsettled)
DECIDING_STEPS = frozenset({"decide", "task_approve", "task_reject"})
COMMENTS = {
    5: ("一次办好，不用来回跑。", "窗口人员很耐心，办得很快。", "网上就办完了，很方便。"),
    4: ("整体不错，希望进度提醒再及时一些。", "比预想的快。"),
    3: ("等的时间有点长。", "材料要求第一次没说清楚。"),
    2: ("材料清单没说清楚，补了两次。", "审查时间太长，打电话也问不清进度。"),
    1: ("跑了好几趟，态度也不好。", "不予许可的理由没有讲清楚。"),
}


@dataclass(frozen=True, slots=True)
class PlannedRating:
    """One applicant's rating of a decided case, and (a bad one) the follow-up's steps up to now."""

    at: dt.datetime
    level: int
    channel: str  # portal, api or sms
    tags: tuple[str, ...]
    comment: str
    may_contact: bool
    verified_at: dt.datetime | None = None
    answered_at: dt.datetime | None = None
    settled_at: dt.datetime | None = None
    settled: bool = False


def plan_ratings(
    planned: Sequence[PlannedCase],
    *,
    seed: int,
    now: dt.datetime,
    calendar: WorkCalendar,
    tags: Sequence[str],
    verify_days: int = 1,
    answer_days: int = 15,
) -> list[PlannedRating | None]:
    """One entry per planned case (None: not rated, or not decided by now). `tags`: the reason codes offered."""
    rng = random.Random(f"history-ratings:{seed}")  # noqa: S311 - demo data, not secrets
    limits = (verify_days, answer_days)
    return [_rating(rng, case, now.astimezone(SHANGHAI), calendar, tuple(tags), limits) for case in planned]


def _rating(
    rng: random.Random,
    case: PlannedCase,
    now: dt.datetime,
    calendar: WorkCalendar,
    tags: tuple[str, ...],
    limits: tuple[int, int],
) -> PlannedRating | None:
    if not case.steps or case.steps[-1].action not in DECIDING_STEPS or rng.random() >= RATED_SHARE:
        return None
    channel = _pick(rng, RATING_CHANNELS.get(case.channel, RATING_CHANNELS["online"]))
    decided = case.steps[-1].at.astimezone(SHANGHAI)
    if channel == "sms":  # mostly within hours of the decision's SMS, always while the link lives
        delay = min(int(rng.expovariate(1 / 300)) + 2, (SMS_LINK_DAYS - 1) * 24 * 60)
    else:
        delay = min(int(rng.expovariate(1 / 2880)) + 10, 30 * 24 * 60)
    at = decided + dt.timedelta(minutes=delay, seconds=rng.randrange(60))
    if at > now:
        return None
    troubled = any(step.action in ("task_reject", "request_correction") for step in case.steps)
    level = rng.choices(LEVELS, LEVEL_WEIGHTS_AFTER_TROUBLE if troubled else LEVEL_WEIGHTS)[0]
    given = tuple(sorted(set(rng.sample(tags, min(len(tags), rng.randint(1, 2)))))) if level in TAGGED else ()
    comment = rng.choice(COMMENTS[level]) if level in BAD or rng.random() < 0.3 else ""
    rating = PlannedRating(at, level, channel, given, comment, rng.random() < (0.5 if level in BAD else 0.1))
    return _follow_up(rng, rating, now, calendar, limits) if level in BAD else rating


def _follow_up(
    rng: random.Random, rating: PlannedRating, now: dt.datetime, calendar: WorkCalendar, limits: tuple[int, int]
) -> PlannedRating:
    """核实 on the rating's next working day (or the same one), 整改答复 within the limit, then maybe 确认."""
    verify_days, answer_days = limits
    rated_on = rating.at.date()
    verify_on = add_working_days(rated_on, verify_days, calendar).on
    if is_working_day(rated_on, calendar) and rating.at.hour < 15 and rng.random() < 0.5:
        verify_on = rated_on
    verified = _office_time(rng, verify_on, rating.at)
    answer_on = add_working_days(rated_on, rng.randint(min(3, answer_days), answer_days), calendar).on
    answered = _office_time(rng, max(answer_on, verified.date()), verified)
    settled_at, settled = None, False
    if rng.random() < SETTLE_SHARE:
        settled_at = answered + dt.timedelta(minutes=int(rng.expovariate(1 / 1440)) + 5)
        settled = rng.random() < SETTLED_SHARE
    if verified > now:
        return rating
    if answered > now:
        return replace(rating, verified_at=verified)
    if settled_at is None or settled_at > now:
        return replace(rating, verified_at=verified, answered_at=answered)
    return replace(rating, verified_at=verified, answered_at=answered, settled_at=settled_at, settled=settled)


def _office_time(rng: random.Random, day: dt.date, after: dt.datetime) -> dt.datetime:
    """A moment of office hours (8:30–17:30) on `day`, after `after`."""
    minute = rng.randrange(510, 1050)
    at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rng.randrange(60)), SHANGHAI)
    return at if at > after else after + dt.timedelta(minutes=rng.randrange(10, 120))


def _pick(rng: random.Random, shares: Sequence[tuple[str, float]]) -> str:
    roll, edge = rng.random(), 0.0
    for name, share in shares:
        edge += share
        if roll < edge:
            return name
    return shares[-1][0]
