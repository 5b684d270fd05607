"""The overview's key findings: composed from the tables, each naming where it comes from."""

from onewindow.analytics.figures.findings import MIN_REVIEWS, overview_findings
from onewindow.web.tables import Table


def _table(key, rows):
    return Table(key, key, [], rows)


PHASES = _table(
    "phases",
    [
        {"name": "受理", "p50": 0.7, "p90": 8.2},
        {"name": "审查", "p50": 2.9, "p90": 13.9},
        {"name": "等待申请人（中止计时）", "p50": 0.0, "p90": 0.0},
        {"name": "决定", "p50": 0.0, "p90": 0.4},
        {"name": "合计", "p50": 6.1, "p90": 20.8},
    ],
)
DEPARTMENTS = _table(
    "times_by_department",
    [  # sorted by P90 as the figures sort them
        {"name": "消防救援支队", "count": MIN_REVIEWS - 1, "p50": 20.0, "p90": 40.0},
        {"name": "民政局", "count": 165, "p50": 13.0, "p90": 26.1},
        {"name": "公安局", "count": 54, "p50": 7.1, "p90": 18.1},
    ],
)
FINISH_LAST = _table(
    "finish_last",
    [
        {"name": "城市管理局", "stages_in": 3, "last": 3},
        {"name": "市场监督管理局", "stages_in": 182, "last": 181},
        {"name": "公安局", "stages_in": 182, "last": 0},
    ],
)


def test_the_findings_say_where_time_was_lost_and_whom_to_talk_to():
    summary = _table("summary", [{"count": 4679, "on_time_rate": 99.6, "extended": 45}])
    online = _table("online_share", [{"online_rate": 48.7, "target": 80.0}])
    findings = overview_findings([online, summary, PHASES, DEPARTMENTS, FINISH_LAST])
    keys = ["summary", "phases", "times_by_department", "finish_last", "online_share"]
    assert [f.url for f in findings] == [f"#table-{key}" for key in keys]
    texts = [f.text for f in findings]
    assert texts[0] == "本期办结4679件，按期办结率99.6%，延期45件。"
    assert texts[1] == "时间主要耗在“审查”环节：中位2.9天，九成办件不超过13.9天。"  # never the total
    assert texts[2].startswith("审查用时最长的部门是民政局：165项审查")  # too few reviews to name the slowest
    assert texts[3] == "并联阶段中最常最后办结的是市场监督管理局：参与182个阶段，其中181个由它最后办结。"
    assert texts[4] == "网上办理率48.7%，低于80%的目标。"


def test_an_empty_period_has_no_findings_rather_than_wrong_ones():
    empty = [_table(key, []) for key in ("summary", "phases", "times_by_department", "finish_last", "online_share")]
    assert overview_findings(empty) == []
    assert overview_findings([_table("summary", [{"count": 0}]), _table("online_share", [{"online_rate": None}])]) == []


def test_a_reached_target_is_said_so():
    online = _table("online_share", [{"online_rate": 85.0, "target": 80.0}])
    assert overview_findings([online])[0].text == "网上办理率85%，已达到80%的目标。"
