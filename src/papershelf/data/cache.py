"""On-disk cache of raw API response bytes and their fetch time (diskcache, never pickles).

Each value is one bytes blob: a JSON header line (`{"fetched_at": ...}`) then the body.
A cache directory that cannot be read is moved aside and rebuilt (only the newest moved-aside
copy is kept); the cache never crashes. A full disk or a read-only folder is not damage: the
cache is left in place, still read, and the warning says which it is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shutil
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
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
KEEP_BROKEN = 1
"""Moved-aside damaged caches kept for inspection; older ones are deleted."""


def fault_kind(error: BaseException) -> str | None:
    """ "full" or "read-only" when `error` is one of those OS conditions, else None (damage)."""
    if isinstance(error, OSError):
        if error.errno in _FULL_ERRNOS:
            return "full"
        if error.errno in _READ_ONLY_ERRNOS:
            return "read-only"
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        text = str(error).lower()
        if code == sqlite3.SQLITE_FULL or "disk is full" in text:
            return "full"
        if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) or "readonly" in text:
            return "read-only"
    cause = error.__cause__ or error.__context__
    return fault_kind(cause) if cause is not None and cause is not error else None


def describe_fault(kind: str, folder: Path) -> str:
    """Plain words for a full disk or a read-only folder."""
    if kind == "full":
        return f"The disk holding {folder} is full"
    return f"{folder} is read-only (or not writable for this user)"


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
            if not self._note_fault(error):
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
            # A full disk or read-only folder loses this one answer, never the cache.
            if not self._note_fault(error):
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
            if not self._note_fault(error):
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
            if not self._note_fault(error):
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

    def _note_fault(self, error: Exception) -> bool:
        """True (and a warning) when `error` is a full disk or a read-only folder, not damage."""
        kind = fault_kind(error)
        if kind is None:
            return False
        self.warning = (
            f"{describe_fault(kind, self.directory)}: new answers cannot be cached "
            "(cached lists are still shown)."
        )
        return True

    def _recover(self, error: Exception) -> None:
        """A read or write failed: the directory is damaged, so start afresh."""
        with self._lock:
            if self._store is not None:
                with contextlib.suppress(*_ERRORS):
                    self._store.close()
                self._store = None
            self._store = self._rebuild(error)

    def _rebuild(self, error: Exception) -> diskcache.Cache | None:
        kind = fault_kind(error)
        if kind is None and self.directory.is_dir() and not os.access(self.directory, os.W_OK):
            kind = "read-only"  # sqlite says only "unable to open" for a read-only folder
        if kind is not None:
            # Not damage: moving the cache aside would only lose it. Read what can be read.
            self._disabled = True
            self.warning = (
                f"{describe_fault(kind, self.directory)}: the cache is used read-only "
                "and new answers are not saved."
            )
            return _open_read_only(self.directory)
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


class _ReadOnlyStore:
    """Reads a diskcache directory's entries without writing anything (full or read-only disk).

    Only what `ResponseCache` stores is understood: str keys and bytes values, kept in the
    database (small) or in a file beside it (large). Writes are silently dropped.
    """

    def __init__(self, directory: Path, connection: sqlite3.Connection) -> None:
        self._directory = directory
        self._connection = connection

    def get(self, key: str) -> bytes | None:
        row = self._connection.execute(
            "SELECT mode, filename, value FROM Cache WHERE key = ? AND raw = 1", (key,)
        ).fetchone()
        if row is None:
            return None
        mode, filename, value = row
        if mode == _MODE_RAW and isinstance(value, bytes):
            return value
        if mode == _MODE_BINARY and isinstance(filename, str):
            path = (self._directory / filename).resolve()
            if self._directory.resolve() not in path.parents:
                return None  # a file name pointing outside the cache is not ours to read
            return path.read_bytes()
        return None

    def iterkeys(self) -> list[str]:
        rows = self._connection.execute("SELECT key FROM Cache WHERE raw = 1").fetchall()
        return [row[0] for row in rows if isinstance(row[0], str)]

    def set(self, key: str, value: bytes) -> None:
        return None

    def delete(self, key: str) -> None:
        return None

    def close(self) -> None:
        self._connection.close()


_MODE_RAW = 1
_MODE_BINARY = 2
"""diskcache's storage modes for bytes kept in the database and in a file."""


def _open_read_only(directory: Path) -> diskcache.Cache | None:
    database = directory / "cache.db"
    if not database.is_file():
        return None
    uri = database.resolve().as_uri()
    # `immutable` reads a WAL database even when its -shm file cannot be created.
    for options in ("mode=ro", "mode=ro&immutable=1"):
        try:
            connection = sqlite3.connect(f"{uri}?{options}", uri=True, check_same_thread=False)
            connection.execute("SELECT COUNT(*) FROM Cache").fetchone()
        except sqlite3.Error:
            continue
        return _ReadOnlyStore(directory, connection)  # type: ignore[return-value]
    return None


def _move_aside(directory: Path) -> Path | None:
    if not directory.exists():
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    aside = directory.with_name(f"{directory.name}.broken-{stamp}")
    try:
        directory.rename(aside)
    except OSError:
        return None
    remove_old_broken(directory)
    return aside


def remove_old_broken(directory: Path, keep: int = KEEP_BROKEN) -> list[Path]:
    """Delete all but the newest `keep` moved-aside copies of `directory`; the removed paths."""
    pattern = f"{directory.name}.broken-*"
    copies = sorted(directory.parent.glob(pattern), key=lambda path: path.name, reverse=True)
    removed = []
    for old in copies[keep:]:
        if old.is_symlink() or not old.is_dir():
            continue  # only directories this module moved aside
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    return removed


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
