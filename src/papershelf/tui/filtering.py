"""The filter bar's query engine: `core.query` when present, else plain AND-ed words.

The fallback has the same shape as `core.query` (`compile_query`, `Query.filter`,
`Query.highlight_terms`, `SearchIndex`, `QueryError`) so the screen never knows which it uses.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from papershelf.core.model import Paper
from papershelf.core.text import fold


class LocalQueryError(ValueError):
    """A query the fallback engine cannot read; carries the span of the mistake."""

    def __init__(self, message: str, start: int = 0, end: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.start = start
        self.end = end


class LocalSearchIndex:
    """Folded text of each paper (title, abstract, authors, organisation, keywords), built once."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.texts: dict[str, str] = {paper.id: _haystack(paper) for paper in papers}


def _haystack(paper: Paper) -> str:
    parts = [paper.title, paper.summary, " ".join(paper.author_names)]
    if paper.organization:
        parts.append(paper.organization)
    parts.extend(paper.keywords)
    return fold("\n".join(parts))


@dataclass(slots=True)
class LocalQuery:
    """Every word must appear somewhere in the paper (case- and accent-insensitive)."""

    words: tuple[str, ...] = ()
    highlight_terms: tuple[str, ...] = field(default=())

    def filter(
        self, papers: Sequence[Paper], index: LocalSearchIndex | None = None, library_view=None
    ) -> list[Paper]:
        if not self.words:
            return list(papers)
        texts = index.texts if index is not None else {}
        words = self.words
        matched = []
        for paper in papers:
            text = texts.get(paper.id)
            if text is None:
                text = _haystack(paper)
            if all(word in text for word in words):
                matched.append(paper)
        return matched


def compile_local_query(text: str) -> LocalQuery:
    """Plain words, AND-ed; an unbalanced quote is the one error this engine knows."""
    if text.count('"') % 2:
        position = text.rfind('"')
        raise LocalQueryError("this quote is never closed", position, len(text))
    words = tuple(fold(word) for word in text.replace('"', " ").split())
    return LocalQuery(words=words, highlight_terms=words)


def local_highlight_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where folded `terms` occur in `text`, as offsets into the original text."""
    if not terms:
        return []
    folded_chars: list[str] = []
    origin: list[int] = []
    for position, char in enumerate(text):
        for folded_char in fold(char):
            folded_chars.append(folded_char)
            origin.append(position)
    folded = "".join(folded_chars)
    spans = []
    for term in terms:
        start = folded.find(term) if term else -1
        while start != -1:
            end = start + len(term)
            spans.append((origin[start], origin[end - 1] + 1))
            start = folded.find(term, end)
    return sorted(spans)


try:
    from papershelf.core.query import (
        QueryError,
        SearchIndex,
        compile_query,
        highlight_spans,
    )
except ImportError:  # the full query language ships separately; plain words until then
    QueryError = LocalQueryError  # type: ignore[assignment,misc]
    SearchIndex = LocalSearchIndex  # type: ignore[assignment,misc]
    compile_query = compile_local_query  # type: ignore[assignment]
    highlight_spans = local_highlight_spans  # type: ignore[assignment]


INLINE_ROWS = 20_000
"""Up to this many rows a filter runs on the UI thread: a thread hop costs more than the scan."""

_OPERATORS = frozenset({"OR", "AND", "NOT", "|"})
_NOT_PLAIN = re.compile(r'[:"()]')
_LIBRARY_FIELD = re.compile(r'(?i)(?<![a-z])(?:is:|tag:|has:\s*"?\s*note)')


def plain_words(text: str) -> tuple[str, ...] | None:
    """The folded words of a query made only of plain AND-ed words, else None.

    Plain means no field, phrase, group, operator or exclusion: each word is a substring test
    on the paper's whole search text, so adding or lengthening words can only narrow a result.
    """
    words = text.split()
    if not words:
        return None
    needles = []
    for word in words:
        if word in _OPERATORS or word.startswith("-") or _NOT_PLAIN.search(word):
            return None
        if not word.isprintable():
            return None
        # Folded as the query engine folds a word's needle (folding may add spaces: `¨`).
        needle = " ".join(fold(word).split())
        if not needle:
            return None
        needles.append(needle)
    return tuple(needles)


def narrows(previous: str, text: str) -> bool:
    """True when every paper `text` matches is among those `previous` matched.

    Holds for plain-word queries when each earlier word lies inside some new word (`languag`
    then `language`, or `video` then `video diffusion`); the new query then only adds
    conditions, so it can be evaluated over the previous result instead of the whole list.
    """
    before, after = plain_words(previous), plain_words(text)
    if before is None or after is None:
        return False
    return all(any(word in longer for longer in after) for word in before)


def depends_on_library(text: str) -> bool:
    """Whether the query looks at library state (`is:`, `tag:`, `has:note`); errs towards yes."""
    return _LIBRARY_FIELD.search(text) is not None


def error_span(error: Any, text: str) -> tuple[str, int, int]:
    """The plain message and (start, end) of a query error, clamped to the text."""
    message = getattr(error, "message", None) or str(error)
    start = int(getattr(error, "start", 0) or 0)
    end = int(getattr(error, "end", start) or start)
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return message, start, end


__all__ = [
    "INLINE_ROWS",
    "QueryError",
    "SearchIndex",
    "compile_query",
    "depends_on_library",
    "error_span",
    "highlight_spans",
    "narrows",
    "plain_words",
]
