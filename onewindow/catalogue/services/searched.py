"""A search of the public catalogue has run: the apps that care (the analysis records searches that found
nothing and the matters most searched) listen here, so the catalogue imports none of them. A listener that
fails never breaks the search: it is logged and the page answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogueSearched:
    query: str  # as typed; listeners must not keep personal data
    results: int
    first_matter_id: int | None


Listener = Callable[[CatalogueSearched], None]
_listeners: list[Listener] = []


def on_catalogue_search(listener: Listener) -> Listener:
    """Register `listener` (once) to hear of every search with a query."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def catalogue_searched(search: CatalogueSearched) -> None:
    if not search.query.strip():
        return
    for listener in _listeners:
        try:
            listener(search)
        except Exception:  # a record must never break the search
            logger.exception("catalogue search listener %r failed", listener)
