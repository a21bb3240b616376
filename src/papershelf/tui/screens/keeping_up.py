"""The main screen's part of keeping up: the status segment (`3 new · rlhf 2`) and the watches.

The feeds record first sightings and counts on worker threads; `KeepUp` then calls the listener
set here, which posts `KeepUpRecorded` to the screen, so nothing polls. The panes own the new
markers and the rising column; this helper owns what the screen shows and the `W` key.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from papershelf.core.lists import ListKey, ListKind
from papershelf.tui.keepup import NEWEST_KINDS, WatchNews, read_watch_news
from papershelf.tui.messages import KeepUpRecorded

if TYPE_CHECKING:
    from papershelf.tui.screens.main import MainScreen


class KeepingUp:
    """New papers on the list shown, watches with news, and opening the newest day on them."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.shown_revision = -1
        """The keeping-up revision last shown (markers, rises, the status count)."""
        self._opened_on_new: set[ListKey] = set()
        """Newest-day lists already opened on their first new paper (once per list)."""
        self._watch_text = ""
        """Watches with new matches, for the status line (`rlhf 3 · agents 5`)."""

    def start(self) -> None:
        """Hear about every recording from now on, and count the watches' news once."""
        screen = self.screen
        # Runs on the recording thread; `post_message` is the thread-safe way in.
        screen.services.feeds.keepup.add_listener(
            lambda revision: screen.post_message(KeepUpRecorded(revision))
        )
        screen.call_after_refresh(self.refresh_watches)

    def recorded(self, revision: int) -> None:
        """The feeds recorded something: redraw what depends on it, count watches again."""
        if revision == self.shown_revision:
            return
        self.shown_revision = revision
        self.list_shown()
        self.refresh_watches()

    def list_shown(self) -> None:
        """The list changed: count its new papers; the newest day opens on the first new one."""
        screen = self.screen
        panes = screen.panes
        panes.keepup_changed()
        new = panes.new_positions()
        self._show_status(len(new))
        feed = screen.state.feed
        if feed is not None and feed.key.kind is ListKind.WATCH:
            self.refresh_watches()  # opening a watch's news was looking at them
        if feed is None or not new or feed.key in self._opened_on_new:
            return
        if feed.key.kind in NEWEST_KINDS and screen.state.is_latest:
            self._opened_on_new.add(feed.key)
            screen.paper_list.move_cursor(new[0])

    def _show_status(self, new_count: int) -> None:
        parts = [f"{new_count} new"] if new_count else []
        if self._watch_text:
            parts.append(self._watch_text)
        self.screen.status.show_keepup(" · ".join(parts))

    async def _watch_news(self) -> list[WatchNews]:
        return await asyncio.to_thread(read_watch_news, self.screen.services.feeds)

    def refresh_watches(self) -> None:
        """Count the watches' new matches in a worker; the status line names those with news."""
        self.screen.run_worker(self._read_watches(), group="watches", exit_on_error=False)

    async def _read_watches(self) -> None:
        news = await self._watch_news()
        self._watch_text = " · ".join(f"{w.label} {w.count}" for w in news if w.count)
        self._show_status(len(self.screen.panes.new_positions()))

    def pick_watch(self) -> None:
        """Pick a watch and show its new matches."""
        self.screen.run_worker(self._pick_watch(), group="watches-pick", exclusive=True)

    async def _pick_watch(self) -> None:
        from papershelf.tui.dialogs.pick import PickDialog

        screen = self.screen
        if not screen.services.feeds.library.available:
            screen.notify("No library: watches live there.", markup=False)
            return
        news = await self._watch_news()
        if not news:
            screen.notify("No watches yet: papershelf watch add NAME QUERY", markup=False)
            return

        def chosen(name: str | None) -> None:
            if name:
                screen.load(ListKey(ListKind.WATCH, name))

        options = [(f"{w.label} · {w.count} new", w.name) for w in news]
        screen.app.push_screen(PickDialog("Open a watch's new matches", options), chosen)
