"""The main screen's list loading: the cache at start, workers that ask the feeds, search.

Workers post `FeedLoaded` / `FeedFailed` carrying the request number they answer; the screen's
handlers show the list. This helper also says what a delivered list needs said (notes, offline),
starts the background refresh of a stale list, and falls back to the sample when nothing loads.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from papershelf.core.errors import PapershelfError
from papershelf.core.lists import Feed, ListKey, ListKind, Source
from papershelf.tui.messages import FeedFailed, FeedLoaded

if TYPE_CHECKING:
    from papershelf.tui.screens.main import MainScreen


class ListLoading:
    """Asks the feeds for lists, newest request wins; answers arrive as messages."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def cached_start(self, key: ListKey) -> FeedLoaded | None:
        """The first list straight from the cache, so the first frame already holds it.

        A worker would only hand the same cache read to a thread while empty frames are painted.
        None when the cache has nothing usable (then `load` asks the network or the sample).
        """
        screen = self.screen
        feeds = screen.services.feeds
        try:
            feed = feeds.load_cached(key, offline=screen.services.offline)
        except PapershelfError:
            return None
        if feed is None:
            return None
        state = screen.state
        state.request += 1
        state.key = key
        # Remembering the papers (library snapshots, keep-up history, the related-papers index)
        # waits for the first frame: its thread would only compete with painting it.
        screen.call_after_refresh(self._remember, feed)
        return FeedLoaded(state.request, feed)

    def _remember(self, feed: Feed) -> None:
        feeds = self.screen.services.feeds
        self.screen.run_worker(
            partial(feeds.remember, feed.papers), group="remember", exit_on_error=False
        )

    def load(self, key: ListKey, *, refresh: bool = False) -> None:
        """Fetch `key` in the background; the list on screen stays until it arrives."""
        screen = self.screen
        state = screen.state
        state.request += 1
        state.key = key
        screen.status.set_loading(True)
        # The "feed" group on the screen: a newer load or a date step cancels this one.
        screen.run_worker(
            partial(self._fetch, state.request, key, refresh),
            group="feed",
            exclusive=True,
            exit_on_error=False,
            description="load a list",
        )

    def ask_search(self) -> None:
        """Ask what to search Hugging Face for, then load the search."""
        from papershelf.tui.dialogs.search import SearchPrompt

        screen = self.screen
        key = screen.state.key
        initial = key.value if key.kind is ListKind.SEARCH else ""

        def searched(query: str | None) -> None:
            if query:
                screen.load(ListKey(ListKind.SEARCH, query))

        screen.app.push_screen(SearchPrompt(initial), searched)

    def load_from_library(self, key: ListKey) -> None:
        """Load a library list (starred or a tag), or say why there is none."""
        screen = self.screen
        if not screen.services.library.available:
            screen.notify(
                "The library is not available, so there are no starred or tagged papers.",
                markup=False,
            )
            return
        screen.load(key)

    async def _fetch(self, request: int, key: ListKey, refresh: bool) -> None:
        screen = self.screen
        services = screen.services
        try:
            feed = await services.feeds.load(key, refresh=refresh, offline=services.offline)
        except PapershelfError as error:
            screen.post_message(FeedFailed(request, key, error))
        else:
            screen.post_message(FeedLoaded(request, feed))

    def _revalidate(self, request: int, key: ListKey) -> None:
        self.screen.run_worker(
            partial(self._fetch_revalidated, request, key),
            group="revalidate",
            exclusive=True,
            exit_on_error=False,
            description="revalidate",
        )

    async def _fetch_revalidated(self, request: int, key: ListKey) -> None:
        feed = await self.screen.services.feeds.revalidate(key)
        if feed is not None:
            self.screen.post_message(FeedLoaded(request, feed, revalidated=True))

    def shown(self, message: FeedLoaded) -> None:
        """A list is on screen: say its notes and offline state; refresh it when stale."""
        screen = self.screen
        feed: Feed = message.feed
        if not message.revalidated:
            for note in feed.notes:
                screen.notify(note, title="Note", markup=False)
            if feed.state.error and feed.state.source in (Source.OFFLINE, Source.SAMPLE):
                screen.notify(
                    f"{feed.state.error} Showing {feed.state.describe(screen.services.now())}.",
                    title="Offline",
                    severity="warning",
                    markup=False,
                )
            if feed.state.revalidating:
                # After the list is painted: the network client loads and connects meanwhile.
                screen.call_after_refresh(self._revalidate, message.request, feed.key)
        elif feed.state.error:
            # A background refresh that was refused (e.g. an empty answer) says so.
            screen.notify(feed.state.error, title="Note", severity="warning", markup=False)

    def failed(self, message: FeedFailed) -> None:
        """A list could not be loaded: say why; the list on screen stays (else the sample)."""
        screen = self.screen
        state = screen.state
        if message.request != state.request:
            return
        screen.status.set_loading(False)
        screen.status.show_progress(None)
        error = message.error
        screen.notify(error.message, title=error.title, severity="error", markup=False)
        if state.feed is None:
            from papershelf.data.feeds.sample import sample_feed

            state.request += 1
            screen.post_message(FeedLoaded(state.request, sample_feed()))
            return
        # The list on screen stays; so does the key it was loaded for.
        state.key = state.feed.key
