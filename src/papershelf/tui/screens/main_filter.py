"""The main screen's filter bar handling: evaluating the filter and showing its result."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import on, work
from textual.screen import Screen

from papershelf.core.listing import Feed
from papershelf.core.model import Paper
from papershelf.tui.filtering import (
    INLINE_ROWS,
    SearchIndex,
    compile_query,
    depends_on_library,
    error_span,
    narrows,
)
from papershelf.tui.keepup import with_keepup
from papershelf.tui.messages import FilterApplied, FilterRejected
from papershelf.tui.widgets.filter_bar import FilterBar

if TYPE_CHECKING:
    from papershelf.tui.app import PapershelfApp
    from papershelf.tui.widgets.paper_list import PaperList
    from papershelf.tui.widgets.status import StatusLine


def nearest(papers: list[Paper], wanted: tuple[str, ...]) -> int | None:
    """The row of the first paper of `wanted` that `papers` lists, or None."""
    if not wanted:
        return None
    rows = {paper.id: row for row, paper in enumerate(papers)}
    return next((rows[paper_id] for paper_id in wanted if paper_id in rows), None)


class MainFilter(Screen[None]):
    """The filter half of `MainScreen`; a Screen base only so Textual registers its handlers.

    The widgets (`paper_list`, `filter_bar`, `status`) and `_highlighted_id` come from
    `MainScreen`.
    """

    app: PapershelfApp  # type: ignore[assignment]
    paper_list: PaperList
    filter_bar: FilterBar
    status: StatusLine

    def run_filter(self, *, immediate: bool = False) -> None:
        """Evaluate the filter text over the loaded list (debounced while typing)."""
        state = self.app.state
        state.filter_request += 1
        delay = 0.0 if immediate else self.app.filter_debounce
        self._filter(state.filter_request, state.filter_text, delay)

    @work(group="filter", exclusive=True, exit_on_error=False, description="filter the list")
    async def _filter(self, request: int, text: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        state = self.app.state
        feed = state.feed
        if feed is None:
            return
        try:
            query = compile_query(text)
        except Exception as error:
            if not hasattr(error, "start"):
                raise
            reason, start, end = error_span(error, text)
            self.post_message(FilterRejected(request, text, reason, start, end))
            return
        if getattr(query, "is_empty", not text.strip()):
            self.post_message(FilterApplied(request, text, list(feed.papers), ()))
            return
        # Only a query about stars, tags or notes needs the library read again.
        app = self.app
        view = app.library_view() if depends_on_library(text) else app.library_snapshot
        view = with_keepup(app, view)  # is:new, rising:, sort:rising
        if state.index is None or state.index_feed is not feed:
            index = await asyncio.to_thread(SearchIndex, feed.papers)
            state.index, state.index_feed = index, feed
        papers = self._filter_source(feed, text)
        if len(papers) <= INLINE_ROWS:
            matched = query.filter(papers, state.index, view)
        else:
            matched = await asyncio.to_thread(query.filter, papers, state.index, view)
        terms = tuple(getattr(query, "highlight_terms", ()))
        self.post_message(FilterApplied(request, text, matched, terms))

    def _filter_source(self, feed: Feed, text: str) -> list[Paper]:
        """The papers `text` must look at: the result on screen when the query only narrows it."""
        shown = self.app.state.shown_filter
        if shown is not None and shown[0] is feed and narrows(shown[1], text):
            return shown[2]
        return feed.papers

    @on(FilterApplied)
    def _filter_applied(self, message: FilterApplied) -> None:
        message.stop()
        if message.request == self.app.state.filter_request:
            self._show_filtered(message.text, message.papers, message.terms)

    def _show_filtered(self, text: str, papers: list[Paper], terms: tuple[str, ...]) -> None:
        state = self.app.state
        keep_id = state.keep_id or self._highlighted_id()
        near, state.keep_id, state.keep_near = state.keep_near, None, ()
        if text.strip():
            self.paper_list.empty_message = "No paper matches the filter."
        self.paper_list.set_papers(
            papers, keep_id=keep_id, terms=terms, fallback=nearest(papers, near)
        )
        state.shown_filter = (state.feed, text, papers) if state.feed is not None else None
        loaded = len(state.feed.papers) if state.feed else 0
        self.status.show(shown=len(papers), loaded=loaded)
        self.filter_bar.show_count(len(papers), loaded)
        self.keepup.list_shown()

    def refilter_for_library(self) -> None:
        """Evaluate the filter again when it looks at the library, keeping the cursor's place."""
        state = self.app.state
        if state.feed is None or not depends_on_library(state.filter_text):
            return
        listed, cursor = self.paper_list.papers, self.paper_list.cursor
        state.keep_id = self._highlighted_id()
        state.keep_near = tuple(p.id for p in [*listed[cursor + 1 :], *reversed(listed[:cursor])])
        self.run_filter(immediate=True)

    @on(FilterRejected)
    def _filter_rejected(self, message: FilterRejected) -> None:
        message.stop()
        if message.request == self.app.state.filter_request:
            self.filter_bar.show_error(message.reason, message.start, message.end)

    @on(FilterBar.Changed)
    def _filter_changed(self, message: FilterBar.Changed) -> None:
        message.stop()
        if message.text != self.app.state.filter_text:
            self.app.state.filter_text = message.text
            self.run_filter()

    @on(FilterBar.Submitted)
    def _filter_submitted(self, message: FilterBar.Submitted) -> None:
        message.stop()
        self.paper_list.focus()

    @on(FilterBar.Cleared)
    def _filter_cleared(self, message: FilterBar.Cleared) -> None:
        message.stop()
        self.app.state.filter_text = ""
        self.run_filter(immediate=True)
        self.paper_list.focus()
