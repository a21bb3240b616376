"""Lists from the library (starred, a tag) served beside the Hugging Face feeds.

`LibraryFeeds` wraps `Feeds`: starred and tag lists come from the library's snapshots, so they
work offline; every other list is delegated, and papers it shows refresh their snapshots.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from typing import Any

from papershelf.core.errors import InvalidInput, PapershelfError
from papershelf.core.lists import Feed, FeedState, ListKey, ListKind, Source
from papershelf.core.model import Paper
from papershelf.data.library import Library
from papershelf.data.library.keepup import KeepUp

LIBRARY_KINDS = (ListKind.STARRED, ListKind.TAG)
"""List kinds the library serves."""
KNOWN_KINDS = (ListKind.RELATED, ListKind.AUTHOR, ListKind.WATCH)
"""List kinds served from every paper seen (the related-papers index)."""


def library_feed(library: Library, key: ListKey) -> Feed:
    """The starred papers (newest star first) or a tag's papers, from snapshots. Blocks."""
    if key.kind is ListKind.STARRED:
        papers = library.starred_papers()
    elif key.kind is ListKind.TAG:
        if not key.value.strip():
            raise InvalidInput("Which tag? The tag name is empty.")
        papers = library.tagged_papers(key.value)
    else:
        raise InvalidInput(f"The {key.label} list does not come from the library.")
    notes = []
    if not library.available:
        notes.append(library.problem or "The library is not available.")
    return Feed(key, papers, FeedState(Source.LIBRARY), notes=notes)


class LibraryFeeds:
    """`Feeds` plus the library's own lists; anything else is passed to the wrapped feeds."""

    def __init__(self, feeds: Any, library: Library) -> None:
        self.feeds = feeds
        """The Hugging Face feeds (`papershelf.data.feeds.Feeds`)."""
        self.library = library
        self.keepup = KeepUp(library)
        """First sightings and count history of every list delivered, for this session."""
        self._related: Any = None
        self._related_lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        # Only reached for names this class lacks: revalidate, step_day, aclose, last_error...
        return getattr(self.feeds, name)

    async def load(self, key: ListKey, *, refresh: bool = False, offline: bool = False) -> Feed:
        """A library list, or the feeds' list with the snapshots of library papers refreshed."""
        if key.kind in LIBRARY_KINDS:
            return await asyncio.to_thread(library_feed, self.library, key)
        if key.kind in KNOWN_KINDS:
            from papershelf.data.feeds.known_lists import known_feed

            return await asyncio.to_thread(known_feed, self.library, self.related_index(), key)
        feed = await self.feeds.load(key, refresh=refresh, offline=offline)
        await asyncio.to_thread(self._remember, feed.papers)
        return feed

    def load_cached(self, key: ListKey, *, offline: bool = False) -> Feed | None:
        """The feeds' cached list for `key` without waiting, or None. Blocks on the cache only.

        The snapshots of library papers are not refreshed here: call `remember` after showing it.
        """
        load_cached = getattr(self.feeds, "load_cached", None)
        if key.kind in (*LIBRARY_KINDS, *KNOWN_KINDS) or load_cached is None:
            return None
        return load_cached(key, offline=offline)

    async def remember(self, papers: list[Paper]) -> None:
        """Refresh the snapshots of the library's papers among `papers` (as `load` does)."""
        await asyncio.to_thread(self._remember, papers)

    async def paper(self, paper_id: str, *, offline: bool = False) -> Paper:
        """The paper's full record; the library's snapshot when the feeds cannot give one."""
        try:
            return await self.feeds.paper(paper_id, offline=offline)
        except PapershelfError:
            kept = await asyncio.to_thread(self.library.paper, paper_id)
            if kept is None or kept.title == kept.id:
                raise
            return kept

    def _remember(self, papers: list[Paper]) -> None:
        # A snapshot refresh is a courtesy: the list itself loaded fine either way.
        with contextlib.suppress(PapershelfError):
            self.library.remember(papers)
        self.keepup.record(papers)
        # The related-papers index is a cache: a full disk or a locked file only means the
        # list is not searchable for related papers yet.
        with contextlib.suppress(OSError, sqlite3.Error):
            self.related_index().add(papers)

    async def aclose(self) -> None:
        await self.feeds.aclose()
        with self._related_lock:
            if self._related is not None:
                self._related.close()
                self._related = None

    def related_index(self) -> Any:
        """The index of every known paper (opened on first use, in a worker). Blocks."""
        with self._related_lock:
            if self._related is None:
                from papershelf.data.papers.related_index import RelatedIndex

                self._related = RelatedIndex()
            return self._related
