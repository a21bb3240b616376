"""The connection under `Library`: opening, serialized reads, write transactions, paper snapshots.

It also notices changes other processes commit (`refresh`), so `revision` tells a reader when
anything it shows may be stale.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Self

from papershelf.core.errors import LibraryUnavailable
from papershelf.core.library_view import LibraryView
from papershelf.core.model import Paper, paper_from_record
from papershelf.core.text import clean_line
from papershelf.data import paths
from papershelf.data.library_schema import UPSERT_PAPER, LibraryDamaged, connect, write_fault


class LibraryStore:
    """An open (or unavailable) library database, shared safely between threads.

    `Library` adds what the user keeps in it; this class only moves rows in and out.
    """

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection | None,
        problem: str | None,
        writable: bool = True,
    ) -> None:
        self.path = path
        """Where the database lives."""
        self.problem = problem
        """Why the library is unavailable or read-only; None when all is well."""
        self.damaged = False
        """True when the file itself cannot be read as a library (restoring a backup helps)."""
        self.revision = 0
        """Bumps on every change made through this object or noticed from another process."""
        self._connection = connection
        self._writable = writable and connection is not None
        self._lock = threading.RLock()
        self._data_version: int | None = None
        self._view: LibraryView | None = None
        self._view_revision = -1
        self._snapshots: dict[str, tuple[str, Paper | None]] = {}

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None) -> Self:
        """Open (creating when absent) the library; never raises for a bad file, see `problem`."""
        path = Path(path) if path is not None else paths.library_file()
        try:
            connection, writable, problem = connect(path)
        except LibraryUnavailable as error:
            library = cls(path, None, error.message, writable=False)
            library.damaged = isinstance(error, LibraryDamaged)
            return library
        library = cls(path, connection, problem, writable=writable)
        library._data_version = library._read_data_version()
        return library

    @property
    def available(self) -> bool:
        """True when the library could be opened (possibly read-only)."""
        return self._connection is not None

    @property
    def writable(self) -> bool:
        """True when changes can be saved."""
        return self._writable

    @property
    def schema_version(self) -> int | None:
        """`PRAGMA user_version` of the open database; None when unavailable."""
        if self._connection is None:
            return None
        with self._lock:
            return int(self._connection.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close the database; the object then behaves as unavailable."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
                self._writable = False
                self.problem = self.problem or "The library was closed."

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- plumbing -------------------------------------------------------------------------

    def _read_data_version(self) -> int | None:
        if self._connection is None:
            return None
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def refresh(self) -> bool:
        """Notice changes committed by other processes (cheap); True (and a new revision) if any."""
        with self._lock:
            if self._connection is None:
                return False
            version = self._read_data_version()
            if version == self._data_version:
                return False
            self._data_version = version
            self.revision += 1
            return True

    def _rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            if self._connection is None:
                return []
            return self._connection.execute(sql, parameters).fetchall()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction; IMMEDIATE takes the write lock up front so it never deadlocks."""
        with self._lock:
            if self._connection is None or not self._writable:
                raise LibraryUnavailable(
                    self.problem or "The library is read-only; changes cannot be saved."
                )
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise LibraryUnavailable(f"The library is busy or locked: {error}.") from error
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException as error:
                if connection.in_transaction:
                    with suppress(sqlite3.Error):
                        connection.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error | OSError):
                    # A change that did not reach the disk is reported, never shown as done.
                    fault = write_fault(error)
                    why = f"{fault} (folder {self.path.parent})" if fault else str(error)
                    raise LibraryUnavailable(
                        f"The change could not be saved: {why}.", "Not saved"
                    ) from error
                raise
            # data_version only moves for other connections' commits, so it stays the marker
            # for "someone else changed the library" while our own changes bump the revision.
            self.revision += 1

    def _snapshot(self, connection: sqlite3.Connection, papers: Iterable[Paper], now: str) -> None:
        connection.executemany(
            UPSERT_PAPER,
            [(p.id, json.dumps(p.to_record(), ensure_ascii=False), now) for p in papers],
        )

    def _papers_for(self, ids: Sequence[str]) -> list[Paper]:
        """Snapshots of `ids` in that order; a placeholder (title = id) where none is kept.

        Parsed snapshots are cached by (id, updated_at): reading a record back is the slow
        part, and most of them never change.
        """
        if not ids:
            return []
        with self._lock:
            cache = self._snapshots
            versions: dict[str, str] = {}
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                versions.update(
                    self._rows(f"SELECT id, updated_at FROM papers WHERE id IN ({marks})", chunk)
                )
            stale = [i for i, at in versions.items() if i not in cache or cache[i][0] != at]
            for chunk in _chunks(stale):
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT id, updated_at, record FROM papers WHERE id IN ({marks})"
                for paper_id, updated_at, record in self._rows(sql, chunk):
                    cache[paper_id] = (updated_at, _paper_of_record(record))
            papers = []
            for paper_id in ids:
                kept = cache.get(paper_id) if paper_id in versions else None
                # A placeholder shows the id; an id stored by an older version may be dirty.
                shown = clean_line(paper_id)
                papers.append((kept and kept[1]) or Paper(id=shown, title=shown))
            return papers

    def kept_papers(self, ids: Sequence[str]) -> dict[str, Paper]:
        """The kept snapshots of those of `ids` the library has, by id; one query per chunk."""
        found: dict[str, Paper] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            marks = ",".join("?" * len(chunk))
            for paper_id, record in self._rows(
                f"SELECT id, record FROM papers WHERE id IN ({marks})", chunk
            ):
                paper = _paper_of_record(record)
                if paper is not None:
                    found[paper_id] = paper
        return found

    def paper(self, paper_id: str) -> Paper | None:
        """The kept snapshot of one paper, if any."""
        rows = self._rows("SELECT record FROM papers WHERE id = ?", (paper_id,))
        return _paper_of_record(rows[0][0]) if rows else None


def _paper_of_record(record: str) -> Paper | None:
    try:
        return paper_from_record(json.loads(record))
    except ValueError:
        return None


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    """Slices small enough for SQLite's limit on `?` parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
