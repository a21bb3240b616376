"""The compiled form of a filter: predicate nodes that narrow index rows, and the sort order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from papershelf.core.library_view import LibraryView
from papershelf.core.model import Paper
from papershelf.core.query.search_index import SearchIndex
from papershelf.core.text import fold


@dataclass(slots=True)
class Context:
    """What nodes evaluate against: the rows' search text and the library state."""

    index: SearchIndex
    view: LibraryView


class Node:
    """A predicate that narrows a list of index rows, keeping their order."""

    cost = 1
    """Rough relative cost per row; AND evaluates cheap children first."""

    def select(self, rows: list[int], ctx: Context) -> list[int]:
        raise NotImplementedError


class MatchAll(Node):
    def select(self, rows: list[int], ctx: Context) -> list[int]:
        return rows


@dataclass(slots=True)
class TextMatch(Node):
    field: str
    needle: str

    @property
    def cost(self) -> int:  # type: ignore[override]
        return 8 if self.field in ("all", "abstract") else 2

    def select(self, rows: list[int], ctx: Context) -> list[int]:
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
class IdPrefix(Node):
    prefix: str

    def select(self, rows: list[int], ctx: Context) -> list[int]:
        ids, prefix = ctx.index._ids, self.prefix
        return [r for r in rows if ids[r].casefold().startswith(prefix)]


@dataclass(slots=True)
class InSet(Node):
    """Rows whose paper id is (or, when `negate`, is not) in a set taken from the view."""

    pick: Callable[[LibraryView], frozenset[str]]
    negate: bool = False

    def select(self, rows: list[int], ctx: Context) -> list[int]:
        ids, members = ctx.index._ids, self.pick(ctx.view)
        if self.negate:
            return [r for r in rows if ids[r] not in members]
        return [r for r in rows if ids[r] in members]


@dataclass(slots=True)
class HasValue(Node):
    attribute: str

    def select(self, rows: list[int], ctx: Context) -> list[int]:
        papers, name = ctx.index._papers, self.attribute
        return [r for r in rows if getattr(papers[r], name)]


@dataclass(slots=True)
class Range(Node):
    """`low <= value <= high` on a number or date attribute; a missing value never matches."""

    attribute: str
    low: object | None
    high: object | None

    def select(self, rows: list[int], ctx: Context) -> list[int]:
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
class RisingRange(Node):
    """`low <= rise <= high` on the upvotes gained since the last look (from the view)."""

    low: int | None
    high: int | None

    def select(self, rows: list[int], ctx: Context) -> list[int]:
        ids, rising, low, high = ctx.index._ids, ctx.view.rising, self.low, self.high
        kept = []
        for r in rows:
            rise = rising.get(ids[r])
            if rise is None or (low is not None and rise < low):
                continue
            if high is not None and rise > high:
                continue
            kept.append(r)
        return kept


@dataclass(slots=True)
class Not(Node):
    child: Node

    @property
    def cost(self) -> int:  # type: ignore[override]
        return self.child.cost

    def select(self, rows: list[int], ctx: Context) -> list[int]:
        excluded = set(self.child.select(rows, ctx))
        return [r for r in rows if r not in excluded] if excluded else rows


@dataclass(slots=True)
class And(Node):
    children: list[Node]

    @property
    def cost(self) -> int:  # type: ignore[override]
        return sum(child.cost for child in self.children)

    def select(self, rows: list[int], ctx: Context) -> list[int]:
        for child in sorted(self.children, key=lambda node: node.cost):
            if not rows:
                break
            rows = child.select(rows, ctx)
        return rows


@dataclass(slots=True)
class Or(Node):
    children: list[Node]

    @property
    def cost(self) -> int:  # type: ignore[override]
        return sum(child.cost for child in self.children)

    def select(self, rows: list[int], ctx: Context) -> list[int]:
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

SORT_KEYS: dict[str, tuple[str, bool]] = {
    # name -> (Paper attribute, descending by default)
    "upvotes": ("upvotes", True),
    "comments": ("comments", True),
    "stars": ("github_stars", True),
    "date": ("daily_date", True),
    "published": ("published", True),
    "title": ("title", False),
    "rising": ("rising", True),  # upvotes gained since the last look, from the library view
}


@dataclass(frozen=True, slots=True)
class SortOrder:
    """A `sort:` term: the key and the direction actually applied."""

    key: str
    """One of upvotes, comments, stars, date, published, title."""
    descending: bool
    """True for highest/newest first (`sort:upvotes`), False for A-Z or `sort:-upvotes`."""

    def apply(self, papers: list[Paper], view: LibraryView | None = None) -> list[Paper]:
        """Sorted stably; papers without a value (no date, no GitHub stars) always go last.

        `sort:rising` reads the rises from `view`; papers it has no rise for go last.
        """
        attribute = SORT_KEYS[self.key][0]
        if attribute == "rising":
            rising = view.rising if view is not None else {}
            known = [p for p in papers if p.id in rising]
            unknown = [p for p in papers if p.id not in rising]
            known.sort(key=lambda p: rising[p.id], reverse=self.descending)
            return known + unknown
        present = [p for p in papers if getattr(p, attribute) is not None]
        missing = [p for p in papers if getattr(p, attribute) is None]
        if attribute == "title":
            present.sort(key=lambda p: fold(p.title), reverse=self.descending)
        else:
            present.sort(key=lambda p: getattr(p, attribute), reverse=self.descending)
        return present + missing
