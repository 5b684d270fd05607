"""Chinese search over the catalogue, without a database: what a query means.

Documents are indexed as their `search_text`: the rjieba `cut_for_search` words of a matter's name,
department and category (`domain.matter_search_text`), or of a bundle's name, description, stage
names and the names of its matters (`domain.bundle_search_text`), separated by spaces. How each
database indexes those words is in `search_index.py`; how a query becomes SQL, in `selectors_search.py`.

A query is parsed once (`parse`) into `Term`s (AND between terms, OR between a term's synonyms);
each term alternative matches either as one word (prefix) or as all of its smallest rjieba words,
because the same text segments differently alone than inside a longer name (建筑工程 alone is one
word, inside 建筑工程施工许可证核发 it is 建筑 + 工程施工).

Synonyms come from the synonym table the system admin keeps (`SynonymGroup`), read at query time
and passed in as {word: the other words of its group}: an edit takes effect at the next query, with
no reindex. Filler words citizens type around what they want (办, 怎么, 我要, 需要, …) are dropped
unless the query has nothing else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import rjieba

from onewindow.catalogue.domain import CatalogueRuleError

MAX_QUERY_LENGTH = 100

Synonyms = Mapping[str, tuple[str, ...]]

# Words around the thing asked for: "办营业执照", "怎么开公司", "我要迁户口需要什么". Dropping them
# never narrows a query; keeping them would require every matter name to contain 办 or 怎么.
FILLER_WORDS = frozenset(
    {
        "办", "办理", "去", "想", "要", "我", "我要", "我想", "想要", "怎么", "怎么办", "怎样", "如何",
        "哪里", "在哪", "在哪里", "到哪", "需要", "什么", "哪些", "的", "了", "吗", "呢", "请问",
        "申请", "手续", "流程", "一下",
    }
)  # fmt: skip

_WORD = re.compile(r"^\w+$")


@dataclass(frozen=True)
class Term:
    """One thing the user asked for: any alternative matches; each alternative is word groups to AND.

    `alternatives` holds, per synonym, the ways it can match: `(("施工许可证",), ("施工", "许可"))`
    means the word 施工许可证 or both 施工 and 许可.
    """

    text: str
    alternatives: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Query:
    """A parsed query: `terms` must all match; a name containing any of `whole` matches by name."""

    text: str  # the normalised query as typed
    terms: tuple[Term, ...]
    whole: tuple[str, ...]  # the query without filler words, and its synonyms

    def __bool__(self) -> bool:
        return bool(self.text)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(text.split())


def normalise_query(query: str) -> str:
    """Full-width to half-width, lower case, no control characters, single spaces, bounded length."""
    return _normalise(query)[:MAX_QUERY_LENGTH]


def synonyms_of(groups: Iterable[Iterable[str]]) -> dict[str, tuple[str, ...]]:
    """{word: the other words of its group} for groups of words that mean the same (symmetric)."""
    synonyms: dict[str, tuple[str, ...]] = {}
    for group in groups:
        words = list(dict.fromkeys(group))
        for word in words:
            synonyms[word] = tuple(other for other in words if other != word)
    return synonyms


def _words(text: str, *, fine: bool) -> list[str]:
    cut = rjieba.cut_for_search(text) if fine else rjieba.cut(text)
    return [word for word in (w.strip() for w in cut) if _WORD.match(word)]


def smallest_words(text: str) -> tuple[str, ...]:
    """The fine-grained words of `text` that contain no other of its words (建筑工程 -> 建筑, 工程)."""
    words = list(dict.fromkeys(_words(text, fine=True)))
    return tuple(w for w in words if not any(other != w and other in w for other in words))


def _covers(parts: tuple[str, ...], word: str) -> bool:
    covered = [False] * len(word)
    for part in parts:
        start = word.find(part)
        while start >= 0:
            covered[start : start + len(part)] = [True] * len(part)
            start = word.find(part, start + 1)
    return all(covered)


def _ways_to_match(word: str) -> tuple[tuple[str, ...], ...]:
    """The word itself, or all its smallest words when they spell the whole word (not 施工图 -> 施工)."""
    parts = smallest_words(word)
    if not parts or parts == (word,) or not _covers(parts, word):
        return ((word,),)
    return ((word,), parts)


def _term(text: str, synonyms: Synonyms) -> Term:
    alternatives: list[tuple[str, ...]] = []
    for alternative in (text, *synonyms.get(text, ())):
        alternatives.extend(_ways_to_match(alternative))
    return Term(text=text, alternatives=tuple(dict.fromkeys(alternatives)))


def _split_on_synonyms(text: str, synonyms: Synonyms) -> list[tuple[str, bool]]:
    """Cut the query around the longest synonym phrases it contains: [(piece, is_synonym_phrase)]."""
    for phrase in sorted(synonyms, key=len, reverse=True):
        start = text.find(phrase)
        if start >= 0:
            before, after = text[:start], text[start + len(phrase) :]
            return [*_split_on_synonyms(before, synonyms), (phrase, True), *_split_on_synonyms(after, synonyms)]
    return [(text, False)] if text else []


def _chunk_words(chunk: str, synonyms: Synonyms) -> list[str]:
    words: list[str] = []
    for piece, is_phrase in _split_on_synonyms(chunk, synonyms):
        words.extend([piece] if is_phrase else _words(piece, fine=False))
    return words


def parse(query: str, synonyms: Synonyms | None = None) -> Query:
    """What `query` asks for; falsy when it is empty (then everything is listed)."""
    synonyms = synonyms or {}
    text = normalise_query(query)
    chunks = [_chunk_words(chunk, synonyms) for chunk in text.split(" ")]
    if any(word not in FILLER_WORDS for words in chunks for word in words):
        chunks = [[word for word in words if word not in FILLER_WORDS] for words in chunks]
    terms = {word: _term(word, synonyms) for words in chunks for word in words}
    # Only punctuation (no words): names containing it as typed, as a plain substring.
    core = " ".join(filter(None, ("".join(words) for words in chunks))) or text
    whole = (core, *synonyms.get(core, ())) if core else ()
    return Query(text=text, terms=tuple(terms.values()), whole=whole)


# --- synonym groups as the admin types them ------------------------------------------------------

MIN_SYNONYM_LENGTH = 2  # a single character would cut every query containing it
MAX_SYNONYM_LENGTH = 20
MAX_GROUP_SIZE = 20
_SEPARATORS = re.compile(r"[、,;\s]+")


def split_synonyms(text: str) -> list[str]:
    """The words of a group as the admin types them: 开公司、企业开办,设立公司 (or spaces, new lines)."""
    return [word for word in _SEPARATORS.split(unicodedata.normalize("NFKC", text)) if word]


def synonym_words(words: Iterable[str]) -> tuple[str, ...]:
    """The words of a group normalised like queries, each once; CatalogueRuleError when a word could
    never be matched by a query or the group says nothing."""
    cleaned = tuple(dict.fromkeys(_normalise(word) for word in words if word.strip()))
    for word in cleaned:
        if not _WORD.match(word):
            raise CatalogueRuleError(f"“{word}”只能由汉字、字母和数字组成", code="synonym_word_invalid", field="words")
        if not MIN_SYNONYM_LENGTH <= len(word) <= MAX_SYNONYM_LENGTH:
            raise CatalogueRuleError(
                f"“{word}”的长度应为 {MIN_SYNONYM_LENGTH} 至 {MAX_SYNONYM_LENGTH} 个字",
                code="synonym_word_length",
                field="words",
            )
    if len(cleaned) < 2:
        raise CatalogueRuleError("一组同义词至少要有两个不同的词", code="synonym_group_too_small", field="words")
    if len(cleaned) > MAX_GROUP_SIZE:
        raise CatalogueRuleError(f"一组同义词最多 {MAX_GROUP_SIZE} 个词", code="synonym_group_too_large", field="words")
    return cleaned


# --- SQLite FTS5 --------------------------------------------------------------------------------


def _fts5_word(word: str) -> str:
    return '"' + word.replace('"', '""') + '"*'


def fts5_query(terms: Iterable[Term]) -> str:
    """`("施工"* OR ("施" AND ...)) AND (...)`; the empty string when there is nothing to match."""
    groups = []
    for term in terms:
        ways = [" AND ".join(_fts5_word(w) for w in words) for words in term.alternatives]
        groups.append("(" + " OR ".join(f"({way})" for way in ways) + ")")
    return " AND ".join(groups)


# --- PostgreSQL tsquery -------------------------------------------------------------------------


def _tsquery_word(word: str) -> str:
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "':*"


def tsquery(terms: Iterable[Term]) -> str:
    """The same boolean query for `to_tsquery('simple', ...)`."""
    groups = []
    for term in terms:
        ways = [" & ".join(_tsquery_word(w) for w in words) for words in term.alternatives]
        groups.append("(" + " | ".join(f"({way})" for way in ways) + ")")
    return " & ".join(groups)
