"""The pure rules of ranking, warnings and assessment: each rule, its boundaries, rule versions.

No database here: the domain imports no Django.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onewindow.errors import InvalidFields
from onewindow.ranking.domain.assessment import (
    AssessmentInputs,
    Window,
    assessment_score,
    indicator_scores,
    positions,
    window_months,
    window_start,
)
from onewindow.ranking.domain.classification import ProjectInputs, Reason, classify, is_ranked
from onewindow.ranking.domain.districts import DistrictInputs, rank_districts, target_met
from onewindow.ranking.domain.periods import (
    InvalidPeriod,
    check_not_future,
    elapsed_share,
    next_period,
    parse_period,
    period_end,
    periods_between,
    previous_period,
)
from onewindow.ranking.domain.rules import (
    DEFAULT_RULES,
    Indicator,
    RankClass,
    WarningLevel,
    default_rules,
    rules_as_json,
    rules_from_json,
)
from onewindow.ranking.domain.warnings import Standing, last_unmet_streak, next_streak, warning_level

RULES = default_rules()
MAY = dt.date(2026, 5, 1)


# --- periods --------------------------------------------------------------------------------------


def test_a_period_is_written_year_dash_month():
    assert parse_period("2026-05") == MAY
    assert parse_period(" 2026-5 ") == MAY


@pytest.mark.parametrize("text", ["", "2026", "2026-13", "2026-00", "26-05", "2026-05-01", "1999-12", "abcd-ef"])
def test_a_wrong_period_is_refused_in_chinese(text):
    with pytest.raises(InvalidPeriod) as refused:
        parse_period(text)
    assert refused.value.code == "invalid_period"
    assert "月份" in refused.value.message


def test_elapsed_share_is_months_elapsed_over_twelve():
    assert elapsed_share(MAY) == Fraction(5, 12)
    assert elapsed_share(dt.date(2026, 12, 1)) == 1
    assert elapsed_share(dt.date(2026, 1, 1)) == Fraction(1, 12)


def test_periods_cross_the_year_in_order():
    assert previous_period(dt.date(2026, 1, 1)) == dt.date(2025, 12, 1)
    assert next_period(dt.date(2025, 12, 1)) == dt.date(2026, 1, 1)
    assert period_end(dt.date(2028, 2, 1)) == dt.date(2028, 2, 29)
    span = periods_between(dt.date(2025, 11, 1), dt.date(2026, 2, 1))
    assert span == [dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]


def test_a_span_backwards_or_too_long_is_refused():
    with pytest.raises(InvalidPeriod):
        periods_between(MAY, dt.date(2026, 4, 1))
    with pytest.raises(InvalidPeriod):
        periods_between(dt.date(2000, 1, 1), dt.date(2026, 1, 1))


def test_a_month_can_be_ranked_once_it_has_begun():
    check_not_future(MAY, today=dt.date(2026, 5, 1))
    with pytest.raises(InvalidPeriod):
        check_not_future(MAY, today=dt.date(2026, 4, 30))


# --- rules ----------------------------------------------------------------------------------------


def test_the_default_rulebook_reads_back_unchanged():
    assert rules_as_json(rules_from_json(DEFAULT_RULES)) == DEFAULT_RULES


def test_missing_numbers_take_the_defaults_and_the_stored_version_is_complete():
    rules = rules_from_json({"classification": {"ahead_margin_points": 5}})
    assert rules.classification.ahead_margin_points == 5
    assert rules.classification.lagging_slippage_days == 30
    stored = rules_as_json(rules)
    assert stored["classification"]["ahead_margin_points"] == 5
    assert stored["warnings"] == DEFAULT_RULES["warnings"]


def test_every_wrong_number_is_reported_by_field():
    with pytest.raises(InvalidFields) as refused:
        rules_from_json(
            {
                "classification": {"ahead_margin_points": "many", "lagging_slippage_days": 2.5, "colour": "red"},
                "district_score": {"weights": {"completion": 0, "ahead": 0, "not_lagging": 0}},
                "warnings": {"yellow_after": 3, "red_after": 3},
                "assessment": {"weights": {"investment": -1}},
                "extra": {},
            }
        )
    errors = refused.value.errors
    assert refused.value.code == "invalid_rules"
    assert set(errors) == {
        "classification.ahead_margin_points",
        "classification.lagging_slippage_days",
        "classification.colour",
        "district_score.weights",
        "warnings",
        "assessment.weights.investment",
        "rules.extra",
    }
    assert all(message and not message.isascii() for message in errors.values())


@pytest.mark.parametrize("value", [True, None, [], {}, "NaN", "Infinity", float("inf")])
def test_a_number_must_be_a_finite_number(value):
    with pytest.raises(InvalidFields):
        rules_from_json({"classification": {"ahead_margin_points": value}})


def test_rules_must_be_an_object():
    with pytest.raises(InvalidFields):
        rules_from_json(["classification"])
    with pytest.raises(InvalidFields):
        rules_from_json({"warnings": 3})


@given(
    ahead=st.integers(0, 100),
    lagging=st.decimals("0", "100", places=1),
    days=st.integers(0, 3650),
    yellow=st.integers(1, 10),
)
def test_any_valid_rulebook_survives_storage(ahead, lagging, days, yellow):
    document = {
        "classification": {"ahead_margin_points": ahead, "lagging_margin_points": str(lagging)},
        "warnings": {"yellow_after": yellow, "red_after": yellow + 1, "organisational_after": yellow + 2},
        "district_score": {"weights": {"completion": days % 7 + 1}},
    }
    rules = rules_from_json(document)
    assert rules_from_json(rules_as_json(rules)) == rules


# --- classification -------------------------------------------------------------------------------


def inputs(**changes) -> ProjectInputs:
    values = {
        "phase": "continuing",
        "annual_plan": Decimal("1200"),
        "invested_year_to_date": Decimal("500"),
        "invested_in_period": Decimal("100"),
        "slippage_days": 0,
        "milestone_reached": False,
        "elapsed_share": elapsed_share(MAY),
    }
    return ProjectInputs(**(values | changes))


def test_may_on_schedule_is_normal_and_shows_its_inputs():
    outcome = classify(inputs(), RULES.classification)
    assert outcome.rank_class == RankClass.NORMAL
    assert outcome.reason == Reason.ON_SCHEDULE
    assert outcome.completion_pct == Decimal("41.67")
    assert outcome.elapsed_pct == Decimal("41.67")
    assert outcome.gap_points == Decimal("0.00")


def test_ahead_from_ten_points_above_elapsed_share_exactly():
    # 序时 5/12; +10 points = 31/60 of 1200 = 620.
    assert classify(inputs(invested_year_to_date=Decimal("620")), RULES.classification).rank_class == RankClass.AHEAD
    assert classify(inputs(invested_year_to_date=Decimal("619.99")), RULES.classification).rank_class == "normal"


def test_ahead_needs_milestones_on_time():
    late = classify(inputs(invested_year_to_date=Decimal("900"), slippage_days=1), RULES.classification)
    assert late.rank_class == RankClass.NORMAL


def test_lagging_below_ten_points_under_elapsed_share_strictly():
    # −10 points = 19/60 of 1200 = 380: exactly there is still normal.
    assert classify(inputs(invested_year_to_date=Decimal("380")), RULES.classification).rank_class == "normal"
    lagging = classify(inputs(invested_year_to_date=Decimal("379.99")), RULES.classification)
    assert lagging.rank_class == RankClass.LAGGING
    assert lagging.reason == Reason.BEHIND_SCHEDULE


def test_lagging_when_a_milestone_is_more_than_thirty_days_late():
    assert classify(inputs(slippage_days=30), RULES.classification).rank_class == RankClass.NORMAL
    late = classify(inputs(invested_year_to_date=Decimal("900"), slippage_days=31), RULES.classification)
    assert late.rank_class == RankClass.LAGGING
    assert late.reason == Reason.SLIPPAGE


def test_no_progress_when_nothing_invested_and_no_milestone_reached():
    outcome = classify(inputs(invested_in_period=Decimal("0"), slippage_days=90), RULES.classification)
    assert outcome.rank_class == RankClass.NO_PROGRESS
    assert outcome.reason == Reason.NO_INVESTMENT
    reached = classify(inputs(invested_in_period=Decimal("0"), milestone_reached=True), RULES.classification)
    assert reached.rank_class == RankClass.NORMAL


def test_without_a_plan_only_milestones_and_investment_this_month_count():
    outcome = classify(inputs(annual_plan=Decimal("0"), invested_year_to_date=Decimal("9000")), RULES.classification)
    assert outcome.rank_class == RankClass.NORMAL
    assert outcome.completion_pct is None
    assert outcome.gap_points is None
    late = classify(inputs(annual_plan=Decimal("0"), slippage_days=40), RULES.classification)
    assert late.rank_class == RankClass.LAGGING


def test_preparation_is_classed_by_milestones_only():
    idle = inputs(phase="preparation", invested_in_period=Decimal("0"), invested_year_to_date=Decimal("0"))
    assert classify(idle, RULES.classification).rank_class == RankClass.NORMAL
    assert classify(idle, RULES.classification).reason == Reason.MILESTONES_ON_TIME
    late = inputs(phase="preparation", slippage_days=31, invested_year_to_date=Decimal("1200"))
    assert classify(late, RULES.classification).rank_class == RankClass.LAGGING


@pytest.mark.parametrize("phase", ["reserve", "completed", "in_production"])
def test_reserve_completed_and_producing_projects_are_not_classed(phase):
    assert not is_ranked(phase)
    with pytest.raises(ValueError, match="not ranked"):
        classify(inputs(phase=phase), RULES.classification)


def test_a_new_rule_version_moves_the_boundary():
    looser = rules_from_json({"classification": {"ahead_margin_points": 5}})
    project = inputs(invested_year_to_date=Decimal("570"))  # 47.5 %: +5.83 points
    assert classify(project, RULES.classification).rank_class == RankClass.NORMAL
    assert classify(project, looser.classification).rank_class == RankClass.AHEAD


ORDER = {RankClass.LAGGING: 0, RankClass.NORMAL: 1, RankClass.AHEAD: 2}


@given(
    month=st.integers(1, 12),
    plan=st.decimals("1", "100000", places=2),
    low=st.decimals("0", "200000", places=2),
    extra=st.decimals("0", "50000", places=2),
    slippage=st.integers(0, 400),
)
def test_more_investment_never_worsens_the_class(month, plan, low, extra, slippage):
    share = elapsed_share(dt.date(2026, month, 1))
    before = classify(
        inputs(annual_plan=plan, invested_year_to_date=low, slippage_days=slippage, elapsed_share=share),
        RULES.classification,
    )
    after = classify(
        inputs(annual_plan=plan, invested_year_to_date=low + extra, slippage_days=slippage, elapsed_share=share),
        RULES.classification,
    )
    assert ORDER[RankClass(after.rank_class)] >= ORDER[RankClass(before.rank_class)]


# --- districts ------------------------------------------------------------------------------------


def district(pk: int, code: str, plan: str, ytd: str, **counts: int) -> DistrictInputs:
    return DistrictInputs(
        pk, code, Decimal(plan), Decimal(ytd), elapsed_share(MAY), {RankClass(k): n for k, n in counts.items()}
    )


def test_the_target_is_met_from_plan_times_elapsed_share_exactly():
    assert target_met(Decimal("1200"), Decimal("500"), Fraction(5, 12))
    assert not target_met(Decimal("1200"), Decimal("499.99"), Fraction(5, 12))
    assert target_met(Decimal("0"), Decimal("0"), Fraction(5, 12))


def test_districts_are_ranked_by_their_weighted_score():
    standings = rank_districts(
        [
            district(1, "A", "1200", "500", normal=2),  # completion 100 % of 序时, nobody behind
            district(2, "B", "1200", "600", ahead=1, lagging=1),
            district(3, "C", "1200", "100", no_progress=2),
        ],
        RULES.district_score,
    )
    assert [(s.district_id, s.position) for s in standings] == [(2, 1), (1, 2), (3, 3)]
    a = next(s for s in standings if s.district_id == 1)
    # completion: (500/1200)/(5/12) = 1, capped at 1.2 → 83.33; ahead 0; not lagging 100.
    assert a.components == {"completion": Decimal("83.33"), "ahead": Decimal("0.00"), "not_lagging": Decimal("100.00")}
    assert a.score == Decimal("70.00")  # (60 × 83.33 + 20 × 0 + 20 × 100) / 100
    assert a.target_met and a.target_amount == Decimal("500.00")
    assert not standings[-1].target_met


def test_equal_scores_are_separated_by_completion_then_code():
    standings = rank_districts(
        [district(7, "B", "1200", "500", normal=1), district(8, "A", "1200", "500", normal=1)], RULES.district_score
    )
    assert [s.district_id for s in standings] == [8, 7]
    assert [s.position for s in standings] == [1, 2]


def test_a_district_without_classed_projects_is_scored_on_completion_alone():
    standing = rank_districts([district(1, "A", "1200", "600")], RULES.district_score)[0]
    assert set(standing.components) == {"completion"}
    assert standing.score == Decimal("100.00")


@given(
    rows=st.lists(
        st.tuples(st.integers(0, 5000), st.integers(0, 5000), st.integers(0, 5), st.integers(0, 5)),
        min_size=1,
        max_size=12,
    )
)
def test_positions_run_one_to_n_in_score_order(rows):
    given_districts = [
        district(i, f"{i:03d}", str(plan), str(ytd), ahead=a, lagging=lag)
        for i, (plan, ytd, a, lag) in enumerate(rows, start=1)
    ]
    standings = rank_districts(given_districts, RULES.district_score)
    assert [s.position for s in standings] == list(range(1, len(rows) + 1))
    scores = [s.score for s in standings]
    assert scores == sorted(scores, reverse=True)
    assert all(Decimal(0) <= s <= Decimal(100) for s in scores)


# --- warnings -------------------------------------------------------------------------------------


def history(*flags: str, start: dt.date = dt.date(2026, 1, 1)) -> list[Standing]:
    """'L' last and unmet, 'M' last but target met, 'N' not last."""
    periods: list[dt.date] = []
    for _ in flags:
        periods.append(next_period(periods[-1]) if periods else start)
    return [Standing(p, is_last=f in "LM", target_met=f == "M") for p, f in zip(periods, flags, strict=True)]


@pytest.mark.parametrize(
    ("flags", "streak", "level"),
    [
        ("L", 1, None),
        ("LL", 2, WarningLevel.YELLOW),
        ("LLL", 3, WarningLevel.RED),
        ("LLLL", 4, WarningLevel.ORGANISATIONAL),
        ("LLLLL", 5, WarningLevel.ORGANISATIONAL),
        ("LLLN", 0, None),
        ("LLNLL", 2, WarningLevel.YELLOW),
        ("LLML", 1, None),
        ("", 0, None),
    ],
)
def test_consecutive_last_places_with_the_target_unmet(flags, streak, level):
    assert last_unmet_streak(history(*flags)) == streak
    assert warning_level(streak, RULES.warnings) == level


def test_a_month_without_a_ranking_breaks_the_streak():
    jan, mar = history("L", "L")[0], Standing(dt.date(2026, 3, 1), True, False)
    assert last_unmet_streak([jan, mar]) == 1


def test_the_streak_runs_across_the_new_year():
    assert last_unmet_streak(history("L", "L", "L", start=dt.date(2025, 11, 1))) == 3


def test_history_must_be_in_order():
    ordered = history("L", "L")
    with pytest.raises(ValueError, match="ordered"):
        last_unmet_streak(list(reversed(ordered)))


def test_the_thresholds_are_configurable():
    stricter = rules_from_json({"warnings": {"yellow_after": 1, "red_after": 2, "organisational_after": 3}})
    assert warning_level(1, stricter.warnings) == WarningLevel.YELLOW
    assert warning_level(3, stricter.warnings) == WarningLevel.ORGANISATIONAL


@given(flags=st.lists(st.sampled_from("LMN"), max_size=30), gap_at=st.integers(0, 40))
def test_the_stored_streak_agrees_with_the_whole_history(flags, gap_at):
    standings = history(*flags)
    if 0 < gap_at < len(standings):  # drop one month: a gap in the rankings
        standings = standings[:gap_at] + standings[gap_at + 1 :]
    streak, previous = 0, None
    for standing in standings:
        streak = next_streak(streak, previous, standing)
        previous = standing.period
    assert streak == last_unmet_streak(standings)


# --- assessment -----------------------------------------------------------------------------------


def test_windows_start_at_the_month_quarter_and_year():
    assert window_start(Window.MONTH, MAY) == MAY
    assert window_start(Window.QUARTER, MAY) == dt.date(2026, 4, 1)
    assert window_start(Window.YEAR, MAY) == dt.date(2026, 1, 1)
    assert [window_months(w, MAY) for w in Window] == [1, 2, 5]


def test_each_indicator_is_a_share_and_investment_is_capped():
    scores = indicator_scores(
        AssessmentInputs(
            invested=Decimal("300"),
            annual_plan=Decimal("1200"),
            window_months=2,  # due 200; 1.5 of it, capped at 1.2 → 100
            starts_planned=4,
            starts_actual=3,
            problems_due=5,
            problems_on_time=4,
            reports_owed=10,
            reports_on_time=9,
        ),
        RULES.assessment,
    )
    assert scores[Indicator.INVESTMENT].score == Decimal("100.00")
    assert scores[Indicator.INVESTMENT].denominator == Decimal("200.00")
    assert scores[Indicator.NEW_STARTS].score == Decimal("75.00")
    assert scores[Indicator.PROBLEMS_ON_TIME].score == Decimal("80.00")
    assert scores[Indicator.REPORT_TIMELINESS].score == Decimal("90.00")
    # (40 × 100 + 20 × 75 + 20 × 80 + 20 × 90) / 100
    assert assessment_score(scores, RULES.assessment) == Decimal("89.00")


def test_an_indicator_without_a_denominator_is_left_out():
    scores = indicator_scores(
        AssessmentInputs(invested=Decimal("100"), annual_plan=Decimal("1200"), window_months=1), RULES.assessment
    )
    assert scores[Indicator.NEW_STARTS].score is None
    assert scores[Indicator.PROBLEMS_ON_TIME].score is None
    assert assessment_score(scores, RULES.assessment) == Decimal("83.33")  # investment alone: 1/1.2
    nothing = indicator_scores(
        AssessmentInputs(invested=Decimal("0"), annual_plan=Decimal("0"), window_months=1), RULES.assessment
    )
    assert assessment_score(nothing, RULES.assessment) is None


def test_assessment_positions_skip_subjects_without_a_score():
    assert positions([("b", Decimal("80")), ("a", Decimal("80")), ("c", None), ("d", Decimal("90"))]) == {
        "d": 1,
        "a": 2,
        "b": 3,
        "c": None,
    }
