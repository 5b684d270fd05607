"""Campaigns (百日攻坚) and concentrated starts (集中开工): what counts, and progress against targets.

- A member project started within a campaign's window by the one rule of new starts,
  `projects.domain.started_within` (its actual start, else its move to 新开工, within the window).
- It completed within the window when it moved to 竣工 within it, or its completion milestone was
  reached within it.
- Investment share: the members' year-to-date investment (latest report up to the as-of day, in
  the year the campaign ends) over their annual plans for that year.
- On pace: an indicator's share of its target is at least the share of the window elapsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from onewindow.briefings.domain.amounts import amount_text, percent_text, share
from onewindow.errors import InvalidFields

ONE = Decimal(1)


@dataclass(frozen=True)
class Window:
    starts_on: dt.date
    ends_on: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.starts_on <= day <= self.ends_on

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def elapsed_share(self, today: dt.date) -> Decimal:
        """The share of the window's days passed by the end of `today` (0 before, 1 after)."""
        elapsed = min(max((today - self.starts_on).days + 1, 0), self.days)
        return Decimal(elapsed) / Decimal(self.days)


def completed_within(window: Window, completion_days: Iterable[dt.date]) -> bool:
    return any(day in window for day in completion_days)


@dataclass(frozen=True)
class Targets:
    starts: int
    completions: int
    investment_share: Decimal  # 0.900 for 90 %


def targets_check(
    *, name: str, starts_on: dt.date | None, ends_on: dt.date | None, targets: Targets
) -> tuple[Window, Targets]:
    """Every problem of a campaign's name, dates and targets at once (InvalidFields)."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "请填写名称"
    if starts_on is None:
        errors["starts_on"] = "请填写开始日期(YYYY-MM-DD)"
    if ends_on is None:
        errors["ends_on"] = "请填写结束日期(YYYY-MM-DD)"
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期"
    if targets.starts < 0:
        errors["target_starts"] = "目标开工数不能为负数"
    if targets.completions < 0:
        errors["target_completions"] = "目标竣工数不能为负数"
    if not Decimal(0) <= targets.investment_share <= ONE:
        errors["target_investment_share"] = "目标投资完成率应在 0 至 100% 之间"
    if errors or starts_on is None or ends_on is None:
        raise InvalidFields("攻坚行动信息有误", errors=errors, code="campaign_invalid")
    return Window(starts_on, ends_on), targets


@dataclass(frozen=True)
class MemberFacts:
    project_id: int
    name: str
    district: str
    started: bool
    completed: bool
    annual_plan: Decimal
    invested_ytd: Decimal


@dataclass(frozen=True)
class Indicator:
    name: str
    actual: str
    target: str
    ratio: Decimal | None  # actual / target; None without a target
    is_met: bool
    is_on_pace: bool


@dataclass(frozen=True)
class CampaignProgress:
    member_count: int
    elapsed_share: Decimal
    started: int
    completed: int
    annual_plan: Decimal
    invested: Decimal
    investment_share: Decimal | None
    indicators: tuple[Indicator, ...]


def campaign_progress(
    window: Window, targets: Targets, members: Sequence[MemberFacts], today: dt.date
) -> CampaignProgress:
    started = sum(1 for m in members if m.started)
    completed = sum(1 for m in members if m.completed)
    plan = sum((m.annual_plan for m in members), Decimal(0))
    invested = sum((m.invested_ytd for m in members), Decimal(0))
    invested_share = share(invested, plan)
    elapsed = window.elapsed_share(today)
    indicators = (
        _count_indicator("新开工项目", started, targets.starts, elapsed),
        _count_indicator("竣工项目", completed, targets.completions, elapsed),
        _share_indicator(invested_share, targets.investment_share, elapsed, invested),
    )
    return CampaignProgress(len(members), elapsed, started, completed, plan, invested, invested_share, indicators)


def _count_indicator(name: str, actual: int, target: int, elapsed: Decimal) -> Indicator:
    ratio = share(Decimal(actual), Decimal(target))
    return Indicator(
        name=name,
        actual=f"{actual}个",
        target=f"{target}个" if target else "未设目标",
        ratio=ratio,
        is_met=actual >= target,
        is_on_pace=ratio is None or ratio >= elapsed,
    )


def _share_indicator(actual: Decimal | None, target: Decimal, elapsed: Decimal, invested: Decimal) -> Indicator:
    ratio = share(actual, target) if actual is not None else None
    return Indicator(
        name="年度投资完成率",
        actual=f"{percent_text(actual)}（{amount_text(invested)}）",
        target=percent_text(target) if target else "未设目标",
        ratio=ratio,
        is_met=(actual or Decimal(0)) >= target,
        is_on_pace=not target or (ratio is not None and ratio >= elapsed),
    )


def start_event_total(amounts: Iterable[Decimal]) -> Decimal:
    """The total investment of a concentrated start's projects (万元)."""
    return sum(amounts, Decimal(0))
