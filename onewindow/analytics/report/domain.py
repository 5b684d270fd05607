"""Pure parts of the monthly report: the month asked for, and the headline composed from the figures (numbers
in, Chinese sentences with full-width punctuation out). No Django."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """`YYYY-MM` → (first day, last day); None when the text is not a month."""
    match = MONTH.match(text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or year < 2000:
        return None
    first = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def previous_month(first: dt.date) -> tuple[dt.date, dt.date]:
    last = first - dt.timedelta(days=1)
    return last.replace(day=1), last


def year_before(first: dt.date) -> dt.date:
    """The first day of the eleventh month before the month starting on `first` (twelve months with it)."""
    index = first.year * 12 + first.month - 1 - 11
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(first: dt.date) -> str:
    return f"{first.year}年{first.month}月"


@dataclass(frozen=True)
class Headline:
    month: dt.date  # its first day
    volume: int
    volume_before: int
    online_rate: float | None  # percent
    online_target: float  # percent
    decided: int
    on_time_rate: float | None  # percent
    slowest_matter: str | None
    slowest_p50: float | None  # days
    finishing_last: str | None
    finishing_last_times: int
    setups: int
    setups_p50: float | None  # days
    reforms: tuple[str, ...] = ()  # a sentence on each reform that took effect in the month, with its results


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def change_text(now: int, before: int) -> str:
    """The volume's change on the month before, as a clause."""
    if before == 0:
        return "上月无办件，无法比较"
    delta = (now - before) / before * 100
    if abs(delta) < 0.05:
        return "与上月持平"
    verb = "增长" if delta > 0 else "下降"
    return f"较上月{verb}{_number(round(abs(delta), 1))}%"


def headline_sentences(h: Headline) -> list[str]:
    label = month_label(h.month)
    change = change_text(h.volume, h.volume_before)
    sentences = [f"{label}，本辖区共受理办件{h.volume}件，{change}（上月{h.volume_before}件）。"]
    if h.online_rate is None:
        sentences.append(f"本月无网上办件统计，网上办理率目标为{_number(h.online_target)}%。")
    else:
        gap = round(h.online_rate - h.online_target, 1)
        position = (
            f"高于目标{_number(gap)}个百分点"
            if gap > 0
            else ("达到目标" if gap == 0 else f"低于目标{_number(-gap)}个百分点")
        )
        sentences.append(f"网上办理率为{_number(h.online_rate)}%，目标为{_number(h.online_target)}%，{position}。")
    if h.decided == 0 or h.on_time_rate is None:
        sentences.append("本月无办结办件。")
    else:
        sentences.append(f"本月办结{h.decided}件，按期办结率为{_number(h.on_time_rate)}%。")
    if h.slowest_matter and h.slowest_p50 is not None:
        sentences.append(f"办理用时最长的是“{h.slowest_matter}”，中位用时{_number(h.slowest_p50)}天。")
    if h.finishing_last and h.finishing_last_times:
        sentences.append(
            f"并联审批中最常最后办结的部门是{h.finishing_last}（{h.finishing_last_times}次），建议重点约谈。"
        )
    if h.setups == 0 or h.setups_p50 is None:
        sentences.append("本月无办结的企业开办。")
    else:
        sentences.append(f"本月办结企业开办{h.setups}件，中位用时{_number(h.setups_p50)}天（自然日）。")
    return sentences + list(h.reforms)


def headline_text(h: Headline) -> str:
    return "".join(headline_sentences(h))
