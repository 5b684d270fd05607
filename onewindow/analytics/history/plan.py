"""A year of case history, planned (pure: no Django, no database).

Given what may be applied for (matters and bundles with their stages and promised limits), the working-day
calendar, a seed, a count N and the moment "now", `plan_history` plans N cases over the 365 days before
today: on which day and hour each arrives (weekday and seasonal patterns, holidays closed at the windows),
by which channel and applicant kind, and every later step with its told time — the one-time correction
notice and the resubmission, acceptance or refusal, withdrawal, each department's review with its clock
stops (补充材料, 特别程序) and extensions, a few reviews past their limit, rejections, and the bundle's joint
decision. Steps after "now" are not planned: the most recent cases are still at intake or in review.

The same inputs give the same plan (one `random.Random(seed)` drawn in a fixed order). The writer
(`write.py`) turns the steps into the rows the services would have written.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from onewindow.workdays.domain import WorkCalendar, add_working_days, is_working_day

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # no daylight saving time
DAYS = 365

WINDOW, ONLINE, APP = "window", "online", "app"
CHANNEL_SHARES = ((WINDOW, 0.55), (ONLINE, 0.30), (APP, 0.15))
PERSON, ENTERPRISE = "person", "enterprise"
ENTERPRISE_SHARE = 0.3

# Monday peaks, Friday afternoons are quiet; weekends only online (and make-up workdays at the windows).
WEEKDAY_FACTORS = (1.35, 1.1, 1.0, 1.0, 0.85, 0.2, 0.15)
# Fewer cases around the Spring Festival (January–February) and in the summer holidays.
MONTH_FACTORS = {
    1: 0.9,
    2: 0.65,
    3: 1.15,
    4: 1.05,
    5: 1.0,
    6: 1.05,
    7: 0.8,
    8: 0.75,
    9: 1.05,
    10: 0.9,
    11: 1.1,
    12: 1.1,
}
CLOSED_DAY_FACTOR = 0.08  # a holiday: a few online applications only

# Fates of a case old enough to have one (the newest are cut off by "now").
REFUSAL_SHARE = 0.03
WITHDRAWAL_SHARE = 0.02
CORRECTION_SHARE = 0.15
REJECTION_SHARE = 0.04  # of review tasks
STOP_SHARE = 0.10  # of review tasks: a clock stop
SPECIAL_SHARE = 0.3  # of stops: a special procedure (else a request for supplementary material)
EXTENSION_SHARE = 0.04  # of review tasks
OVERDUE_SHARE = 0.04  # of review tasks: decided after their limit

LATE_CHECK_SHARE = 0.05  # of fee checks: sealed after the bill's five working days

SPECIAL_PROCEDURES = ("hearing", "testing", "expert_review", "public_notice")


@dataclass(frozen=True, slots=True)
class MatterSpec:
    version_id: int
    promised_limit_days: int


@dataclass(frozen=True, slots=True)
class BillSpec:
    """A stage that charges fees: the bill opened with it, one check per collecting department."""

    stage: int
    checks: int
    waits_for_payment: bool  # the stage ends only once the bill is paid


@dataclass(frozen=True, slots=True)
class ProductSpec:
    """What a case applies for: a matter (one stage of one matter) or a bundle (its stages)."""

    kind: str  # "matter" or "bundle"
    version_id: int
    stages: tuple[tuple[MatterSpec, ...], ...]
    online: bool  # may be applied for online (else at a window only)
    weight: float = 1.0
    # The days its version may be applied for (None: open-ended); a reform's old and new versions of one
    # matter take turns (history/reform.py).
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    bills: tuple[BillSpec, ...] = ()

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a case with its told time. `stage` and `matter` (index within the stage) name a task."""

    at: dt.datetime
    action: str
    stage: int = 0
    matter: int = 0
    days: int = 0  # an extension's days
    reason: str = ""  # a clock stop's kind: "supplement" or a special procedure


@dataclass(frozen=True, slots=True)
class PlannedCase:
    product: int  # index into the products
    channel: str
    applicant: int  # index into the applicant pool (people apply more than once)
    applicant_kind: str
    steps: tuple[Step, ...] = field(default=())

    @property
    def submitted_at(self) -> dt.datetime:
        return self.steps[0].at


# Steps: "submit", "request_correction", "resubmit", "refuse", "withdraw", "accept",
# "task_suspend", "task_resume", "task_extension_request", "task_extension_approve", "task_approve",
# "task_reject", "decide" (a bundle's joint decision; a single matter is decided with its task), "bill_seal" (a
# department's fee check of a stage's bill; `matter` is the check's index), "bill_pay".
TASK_STEPS = frozenset(
    {"task_suspend", "task_resume", "task_extension_request", "task_extension_approve", "task_approve", "task_reject"}
)


def day_weight(day: dt.date, calendar: WorkCalendar) -> float:
    """The expected share of a day's applications relative to an ordinary Wednesday."""
    base = MONTH_FACTORS[day.month]
    if not is_working_day(day, calendar):
        return base * (CLOSED_DAY_FACTOR if day.weekday() < 5 else WEEKDAY_FACTORS[day.weekday()])
    return base * (WEEKDAY_FACTORS[day.weekday()] if day.weekday() < 5 else 1.0)


def daily_counts(n: int, days: Sequence[dt.date], calendar: WorkCalendar) -> list[int]:
    """N split over the days by weight (largest remainders): exactly N, the same for the same inputs."""
    weights = [day_weight(day, calendar) for day in days]
    total = sum(weights) or 1.0
    exact = [n * w / total for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(days)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def plan_history(
    *,
    products: Sequence[ProductSpec],
    calendar: WorkCalendar,
    seed: int,
    n: int,
    now: dt.datetime,
    days: int = DAYS,
) -> list[PlannedCase]:
    """N cases arriving over the `days` days before now's day (and on it, up to now), oldest first."""
    if not products or n <= 0:
        return []
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    now = now.astimezone(SHANGHAI)
    today = now.date()
    span = [today - dt.timedelta(days=offset) for offset in range(days, -1, -1)]
    online_products = [i for i, p in enumerate(products) if p.online]
    weights = [p.weight for p in products]
    dated = any(p.valid_from is not None or p.valid_to is not None for p in products)
    pool = max(1, int(n * 0.75))
    planned: list[PlannedCase] = []
    for day, count in zip(span, daily_counts(n, span, calendar), strict=True):
        if dated and count:  # only the versions valid that day (the same draws: the same plan when none is dated)
            weights, online_products = _valid_on(products, day)
        open_day = is_working_day(day, calendar)
        for _ in range(count):
            channel = _channel(rng, open_day)
            index = rng.choices(range(len(products)), weights)[0]
            if channel != WINDOW and not products[index].online:
                if online_products:
                    index = rng.choice(online_products)
                else:
                    channel = WINDOW
            applicant = min(int(rng.paretovariate(1.2)) - 1, pool - 1) if rng.random() < 0.3 else rng.randrange(pool)
            kind = ENTERPRISE if (applicant * 7919) % 10 < ENTERPRISE_SHARE * 10 else PERSON
            arrival = _arrival(rng, day, channel, today == day, now)
            steps = _steps(rng, products[index], arrival, channel, calendar)
            kept = tuple(step for step in steps if step.at <= now)
            planned.append(PlannedCase(index, channel, applicant, kind, kept))
    planned.sort(key=lambda case: case.submitted_at)
    return planned


def _valid_on(products: Sequence[ProductSpec], day: dt.date) -> tuple[list[float], list[int]]:
    """The weights of the products valid on `day` (others 0) and the online ones among them."""
    valid = [p.valid_on(day) for p in products]
    if not any(valid):
        valid = [True] * len(products)
    weights = [p.weight if ok else 0.0 for p, ok in zip(products, valid, strict=True)]
    return weights, [i for i, p in enumerate(products) if p.online and valid[i]]


def _channel(rng: random.Random, open_day: bool) -> str:
    if not open_day:
        return ONLINE if rng.random() < 0.65 else APP
    roll, edge = rng.random(), 0.0
    for channel, share in CHANNEL_SHARES:
        edge += share
        if roll < edge:
            return channel
    return APP


def _arrival(rng: random.Random, day: dt.date, channel: str, is_today: bool, now: dt.datetime) -> dt.datetime:
    """Windows: 9–11 and 14–16 peaks within 8:30–17:30; online and the app: from 7:00 to midnight."""
    if channel == WINDOW:
        centre = rng.choice((600, 600, 900, 900, 690, 990))
        minute = int(min(max(rng.gauss(centre, 60), 510), 1049))
    else:
        minute = int(min(max(rng.gauss(780, 240), 420), 1439))
    at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rng.randrange(60)), SHANGHAI)
    if is_today and at > now:  # today's arrivals are before now
        at = now - dt.timedelta(minutes=rng.randrange(1, 240))
        at = max(at, dt.datetime.combine(day, dt.time(0, 1), SHANGHAI))
    return at


def _work_at(rng: random.Random, day: dt.date, after: dt.datetime) -> dt.datetime:
    """A moment of office hours on `day`, after `after` (a few minutes after it on the same day)."""
    if day <= after.date():
        return after + dt.timedelta(minutes=rng.randrange(3, 90), seconds=rng.randrange(60))
    minute = rng.randrange(510, 1050)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60, rng.randrange(60)), SHANGHAI)


def _next_open(day: dt.date, calendar: WorkCalendar) -> dt.date:
    return day if is_working_day(day, calendar) else add_working_days(day, 1, calendar).on


def _steps(
    rng: random.Random, product: ProductSpec, arrival: dt.datetime, channel: str, calendar: WorkCalendar
) -> list[Step]:
    steps = [Step(arrival, "submit")]
    received = arrival
    first_open = _next_open(arrival.date(), calendar)
    if rng.random() < CORRECTION_SHARE:
        told = _work_at(rng, add_working_days(first_open, rng.choice((0, 0, 1, 2)), calendar).on, arrival)
        steps.append(Step(told, "request_correction"))
        back_day = add_working_days(told.date(), rng.randint(1, 12), calendar).on
        if rng.random() < 0.1:  # gave up
            steps.append(Step(_work_at(rng, back_day, told), "withdraw"))
            return steps
        received = _work_at(rng, back_day, told)
        steps.append(Step(received, "resubmit"))
        first_open = received.date()
    decided_day = add_working_days(first_open, rng.choice((0, 0, 0, 1, 1, 2, 3)), calendar).on
    if channel == WINDOW and rng.random() < 0.6:
        decided_day = first_open
    decided_at = _work_at(rng, decided_day, received)
    roll = rng.random()
    if roll < REFUSAL_SHARE:
        return [*steps, Step(decided_at, "refuse")]
    if roll < REFUSAL_SHARE + WITHDRAWAL_SHARE:
        return [*steps, Step(decided_at, "withdraw")]
    steps.append(Step(decided_at, "accept"))
    steps.extend(_review_steps(rng, product, decided_at, calendar))
    return sorted(steps, key=lambda step: step.at)


def _review_steps(
    rng: random.Random, product: ProductSpec, accepted: dt.datetime, calendar: WorkCalendar
) -> list[Step]:
    """Each stage's reviews (and its bill) from the stage's opening, the next stage once they all agreed (and
    its bill is paid when the stage waits for it), then a bundle's joint decision."""
    steps: list[Step] = []
    opened, rejected = accepted, False
    bills = {bill.stage: bill for bill in product.bills}
    for stage_number, stage in enumerate(product.stages, start=1):
        ends: list[dt.datetime] = []
        for index, matter in enumerate(stage):
            task_steps, rejects = _task_steps(rng, stage_number, index, matter, opened, calendar)
            steps.extend(task_steps)
            ends.append(task_steps[-1].at)
            rejected = rejected or rejects
        if (bill := bills.get(stage_number)) is not None:
            bill_steps = _bill_steps(rng, bill, opened, paid=not rejected, calendar=calendar)
            steps.extend(bill_steps)
            if bill.waits_for_payment and bill_steps[-1].action == "bill_pay":
                ends.append(bill_steps[-1].at)
        opened = max(ends)
        if rejected:
            break
    if product.kind == "bundle":
        day = add_working_days(opened.date(), rng.choice((0, 1, 1, 2)), calendar).on
        steps.append(Step(_work_at(rng, day, opened), "decide"))
    return steps


def _bill_steps(
    rng: random.Random, bill: BillSpec, opened: dt.datetime, *, paid: bool, calendar: WorkCalendar
) -> list[Step]:
    """A stage's bill: each department seals its check within a few working days of the stage opening (a few
    late), the last seal issues it, and the payer pays it a few days later (unless the stage was rejected)."""
    seals = []
    for index in range(bill.checks):
        days = rng.randint(6, 8) if rng.random() < LATE_CHECK_SHARE else rng.randint(1, 4)
        seals.append(
            Step(
                _work_at(rng, add_working_days(opened.date(), days, calendar).on, opened),
                "bill_seal",
                bill.stage,
                index,
            )
        )
    steps = sorted(seals, key=lambda step: step.at)
    if paid:
        issued = steps[-1].at
        day = add_working_days(issued.date(), rng.choice((0, 1, 1, 2, 3)), calendar).on
        steps.append(Step(_work_at(rng, day, issued), "bill_pay", bill.stage))
    return steps


def _task_steps(
    rng: random.Random, stage: int, index: int, matter: MatterSpec, opened: dt.datetime, calendar: WorkCalendar
) -> tuple[list[Step], bool]:
    """One department's review: days taken (a share of the limit, sometimes past it), maybe a clock stop
    and an extension, then 同意 or 不同意."""
    limit = matter.promised_limit_days
    steps: list[Step] = []
    if limit == 0:  # 即办件
        taken = 0
    elif rng.random() < OVERDUE_SHARE:
        taken = limit + rng.randint(1, 5)
    else:
        taken = max(1, round(limit * rng.uniform(0.15, 0.95)))
    day, last = opened.date(), opened
    if limit and rng.random() < EXTENSION_SHARE:
        days = rng.randint(3, 10)
        asked = add_working_days(day, max(1, taken // 2), calendar).on
        last = _work_at(rng, asked, last)
        steps.append(Step(last, "task_extension_request", stage, index, days=days))
        last = _work_at(rng, add_working_days(asked, 1, calendar).on, last)
        steps.append(Step(last, "task_extension_approve", stage, index))
        taken = max(taken, add_days_between(asked, last.date(), calendar)) + rng.randint(0, days)
    if limit and rng.random() < STOP_SHARE:
        special = rng.random() < SPECIAL_SHARE
        reason = rng.choice(SPECIAL_PROCEDURES) if special else "supplement"
        begun = max(last.date(), add_working_days(day, rng.randint(0, max(0, taken - 1)), calendar).on)
        last = _work_at(rng, begun, last)
        steps.append(Step(last, "task_suspend", stage, index, reason=reason))
        resumed = add_working_days(begun, rng.randint(3, 15) if special else rng.randint(2, 8), calendar).on
        last = _work_at(rng, resumed, last)
        steps.append(Step(last, "task_resume", stage, index))
        taken += add_days_between(begun, resumed, calendar)
    decided = add_working_days(day, taken, calendar).on
    last = _work_at(rng, max(decided, last.date()), last)
    rejects = rng.random() < REJECTION_SHARE
    steps.append(Step(last, "task_reject" if rejects else "task_approve", stage, index))
    return steps, rejects


def add_days_between(first: dt.date, last: dt.date, calendar: WorkCalendar) -> int:
    """Working days after `first` up to and including `last` (0 when last <= first)."""
    count, day = 0, first
    while day < last:
        day += dt.timedelta(days=1)
        count += is_working_day(day, calendar)
    return count
