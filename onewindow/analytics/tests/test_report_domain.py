"""The monthly report's headline composed from numbers (no database): Chinese sentences with full-width
punctuation, the change on the month before, the online share against its target, the months."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import translation

from onewindow.analytics.report.domain import Headline, month_bounds, previous_month, year_before
from onewindow.analytics.report.headline import change_text, headline_sentences, headline_text

MARCH = dt.date(2026, 3, 1)


def headline(**changes) -> Headline:
    values = {
        "month": MARCH,
        "volume": 1250,
        "volume_before": 1000,
        "online_rate": 62.5,
        "online_target": 60.0,
        "decided": 1100,
        "on_time_rate": 97.3,
        "slowest_matter": "建设工程规划许可",
        "slowest_p50": 12.5,
        "finishing_last": "市自然资源和规划局",
        "finishing_last_times": 14,
        "setups": 80,
        "setups_p50": 1.5,
    }
    return Headline(**(values | changes))


def test_the_headline_says_every_figure_in_chinese_sentences():
    text = headline_text(headline())
    assert text == (
        "2026年3月，本辖区共受理办件1250件，较上月增长25%（上月1000件）。"
        "网上办理率为62.5%，目标为60%，高于目标2.5个百分点。"
        "本月办结1100件，按期办结率为97.3%。"
        "办理用时最长的是“建设工程规划许可”，中位用时12.5天。"
        "并联审批中最常最后办结的部门是市自然资源和规划局（14次），建议重点约谈。"
        "本月办结企业开办80件，中位用时1.5天（自然日）。"
    )
    assert not re.search(r"[,;:()]", text)  # full-width punctuation only
    assert all(s.endswith("。") for s in headline_sentences(headline()))


def test_an_english_reader_gets_the_headline_in_english():
    with translation.override("en"):
        text = headline_text(headline())
    assert text.startswith("In 3/2026 the region received 1250 cases, up 25% on last month (1000 last month). ")
    assert "was for “建设工程规划许可”: median 12.5 days." in text  # names stay as the catalogue has them
    assert not re.search(r"[\u3002\uff0c]", text)  # no Chinese full stop or comma left


def test_a_fall_a_standstill_and_no_month_before():
    assert change_text(900, 1000) == "较上月下降10%"
    assert change_text(1000, 1000) == "与上月持平"
    assert change_text(5, 0) == "上月无办件，无法比较"
    assert change_text(1001, 3000) == "较上月下降66.6%"


def test_below_the_target_and_at_it():
    assert "低于目标4.5个百分点" in headline_text(headline(online_rate=55.5))
    assert "，达到目标。" in headline_text(headline(online_rate=60.0))


def test_a_month_without_decisions_bundles_or_set_ups_says_so():
    text = headline_text(
        headline(
            decided=0,
            on_time_rate=None,
            slowest_matter=None,
            slowest_p50=None,
            finishing_last=None,
            finishing_last_times=0,
            setups=0,
            setups_p50=None,
        )
    )
    assert "本月无办结办件。" in text and "本月无办结的企业开办。" in text
    assert "最后办结" not in text and "用时最长" not in text


def test_months():
    assert month_bounds("2026-02") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert month_bounds("2026-12") == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert month_bounds("2026-13") is None and month_bounds("2026-3") is None and month_bounds("") is None
    assert previous_month(dt.date(2026, 1, 1)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert year_before(dt.date(2026, 3, 1)) == dt.date(2025, 4, 1)
    assert year_before(dt.date(2026, 12, 1)) == dt.date(2026, 1, 1)
    assert year_before(dt.date(2026, 11, 1)) == dt.date(2025, 12, 1)


def test_a_reform_that_took_effect_in_the_month_ends_the_headline():
    sentence = "“减材料改革”（云政办发〔2026〕8号，2026年3月16日起实施）实施前后各14天相比，减少申请材料1件。"
    text = headline_text(headline(reforms=(sentence,)))
    assert text.endswith("中位用时1.5天（自然日）。" + sentence)
    assert headline_text(headline()).endswith("中位用时1.5天（自然日）。")
