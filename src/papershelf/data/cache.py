"""On-disk cache of raw API response bytes and their fetch time (diskcache, never pickles).

Each value is one bytes blob: a JSON header line (`{"fetched_at": ...}`) then the body.
A cache directory that cannot be read is moved aside and rebuilt; the cache never crashes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from papershelf.data import paths

if TYPE_CHECKING:
    import diskcache

_FORMAT = 1
"""Bumped when the blob layout changes; blobs of another format are misses."""
_ERRORS = (sqlite3.Error, OSError, ValueError)
"""What a damaged cache directory raises (diskcache surfaces sqlite and file errors)."""


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """A response body as received, and when it was fetched (UTC)."""

    body: bytes
    fetched_at: dt.datetime

    def age_seconds(self, now: dt.datetime) -> float:
        """How old the copy is; never negative even if the clock went back."""
        return max(0.0, (now - self.fetched_at).total_seconds())


class ResponseCache:
    """Raw response bytes by key (`daily:2026-08-21`, `paper:2407.21783`, ...)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or paths.cache_dir() / "responses"
        self.warning: str | None = None
        """Set when a damaged cache directory was moved aside and rebuilt, or disabled."""
        self._store: diskcache.Cache | None = None
        self._disabled = False
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedResponse | None:
        """The cached response for `key`, or None (missing, unreadable or of another format)."""
        if self._store is None and not self.directory.exists():
            return None  # first run: no need to create (or import) anything to learn that
        store = self._open()
        if store is None:
            return None
        try:
            blob = store.get(key)
        except _ERRORS as error:
            self._recover(error)
            return None
        if not isinstance(blob, bytes):
            return None
        return _unpack(blob)

    def put(self, key: str, body: bytes, fetched_at: dt.datetime | None = None) -> None:
        """Store `body` as fetched at `fetched_at` (default now, UTC)."""
        store = self._open()
        if store is None:
            return
        when = (fetched_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        header = json.dumps({"format": _FORMAT, "fetched_at": when.isoformat()}).encode()
        try:
            store.set(key, header + b"\n" + body)
        except _ERRORS as error:
            self._recover(error)

    def stored_keys(self) -> list[str]:
        """Every key stored (unordered); empty when there is no cache yet."""
        if self._store is None and not self.directory.exists():
            return []
        store = self._open()
        if store is None:
            return []
        try:
            return [key for key in store.iterkeys() if isinstance(key, str)]
        except _ERRORS as error:
            self._recover(error)
            return []

    def delete(self, key: str) -> None:
        """Forget one entry."""
        store = self._open()
        if store is None:
            return
        try:
            store.delete(key)
        except _ERRORS as error:
            self._recover(error)

    def close(self) -> None:
        """Release the database handle; the cache reopens on next use."""
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    # --- opening and recovery -------------------------------------------------------------

    def _open(self) -> diskcache.Cache | None:
        with self._lock:
            if self._store is not None or self._disabled:
                return self._store
            try:
                self._store = _open_store(self.directory)
            except _ERRORS as error:
                self._store = self._rebuild(error)
            return self._store

    def _recover(self, error: Exception) -> None:
        """A read or write failed: the directory is damaged, so start afresh."""
        with self._lock:
            if self._store is not None:
                with contextlib.suppress(*_ERRORS):
                    self._store.close()
                self._store = None
            self._store = self._rebuild(error)

    def _rebuild(self, error: Exception) -> diskcache.Cache | None:
        aside = _move_aside(self.directory)
        try:
            store = _open_store(self.directory)
        except _ERRORS as second:
            self._disabled = True
            self.warning = (
                f"The cache at {self.directory} cannot be used ({second}); caching is off."
            )
            return None
        where = f"; the old one is at {aside}" if aside else ""
        self.warning = f"The cache was unreadable ({error}) and has been rebuilt{where}."
        return store


def _open_store(directory: Path) -> diskcache.Cache:
    # Deferred: only a run that touches the cache pays for importing diskcache.
    import diskcache

    # Blobs are bytes, which diskcache stores natively (no pickling); a tiny read proves the
    # database file is a readable SQLite database before the cache is trusted.
    store = diskcache.Cache(str(directory), size_limit=512 * 2**20)
    try:
        store.get("\0probe")
    except BaseException:
        store.close()
        raise
    return store


def _move_aside(directory: Path) -> Path | None:
    if not directory.exists():
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    aside = directory.with_name(f"{directory.name}.broken-{stamp}")
    try:
        directory.rename(aside)
    except OSError:
        return None
    return aside


def _unpack(blob: bytes) -> CachedResponse | None:
    header, separator, body = blob.partition(b"\n")
    if not separator:
        return None
    try:
        meta = json.loads(header)
        if meta.get("format") != _FORMAT:
            return None
        fetched_at = dt.datetime.fromisoformat(meta["fetched_at"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=dt.UTC)
    return CachedResponse(body, fetched_at)
