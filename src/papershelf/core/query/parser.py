"""The filter language's grammar: tokens -> a tree of query nodes, with field values checked.

NOT binds tightest, then AND (implied between terms), then OR; `sort:` terms are collected
separately. Every error is a `QueryError` carrying the span of the text at fault.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from papershelf.core.links import normalize_paper_id
from papershelf.core.query.nodes import (
    SORT_KEYS,
    And,
    HasValue,
    IdPrefix,
    InSet,
    MatchAll,
    Node,
    Not,
    Or,
    Range,
    RisingRange,
    SortOrder,
    TextMatch,
)
from papershelf.core.query.tokens import QueryError, Token
from papershelf.core.text import fold

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
    "rising": "rising",
}
_KNOWN_FIELDS = "title:, author:, org:, kw:, abstract:, tag:, id:, is:, has:, upvotes:, " + (
    "comments:, stars:, rising:, date:, published:, sort:"
)
_NUMBER_FIELDS = {"upvotes": "upvotes", "comments": "comments", "stars": "github_stars"}
_DATE_FIELDS = {"date": "daily_date", "published": "published"}
MAX_NESTING = 32
"""Levels of parentheses and NOT a query may nest: far beyond any query typed by hand, and far
below what would exhaust the stack while parsing or matching."""
_STATES = ("starred", "unread", "read", "tagged", "new")
_HAS = ("code", "page", "note")


@dataclass(slots=True)
class _Parsed:
    """A parse result: None node = only sort terms (no predicate) in this part."""

    node: Node | None
    start: int
    end: int


class Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.position = 0
        self.sort: SortOrder | None = None
        self.highlights: list[str] = []
        self.nesting = 0

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            return MatchAll()
        parsed = self.parse_or(depth=0, negated=False)
        token = self.peek()
        if token is not None:  # only a stray ')' stops parse_or at depth 0
            raise QueryError("Unmatched ')': remove it or add a '(' before", token.start, token.end)
        return parsed.node or MatchAll()

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
        return _Parsed(Or(nodes), parts[0].start, parts[-1].end)

    def parse_and(self, depth: int, negated: bool) -> _Parsed:
        nodes: list[Node] = []
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
        return _Parsed(nodes[0] if len(nodes) == 1 else And(nodes), start, end)

    def parse_unary(self, depth: int, negated: bool) -> _Parsed:
        token = self.take()
        if token.kind in ("NOT", "MINUS", "("):
            self.nesting += 1
            try:
                if self.nesting > MAX_NESTING:
                    raise QueryError(
                        f"The query is nested too deeply: at most {MAX_NESTING} levels of "
                        "parentheses and NOT",
                        token.start,
                        token.end,
                    )
                return self.parse_nested(token, depth, negated)
            finally:
                self.nesting -= 1
        if token.kind == ")":  # pragma: no cover - parse_and stops before ')'
            raise QueryError("Unmatched ')'", token.start, token.end)
        if token.kind in ("WORD", "PHRASE"):
            needle = _needle(token.value, token)
            if not negated:
                self.highlights.append(needle)
            return _Parsed(TextMatch("all", needle), token.start, token.end)
        return self.parse_field(token, depth, negated)

    def parse_nested(self, token: Token, depth: int, negated: bool) -> _Parsed:
        """What follows a NOT, a `-` or a `(`."""
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
            return _Parsed(Not(inner.node), token.start, inner.end)
        # A "(": the query inside, up to its ")".
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

    def parse_field(self, token: Token, depth: int, negated: bool) -> _Parsed:
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

    def field_node(self, name: str, value: str, token: Token, span: tuple[int, int]) -> Node:
        if name in ("title", "author", "org", "kw", "abstract"):
            return TextMatch(name, _needle(value, token))
        if name == "id":
            return IdPrefix((normalize_paper_id(value) or value).casefold())
        if name == "tag":
            tag = fold("-".join(value.split()))  # tags store inner spaces as "-"
            return InSet(lambda view: view.by_tag.get(tag, frozenset()))
        if name == "is":
            return _state_node(value.lower(), span)
        if name == "has":
            return _has_node(value.lower(), span)
        if name == "rising":
            low, high = _number_range(value, name, span)
            return RisingRange(low, high)
        if name in _NUMBER_FIELDS:
            low, high = _number_range(value, name, span)
            return Range(_NUMBER_FIELDS[name], low, high)
        low_date, high_date = _date_range(value, name, span)
        return Range(_DATE_FIELDS[name], low_date, high_date)


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
    "rising": "rising:>=10",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _needle(value: str, token: Token) -> str:
    """The folded, whitespace-collapsed text to look for."""
    needle = " ".join(fold(_CONTROL.sub(" ", value)).split())
    if not needle:
        raise QueryError("Empty quotes: put words between them", token.start, token.end)
    return needle


def _state_node(value: str, span: tuple[int, int]) -> Node:
    if value == "starred":
        return InSet(lambda view: view.starred)
    if value == "read":
        return InSet(lambda view: view.read)
    if value == "unread":
        return InSet(lambda view: view.read, negate=True)
    if value == "tagged":
        return InSet(lambda view: frozenset(view.tags))
    if value == "new":
        return InSet(lambda view: view.new)
    raise QueryError(
        f"Unknown state 'is:{value}' — try " + ", ".join(f"is:{s}" for s in _STATES), *span
    )


def _has_node(value: str, span: tuple[int, int]) -> Node:
    if value == "code":
        return HasValue("github")
    if value == "page":
        return HasValue("project_page")
    if value == "note":
        return InSet(lambda view: view.notes)
    raise QueryError(f"Unknown 'has:{value}' — try " + ", ".join(f"has:{s}" for s in _HAS), *span)


def _sort_order(value: str, span: tuple[int, int]) -> SortOrder:
    key = value.lower()
    reverse = key.startswith("-")
    key = key.lstrip("-+")
    if key not in SORT_KEYS:
        raise QueryError(f"Unknown sort '{value}' — try sort:" + ", sort:".join(SORT_KEYS), *span)
    descending = SORT_KEYS[key][1]
    return SortOrder(key, descending != reverse)


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)([km]?)", re.IGNORECASE)
_COMPARISON = re.compile(r"(>=|<=|>|<|=)?(.*)", re.DOTALL)


def _parse_number(text: str) -> int | None:
    match = _NUMBER.fullmatch(text.strip())
    if not match:
        return None
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match[2].lower()]
    return int(float(match[1]) * scale)


def _number_bounds(text: str) -> tuple[int, int] | None:
    number = _parse_number(text)
    return None if number is None else (number, number)


def _number_range(value: str, name: str, span: tuple[int, int]) -> tuple[int | None, int | None]:
    problem = QueryError(
        f"{name}: needs a number like {_EXAMPLES[name]} or {name}:10..50 ('{value}' is not one).",
        *span,
    )
    return _range(value, _number_bounds, 1, problem, name, span)


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
        f"{name}: needs a date such as 2026-08-21, a month such as 2026-08, or a range such as "
        f"2026-08-01..2026-08-21 ('{value}' is not a date).",
        *span,
    )
    return _range(value, _date_bounds, dt.timedelta(days=1), problem, name, span)


def _range(
    value: str,
    bounds: Callable[[str], tuple[Any, Any] | None],
    step: Any,
    problem: QueryError,
    name: str,
    span: tuple[int, int],
) -> tuple[Any, Any]:
    """`A..B` (either end may be left out) or `[op]A` with op one of = >= > <= < as (low, high).

    `bounds` gives the first and last value a text covers (a month covers its days, a number
    only itself), None when the text is no value; `step` is the distance to the next value.
    """
    if ".." in value:
        low_text, _, high_text = value.partition("..")
        low = bounds(low_text) if low_text.strip() else None
        high = bounds(high_text) if high_text.strip() else None
        if (low_text.strip() and low is None) or (high_text.strip() and high is None):
            raise problem
        if low is None and high is None:
            raise problem
        if low is not None and high is not None and low[0] > high[1]:
            low_text, high_text = low_text.strip(), high_text.strip()
            raise QueryError(
                f"{name}: {low_text}..{high_text} is an empty range — "
                f"did you mean {name}:{high_text}..{low_text}?",
                *span,
            )
        return (low[0] if low else None), (high[1] if high else None)
    operator, text = _COMPARISON.fullmatch(value).groups()  # type: ignore[union-attr]
    covered = bounds(text)
    if covered is None:
        raise problem
    first, last = covered
    return {
        None: (first, last),
        "=": (first, last),
        ">=": (first, None),
        ">": (last + step, None),
        "<=": (None, last),
        "<": (None, first - step),
    }[operator]
