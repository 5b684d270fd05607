"""A reform's results in the seed's words (减少申请材料X件（Y%）、审批环节减少Z%、承诺时限压减V%、办理时间提速W%),
and its sentence in the monthly report: the numbers of `domain.Change`, the words through gettext."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from onewindow.analytics.reforms.domain import Change, Windows, number_text


def _materials_clause(fewer: float | None, percent: float | None) -> str | None:
    if fewer is None:
        return None
    if round(fewer, 1) == 0:
        return _("申请材料不变")
    share = _("（%(percent)s%%）") % {"percent": number_text(abs(percent))} if percent is not None else ""
    clause = _("减少申请材料%(count)s件%(share)s") if fewer > 0 else _("增加申请材料%(count)s件%(share)s")
    return clause % {"count": number_text(abs(fewer)), "share": share}


# Each measure's clause when it fell, rose or stayed.
STEPS = (
    gettext_noop("审批环节减少%(percent)s%%"),
    gettext_noop("审批环节增加%(percent)s%%"),
    gettext_noop("审批环节不变"),
)
PROMISED = (
    gettext_noop("承诺时限压减%(percent)s%%"),
    gettext_noop("承诺时限延长%(percent)s%%"),
    gettext_noop("承诺时限不变"),
)
DAYS = (
    gettext_noop("办理时间提速%(percent)s%%"),
    gettext_noop("办理时间延长%(percent)s%%"),
    gettext_noop("办理时间持平"),
)


def _percent_clause(percent: float | None, clauses: tuple[str, str, str]) -> str | None:
    if percent is None:
        return None
    less, more, same = clauses
    if round(percent, 1) == 0:
        return _(same)
    return _(less if percent > 0 else more) % {"percent": number_text(abs(percent))}


def headline_clauses(change: Change) -> list[str]:
    """The change in the seed's words; a measure unknown on either side is left out."""
    clauses = [
        _materials_clause(change.materials_fewer, change.materials_percent),
        _percent_clause(change.steps_percent, STEPS),
        _percent_clause(change.promised_percent, PROMISED),
        _percent_clause(change.faster_percent, DAYS),
    ]
    return [c for c in clauses if c is not None]


def headline_text(change: Change) -> str:
    """减少申请材料X件（Y%）、审批环节减少Z%、承诺时限压减V%、办理时间提速W%; empty when nothing compares."""
    return _("、").join(headline_clauses(change))


def reform_sentence(
    *, title: str, document_number: str, effective_on: dt.date, windows: Windows | None, change: Change | None
) -> str:
    """One sentence on a reform and its results, for the monthly report."""
    named = _("“%(title)s”（%(document)s，%(year)s年%(month)s月%(day)s日起实施）") % {
        "title": title.replace("“", "‘").replace("”", "’"),  # quotes inside quotes are single
        "document": document_number,
        "year": effective_on.year,
        "month": effective_on.month,
        "day": effective_on.day,
    }
    text = headline_text(change) if change is not None else ""
    if windows is None or not text:
        return _("%(reform)s实施前后暂无可比较的办件。") % {"reform": named}
    return _("%(reform)s实施前后各%(days)s天的办件相比，%(change)s。") % {
        "reform": named,
        "days": windows.days,
        "change": text,
    }
