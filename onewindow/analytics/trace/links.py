"""The address of the cases behind a figure: the page's period and filters and the figure's slice
(`trace.domain`), for the tables of the analysis pages to link their cells to."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse

from onewindow.analytics.trace.domain import Of, Value, slice_params

if TYPE_CHECKING:
    from onewindow.analytics.figures.selectors import Filters


def filters_params(filters: Filters) -> list[tuple[str, str]]:
    params = [("from", f"{filters.period.first:%Y-%m-%d}"), ("to", f"{filters.period.last:%Y-%m-%d}")]
    if filters.region is not None:
        params.append(("region", str(filters.region.pk)))
    if filters.department is not None:
        params.append(("department", str(filters.department.pk)))
    return params


@dataclass(frozen=True)
class Tracer:
    """`trace(Of.DECIDED, matter=12, extended=True)`: the case list behind one figure of the page read with
    `filters`."""

    filters: Filters

    def __call__(self, of: Of | str, /, **conditions: Value | None) -> str:
        return self._url(of, conditions, "latest")

    def longest_first(self, of: Of | str, /, **conditions: Value | None) -> str:
        """The same list, the longest from submission to decision first (behind a duration)."""
        return self._url(of, conditions, "days")

    def _url(self, of: Of | str, conditions: dict[str, Value | None], order: str) -> str:
        query = urlencode(filters_params(self.filters) + slice_params(of, conditions, order))
        return f"{reverse('analytics_trace:cases')}?{query}"
