"""Keeping up in the reader: new markers, rises, the upvote sparkline, watches, and their keys.

`KeepUpPanel` is owned by the main screen (`install` attaches it) and reads only memory on the
UI thread: `KeepUp` (first sightings, rises) is filled by the feeds' worker threads, and the
watch counts are read in a worker. The keys (`N` next new, `R` related, `A` author, `X`
triage, `W` watches) all arrive through the screen's one `keepup(what)` action.
"""

from __future__ import annotations

import asyncio
import dataclasses
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.widgets import Static

from papershelf.core.listing import ListKey, ListKind
from papershelf.core.model import Paper
from papershelf.core.query import LibraryView
from papershelf.core.text import clean_line

if TYPE_CHECKING:
    from papershelf.data.keepup import KeepUp
    from papershelf.tui.screens.main import MainScreen

NEW_MARKER = "✦"
"""Row marker of a paper first seen in this session."""
SPARK = "▁▂▃▄▅▆▇█"
POLL_SECONDS = 0.5
"""How often the panel looks whether the feeds recorded something (an integer compare)."""
NEWEST_KINDS = (ListKind.LATEST, ListKind.DAILY)


def keepup_of(app: Any) -> KeepUp | None:
    """The session's `KeepUp`, when the reader's feeds record one."""
    return getattr(app.feeds, "keepup", None)


def with_keepup(app: Any, view: LibraryView) -> LibraryView:
    """`view` plus this session's new papers and rises, for `is:new`, `rising:`, `sort:rising`."""
    keepup = keepup_of(app)
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


class KeepUpPanel:
    """The main screen's keeping-up state and actions."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.keepup = keepup_of(screen.app)
        self._seen_revision = -1
        self._opened: set[ListKey] = set()
        self._watch_text = ""

    # --- installing --------------------------------------------------------------------------

    def install(self) -> None:
        keepup = self.keepup
        if keepup is None:
            return
        paper_list = self.screen.paper_list
        markers = paper_list.row_markers

        def with_new(paper: Paper) -> str:
            # A new paper that is still unread shows ✦ in the unread slot: no column moves.
            shown = markers(paper)
            if keepup.is_new(paper.id) and "•" in shown:
                return shown.replace("•", NEW_MARKER, 1)
            return shown

        paper_list.row_markers = with_new
        paper_list.rise = lambda p: keepup.rise(p.id)
        detail = self.screen.detail
        history = Static(Content(""), classes="detail--meta", id="detail-history")
        history.display = False
        detail.mount(history, after="#detail-meta")
        show_paper = detail.show_paper

        def show_with_history(paper: Paper | None, **options: Any) -> None:
            show_paper(paper, **options)
            self._show_history(paper)

        detail.show_paper = show_with_history  # type: ignore[method-assign]
        self.screen.set_interval(POLL_SECONDS, self.poll)
        self.screen.call_after_refresh(self.refresh_watches)

    # --- following what the feeds recorded ----------------------------------------------------

    def poll(self) -> None:
        keepup = self.keepup
        if keepup is None or keepup.revision == self._seen_revision:
            return
        self._seen_revision = keepup.revision
        self.screen.paper_list.refresh_markers()
        self._show_history(self.screen.detail.paper)
        self.list_shown()
        self.refresh_watches()

    def list_shown(self) -> None:
        """The list changed: count its new papers; the newest day opens on the first new one."""
        keepup = self.keepup
        if keepup is None:
            return
        state = self.screen.app.state
        paper_list = self.screen.paper_list
        papers = paper_list.papers
        rises = keepup.rises()
        rising = any(rises.get(p.id, 0) > 0 for p in papers)
        if rising != paper_list.show_rising:
            paper_list.show_rising = rising
            paper_list.refresh()
        new = [index for index, p in enumerate(papers) if keepup.is_new(p.id)]
        self._show_status(len(new))
        feed = state.feed
        if feed is not None and feed.key.kind is ListKind.WATCH:
            self.refresh_watches()  # opening a watch's news was looking at them
        if feed is None or not new or feed.key in self._opened:
            return
        if feed.key.kind in NEWEST_KINDS and state.is_latest:
            self._opened.add(feed.key)
            self.screen.paper_list.move_cursor(new[0])

    def _show_status(self, new_count: int) -> None:
        parts = [f"{new_count} new"] if new_count else []
        if self._watch_text:
            parts.append(self._watch_text)
        self.screen.status.show_keepup(" · ".join(parts))

    def _show_history(self, paper: Paper | None) -> None:
        keepup = self.keepup
        try:
            widget = self.screen.detail.query_one("#detail-history", Static)
        except Exception:  # the pane is not mounted yet
            return
        if keepup is None or paper is None:
            widget.update(Content(""))
            widget.display = False
            return
        values = keepup.upvote_history(paper.id)
        line = sparkline(values)
        rise = keepup.rise(paper.id) or 0
        text = f"Upvotes {line} {values[0]}→{values[-1]}" if line else ""
        if text and rise > 0:
            text += f" (+{rise} since your last look)"
        widget.update(Content(text))
        widget.display = bool(text)

    def refresh_watches(self) -> None:
        self.screen.run_worker(self._read_watches(), group="watches")

    async def _read_watches(self) -> None:
        feeds = self.screen.app.feeds
        library = getattr(feeds, "library", None)
        if library is None or not getattr(library, "available", False):
            return

        def read() -> list[tuple[str, int]]:
            from papershelf.data.known_feeds import has_watches, watch_counts

            if not has_watches(library):
                return []
            return watch_counts(library, feeds.related_index())

        counts = await asyncio.to_thread(read)
        self._watch_text = " · ".join(f"{clean_line(n)} {c}" for n, c in counts if c)
        keepup = self.keepup
        new = [p for p in self.screen.paper_list.papers if keepup and keepup.is_new(p.id)]
        self._show_status(len(new))

    # --- the keys ----------------------------------------------------------------------------

    def run(self, what: str) -> None:
        action = {
            "next_new": self.next_new,
            "related": self.related,
            "author": self.author,
            "triage": self.triage,
            "watches": self.watches,
        }[what]
        action()

    def next_new(self) -> None:
        keepup = self.keepup
        paper_list = self.screen.paper_list
        papers = paper_list.papers
        if keepup is None or not papers:
            return
        start = paper_list.cursor
        for step in range(1, len(papers) + 1):
            index = (start + step) % len(papers)
            if keepup.is_new(papers[index].id):
                paper_list.move_cursor(index)
                return
        self.screen.notify("No new papers in this list.", markup=False)

    def _highlighted(self) -> Paper | None:
        paper = self.screen.paper_list.highlighted_paper
        if paper is None:
            self.screen.notify("No paper is highlighted.", markup=False)
        return paper

    def related(self) -> None:
        paper = self._highlighted()
        if paper is not None:
            self.screen.load(ListKey(ListKind.RELATED, paper.id))

    def author(self) -> None:
        from papershelf.tui.screens.keepup_pick import PickScreen

        paper = self._highlighted()
        if paper is None:
            return
        names = [clean_line(name) for name in paper.author_names if clean_line(name)]
        if not names:
            self.screen.notify("This paper lists no authors.", markup=False)
            return

        def chosen(name: str | None) -> None:
            if name:
                self.screen.load(ListKey(ListKind.AUTHOR, name))

        if len(names) == 1:
            chosen(names[0])
            return
        self.screen.app.push_screen(PickScreen("Papers by…", [(n, n) for n in names]), chosen)

    def watches(self) -> None:
        from papershelf.tui.screens.keepup_pick import PickScreen

        async def pick() -> None:
            feeds = self.screen.app.feeds
            library = getattr(feeds, "library", None)
            if library is None or not getattr(library, "available", False):
                self.screen.notify("No library: watches live there.", markup=False)
                return

            def read() -> list[tuple[str, int]]:
                from papershelf.data.known_feeds import watch_counts

                return watch_counts(library, feeds.related_index())

            counts = await asyncio.to_thread(read)
            if not counts:
                self.screen.notify("No watches yet: papershelf watch add NAME QUERY", markup=False)
                return

            def chosen(name: str | None) -> None:
                if name:
                    self.screen.load(ListKey(ListKind.WATCH, name))

            options = [(f"{clean_line(n)} · {c} new", n) for n, c in counts]
            self.screen.app.push_screen(PickScreen("Open a watch's new matches", options), chosen)

        self.screen.run_worker(pick(), group="watches-pick", exclusive=True)

    def triage(self) -> None:
        from papershelf.tui.screens.triage import TriageScreen

        paper_list = self.screen.paper_list
        papers = paper_list.papers[paper_list.cursor :]
        if not papers:
            self.screen.notify("No papers to go through.", markup=False)
            return

        def stopped(paper_id: str | None) -> None:
            if paper_id is None:
                return
            for index, listed in enumerate(paper_list.papers):
                if listed.id == paper_id:
                    paper_list.move_cursor(index)
                    break

        self.screen.app.push_screen(TriageScreen(list(papers)), stopped)
