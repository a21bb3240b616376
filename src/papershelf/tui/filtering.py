"""What the screen needs around the filter language: when a query only narrows the last
result, whether it looks at the library, and where its mistake is."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from papershelf.core.text import fold

if TYPE_CHECKING:
    from papershelf.core.query.tokens import QueryError

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


def error_span(error: QueryError, text: str) -> tuple[str, int, int]:
    """The plain message and (start, end) of a query error, clamped to the text."""
    message = error.message or str(error)
    start, end = error.start, error.end
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return message, start, end
