"""Keeping up in the reader: the session's new papers and rises, as the panes and screen read them.

`KeepUp` (first sightings, rises) is filled by the feeds' worker threads; these helpers only read
its memory on the UI thread. The panes own the new markers, the rising column, the upvote
history and the keys on papers (`N`, `K`, `A`, `X`); the screen owns the status segment and `W`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from papershelf.core.library_view import LibraryView
from papershelf.core.lists import ListKind

if TYPE_CHECKING:
    from papershelf.data.library.keepup import KeepUp

NEW_MARKER = "✦"
"""Row marker of a paper first seen in this session (in the unread slot)."""
SPARK = "▁▂▃▄▅▆▇█"
POLL_SECONDS = 0.5
"""How often the screen looks whether the feeds recorded something (an integer compare)."""
NEWEST_KINDS = (ListKind.LATEST, ListKind.DAILY)
"""Lists that open on their first new paper."""


def keepup_of(feeds: Any) -> KeepUp | None:
    """The session's `KeepUp`, when the reader's feeds record one (not in every test double)."""
    return getattr(feeds, "keepup", None)


def with_keepup(feeds: Any, view: LibraryView) -> LibraryView:
    """`view` plus this session's new papers and rises, for `is:new`, `rising:`, `sort:rising`."""
    keepup = keepup_of(feeds)
    if keepup is None:
        return view
    return dataclasses.replace(view, new=keepup.new_ids, rising=keepup.rises())


def sparkline(values: list[int], width: int = 16) -> str:
    """`▁▂▄█` for the last `width` values (empty for fewer than two)."""
    values = values[-width:]
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = max(high - low, 1)
    return "".join(SPARK[(v - low) * (len(SPARK) - 1) // span] for v in values)


def upvote_history_text(keepup: KeepUp | None, paper_id: str) -> str:
    """`Upvotes ▁▃█ 12→40 (+28 since your last look)`, or "" with fewer than two changes."""
    if keepup is None:
        return ""
    values = keepup.upvote_history(paper_id)
    line = sparkline(values)
    if not line:
        return ""
    text = f"Upvotes {line} {values[0]}→{values[-1]}"
    rise = keepup.rise(paper_id) or 0
    if rise > 0:
        text += f" (+{rise} since your last look)"
    return text
