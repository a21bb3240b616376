"""What list is shown (a `ListKey`) and where its papers came from (a `FeedState`)."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from papershelf.core.model import Paper


class ListKind(enum.StrEnum):
    """The kinds of list papershelf can show."""

    LATEST = "latest"
    DAILY = "daily"
    WEEK = "week"
    MONTH = "month"
    TRENDING = "trending"
    SEARCH = "search"
    STARRED = "starred"
    TAG = "tag"
    RELATED = "related"
    """Papers most like one paper (value: its id), among every paper seen."""
    AUTHOR = "author"
    """Every known paper by one author (value: the full name), newest first."""
    WATCH = "watch"
    """A watch's new matches since it was last looked at (value: the watch's name)."""


DATE_FORMAT = "%a %Y-%m-%d"
"""How the reader writes a day unless the `date_format` setting says otherwise."""

MULTI_DAY_KINDS = frozenset(
    {ListKind.WEEK, ListKind.MONTH, ListKind.SEARCH, ListKind.STARRED, ListKind.TAG}
)
"""Lists whose rows come from many days, so each row shows its date by default."""


@dataclass(frozen=True, slots=True)
class ListKey:
    """Identifies one list: e.g. `ListKey(DAILY, "2026-08-21")`, `ListKey(WEEK, "2026-W34")`."""

    kind: ListKind
    value: str = ""
    """A date, `YYYY-Www`, `YYYY-MM`, a search query or a tag; empty for latest/trending."""

    @property
    def label(self) -> str:
        """How the header names the list: `Daily · Fri 2026-08-21`, `Week 2026-W34`, ..."""
        return self.titled()

    def titled(self, date_format: str = DATE_FORMAT) -> str:
        """The label with a day written in `date_format` (the `date_format` setting)."""
        match self.kind:
            case ListKind.DAILY:
                try:
                    day = dt.date.fromisoformat(self.value)
                except ValueError:
                    return f"Daily · {self.value}"
                return f"Daily · {day.strftime(date_format)}"
            case ListKind.LATEST:
                return "Latest"
            case ListKind.WEEK:
                return f"Week {self.value}"
            case ListKind.MONTH:
                return f"Month {self.value}"
            case ListKind.TRENDING:
                return "Trending"
            case ListKind.SEARCH:
                return f'Search: "{self.value}"'
            case ListKind.STARRED:
                return "Starred"
            case ListKind.TAG:
                return f"Tag: {self.value}"
            case ListKind.RELATED:
                return f"Related to {self.value}"
            case ListKind.AUTHOR:
                return f"Author: {self.value}"
            case ListKind.WATCH:
                return f"Watch: {self.value} · new"
        return str(self.kind)


class Source(enum.StrEnum):
    """Where a list's papers came from."""

    LIVE = "live"
    CACHED = "cached"
    """A fresh (or being-revalidated) cache hit."""
    OFFLINE = "offline"
    """The network failed; a stale cached copy is shown."""
    SAMPLE = "sample"
    """Nothing cached and no network: the bundled sample."""
    LIBRARY = "library"
    """The user's own library (starred, tags)."""


@dataclass(frozen=True, slots=True)
class FeedState:
    """Provenance of a list, for the status line."""

    source: Source
    fetched_at: dt.datetime | None = None
    """When the data was fetched from the network (UTC), if known."""
    error: str | None = None
    """A plain-words reason when the network failed and something older is shown."""
    revalidating: bool = False
    """True when a stale cache hit is shown and a background refresh was started."""

    def describe(self, now: dt.datetime | None = None) -> str:
        """`live`, `cached 12 min ago`, `offline — cached 2 days ago`, `sample`, `library`."""
        if self.source in (Source.LIVE, Source.SAMPLE, Source.LIBRARY):
            return self.source.value
        age = describe_age(self.fetched_at, now)
        if self.source is Source.OFFLINE:
            return f"offline — cached {age}"
        return f"cached {age}"


@dataclass(slots=True)
class Feed:
    """A loaded list: its papers in display order plus where they came from."""

    key: ListKey
    papers: list[Paper]
    state: FeedState
    skipped: int = 0
    """Entries the parser could not use."""
    resolved_date: dt.date | None = None
    """For LATEST: the day actually shown (newest featured day among the entries)."""
    notes: list[str] = field(default_factory=list)
    """Warnings for the user (e.g. 'skipped 2 malformed entries')."""

    @property
    def shown_key(self) -> ListKey:
        """The key the list is shown and remembered under: the latest list becomes its day."""
        if self.key.kind is ListKind.LATEST and self.resolved_date is not None:
            return ListKey(ListKind.DAILY, self.resolved_date.isoformat())
        return self.key


def describe_age(then: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """`just now`, `12 min ago`, `3 h ago`, `2 days ago`."""
    if then is None:
        return "some time ago"
    now = now or dt.datetime.now(dt.UTC)
    seconds = max(0, (now - then).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400 * 2:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"
