"""The analysis as tables: one list of named tables per page that the page (charts and tables), its Excel
export and the API all read, so each shows the same numbers. Durations in days (one decimal), rates in
percent (one decimal). A row may carry `<column>_url` (a case's own page); `Table.links` hold, for the page,
the case list behind each count and duration (`analytics.trace`).

`demand.py` (把握公众需求), `operations.py` (规范运行管理), `overview.py` (the overview's selection of both);
`common.py` what they share."""

from __future__ import annotations

from onewindow.analytics.figures.tables.common import Analysis, days, online_target, percent
from onewindow.analytics.figures.tables.demand import demand_for
from onewindow.analytics.figures.tables.operations import operations_for
from onewindow.analytics.figures.tables.overview import overview_for

__all__ = ["Analysis", "days", "demand_for", "online_target", "operations_for", "overview_for", "percent"]
