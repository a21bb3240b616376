"""The filter-bar language: text -> a compiled `Query` evaluated over a reusable `SearchIndex`.

Parsing happens once per keystroke (`compile_query`); evaluation narrows a list of row numbers
node by node over per-field folded text precomputed in the `SearchIndex`, so it stays fast on
100k papers. The language is described in `QUERY_HELP`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import gc
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from papershelf.core.errors import InvalidInput
from papershelf.core.links import normalize_paper_id
from papershelf.core.model import Paper
from papershelf.core.text import fold

QUERY_HELP = """\
Filter: words match title, abstract, authors, organisation and AI keywords.
  diffusion video          both words (AND is implied; words match inside longer words)
  "world model"            an exact phrase
  -survey   NOT survey     exclude
  rlhf OR dpo              either; NOT binds tightest, then AND, then OR; use ( ) to group
Fields: title: author: org: kw: abstract: tag: id:   e.g. title:"diffusion model" author:hinton
States: is:starred is:unread is:read is:tagged has:code has:page has:note
Numbers: upvotes:>=50  comments:>0  stars:1k..10k  (=, <, <=, >, >=, A..B; stars = GitHub stars)
Dates: date:2026-08-21  date:2026-08  date:>=2026-08-01  date:2026-08-01..2026-08-21
       date: is the day a paper was featured, published: its arXiv date
Sort: sort:upvotes (most first)  sort:date sort:published (newest first)  sort:comments
      sort:stars  sort:title (A-Z); a minus reverses: sort:-upvotes
Case and accents never matter: muller finds Müller.
"""
"""Help for the filter language, for the help screen and the README."""


class QueryError(InvalidInput):
    """A query that cannot be compiled; `start`/`end` is the span of the text at fault."""

    title = "Invalid filter"

    def __init__(self, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.start = start
        """Offset of the first character at fault."""
        self.end = max(end, start)
        """Offset just past the text at fault (== start for a point, e.g. end of text)."""


# --- folding ------------------------------------------------------------------------------


# --- library state --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LibraryView:
    """A snapshot of the library state that `is:`, `has:note` and `tag:` look at.

    Build with `LibraryView.create(...)`; `Library.view()` returns one, cached per revision.
    """

    starred: frozenset[str] = frozenset()
    """Ids of starred papers."""
    read: frozenset[str] = frozenset()
    """Ids of papers marked read."""
    notes: frozenset[str] = frozenset()
    """Ids of papers with a non-empty note."""
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Paper id -> its tag names (display case), for showing tags in rows."""
    by_tag: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Folded tag name -> ids of papers carrying it, for `tag:`."""

    @classmethod
    def create(
        cls,
        starred: Iterable[str] = (),
        read: Iterable[str] = (),
        notes: Iterable[str] = (),
        tags: Mapping[str, Iterable[str]] | None = None,
    ) -> LibraryView:
        """A view from plain collections; `tags` maps paper id -> tag names."""
        paper_tags = {paper_id: tuple(names) for paper_id, names in (tags or {}).items()}
        by_tag: dict[str, set[str]] = {}
        for paper_id, names in paper_tags.items():
            for name in names:
                by_tag.setdefault(fold(name), set()).add(paper_id)
        return cls(
            starred=frozenset(starred),
            read=frozenset(read),
            notes=frozenset(notes),
            tags={k: v for k, v in paper_tags.items() if v},
            by_tag={k: frozenset(v) for k, v in by_tag.items()},
        )


EMPTY_VIEW = LibraryView()
"""No stars, tags, notes or read papers."""


# --- the search index -------------------------------------------------------------------------

# Separators that folded query text can never contain (control characters are stripped from
# queries), so a phrase never matches across two authors, two keywords or two fields.
_ITEM_SEP = "\x1e"
_FIELD_SEP = "\x1f"


class SearchIndex:
    """Folded per-field search text for a set of papers, keyed by paper id.

    Build it once per paper list (off the UI thread for big lists) and reuse it for every
    keystroke; `update` adds new papers and refreshes changed ones. Not thread-safe: update it
    on the thread that filters with it, or build a new one.
    """

    __slots__ = (
        "_abstract_at",
        "_all",
        "_authors",
        "_ids",
        "_keywords",
        "_org",
        "_papers",
        "_row_of",
        "_source",
        "_title",
    )

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._row_of: dict[str, int] = {}
        self._papers: list[Paper] = []
        self._ids: list[str] = []
        self._title: list[str] = []
        self._authors: list[str] = []
        self._org: list[str] = []
        self._keywords: list[str] = []
        self._all: list[str] = []
        self._abstract_at: list[int] = []
        self._source: list[Paper] | None = None
        papers = papers if isinstance(papers, list) else list(papers)
        self.update(papers)
        # Filtering this very list (the common case) can skip the id -> row lookups.
        self._source = papers if len(self._papers) == len(papers) else None

    def __len__(self) -> int:
        return len(self._papers)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._row_of

    def update(self, papers: Iterable[Paper]) -> None:
        """Index papers not seen before and re-index those whose object changed."""
        self._source = None
        row_of, stored = self._row_of, self._papers
        # Building allocates a few containers per paper; the cyclic collector would otherwise
        # run hundreds of times over a 100k build for nothing (strings hold no cycles).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for paper in papers:
                row = row_of.get(paper.id)
                if row is None:
                    row_of[paper.id] = len(stored)
                    stored.append(paper)
                    self._ids.append(paper.id)
                    self._append_text(paper)
                elif stored[row] is not paper:
                    stored[row] = paper
                    self._set_text(row, paper)
        finally:
            if collecting:
                gc.enable()

    def _append_text(self, paper: Paper) -> None:
        title = fold(paper.title)
        authors = fold(_ITEM_SEP.join([author.name for author in paper.authors]))
        org = fold(paper.organization or "")
        keywords = fold(_ITEM_SEP.join(paper.keywords))
        head = f"{title}{_FIELD_SEP}{authors}{_FIELD_SEP}{org}{_FIELD_SEP}{keywords}{_FIELD_SEP}"
        self._title.append(title)
        self._authors.append(authors)
        self._org.append(org)
        self._keywords.append(keywords)
        self._all.append(head + fold(paper.summary))
        self._abstract_at.append(len(head))

    def _set_text(self, row: int, paper: Paper) -> None:
        scratch = SearchIndex()
        scratch._append_text(paper)
        self._title[row] = scratch._title[0]
        self._authors[row] = scratch._authors[0]
        self._org[row] = scratch._org[0]
        self._keywords[row] = scratch._keywords[0]
        self._all[row] = scratch._all[0]
        self._abstract_at[row] = scratch._abstract_at[0]

    def _rows(self, papers: Sequence[Paper]) -> list[int]:
        """Row numbers of `papers` in their order, indexing any the index has not seen."""
        if papers is self._source and len(papers) == len(self._papers):
            return list(range(len(papers)))
        row_of = self._row_of
        try:
            rows = [row_of[paper.id] for paper in papers]
        except KeyError:
            self.update(papers)
            rows = [row_of[paper.id] for paper in papers]
        stored = self._papers
        if any(stored[row] is not paper for row, paper in zip(rows, papers, strict=True)):
            self.update(papers)
        return rows


# --- compiled predicates -------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    index: SearchIndex
    view: LibraryView


class _Node:
    """A predicate that narrows a list of index rows, keeping their order."""

    cost = 1
    """Rough relative cost per row; AND evaluates cheap children first."""

    def select(self, rows: list[int], ctx: _Context) -> list[int]:
        raise NotImplementedError


class _MatchAll(_Node):
    def select(self, rows: list[int], ctx: _Context) -> list[int]:
        return rows


@dataclass(slots=True)
class _Text(_Node):
    field: str
    needle: str

    @property
    def cost(self) -> int:  # type: ignore[override]
        return 8 if self.field in ("all", "abstract") else 2

    def select(self, rows: list[int], ctx: _Context) -> list[int]:
        needle = self.needle
        index = ctx.index
        if self.field == "abstract":
            texts, starts = index._all, index._abstract_at
            return [r for r in rows if texts[r].find(needle, starts[r]) >= 0]
        column = {
            "all": index._all,
            "title": index._title,
            "author": index._authors,
            "org": index._org,
            "kw": index._keywords,
        }[self.field]
        return [r for r in rows if needle in column[r]]


@dataclass(slots=True)
class _IdPrefix(_Node):
    prefix: str

    def select(self, rows: list[int], ctx: _Context) -> list[int]:
        ids, prefix = ctx.index._ids, self.prefix
        return [r for r in rows if ids[r].casefold().startswith(prefix)]


@dataclass(slots=True)
class _InSet(_Node):
    """Rows whose paper id is (or, when `negate`, is not) in a set taken from the view."""

    pick: Callable[[LibraryView], frozenset[str]]
    negate: bool = False

    def select(self, rows: list[int], ctx: _Context) -> list[int]:
        ids, members = ctx.index._ids, self.pick(ctx.view)
        if self.negate:
            return [r for r in rows if ids[r] not in members]
        return [r for r in rows if ids[r] in members]


@dataclass(slots=True)
class _HasValue(_Node):
    attribute: str

    def select(self, rows: list[int], ctx: _Context) -> list[int]:
        papers, name = ctx.index._papers, self.attribute
        return [r for r in rows if getattr(papers[r], name)]


@dataclass(slots=True)
class _Range(_Node):
    """`low <= value <= high` on a number or date attribute; a missing value never matches."""

    attribute: str
    low: object | None
    high: object | None

    def select(self, rows: list[int], ctx: _Context) -> list[int]:
        papers, name, low, high = ctx.index._papers, self.attribute, self.low, self.high
        values = [(r, getattr(papers[r], name)) for r in rows]
        if low is not None and high is not None:
            return [r for r, v in values if v is not None and low <= v <= high]
        if low is not None:
            return [r for r, v in values if v is not None and v >= low]
        if high is not None:
            return [r for r, v in values if v is not None and v <= high]
        return [r for r, v in values if v is not None]


@dataclass(slots=True)
class _Not(_Node):
    child: _Node

    @property
    def cost(self) -> int:  # type: ignore[override]
        return self.child.cost

    def select(self, rows: list[int], ctx: _Context) -> list[int]:
        excluded = set(self.child.select(rows, ctx))
        return [r for r in rows if r not in excluded] if excluded else rows


@dataclass(slots=True)
class _And(_Node):
    children: list[_Node]

    @property
    def cost(self) -> int:  # type: ignore[override]
        return sum(child.cost for child in self.children)

    def select(self, rows: list[int], ctx: _Context) -> list[int]:
        for child in sorted(self.children, key=lambda node: node.cost):
            if not rows:
                break
            rows = child.select(rows, ctx)
        return rows


@dataclass(slots=True)
class _Or(_Node):
    children: list[_Node]

    @property
    def cost(self) -> int:  # type: ignore[override]
        return sum(child.cost for child in self.children)

    def select(self, rows: list[int], ctx: _Context) -> list[int]:
        matched: set[int] = set()
        remaining = rows
        for child in sorted(self.children, key=lambda node: node.cost):
            hits = child.select(remaining, ctx)
            if hits:
                matched.update(hits)
                remaining = [r for r in remaining if r not in matched]
            if not remaining:
                break
        return [r for r in rows if r in matched]


# --- sorting --------------------------------------------------------------------------------

_SORT_KEYS: dict[str, tuple[str, bool]] = {
    # name -> (Paper attribute, descending by default)
    "upvotes": ("upvotes", True),
    "comments": ("comments", True),
    "stars": ("github_stars", True),
    "date": ("daily_date", True),
    "published": ("published", True),
    "title": ("title", False),
}


@dataclass(frozen=True, slots=True)
class SortOrder:
    """A `sort:` term: the key and the direction actually applied."""

    key: str
    """One of upvotes, comments, stars, date, published, title."""
    descending: bool
    """True for highest/newest first (`sort:upvotes`), False for A-Z or `sort:-upvotes`."""

    def apply(self, papers: list[Paper]) -> list[Paper]:
        """Sorted stably; papers without a value (no date, no GitHub stars) always go last."""
        attribute = _SORT_KEYS[self.key][0]
        present = [p for p in papers if getattr(p, attribute) is not None]
        missing = [p for p in papers if getattr(p, attribute) is None]
        if attribute == "title":
            present.sort(key=lambda p: fold(p.title), reverse=self.descending)
        else:
            present.sort(key=lambda p: getattr(p, attribute), reverse=self.descending)
        return present + missing


# --- the compiled query -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Query:
    """A compiled filter: a predicate over papers plus an optional sort order."""

    text: str
    """The query as typed."""
    sort: SortOrder | None = None
    """The `sort:` term, if any (the last one wins)."""
    highlight_terms: tuple[str, ...] = ()
    """Folded positive free words, phrases and `title:` values, for highlighting matches."""
    _root: _Node = field(default_factory=_MatchAll, repr=False, compare=False)

    @property
    def is_empty(self) -> bool:
        """True when the query keeps every paper in its order (blank, or only spaces)."""
        return isinstance(self._root, _MatchAll) and self.sort is None

    @property
    def has_predicate(self) -> bool:
        """True when the query removes papers (more than a `sort:`)."""
        return not isinstance(self._root, _MatchAll)

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
            kept = self._root.select(rows, _Context(index, view or EMPTY_VIEW))
            if len(kept) == len(rows):
                result = list(papers)
            else:
                stored = index._papers
                result = [stored[r] for r in kept]
        return self.sort.apply(result) if self.sort else result

    def matches(
        self, paper: Paper, index: SearchIndex | None = None, view: LibraryView | None = None
    ) -> bool:
        """Whether one paper passes the predicate (sorting does not matter here)."""
        if not self.has_predicate:
            return True
        if index is None:
            index = SearchIndex([paper])
        rows = index._rows([paper])
        return bool(self._root.select(rows, _Context(index, view or EMPTY_VIEW)))


# --- tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    """'(', ')', 'OR', 'NOT', 'MINUS', 'WORD', 'PHRASE' or 'FIELD'."""
    start: int
    end: int
    value: str = ""
    """The word or phrase; for FIELD the value after the colon."""
    name: str = ""
    """For FIELD: the field name as typed (lower-cased)."""
    quoted: bool = False


_FIELD_NAME = re.compile(r"([A-Za-z]+):")
_BARE_END = re.compile(r'[\s()"]')


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position, length = 0, len(text)
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
        elif char in "()":
            tokens.append(_Token(char, position, position + 1))
            position += 1
        elif char == '"':
            value, end = _read_quoted(text, position)
            tokens.append(_Token("PHRASE", position, end, value, quoted=True))
            position = end
        elif char == "-":
            # A dash standing alone is punctuation ("GPT - 4"), not an exclusion.
            if position + 1 < length and not text[position + 1].isspace():
                tokens.append(_Token("MINUS", position, position + 1))
            position += 1
        else:
            token, position = _read_bare(text, position)
            tokens.append(token)
    return tokens


def _read_quoted(text: str, start: int) -> tuple[str, int]:
    """The text between the quote at `start` and its closing quote, and the offset after it."""
    close = text.find('"', start + 1)
    if close < 0:
        raise QueryError('Unclosed quote: add a closing "', start, len(text))
    return text[start + 1 : close], close + 1


def _read_bare(text: str, start: int) -> tuple[_Token, int]:
    match = _FIELD_NAME.match(text, start)
    if match and not text.startswith("//", match.end()):
        value_at = match.end()
        if value_at < len(text) and text[value_at] == '"':
            value, end = _read_quoted(text, value_at)
            quoted = True
        else:
            stop = _BARE_END.search(text, value_at)
            end = stop.start() if stop else len(text)
            value, quoted = text[value_at:end], False
        return _Token("FIELD", start, end, value, match[1].lower(), quoted), end
    stop = _BARE_END.search(text, start + 1)
    end = stop.start() if stop else len(text)
    word = text[start:end]
    if word in ("OR", "|"):
        return _Token("OR", start, end), end
    if word == "NOT":
        return _Token("NOT", start, end), end
    if word == "AND":
        return _Token("AND", start, end), end
    return _Token("WORD", start, end, word), end


# --- parsing ----------------------------------------------------------------------------------

_FIELD_ALIASES = {
    "title": "title",
    "ti": "title",
    "author": "author",
    "authors": "author",
    "by": "author",
    "org": "org",
    "organization": "org",
    "organisation": "org",
    "kw": "kw",
    "keyword": "kw",
    "keywords": "kw",
    "abstract": "abstract",
    "abs": "abstract",
    "summary": "abstract",
    "tag": "tag",
    "id": "id",
    "is": "is",
    "has": "has",
    "upvotes": "upvotes",
    "votes": "upvotes",
    "comments": "comments",
    "stars": "stars",
    "date": "date",
    "published": "published",
    "sort": "sort",
}
_KNOWN_FIELDS = "title:, author:, org:, kw:, abstract:, tag:, id:, is:, has:, upvotes:, " + (
    "comments:, stars:, date:, published:, sort:"
)
_NUMBER_FIELDS = {"upvotes": "upvotes", "comments": "comments", "stars": "github_stars"}
_DATE_FIELDS = {"date": "daily_date", "published": "published"}
_STATES = ("starred", "unread", "read", "tagged")
_HAS = ("code", "page", "note")


@dataclass(slots=True)
class _Parsed:
    """A parse result: None node = only sort terms (no predicate) in this part."""

    node: _Node | None
    start: int
    end: int


class _Parser:
    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.position = 0
        self.sort: SortOrder | None = None
        self.highlights: list[str] = []

    def peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> _Node:
        if not self.tokens:
            return _MatchAll()
        parsed = self.parse_or(depth=0, negated=False)
        token = self.peek()
        if token is not None:  # only a stray ')' stops parse_or at depth 0
            raise QueryError("Unmatched ')': remove it or add a '(' before", token.start, token.end)
        return parsed.node or _MatchAll()

    def parse_or(self, depth: int, negated: bool) -> _Parsed:
        first = self.parse_and(depth, negated)
        parts = [first]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            if first.node is None:
                raise QueryError("OR needs a search term on its left", token.start, token.end)
            part = self.parse_and(depth, negated)
            if part.node is None:
                raise QueryError("OR needs a search term on its right", token.start, token.end)
            parts.append(part)
        if len(parts) == 1:
            return first
        nodes = [p.node for p in parts if p.node is not None]
        return _Parsed(_Or(nodes), parts[0].start, parts[-1].end)

    def parse_and(self, depth: int, negated: bool) -> _Parsed:
        nodes: list[_Node] = []
        start = end = self.peek().start if self.peek() else len(self.text)
        while (token := self.peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.take()
                if not nodes or self.peek() is None or self.peek().kind in ("OR", ")", "AND"):
                    raise QueryError(
                        "AND needs a search term on both sides", token.start, token.end
                    )
                continue
            part = self.parse_unary(depth, negated)
            end = part.end
            if part.node is not None:
                nodes.append(part.node)
        if not nodes:
            return _Parsed(None, start, end)
        return _Parsed(nodes[0] if len(nodes) == 1 else _And(nodes), start, end)

    def parse_unary(self, depth: int, negated: bool) -> _Parsed:
        token = self.take()
        if token.kind in ("NOT", "MINUS"):
            following = self.peek()
            if following is None or following.kind in ("OR", ")", "AND"):
                what = "NOT" if token.kind == "NOT" else "'-'"
                raise QueryError(f"{what} needs something to exclude", token.start, token.end)
            inner = self.parse_unary(depth, not negated)
            if inner.node is None:
                raise QueryError(
                    "sort: cannot be excluded; use sort:-upvotes to reverse the order",
                    token.start,
                    inner.end,
                )
            return _Parsed(_Not(inner.node), token.start, inner.end)
        if token.kind == "(":
            if (following := self.peek()) is not None and following.kind == ")":
                raise QueryError("Empty parentheses", token.start, following.end)
            inner = self.parse_or(depth + 1, negated)
            close = self.peek()
            if close is None or close.kind != ")":
                raise QueryError(
                    "Unclosed parenthesis: add a ')'", token.start, len(self.text.rstrip())
                )
            self.take()
            if inner.node is None:
                raise QueryError("sort: goes outside parentheses", token.start, close.end)
            return _Parsed(inner.node, token.start, close.end)
        if token.kind == ")":  # pragma: no cover - parse_and stops before ')'
            raise QueryError("Unmatched ')'", token.start, token.end)
        if token.kind in ("WORD", "PHRASE"):
            needle = _needle(token.value, token)
            if not negated:
                self.highlights.append(needle)
            return _Parsed(_Text("all", needle), token.start, token.end)
        return self.parse_field(token, depth, negated)

    def parse_field(self, token: _Token, depth: int, negated: bool) -> _Parsed:
        name = _FIELD_ALIASES.get(token.name)
        if name is None:
            raise QueryError(
                f"Unknown field '{token.name}:' — try {_KNOWN_FIELDS}",
                token.start,
                token.start + len(token.name) + 1,
            )
        value = token.value.strip()
        value_start = token.start + len(token.name) + 1
        span = (value_start, max(token.end, value_start))
        if not value:
            raise QueryError(
                f"{name}: needs a value, e.g. {_EXAMPLES[name]}", token.start, token.end
            )
        if name == "sort":
            if depth > 0 or negated:
                raise QueryError(
                    "sort: applies to the whole query; put it outside parentheses and NOT",
                    token.start,
                    token.end,
                )
            self.sort = _sort_order(value, span)
            return _Parsed(None, token.start, token.end)
        node = self.field_node(name, value, token, span)
        if name == "title" and not negated:
            self.highlights.append(node.needle)  # type: ignore[attr-defined]
        return _Parsed(node, token.start, token.end)

    def field_node(self, name: str, value: str, token: _Token, span: tuple[int, int]) -> _Node:
        if name in ("title", "author", "org", "kw", "abstract"):
            return _Text(name, _needle(value, token))
        if name == "id":
            return _IdPrefix((normalize_paper_id(value) or value).casefold())
        if name == "tag":
            tag = fold("-".join(value.split()))  # tags store inner spaces as "-"
            return _InSet(lambda view: view.by_tag.get(tag, frozenset()))
        if name == "is":
            return _state_node(value.lower(), span)
        if name == "has":
            return _has_node(value.lower(), span)
        if name in _NUMBER_FIELDS:
            low, high = _number_range(value, name, span)
            return _Range(_NUMBER_FIELDS[name], low, high)
        low_date, high_date = _date_range(value, name, span)
        return _Range(_DATE_FIELDS[name], low_date, high_date)


_EXAMPLES = {
    "title": 'title:"diffusion model"',
    "author": "author:hinton",
    "org": "org:deepmind",
    "kw": "kw:rlhf",
    "abstract": "abstract:benchmark",
    "tag": "tag:to-read",
    "id": "id:2602.23229",
    "is": "is:starred",
    "has": "has:code",
    "upvotes": "upvotes:>=50",
    "comments": "comments:>0",
    "stars": "stars:>=1000",
    "date": "date:2026-08-01..2026-08-21",
    "published": "published:>=2026-08",
    "sort": "sort:upvotes",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _needle(value: str, token: _Token) -> str:
    """The folded, whitespace-collapsed text to look for."""
    needle = " ".join(fold(_CONTROL.sub(" ", value)).split())
    if not needle:
        raise QueryError("Empty quotes: put words between them", token.start, token.end)
    return needle


def _state_node(value: str, span: tuple[int, int]) -> _Node:
    if value == "starred":
        return _InSet(lambda view: view.starred)
    if value == "read":
        return _InSet(lambda view: view.read)
    if value == "unread":
        return _InSet(lambda view: view.read, negate=True)
    if value == "tagged":
        return _InSet(lambda view: frozenset(view.tags))
    raise QueryError(
        f"Unknown state 'is:{value}' — try " + ", ".join(f"is:{s}" for s in _STATES), *span
    )


def _has_node(value: str, span: tuple[int, int]) -> _Node:
    if value == "code":
        return _HasValue("github")
    if value == "page":
        return _HasValue("project_page")
    if value == "note":
        return _InSet(lambda view: view.notes)
    raise QueryError(f"Unknown 'has:{value}' — try " + ", ".join(f"has:{s}" for s in _HAS), *span)


def _sort_order(value: str, span: tuple[int, int]) -> SortOrder:
    key = value.lower()
    reverse = key.startswith("-")
    key = key.lstrip("-+")
    if key not in _SORT_KEYS:
        raise QueryError(f"Unknown sort '{value}' — try sort:" + ", sort:".join(_SORT_KEYS), *span)
    descending = _SORT_KEYS[key][1]
    return SortOrder(key, descending != reverse)


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)([km]?)", re.IGNORECASE)
_COMPARISON = re.compile(r"(>=|<=|>|<|=)?(.*)", re.DOTALL)


def _parse_number(text: str) -> int | None:
    match = _NUMBER.fullmatch(text.strip())
    if not match:
        return None
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match[2].lower()]
    return int(float(match[1]) * scale)


def _number_range(value: str, name: str, span: tuple[int, int]) -> tuple[int | None, int | None]:
    problem = QueryError(f"{name}: needs a number like {_EXAMPLES[name]} or {name}:10..50", *span)
    if ".." in value:
        low_text, _, high_text = value.partition("..")
        low = _parse_number(low_text) if low_text.strip() else None
        high = _parse_number(high_text) if high_text.strip() else None
        if (low_text.strip() and low is None) or (high_text.strip() and high is None):
            raise problem
        if low is None and high is None:
            raise problem
        return low, high
    operator, number_text = _COMPARISON.fullmatch(value).groups()  # type: ignore[union-attr]
    number = _parse_number(number_text)
    if number is None:
        raise problem
    return {
        None: (number, number),
        "=": (number, number),
        ">=": (number, None),
        ">": (number + 1, None),
        "<=": (None, number),
        "<": (None, number - 1),
    }[operator]


_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _date_bounds(text: str) -> tuple[dt.date, dt.date] | None:
    """First and last day covered by `2026`, `2026-08` or `2026-08-21`; None when invalid."""
    match = _PARTIAL_DATE.fullmatch(text.strip())
    if not match:
        return None
    try:
        year = int(match[1])
        if match[2] is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        month = int(match[2])
        if match[3] is None:
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
        day = dt.date(year, month, int(match[3]))
        return day, day
    except ValueError:
        return None


def _date_range(
    value: str, name: str, span: tuple[int, int]
) -> tuple[dt.date | None, dt.date | None]:
    problem = QueryError(
        f"{name}: needs a date like {name}:2026-08-21, {name}:2026-08 or "
        f"{name}:2026-08-01..2026-08-21",
        *span,
    )
    if ".." in value:
        low_text, _, high_text = value.partition("..")
        low = _date_bounds(low_text) if low_text.strip() else None
        high = _date_bounds(high_text) if high_text.strip() else None
        if (low_text.strip() and low is None) or (high_text.strip() and high is None):
            raise problem
        if low is None and high is None:
            raise problem
        return (low[0] if low else None), (high[1] if high else None)
    operator, date_text = _COMPARISON.fullmatch(value).groups()  # type: ignore[union-attr]
    bounds = _date_bounds(date_text)
    if bounds is None:
        raise problem
    first, last = bounds
    return {
        None: (first, last),
        "=": (first, last),
        ">=": (first, None),
        ">": (last + dt.timedelta(days=1), None),
        "<=": (None, last),
        "<": (None, first - dt.timedelta(days=1)),
    }[operator]


# --- public entry points ---------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def compile_query(text: str) -> Query:
    """Compile filter-bar text; raises `QueryError` (with the span at fault) when malformed.

    An empty or blank query matches every paper and keeps the input order.
    """
    parser = _Parser(text, _tokenize(text))
    root = parser.parse()
    return Query(
        text=text,
        sort=parser.sort,
        highlight_terms=tuple(dict.fromkeys(parser.highlights)),
        _root=root,
    )


def highlight_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where `terms` (folded, as in `Query.highlight_terms`) occur in `text`: merged spans.

    Offsets are in the original `text`, even where folding changes its length (`ß` -> `ss`).
    """
    if not terms or not text:
        return []
    if text.isascii():
        folded, origin = text.lower(), None
    else:
        pieces: list[str] = []
        origin_list: list[int] = []
        for offset, char in enumerate(text):
            piece = fold(char)
            pieces.append(piece)
            origin_list.extend([offset] * len(piece))
        folded, origin = "".join(pieces), origin_list
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        at = folded.find(term)
        while at >= 0:
            end = at + len(term)
            if origin is None:
                spans.append((at, end))
            else:
                spans.append((origin[at], origin[end - 1] + 1))
            at = folded.find(term, at + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
