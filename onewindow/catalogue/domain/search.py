"""Search words: what the index holds and what a query is cut into (rjieba search mode)."""

from __future__ import annotations

from collections.abc import Iterable

import rjieba


def search_words(text: str) -> list[str]:
    """Words of `text` for the search index and for queries (rjieba search mode, deduplicated)."""
    words: list[str] = []
    seen: set[str] = set()
    for token in rjieba.cut_for_search(text or ""):
        word = token.strip().lower()
        if not word or not any(ch.isalnum() for ch in word) or word in seen:
            continue
        seen.add(word)
        words.append(word)
    return words


def matter_search_text(*, name: str, department_name: str, category: str) -> str:
    """What MatterVersion.search_text holds: the words of name, department and category."""
    return " ".join(search_words(f"{name} {department_name} {category}"))


def bundle_search_text(*, name: str, description: str, stage_names: Iterable[str], matter_names: Iterable[str]) -> str:
    """What BundleVersion.search_text holds: the words of its name, description, stages and matters."""
    return " ".join(search_words(" ".join([name, description, *stage_names, *matter_names])))
