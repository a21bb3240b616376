"""Keeping up in the reader: the session's new papers and rises, as the panes and screen read them.

`KeepUp` (first sightings, rises) is filled by the feeds' worker threads; these helpers only read
its memory on the UI thread. The panes own the new markers, the rising column, the upvote
history and the keys on papers (`N`, `K`, `A`, `X`); the screen owns the status segment and `W`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from papershelf.core.library_view import LibraryView
from papershelf.core.lists import ListKind
from papershelf.core.text import clean_line

if TYPE_CHECKING:
    from papershelf.data.feeds.library_lists import LibraryFeeds
    from papershelf.data.library.keepup import KeepUp

NEW_MARKER = "✦"
"""Row marker of a paper first seen in this session (in the unread slot)."""
SPARK = "▁▂▃▄▅▆▇█"
NEWEST_KINDS = (ListKind.LATEST, ListKind.DAILY)
"""Lists that open on their first new paper."""


def with_keepup(keepup: KeepUp, view: LibraryView) -> LibraryView:
    """`view` plus this session's new papers and rises, for `is:new`, `rising:`, `sort:rising`."""
    return dataclasses.replace(view, new=keepup.new_ids, rising=keepup.rises())


@dataclasses.dataclass(frozen=True, slots=True)
class WatchNews:
    """One watch and how many new matches it has."""

    name: str
    """The watch's name as saved (what a watch list is loaded by)."""
    label: str
    """The name cleaned for the screen (the library is untrusted)."""
    count: int
    """New matches since the watch was last looked at."""


def read_watch_news(feeds: LibraryFeeds) -> list[WatchNews]:
    """Every watch with its number of new matches, sorted by name. Blocks (SQLite, the index).

    Empty without watches; the related-papers index is opened only when there are some.
    """
    from papershelf.data.feeds.known_lists import has_watches, watch_counts

    library = feeds.library
    if not library.available or not has_watches(library):
        return []
    counts = watch_counts(library, feeds.related_index())
    return [WatchNews(name, clean_line(name), count) for name, count in counts]


def sparkline(values: list[int], width: int = 16) -> str:
    """`▁▂▄█` for the last `width` values (empty for fewer than two)."""
    values = values[-width:]
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = max(high - low, 1)
    return "".join(SPARK[(v - low) * (len(SPARK) - 1) // span] for v in values)


def upvote_history_text(keepup: KeepUp, paper_id: str) -> str:
    """`Upvotes ▁▃█ 12→40 (+28 since your last look)`, or "" with fewer than two changes."""
    values = keepup.upvote_history(paper_id)
    line = sparkline(values)
    if not line:
        return ""
    text = f"Upvotes {line} {values[0]}→{values[-1]}"
    rise = keepup.rise(paper_id) or 0
    if rise > 0:
        text += f" (+{rise} since your last look)"
    return text
