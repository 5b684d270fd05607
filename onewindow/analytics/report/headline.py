"""The monthly report's headline: sentences composed from the numbers of `domain.Headline` (Chinese with
full-width punctuation, or their translation), and the month's name."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onewindow.analytics.report.domain import Headline


def month_label(first: dt.date) -> str:
    return _("%(year)s年%(month)s月") % {"year": first.year, "month": first.month}


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def change_text(now: int, before: int) -> str:
    """The volume's change on the month before, as a clause."""
    if before == 0:
        return _("上月无办件，无法比较")
    delta = (now - before) / before * 100
    if abs(delta) < 0.05:
        return _("与上月持平")
    change = _number(round(abs(delta), 1))
    return (_("较上月增长%(change)s%%") if delta > 0 else _("较上月下降%(change)s%%")) % {"change": change}


def _online_sentence(h: Headline) -> str:
    target = _number(h.online_target)
    if h.online_rate is None:
        return _("本月无网上办件统计，网上办理率目标为%(target)s%%。") % {"target": target}
    gap = round(h.online_rate - h.online_target, 1)
    if gap > 0:
        position = _("高于目标%(gap)s个百分点") % {"gap": _number(gap)}
    elif gap == 0:
        position = _("达到目标")
    else:
        position = _("低于目标%(gap)s个百分点") % {"gap": _number(-gap)}
    return _("网上办理率为%(rate)s%%，目标为%(target)s%%，%(position)s。") % {
        "rate": _number(h.online_rate),
        "target": target,
        "position": position,
    }


def headline_sentences(h: Headline) -> list[str]:
    sentences = [
        _("%(month)s，本辖区共受理办件%(volume)s件，%(change)s（上月%(before)s件）。")
        % {
            "month": month_label(h.month),
            "volume": h.volume,
            "change": change_text(h.volume, h.volume_before),
            "before": h.volume_before,
        },
        _online_sentence(h),
    ]
    if h.decided == 0 or h.on_time_rate is None:
        sentences.append(_("本月无办结办件。"))
    else:
        sentences.append(
            _("本月办结%(decided)s件，按期办结率为%(rate)s%%。")
            % {"decided": h.decided, "rate": _number(h.on_time_rate)}
        )
    if h.slowest_matter and h.slowest_p50 is not None:
        sentences.append(
            _("办理用时最长的是“%(matter)s”，中位用时%(days)s天。")
            % {"matter": h.slowest_matter, "days": _number(h.slowest_p50)}
        )
    if h.finishing_last and h.finishing_last_times:
        sentences.append(
            _("并联审批中最常最后办结的部门是%(department)s（%(times)s次），建议重点约谈。")
            % {"department": h.finishing_last, "times": h.finishing_last_times}
        )
    if h.setups == 0 or h.setups_p50 is None:
        sentences.append(_("本月无办结的企业开办。"))
    else:
        sentences.append(
            _("本月办结企业开办%(setups)s件，中位用时%(days)s天（自然日）。")
            % {"setups": h.setups, "days": _number(h.setups_p50)}
        )
    return sentences + list(h.reforms)


def headline_text(h: Headline) -> str:
    return sentences_joined(headline_sentences(h))


def sentences_joined(sentences: list[str]) -> str:
    """Chinese sentences follow each other without a space; translated ones are separated by one."""
    return ("" if (get_language() or "zh-hans").startswith("zh") else " ").join(sentences)
