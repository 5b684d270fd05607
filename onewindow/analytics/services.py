"""Writes of the analysis: recording a search of the public catalogue (a listener of
`catalogue.services.searched`). One INSERT per search; no audit event (public data, no one's act)."""

from __future__ import annotations

import re

from onewindow import clock
from onewindow.analytics.models import QUERY_MAX_LENGTH, CatalogueSearch
from onewindow.catalogue.services.searched import CatalogueSearched

# An 18-character resident ID number (or the old 15 digits) and a mobile phone number, anywhere in the query.
_PERSONAL = re.compile(r"\d{17}[\dXx]|\d{15}|1[3-9]\d{9}")
_SPACES = re.compile(r"\s+")


def normalised_query(text: str) -> str | None:
    """The query as recorded: stripped, inner spaces single, at most 100 characters; None when it is empty or
    looks like personal data (an ID number or a mobile phone number)."""
    query = _SPACES.sub(" ", text).strip()
    if not query or _PERSONAL.search(query.replace(" ", "").replace("-", "")):
        return None
    return query[:QUERY_MAX_LENGTH]


def catalogue_search_record(search: CatalogueSearched) -> None:
    query = normalised_query(search.query)
    if query is None:
        return
    # One INSERT in autocommit (the pages run outside a transaction): a failure is logged by the catalogue's hook.
    CatalogueSearch.objects.create(
        query=query, day=clock.today(), results=search.results, matter_id=search.first_matter_id
    )
