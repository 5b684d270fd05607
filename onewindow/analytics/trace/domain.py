"""Which figure a case list traces: the slice, its parameters in a query string and back (pure: no Django).

A slice is what a figure counts (`of`) and the conditions that narrow it to one row or cell, each a query
parameter, all of them together (AND). The period, region and department are the pages' own filters (`from`,
`to`, `region`, `department`) and are read by the pages' code, not here.

`of` (what is counted; by default the cases submitted in the period):

| of | counts | the figures |
|---|---|---|
| submitted | cases submitted in the period | demand; corrections per matter |
| decided | cases decided in the period | operations' times; the economy |
| notices | correction notices of the cases submitted in the period | corrections; materials |
| review_tasks | decided review tasks of the cases decided in the period | the departments' review times |
| shared_stages | stages with two or more decided review tasks, of the cases decided in the period | critical path |
| open_tasks | review tasks open now (the period does not apply) | workload |
| decided_tasks | review tasks decided in the period | workload |

Conditions on the case (any `of`): matter, bundle, received_in (the region that received the case, exactly),
concerns (a department one of its matters belongs to, exactly), reviewed_by (a department with a decided review
task in it), channel, online (1: online or app; 0: the others), applicant_kind, green (1/0), economy (setups,
investment), corrected (1/0: a correction notice), stopped (1/0: a review clock stop), material (a correction
notice names it), category (a matter's category as the catalogue names it, 行政许可 …; `bundle`: a bundle's case),
industry (the form's 所属行业; `none`: a form without one). On
the period's own time (submitted, decided, notices): hour (0–23), weekday (1 = Monday … 7) and month (YYYY-MM), in
Asia/Shanghai. On the case or the task counted: extended (1/0) and on_time (1/0: decided on or before the due
date). On tasks: task_department, assignee (a user's id or `none`), warning (normal, yellow, red), stage. On shared
stages: ended_by (the department decided last, ending the stage), with_department (a department that took part),
stage. `order`: `latest` (submitted, newest first; the default) or `days` (the longest from submission to decision
first).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Of(StrEnum):
    SUBMITTED = "submitted"
    DECIDED = "decided"
    NOTICES = "notices"
    REVIEW_TASKS = "review_tasks"
    SHARED_STAGES = "shared_stages"
    OPEN_TASKS = "open_tasks"
    DECIDED_TASKS = "decided_tasks"


class Unit(StrEnum):
    CASES = "cases"
    NOTICES = "notices"
    TASKS = "tasks"
    STAGES = "stages"


UNIT_OF = {
    Of.SUBMITTED: Unit.CASES,
    Of.DECIDED: Unit.CASES,
    Of.NOTICES: Unit.NOTICES,
    Of.REVIEW_TASKS: Unit.TASKS,
    Of.SHARED_STAGES: Unit.STAGES,
    Of.OPEN_TASKS: Unit.TASKS,
    Of.DECIDED_TASKS: Unit.TASKS,
}
ORDERS = ("latest", "days")
NONE = "none"  # assignee=none: the tasks nobody has taken


@dataclass(frozen=True)
class Condition:
    name: str
    kind: str  # id | whole | flag | choice | code | month | text | assignee
    choices: tuple[str, ...] = ()
    low: int = 0
    high: int = 0


CONDITIONS: tuple[Condition, ...] = (
    Condition("matter", "id"),
    Condition("bundle", "id"),
    Condition("received_in", "id"),
    Condition("concerns", "id"),
    Condition("reviewed_by", "id"),
    Condition("channel", "code"),
    Condition("online", "flag"),
    Condition("applicant_kind", "code"),
    Condition("green", "flag"),
    Condition("economy", "choice", ("setups", "investment")),
    Condition("corrected", "flag"),
    Condition("stopped", "flag"),
    Condition("material", "text"),
    Condition("category", "text"),
    Condition("industry", "text"),
    Condition("hour", "whole", low=0, high=23),
    Condition("weekday", "whole", low=1, high=7),
    Condition("month", "month"),
    Condition("extended", "flag"),
    Condition("on_time", "flag"),
    Condition("task_department", "id"),
    Condition("assignee", "assignee"),
    Condition("warning", "choice", ("normal", "yellow", "red")),
    Condition("ended_by", "id"),
    Condition("with_department", "id"),
    Condition("stage", "whole", low=1, high=99),
)
BY_NAME = {c.name: c for c in CONDITIONS}
ON_CASE = frozenset(
    {
        *("matter", "bundle", "received_in", "concerns", "reviewed_by", "channel", "online", "applicant_kind"),
        *("green", "economy", "corrected", "stopped", "material", "category", "industry"),
    }
)
ON_TIME_OF_PERIOD = frozenset({"hour", "weekday", "month"})
ALLOWED: dict[Of, frozenset[str]] = {
    Of.SUBMITTED: ON_CASE | ON_TIME_OF_PERIOD | {"extended", "on_time"},
    Of.DECIDED: ON_CASE | ON_TIME_OF_PERIOD | {"extended", "on_time"},
    Of.NOTICES: ON_CASE | ON_TIME_OF_PERIOD,
    Of.REVIEW_TASKS: ON_CASE | {"task_department", "extended", "on_time", "stage"},
    Of.SHARED_STAGES: ON_CASE | {"ended_by", "with_department", "stage"},
    Of.OPEN_TASKS: ON_CASE | {"task_department", "assignee", "warning"},
    Of.DECIDED_TASKS: ON_CASE | {"task_department", "assignee", "warning"},
}
MAX_TEXT = 200
CODE = re.compile(r"^[a-z_]{1,20}$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")

Value = int | str | bool


@dataclass(frozen=True)
class Slice:
    """What a figure counts and the conditions of its row or cell (parameter name → value)."""

    of: Of = Of.SUBMITTED
    conditions: dict[str, Value] = field(default_factory=dict)
    order: str = "latest"

    @property
    def unit(self) -> Unit:
        return UNIT_OF[self.of]

    def get(self, name: str) -> Value | None:
        return self.conditions.get(name)

    def number(self, name: str) -> int | None:
        """An id or a whole number condition (None when not asked, or `assignee=none`)."""
        value = self.conditions.get(name)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


class SliceInvalid(Exception):
    """The slice's parameters are wrong: a problem code per parameter (`not_whole`, `out_of_range`,
    `not_flag`, `not_choice`, `not_code`, `not_month`, `too_long`, `not_allowed`, `unknown_of`,
    `unknown_order`)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


def _value(condition: Condition, text: str) -> tuple[Value | None, str | None]:
    """The parameter's value, or the problem with it."""
    kind = condition.kind
    if kind == "flag":
        return (text == "1", None) if text in ("0", "1") else (None, "not_flag")
    if kind == "assignee" and text == NONE:
        return NONE, None
    if kind in ("id", "whole", "assignee"):
        if not text.isascii() or not text.isdigit() or len(text) > 12:
            return None, "not_whole"
        number = int(text)
        if kind == "whole" and not condition.low <= number <= condition.high:
            return None, "out_of_range"
        return (number, None) if number > 0 or kind == "whole" else (None, "not_whole")
    if kind == "choice":
        return (text, None) if text in condition.choices else (None, "not_choice")
    if kind == "code":
        return (text, None) if CODE.match(text) else (None, "not_code")
    if kind == "month":
        match = MONTH.match(text)
        return (text, None) if match and 1 <= int(match.group(2)) <= 12 else (None, "not_month")
    return (text, None) if len(text) <= MAX_TEXT else (None, "too_long")


def parse_slice(params: Mapping[str, str]) -> Slice:
    """The slice a query asks for (parameters it does not know are left to others: the period, the filters,
    the page); every problem at once in `SliceInvalid`."""
    problems: dict[str, str] = {}
    of_text = params.get("of") or Of.SUBMITTED.value
    of = Of(of_text) if of_text in {o.value for o in Of} else None
    if of is None:
        problems["of"] = "unknown_of"
    order = params.get("order") or "latest"
    if order not in ORDERS:
        problems["order"] = "unknown_order"
    conditions: dict[str, Value] = {}
    for condition in CONDITIONS:
        text = (params.get(condition.name) or "").strip()
        if not text:
            continue
        value, problem = _value(condition, text)
        if problem is None and of is not None and condition.name not in ALLOWED[of]:
            problem = "not_allowed"
        if problem is not None:
            problems[condition.name] = problem
        elif value is not None:
            conditions[condition.name] = value
    if problems or of is None:
        raise SliceInvalid(problems)
    return Slice(of, conditions, order)


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def slice_params(of: Of | str, conditions: Mapping[str, Value | None], order: str = "latest") -> list[tuple[str, str]]:
    """A slice as query parameters, in one order (`of` first, the conditions as `CONDITIONS` lists them, then
    `order` when it is not the default); None values are left out. `parse_slice` reads them back."""
    unknown = set(conditions) - set(BY_NAME)
    if unknown:
        raise ValueError(f"unknown conditions: {sorted(unknown)}")
    params = [("of", Of(of).value)]
    params += [(c.name, _text(v)) for c in CONDITIONS if (v := conditions.get(c.name)) is not None]
    return params + ([("order", order)] if order != "latest" else [])


def month_span(text: str) -> tuple[int, int]:
    """(year, month) of a `YYYY-MM` the parser accepted."""
    year, month = text.split("-")
    return int(year), int(month)
