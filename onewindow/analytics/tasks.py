"""Periodic schedules of the analysis, enqueued by the project's scheduler (onewindow/jobs): the columnar copy of
the cases' facts (docs/adr/0005) refreshed every ten minutes from the cases changed since, and rewritten whole
each night."""

from __future__ import annotations

from functools import partial

from onewindow.analytics.facts.services import facts_refresh_scheduled
from onewindow.jobs.schedules import Schedule


def schedules() -> list[Schedule]:
    return [
        Schedule("analytics.facts_refresh", "*/10 * * * *", facts_refresh_scheduled),
        Schedule("analytics.facts_rewrite", "40 3 * * *", partial(facts_refresh_scheduled, full=True)),
    ]
