"""The tables of the columnar copy: their columns and DuckDB types, in the order the rows carry them. Pure data.

A case's facts are what `figures.selectors` reads of it, computed by the same code (`facts.rows`): the
decided case's phases (`figures.domain.CaseTimes`) and each decided review task's time (`TaskTimes`) are
stored computed, so the copy and the live reads cannot disagree on a rule; only the grouping and the
percentiles are left to the query (`facts.queries`).

Change a column here and bump VERSION: a copy written by another version is not read (the pages read the
operational tables until the next refresh rewrites it).
"""

from __future__ import annotations

VERSION = 3

CASES: tuple[tuple[str, str], ...] = (
    ("id", "BIGINT"),
    ("submitted_at", "TIMESTAMPTZ"),
    ("submitted_local", "TIMESTAMP"),  # Asia/Shanghai wall time: hour, weekday, month, day
    ("region_id", "BIGINT"),
    ("channel", "VARCHAR"),
    ("matter_id", "BIGINT"),  # a single matter's case
    ("bundle_id", "BIGINT"),  # a bundle's case
    ("applicant_kind", "VARCHAR"),
    ("category", "VARCHAR"),  # the matter's category; NULL for a bundle
    ("notices", "INTEGER"),  # correction notices
    ("is_green", "BOOLEAN"),  # the green channel (key projects)
    ("industry", "VARCHAR"),  # the form's 所属行业 (the enterprise set-ups by industry); NULL when it has none
    ("status", "VARCHAR"),
    ("due_on", "DATE"),
    ("completed_at", "TIMESTAMPTZ"),
    # A completed case's time (CaseTimes); NULL for the others. Its total and waiting in days, and each phase in
    # tenths of a day as the pages show it (`tenths`): the percentiles are taken of those.
    ("total", "DOUBLE"),
    ("waiting", "DOUBLE"),
    ("intake_t", "INTEGER"),
    ("review_t", "INTEGER"),
    ("waiting_t", "INTEGER"),
    ("decision_t", "INTEGER"),
    ("total_t", "INTEGER"),
    ("on_time", "BOOLEAN"),
    ("extended", "BOOLEAN"),
    ("departments", "BIGINT[]"),  # its matters' departments (a bundle's: each), for counts and the department filter
    ("task_departments", "BIGINT[]"),  # the departments of its tasks, any kind: the scope (figures.selectors.cases_in)
)

# The decided review tasks of the completed cases (TaskTimes), for the departments' review times and the
# critical path of the bundles' stages.
TASKS: tuple[tuple[str, str], ...] = (
    ("case_id", "BIGINT"),
    ("completed_at", "TIMESTAMPTZ"),  # the case's
    ("stage", "INTEGER"),
    # `figures.domain.StageMark`: its department's first decided task in a stage shared by two or more, and the
    # days by which that department's decision ended the stage (NULL when another's did), for the critical path.
    ("stage_shared", "BOOLEAN"),
    ("stage_end_margin", "DOUBLE"),
    ("department_id", "BIGINT"),
    ("decided_at", "TIMESTAMPTZ"),
    ("days_t", "INTEGER"),  # opened → decided less its own stopped days, in tenths; NULL when either is unknown
    ("on_time", "BOOLEAN"),
    ("extended", "BOOLEAN"),
)

# Every decided review task (whatever its case's status), for the workload: its department and reviewer, and its
# review time in working days (bottlenecks.domain.review_days, on the calendar the copy was written with); for the
# what-if's replay, its stage, days and own clock stops (`bottlenecks.domain.ReplayTask`).
REVIEWS: tuple[tuple[str, str], ...] = (
    ("case_id", "BIGINT"),
    ("region_id", "BIGINT"),  # the case's
    ("department_id", "BIGINT"),
    ("assignee_id", "BIGINT"),
    ("decided_at", "TIMESTAMPTZ"),
    ("review_days", "INTEGER"),
    ("stage", "INTEGER"),
    ("started_on", "DATE"),
    ("decided_on", "DATE"),  # Asia/Shanghai
    ("stops_first", "DATE[]"),
    ("stops_last", "DATE[]"),
)

MATERIALS: tuple[tuple[str, str], ...] = (("case_id", "BIGINT"), ("label", "VARCHAR"))  # once per notice naming it

TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "cases": CASES,
    "tasks": TASKS,
    "reviews": REVIEWS,
    "materials": MATERIALS,
}


def tenths(days: float | None) -> int | None:
    """A duration as the pages show it (`figures.tables.days`: one decimal), in tenths of a day. Rounding keeps
    the order of the values, so the percentile of the rounded durations is the rounded percentile: the copy's
    P50 and P90 are the pages' to the last digit."""
    return None if days is None else round(round(days, 1) * 10)


def create_statement(table: str, name: str | None = None, *, temporary: bool = False) -> str:
    columns = ", ".join(f"{column} {kind}" for column, kind in TABLES[table])
    return f"CREATE {'TEMP ' if temporary else ''}TABLE {name or table} ({columns})"


def column_names(table: str) -> list[str]:
    return [column for column, _kind in TABLES[table]]
