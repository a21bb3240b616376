"""The services the reader runs on, built once by the App and handed to its screens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papershelf.data.config.schema import Settings
    from papershelf.data.feeds.library_lists import LibraryFeeds
    from papershelf.tui.copier import Copier
    from papershelf.tui.library_writer import LibraryWriter


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(slots=True)
class Services:
    """What every screen and widget of the reader may use; none of it is the App."""

    feeds: LibraryFeeds
    """Where lists and papers come from: `data.feeds.Feeds` plus the library's own lists."""
    library: LibraryWriter
    """The library: its one write thread and the view the reader shows."""
    copier: Copier
    """The clipboard chain and its register."""
    settings: Settings
    """The typed settings (defaults when there is no config file)."""
    clock: Callable[[], dt.datetime] = utc_now
    """The current time (injectable, so "cached 3 min ago" is testable)."""
    offline: bool = False
    """Never ask the network (cache, then the bundled sample)."""
    first_run: bool = False
    """No session was ever saved: the reader shows a hint on the row markers and `?`."""
    filter_debounce: float = 0.12
    """Seconds of typing pause before the filter runs."""
    detail_debounce: float = 0.25
    """Seconds the cursor must rest on a paper before its detail is fetched."""

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return self.now().astimezone(dt.UTC).date()
