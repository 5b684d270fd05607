"""The overview's tables: the online share, the operations' summary, volume by month and channel, the phases,
who finished last and the departments' review times — the same rows (and links) as the demand and operations
pages, read once (`figures.sources.overview_figures`)."""

from __future__ import annotations

from onewindow.analytics.figures import selectors, sources
from onewindow.analytics.figures.selectors import Filters
from onewindow.analytics.figures.tables.common import Analysis
from onewindow.analytics.figures.tables.demand import Counts, channel_table, month_table, online_table
from onewindow.analytics.figures.tables.operations import (
    SLOWEST,
    department_table,
    finish_last_table,
    phases_table,
    summary_table,
)
from onewindow.analytics.trace.links import Tracer
from onewindow.orgs.models import User


def overview_for(user: User, filters: Filters) -> Analysis:
    demand, figures = sources.overview_figures(user, filters, SLOWEST)
    total = sum(demand.channels.values())
    orgs = selectors.organisation_names(set(figures.departments) | {r.department for r in figures.finish_last})
    trace = Tracer(filters)
    counts = Counts(trace, total)
    return Analysis(
        filters,
        [
            online_table(trace, demand.channels, total),
            summary_table(trace, figures),
            month_table(counts, demand.months),
            channel_table(counts, demand.channels),
            phases_table(trace, figures.overall),
            finish_last_table(trace, figures.finish_last, orgs),
            department_table(trace, figures.departments, orgs),
        ],
    )
