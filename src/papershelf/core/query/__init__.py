"""The filter-bar language: text -> a compiled `Query` evaluated over a reusable `SearchIndex`.

Parsing happens once per keystroke (`compile_query`); evaluation narrows a list of row numbers
node by node over per-field folded text precomputed in the `SearchIndex`, so it stays fast on
100k papers. The language is described in `QUERY_HELP`.

The pieces, each imported from its own module: `tokens` (QueryError, tokenizer), `parser`
(grammar), `nodes` (predicates, sort), `search_index` (SearchIndex, highlight_spans) and
`core.library_view` (LibraryView). This module compiles and runs a query.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from papershelf.core.library_view import EMPTY_VIEW, LibraryView
from papershelf.core.model import Paper
from papershelf.core.query.nodes import Context, MatchAll, Node, SortOrder
from papershelf.core.query.parser import Parser
from papershelf.core.query.search_index import SearchIndex
from papershelf.core.query.tokens import tokenize

__all__ = [
    "QUERY_HELP",
    "Query",
    "compile_query",
    "filter_papers",
]

QUERY_HELP = """\
Filter: words match title, abstract, authors, organisation and AI keywords.
  diffusion video          both words (AND is implied; words match inside longer words)
  "world model"            an exact phrase
  -survey   NOT survey     exclude
  rlhf OR dpo              either; NOT binds tightest, then AND, then OR; use ( ) to group
Fields: title: author: org: kw: abstract: tag: id:   e.g. title:"diffusion model" author:hinton
States: is:starred is:unread is:read is:tagged is:new has:code has:page has:note
Rising: rising:>=10  upvotes gained since your last look; sort:rising (most first)
Numbers: upvotes:>=50  comments:>0  stars:1k..10k  (=, <, <=, >, >=, A..B; stars = GitHub stars)
Dates: date:2026-08-21  date:2026-08  date:>=2026-08-01  date:2026-08-01..2026-08-21
       date: is the day a paper was featured, published: its arXiv date
Sort: sort:upvotes (most first)  sort:date sort:published (newest first)  sort:comments
      sort:stars  sort:rising  sort:title (A-Z); a minus reverses: sort:-upvotes
Case and accents never matter: muller finds Müller.
"""
"""Help for the filter language, for the help screen and the README."""


@dataclass(frozen=True, slots=True)
class Query:
    """A compiled filter: a predicate over papers plus an optional sort order."""

    text: str
    """The query as typed."""
    sort: SortOrder | None = None
    """The `sort:` term, if any (the last one wins)."""
    highlight_terms: tuple[str, ...] = ()
    """Folded positive free words, phrases and `title:` values, for highlighting matches."""
    _root: Node = field(default_factory=MatchAll, repr=False, compare=False)

    @property
    def is_empty(self) -> bool:
        """True when the query keeps every paper in its order (blank, or only spaces)."""
        return isinstance(self._root, MatchAll) and self.sort is None

    @property
    def has_predicate(self) -> bool:
        """True when the query removes papers (more than a `sort:`)."""
        return not isinstance(self._root, MatchAll)

    def filter(
        self,
        papers: Sequence[Paper],
        index: SearchIndex | None = None,
        view: LibraryView | None = None,
    ) -> list[Paper]:
        """The matching papers: input order, or sorted (stably) when the query has `sort:`.

        Pass the `SearchIndex` built for these papers; papers it lacks are indexed on the fly.
        """
        if not self.has_predicate:
            result = list(papers)
        else:
            if index is None:
                index = SearchIndex(papers)
            rows = index._rows(papers)
            kept = self._root.select(rows, Context(index, view or EMPTY_VIEW))
            if len(kept) == len(rows):
                result = list(papers)
            else:
                stored = index._papers
                result = [stored[r] for r in kept]
        return self.sort.apply(result, view) if self.sort else result

    def matches(
        self, paper: Paper, index: SearchIndex | None = None, view: LibraryView | None = None
    ) -> bool:
        """Whether one paper passes the predicate (sorting does not matter here)."""
        if not self.has_predicate:
            return True
        if index is None:
            index = SearchIndex([paper])
        rows = index._rows([paper])
        return bool(self._root.select(rows, Context(index, view or EMPTY_VIEW)))


# --- public entry points ---------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def compile_query(text: str) -> Query:
    """Compile filter-bar text; raises `QueryError` (with the span at fault) when malformed.

    An empty or blank query matches every paper and keeps the input order.
    """
    parser = Parser(text, tokenize(text))
    root = parser.parse()
    return Query(
        text=text,
        sort=parser.sort,
        highlight_terms=tuple(dict.fromkeys(parser.highlights)),
        _root=root,
    )


def filter_papers(
    text: str,
    papers: Sequence[Paper],
    view: LibraryView | None = None,
    index: SearchIndex | None = None,
) -> list[Paper]:
    """`papers` narrowed and sorted by the query `text`; raises `QueryError` when malformed.

    The one way a typed query is run over papers outside the reader's screen (which keeps the
    compiled query for its error span and highlights): `view` answers `is:`, `tag:`, `has:note`
    and the keeping-up fields (empty when None); `index` is the `SearchIndex` of `papers` when
    one is kept. A blank query keeps every paper in order.
    """
    return compile_query(text).filter(papers, index, view)
