"""How amounts, shares and periods read in a 重点办 text.

Amounts are stored in 万元; a text shows 亿元 from one 亿 (10,000 万元) up, else 万元. The
time-elapsed share of the year (序时进度) after month m is m/12: the share of the annual plan a
project on schedule has completed by the end of that month.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

WAN_PER_YI = Decimal(10000)
HUNDRED = Decimal(100)


def _trimmed(value: Decimal, places: int) -> str:
    """`value` rounded half-up to `places` decimals, without trailing zeros ("38.60" → "38.6")."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def amount_text(wan: Decimal) -> str:
    """12345.6 → "1.23亿元"; 5320.45 → "5320.5万元"; 0 → "0万元"."""
    if abs(wan) >= WAN_PER_YI:
        return f"{_trimmed(wan / WAN_PER_YI, 2)}亿元"
    return f"{_trimmed(wan, 1)}万元"


def amount_cell(wan: Decimal) -> str:
    """An amount in a table whose header says 万元: two decimals, no unit."""
    return f"{wan.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}"


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole, or None when there is nothing to compare with (no plan)."""
    if whole <= 0:
        return None
    return part / whole


def percent_text(ratio: Decimal | None) -> str:
    """0.78345 → "78.3%"; None → "—"."""
    if ratio is None:
        return "—"
    return f"{(ratio * HUNDRED).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}%"


def points_text(ratio: Decimal) -> str:
    """A difference of two shares in percentage points, one decimal: 0.021 → "2.1"."""
    return f"{(abs(ratio) * HUNDRED).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP):f}"


def schedule_share(period: dt.date) -> Decimal:
    """序时进度 at the end of the month `period` falls in: months elapsed / 12."""
    return Decimal(period.month) / Decimal(12)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(period: dt.date) -> dt.date:
    following = (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def previous_month(day: dt.date) -> dt.date:
    """The first day of the month before the one `day` falls in."""
    return month_start(month_start(day) - dt.timedelta(days=1))


def months_range_text(period: dt.date) -> str:
    """The year-to-date span: "1月" for January, "1-10月" for October."""
    return "1月" if period.month == 1 else f"1-{period.month}月"


def period_text(period: dt.date) -> str:
    return f"{period.year}年{period.month}月"


def parse_period(text: str) -> dt.date | None:
    """ "2026-10" (or "2026-10-01") → 2026-10-01; anything else → None."""
    parts = text.strip().split("-")
    if len(parts) not in (2, 3) or not all(part.isdigit() and len(part) <= 4 for part in parts):
        return None
    try:
        day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
    except ValueError:
        return None
    return day.replace(day=1) if day.year >= 2000 else None


# Names that already carry a title (袁市长, 周副市长, 王书记, 李主任) are addressed as they are.
TITLE_ENDINGS = ("长", "书记", "主任", "局长", "区长", "县长")


def salutation(name: str) -> str:
    """How a bulletin addresses the leader: "张三同志", but "袁市长" as it is."""
    return name if name.endswith(TITLE_ENDINGS) else f"{name}同志"
