"""One reading session's view of the history: which papers are new, how much each has risen.

`KeepUp.record` runs in a worker thread for every list the feeds deliver; it writes first
sightings and changed counts to the library and keeps in memory what the reader shows (new
markers, `▲ 63 +12`, the upvote sparkline), so the UI thread never waits on the disk.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable

from papershelf.core.errors import PapershelfError
from papershelf.core.model import Paper
from papershelf.data.library.history import (
    CountPoint,
    count_history,
    record_fetch,
    rise_since,
    seen_before,
)
from papershelf.data.library.schema import utc_now
from papershelf.data.library.store import LibraryStore


class KeepUp:
    """New papers and rises since the last look, for one session of the reader."""

    def __init__(self, library: LibraryStore, started: str | None = None) -> None:
        self.library = library
        self.started = started or utc_now()
        """When the session began (ISO UTC): papers first seen from then on are new."""
        self._lock = threading.Lock()
        self._new: dict[str, None] = {}
        self._history: dict[str, list[CountPoint]] = {}
        self._returning: bool | None = None
        self.revision = 0
        """Bumps whenever `record` learned something; the reader repaints markers then."""
        self._listeners: list[Callable[[int], None]] = []

    def add_listener(self, listener: Callable[[int], None]) -> None:
        """Call `listener(revision)` after each `record` that learned something.

        It runs on the recording thread, so it must only hand the news on (the reader posts
        a message): the reader then repaints without asking again and again whether it changed.
        """
        self._listeners.append(listener)

    def record(self, papers: Iterable[Paper], now: str | None = None) -> list[str]:
        """Record a fetched list (blocks); the ids of its papers that are new this session.

        A library that cannot be written only means no markers: the list itself is fine.
        """
        papers = list(papers)
        if not papers or not self.library.available:
            return []
        recorded = None
        with contextlib.suppress(PapershelfError):
            recorded = record_fetch(self.library, papers, now)
        if recorded is None:
            return []
        history = count_history(self.library, list(recorded.first_seen))
        if self._returning is None:
            # On the very first visit nothing is "new since last time": there was no last time.
            self._returning = seen_before(self.library, self.started)
        new = [i for i, at in recorded.first_seen.items() if at >= self.started]
        if not self._returning:
            new = []
        with self._lock:
            self._history.update(history)
            for paper_id in new:
                self._new[paper_id] = None
            self.revision += 1
            revision = self.revision
        for listener in list(self._listeners):
            listener(revision)
        return new

    @property
    def new_ids(self) -> frozenset[str]:
        """Papers first seen in this session."""
        with self._lock:
            return frozenset(self._new)

    def is_new(self, paper_id: str) -> bool:
        return paper_id in self._new

    def rise(self, paper_id: str) -> int | None:
        """Upvotes gained since the last look (before this session); None when not recorded."""
        history = self._history.get(paper_id)
        if not history:
            return None
        return rise_since(history, self.started)

    def rises(self) -> dict[str, int]:
        """Every recorded paper's rise, for `rising:` and `sort:rising`."""
        with self._lock:
            items = list(self._history.items())
        return {paper_id: rise_since(points, self.started) for paper_id, points in items}

    def upvote_history(self, paper_id: str) -> list[int]:
        """The paper's upvotes at each recorded change, oldest first."""
        return [point[1] for point in self._history.get(paper_id, ())]
