"""Assessment (考核) of one period: the month, the quarter to date and the year to date, for every
district and department, from five aggregate queries per window and one bulk upsert.

A quarter's or a year's row is recomputed by every month in it and is final once its last month
is computed; recomputing an earlier month leaves a window alone that a later month already
covers (replay months in order: `onewindow ranking run --from … --to …`).
"""

from __future__ import annotations

from collections import defaultdict

from onewindow.ranking.domain.assessment import (
    AssessmentInputs,
    IndicatorScore,
    Window,
    assessment_score,
    indicator_scores,
    positions,
    window_start,
)
from onewindow.ranking.domain.periods import months_from
from onewindow.ranking.models import AssessmentScore
from onewindow.ranking.selectors import inputs
from onewindow.ranking.services.standings import BATCH_SIZE, Computation

FIELDS = ["as_of", "subject", "score", "position", "indicators", "rule_version", "computed_at"]


def assessment_compute(run: Computation) -> int:
    """Scores every window of `run.period`; returns how many rows were written."""
    written = 0
    for window in Window:
        first = window_start(window, run.period)
        if AssessmentScore.objects.filter(window=window, period=first, as_of__gt=run.period).exists():
            continue
        rows = _scores(run, window, inputs.window_tallies(first, run.period, year=run.period.year))
        AssessmentScore.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["window", "period", "organisation"],
            update_fields=FIELDS,
            batch_size=BATCH_SIZE,
        )
        AssessmentScore.objects.filter(window=window, period=first, computed_at__lt=run.now).delete()
        written += len(rows)
    return written


def _scores(run: Computation, window: Window, tallies: inputs.Tallies) -> list[AssessmentScore]:
    first = window_start(window, run.period)
    months = months_from(first, run.period)
    rows: list[AssessmentScore] = []
    for (subject, organisation_id), tally in sorted(tallies.items()):
        given = AssessmentInputs(
            invested=tally.invested,
            annual_plan=tally.annual_plan,
            window_months=months,
            starts_planned=tally.starts_planned,
            starts_actual=tally.starts_actual,
            problems_due=tally.problems_due,
            problems_on_time=tally.problems_on_time,
            reports_owed=tally.reports_owed,
            reports_on_time=tally.reports_on_time,
            ratings=tally.ratings,
            ratings_satisfied=tally.ratings_satisfied,
        )
        scores = indicator_scores(given, run.rules.assessment)
        rows.append(
            AssessmentScore(
                window=window,
                period=first,
                as_of=run.period,
                subject=subject,
                organisation_id=organisation_id,
                score=assessment_score(scores, run.rules.assessment),
                indicators={key.value: _indicator_json(s) for key, s in scores.items()},
                rule_version=run.version,
                computed_at=run.now,
            )
        )
    _position(rows)
    return rows


def _indicator_json(score: IndicatorScore) -> dict[str, str | None]:
    return {
        "numerator": str(score.numerator),
        "denominator": str(score.denominator),
        "score": None if score.score is None else str(score.score),
    }


def _position(rows: list[AssessmentScore]) -> None:
    by_subject: dict[str, list[AssessmentScore]] = defaultdict(list)
    for row in rows:
        by_subject[row.subject].append(row)
    for group in by_subject.values():
        placed = positions([(f"{row.organisation_id:012d}", row.score) for row in group])
        for row in group:
            row.position = placed[f"{row.organisation_id:012d}"]
