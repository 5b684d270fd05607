"""The leader's SMS (月报短信): at most 500 characters, reading like a message from the 重点办.

    【云川市重点办】张三同志：您包联的12个重点项目（总投资156.3亿元），1-10月累计完成投资38.6亿元，
    占年度计划49.3亿元的78.3%（序时进度83.3%），低于序时进度5.0个百分点。本月完成投资4.2亿元，
    新开工2个（……），竣工1个（……），完成推进节点3个。尚有5个问题未解决，其中2个超期（……）。
    滞后项目：……等4个项目；无进展项目：……。请予关注。

Lists of names shrink until the text fits: all names, then fewer with "等N个项目", then counts only.
Names are cut at NAME_LIMIT characters. The limit is checked here, not hoped for.
"""

from __future__ import annotations

from collections.abc import Sequence

from onewindow.briefings.domain.amounts import amount_text, salutation
from onewindow.briefings.domain.report import Bulletin, completion_text

SMS_LIMIT = 500
NAME_LIMIT = 16
HEADER_LIMIT = 20  # the sender's and the leader's names
LIST_LENGTHS = (8, 5, 3, 2, 1, 0)


class SmsTooLong(ValueError):
    """The composed text is longer than SMS_LIMIT even with every list reduced to a count."""


def clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def names_text(names: Sequence[str], shown: int) -> str:
    """ "A、B、C" when all fit; "A、B等5个项目" when fewer are shown; "5个项目" when none are."""
    if not shown:
        return f"{len(names)}个项目"
    short = [clipped(name, NAME_LIMIT) for name in names[:shown]]
    if len(names) <= shown:
        return "、".join(short)
    return f"{'、'.join(short)}等{len(names)}个项目"


def sms_text(bulletin: Bulletin) -> str:
    """The fullest text that fits in SMS_LIMIT characters: lists shorten until it does."""
    for shown in LIST_LENGTHS:
        text = _compose(bulletin, shown)
        if len(text) <= SMS_LIMIT:
            return text
    raise SmsTooLong(f"短信超过{SMS_LIMIT}字：{len(text)}")


def _compose(bulletin: Bulletin, shown: int) -> str:
    totals = bulletin.totals
    sender = clipped(bulletin.sender, HEADER_LIMIT)
    leader = salutation(clipped(bulletin.leader_name, HEADER_LIMIT))
    opening = (
        f"【{sender}】{leader}：您包联的{totals.project_count}个重点项目"
        f"（总投资{amount_text(totals.total_investment)}），{completion_text(totals, bulletin.period)}。"
    )
    if not totals.project_count:
        opening = f"【{sender}】{leader}：您本月暂无包联的重点项目。"
    parts = [opening, _breakthroughs(bulletin, shown), _difficulties(bulletin, shown), _attention(bulletin, shown)]
    return "".join(part for part in parts if part)


def _breakthroughs(bulletin: Bulletin, shown: int) -> str:
    if not bulletin.totals.project_count:
        return ""
    parts = [f"本月完成投资{amount_text(bulletin.totals.invested_month)}"]
    if bulletin.new_starts:
        parts.append(f"新开工{len(bulletin.new_starts)}个{_in_brackets(bulletin.new_starts, shown)}")
    if bulletin.completions:
        parts.append(f"竣工{len(bulletin.completions)}个{_in_brackets(bulletin.completions, shown)}")
    if bulletin.milestone_count:
        parts.append(f"完成推进节点{bulletin.milestone_count}个")
    return "，".join(parts) + "。"


def _in_brackets(names: Sequence[str], shown: int) -> str:
    return f"（{names_text(names, shown)}）" if shown else ""


def _difficulties(bulletin: Bulletin, shown: int) -> str:
    if not bulletin.open_problems:
        return ""
    overdue = bulletin.overdue_problems
    text = f"尚有{bulletin.open_problems}个问题未解决"
    if overdue:
        projects = list(dict.fromkeys(p.project_name for p in overdue))
        text += f"，其中{len(overdue)}个超期{_in_brackets(projects, shown)}"
    return text + "。"


def _attention(bulletin: Bulletin, shown: int) -> str:
    parts = []
    if bulletin.lagging:
        parts.append(f"滞后项目：{names_text(bulletin.lagging, shown)}")
    if bulletin.no_progress:
        parts.append(f"无进展项目：{names_text(bulletin.no_progress, shown)}")
    if parts:
        return "；".join(parts) + "。请予关注。"
    if bulletin.overdue_problems:
        return "请予关注。"
    return "特此报告。"
