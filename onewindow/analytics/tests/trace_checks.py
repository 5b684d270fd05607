"""Checks shared by the trace tests: follow every link of an analysis API's tables to the cases behind it
(`GET /api/analytics/cases`, the same query as the page's link) and compare the numbers."""

from __future__ import annotations

from typing import Any

# The columns that count something (cases, notices, tasks, stages): the list behind each must count the same.
COUNTS = frozenset(
    {
        *("count", "total", "online", "window", "extended", "corrections", "submitted", "cases", "notices"),
        *("stages_in", "last", "open", "unassigned", "yellow", "red", "decided", "green", "ordinary", "involved"),
        *("actual", "recent"),  # the forecast's backtest and categories
    }
)
UNTRACED = frozenset(
    {
        *("searches_unfound", "searches_by_matter", "what_if_saved", "what_if_cases", "slowest"),
        *("weekly", "daily"),  # the forecast: cases not yet submitted
    }
)


def api_of(url: str, limit: int = 500) -> str:
    """The API address of a page's link (the same query)."""
    path, _sep, query = url.partition("?")
    assert path == "/analytics/cases/", url
    return f"/api/analytics/cases?{query}&limit={limit}"


def traced(client: Any, url: str) -> dict[str, Any]:
    response = client.get(api_of(url))
    assert response.status_code == 200, (url, response.content[:300])
    body: dict[str, Any] = response.json()
    return body


def check_every_count(client: Any, tables: list[dict[str, Any]]) -> int:
    """Every count of the tables links to a list that counts exactly as many; returns how many were followed."""
    followed = 0
    for table in tables:
        if table["key"] in UNTRACED:
            continue
        links = table["links"]
        assert len(links) == len(table["rows"]), table["key"]
        for row, row_links in zip(table["rows"], links, strict=True):
            for column, value in row.items():
                if column not in COUNTS or not isinstance(value, int):
                    continue
                if value == 0:
                    assert column not in row_links, (table["key"], column)
                    continue
                assert column in row_links, (table["key"], column, row)
                body = traced(client, row_links[column])
                assert body["count"] == value, (table["key"], column, row, row_links[column], body["count"])
                if body["unit"] == "cases":
                    assert body["case_count"] == value and len(body["items"]) == min(value, body["limit"])
                followed += 1
    return followed


def case_ids(client: Any, url: str) -> set[int]:
    body = traced(client, url)
    assert body["case_count"] == len(body["items"]), "more than one page"
    return {item["case_id"] for item in body["items"]}


def link(tables: list[dict[str, Any]], key: str, column: str, **match: Any) -> str:
    """The link of `column` in the row of table `key` whose cells are `match`."""
    table = next(t for t in tables if t["key"] == key)
    for row, links in zip(table["rows"], table["links"], strict=True):
        if all(row.get(k) == v for k, v in match.items()):
            return str(links[column])
    raise AssertionError(f"no row {match} in {key}")
