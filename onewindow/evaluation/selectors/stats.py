"""The figures of 好差评: satisfaction (非常满意 + 满意 + 基本满意 over all counted ratings; a rating
excluded by an upheld dispute is not counted), counts per department, matter, window, clerk, region and
month, and the follow-ups' rectification and on-time rates. The public page reads `public_monthly`:
departments and numbers only, never a person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet

from onewindow.cases.domain import warning_level
from onewindow.cases.presentation import Progress
from onewindow.catalogue.models import MatterVersion
from onewindow.evaluation.domain import (
    OPEN_FOLLOW_UP,
    FollowUpDeadlines,
    FollowUpStatus,
    Level,
    Tally,
    answered_on_time,
    pending_due_on,
    remaining_days,
    share,
)
from onewindow.evaluation.models import FollowUp, Rating
from onewindow.evaluation.selectors.access import excluded_condition, follow_ups_visible_to, ratings_visible_to_staff
from onewindow.orgs.models import Organisation, User
from onewindow.workdays.domain import WorkCalendar

DIMENSIONS: dict[str, tuple[str, str]] = {
    # dimension → (the rating's field, the field naming it)
    "department": ("department", "department__name"),
    "matter": ("matter", "matter__code"),  # named by its latest version (_matter_names)
    "window": ("window", "window__name"),
    "clerk": ("clerk", "clerk__name"),
    "region": ("region", "region__name"),
    "month": ("month", "month"),
}


def counted(ratings: QuerySet[Rating]) -> QuerySet[Rating]:
    """Ratings that count: those no upheld dispute excluded."""
    return ratings.exclude(excluded_condition())


@dataclass
class Row:
    key: Any
    name: str
    tally: Tally = field(default_factory=Tally)

    @property
    def rate(self) -> Fraction | None:
        return self.tally.satisfaction_rate


def tally_by(ratings: QuerySet[Rating], dimension: str) -> list[Row]:
    """One row per value of `dimension` (empty values left out), with its counts per level."""
    key_field, name_field = DIMENSIONS[dimension]
    counts: dict[Any, dict[Level, int]] = defaultdict(dict)
    names: dict[Any, str] = {}
    grouped = counted(ratings).filter(**{f"{key_field}__isnull": False})
    for item in grouped.values(key_field, name_field, "level").annotate(n=Count("id")).order_by():
        key = item[key_field]
        counts[key][Level(item["level"])] = item["n"]
        names[key] = str(item[name_field])
    if dimension == "matter":
        names |= _matter_names(list(names))
    rows = [Row(key, names[key], Tally.from_counts(c)) for key, c in counts.items()]
    return sorted(rows, key=lambda r: str(r.key) if dimension == "month" else r.name)


def _matter_names(matter_ids: list[Any]) -> dict[Any, str]:
    """A matter's name is its latest version's."""
    names: dict[Any, str] = {}
    for matter_id, name in (
        MatterVersion.objects.filter(matter_id__in=matter_ids)
        .order_by("matter", "-number")
        .values_list("matter", "name")
    ):
        names.setdefault(matter_id, name)
    return names


def tally_of(ratings: QuerySet[Rating]) -> Tally:
    levels = counted(ratings).values("level").annotate(n=Count("id")).order_by()
    return Tally.from_counts({Level(item["level"]): item["n"] for item in levels})


# --- follow-ups --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpRates:
    total: int
    answered: int
    on_time: int

    @property
    def rectification_rate(self) -> Fraction | None:
        return share(self.answered, self.total)

    @property
    def on_time_rate(self) -> Fraction | None:
        return share(self.on_time, self.answered)


def follow_up_rates(follow_ups: Iterable[FollowUp]) -> FollowUpRates:
    rows = list(follow_ups)
    answered = [f for f in rows if f.answered_on is not None]
    on_time = [f for f in answered if answered_on_time(f.answered_on, f.answer_due_on)]
    return FollowUpRates(total=len(rows), answered=len(answered), on_time=len(on_time))


def follow_up_progress(follow_up: FollowUp, *, today: dt.date, calendar: WorkCalendar) -> Progress:
    """The same warning colours as cases (cases.domain.warning_level): yellow near the deadline, red past it."""
    status = FollowUpStatus(follow_up.status)
    deadlines = FollowUpDeadlines(follow_up.verify_due_on, follow_up.answer_due_on)
    due_on = pending_due_on(status, deadlines)
    if due_on is None:
        return Progress(remaining_days=None, level=warning_level(0, 0), is_suspended=False)
    left = remaining_days(today, due_on, calendar)
    verifying = status is FollowUpStatus.AWAITING_VERIFICATION
    limit = settings.EVALUATION_VERIFY_DAYS if verifying else settings.EVALUATION_ANSWER_DAYS
    return Progress(remaining_days=left, level=warning_level(left, limit), is_suspended=False)


@dataclass(frozen=True)
class BoardPanel:
    open_count: int
    overdue_count: int
    escalated_count: int
    tally: Tally
    rates: FollowUpRates


def board_panel(*, user: User, today: dt.date) -> BoardPanel:
    """What the supervision board shows of 好差评: open and overdue follow-ups, this year's satisfaction."""
    follow_ups = follow_ups_visible_to(user)
    open_rows = follow_ups.filter(status__in=sorted(OPEN_FOLLOW_UP))
    overdue = open_rows.filter(verify_due_on__lt=today, status=FollowUpStatus.AWAITING_VERIFICATION).count()
    overdue += open_rows.filter(answer_due_on__lt=today, status=FollowUpStatus.VERIFIED).count()
    year = today.replace(month=1, day=1)
    return BoardPanel(
        open_count=open_rows.count(),
        overdue_count=overdue,
        escalated_count=open_rows.filter(escalated_at__isnull=False).count(),
        tally=tally_of(ratings_visible_to_staff(user).filter(month__gte=year)),
        rates=follow_up_rates(follow_ups.filter(opened_on__gte=year).only("answered_on", "answer_due_on")),
    )


# --- the public page and the ranking -----------------------------------------------------------------


@dataclass(frozen=True)
class PublicMonth:
    month: dt.date
    tally: Tally
    departments: list[Row]


def public_monthly(*, last_month: dt.date, months: int = 12, region: Organisation | None = None) -> list[PublicMonth]:
    """The monthly figures by department, newest first: names and numbers only, no person."""
    first = _months_back(last_month.replace(day=1), months - 1)
    ratings = Rating.objects.filter(month__gte=first, month__lte=last_month)
    if region is not None:
        ratings = ratings.filter(region__path__startswith=region.path)
    by_month: dict[dt.date, list[Row]] = defaultdict(list)
    for row in _department_month_rows(ratings):
        by_month[row.key[0]].append(row)
    return [
        PublicMonth(month, _sum(rows), sorted(rows, key=lambda r: r.name))
        for month, rows in sorted(by_month.items(), reverse=True)
    ]


def _department_month_rows(ratings: QuerySet[Rating]) -> list[Row]:
    counts: dict[tuple[dt.date, int], dict[Level, int]] = defaultdict(dict)
    names: dict[int, str] = {}
    fields = ("month", "department", "department__name", "department__parent__name", "level")
    for item in counted(ratings).values(*fields).annotate(n=Count("id")).order_by():
        counts[(item["month"], item["department"])][Level(item["level"])] = item["n"]
        parent = item["department__parent__name"] or ""
        names[item["department"]] = f"{parent}{item['department__name']}" if parent else item["department__name"]
    return [Row(key, names[key[1]], Tally.from_counts(c)) for key, c in counts.items()]


def _sum(rows: list[Row]) -> Tally:
    totals = dict.fromkeys(Level, 0)
    for row in rows:
        for level, n in _levels(row.tally).items():
            totals[level] += n
    return Tally.from_counts(totals)


def _levels(tally: Tally) -> dict[Level, int]:
    return {
        Level.VERY_SATISFIED: tally.very_satisfied,
        Level.SATISFIED: tally.satisfied,
        Level.BASICALLY_SATISFIED: tally.basically_satisfied,
        Level.DISSATISFIED: tally.dissatisfied,
        Level.VERY_DISSATISFIED: tally.very_dissatisfied,
    }


def _months_back(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def department_satisfaction(
    *, department_ids: Iterable[int], first_month: dt.date, last_month: dt.date
) -> dict[int, Tally]:
    """For the department assessment (ranking): each department's counted ratings in the months."""
    ratings = Rating.objects.filter(
        department_id__in=list(department_ids), month__gte=first_month.replace(day=1), month__lte=last_month
    )
    return {row.key: row.tally for row in tally_by(ratings, "department")}
