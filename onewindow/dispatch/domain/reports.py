"""Progress and site reports: what is chased, amounts and counts as typed, the year to date, photos."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from onewindow.projects.domain import Phase
from onewindow.uploads import JPEG, PNG, FileType, sniff

# Projects under construction report progress and are chased when they do not (在建项目).
REPORTING_PHASES: frozenset[Phase] = frozenset({Phase.NEW_START, Phase.CONTINUING})

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTOS_PER_REPORT = 20
# A photo's format is named by its leading bytes (onewindow.uploads): not by its name or the browser.
PHOTO_TYPES: tuple[FileType, ...] = (JPEG, PNG)


# --- reports --------------------------------------------------------------------------------------

MAX_AMOUNT = Decimal("999999999999.99")  # 万元, the column's 14 digits with two places
MAX_COUNT = 1_000_000
MAX_TEXT = 4000


class InvalidValue(ValueError):
    """A typed value that cannot be used; the message is for people, in Chinese."""


def parse_amount(value: str | Decimal | int) -> Decimal:
    """An amount in 万元: not negative, at most two decimal places."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except ArithmeticError:
        raise InvalidValue("请输入金额（万元），如 1200.50") from None
    if not amount.is_finite():
        raise InvalidValue("请输入金额（万元），如 1200.50")
    if amount < 0:
        raise InvalidValue("金额不能为负数")
    if amount > MAX_AMOUNT:
        raise InvalidValue("金额过大，请以万元为单位填写")
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidValue("金额最多保留两位小数")
    return amount.quantize(Decimal("0.01"))


def parse_count(value: str | int) -> int:
    """A head or machine count: a whole number from 0 up."""
    text = str(value).strip()
    if not text.isdigit() or len(text) > 7:
        raise InvalidValue("请输入 0 或正整数")
    count = int(text)
    if count > MAX_COUNT:
        raise InvalidValue("数量过大")
    return count


def year_to_date(amounts: Sequence[Decimal]) -> list[Decimal]:
    """Running totals of one year's period amounts, in period order."""
    totals: list[Decimal] = []
    running = Decimal("0")
    for amount in amounts:
        running += amount
        totals.append(running)
    return totals


def missing_reports(
    due: Iterable[tuple[int, dt.date]], reported: set[tuple[int, dt.date]]
) -> list[tuple[int, dt.date]]:
    """The (project, cut-off) pairs that were due and have no report."""
    return [pair for pair in due if pair not in reported]


def photo_kind(head: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) of a JPEG or PNG judged by its leading bytes, else None."""
    kind = sniff(head, PHOTO_TYPES)
    return (kind.content_type, kind.extension) if kind else None


def photo_problem(head: bytes, size: int) -> str | None:
    """Why a file cannot be a report photo, in Chinese; None when it can."""
    if size <= 0:
        return "照片文件为空"
    if size > PHOTO_MAX_BYTES:
        return "照片不能超过 5 MB"
    if photo_kind(head) is None:
        return "照片须为 JPEG 或 PNG 格式"
    return None
