"""The main screen's filter: evaluate the filter bar's query over the loaded list in a worker.

The worker posts `FilterApplied` or `FilterRejected`; the screen's handlers show the result.
A query about stars, tags or notes runs again when the library changes, keeping the cursor near.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from papershelf.core.lists import Feed
from papershelf.core.model import Paper
from papershelf.tui.filtering import INLINE_ROWS, depends_on_library, error_span, narrows
from papershelf.tui.keepup import with_keepup
from papershelf.tui.messages import FilterApplied, FilterRejected

if TYPE_CHECKING:
    from papershelf.tui.screens.main import MainScreen


def nearest(papers: list[Paper], wanted: tuple[str, ...]) -> int | None:
    """The row of the first paper of `wanted` that `papers` lists, or None."""
    if not wanted:
        return None
    rows = {paper.id: row for row, paper in enumerate(papers)}
    return next((rows[paper_id] for paper_id in wanted if paper_id in rows), None)


class ListFilter:
    """Runs the filter (debounced while typing) and keeps the cursor's place on a re-filter."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def run(self, *, immediate: bool = False) -> None:
        """Evaluate the filter text over the loaded list (debounced while typing)."""
        screen = self.screen
        state = screen.state
        state.filter_request += 1
        delay = 0.0 if immediate else screen.services.filter_debounce
        screen.run_worker(
            partial(self._filter, state.filter_request, state.filter_text, delay),
            group="filter",
            exclusive=True,
            exit_on_error=False,
            description="filter the list",
        )

    async def _filter(self, request: int, text: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        # Deferred: the query language loads with the first filter, not before the first frame.
        from papershelf.core.query import compile_query
        from papershelf.core.query.search_index import SearchIndex
        from papershelf.core.query.tokens import QueryError

        screen = self.screen
        state = screen.state
        feed = state.feed
        if feed is None:
            return
        try:
            query = compile_query(text)
        except QueryError as error:
            reason, start, end = error_span(error, text)
            screen.post_message(FilterRejected(request, text, reason, start, end))
            return
        if query.is_empty:
            screen.post_message(FilterApplied(request, text, list(feed.papers), ()))
            return
        # Only a query about stars, tags or notes needs the library read again.
        services = screen.services
        library = services.library
        view = library.current_view() if depends_on_library(text) else library.view
        view = with_keepup(services.feeds.keepup, view)  # is:new, rising:, sort:rising
        if state.index is None or state.index_feed is not feed:
            index = await asyncio.to_thread(SearchIndex, feed.papers)
            state.index, state.index_feed = index, feed
        papers = self._source(feed, text)
        if len(papers) <= INLINE_ROWS:
            matched = query.filter(papers, state.index, view)
        else:
            matched = await asyncio.to_thread(query.filter, papers, state.index, view)
        screen.post_message(FilterApplied(request, text, matched, query.highlight_terms))

    def _source(self, feed: Feed, text: str) -> list[Paper]:
        """The papers `text` must look at: the result on screen when the query only narrows it."""
        shown = self.screen.state.shown_filter
        if shown is not None and shown[0] is feed and narrows(shown[1], text):
            return shown[2]
        return feed.papers

    def refilter_for_library(self) -> None:
        """Evaluate the filter again when it looks at the library, keeping the cursor's place."""
        screen = self.screen
        state = screen.state
        if state.feed is None or not depends_on_library(state.filter_text):
            return
        paper_list = screen.paper_list
        listed, cursor = paper_list.papers, paper_list.cursor
        highlighted = paper_list.highlighted_paper
        state.keep_id = highlighted.id if highlighted is not None else None
        state.keep_near = tuple(p.id for p in [*listed[cursor + 1 :], *reversed(listed[:cursor])])
        screen.run_filter(immediate=True)
