"""The user's library in SQLite: stars, tags, read state, notes, saved filters, paper snapshots.

The database is never overwritten or recreated: a file that cannot be opened (corrupt, foreign,
too new, unreadable) leaves the library unavailable, with `problem` saying why in plain words.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from papershelf.core.errors import InvalidInput, LibraryUnavailable
from papershelf.core.model import Paper, paper_from_record
from papershelf.core.query import LibraryView, compile_query
from papershelf.core.text import clean_line, fold, strip_control
from papershelf.data import paths

APPLICATION_ID = 0x50415052  # "PAPR": marks the file as a papershelf library
"""Written to `PRAGMA application_id`, so a foreign SQLite file is never taken for ours."""

BACKUP_FORMAT = "papershelf-library-backup"
BACKUP_VERSION = 1

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema. Timestamps are ISO 8601 UTC strings.
    """
    CREATE TABLE papers (
        id TEXT PRIMARY KEY,
        record TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE stars (
        id TEXT PRIMARY KEY,
        starred_at TEXT NOT NULL
    );
    CREATE TABLE tags (
        id TEXT NOT NULL,
        tag TEXT NOT NULL,
        tag_key TEXT NOT NULL,
        added_at TEXT NOT NULL,
        PRIMARY KEY (id, tag_key)
    );
    CREATE INDEX tags_by_key ON tags (tag_key);
    CREATE TABLE notes (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE reads (
        id TEXT PRIMARY KEY,
        read_at TEXT NOT NULL
    );
    CREATE TABLE filters (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        saved_at TEXT NOT NULL
    );
    """,
)
"""Schema migrations in order; `PRAGMA user_version` counts how many have been applied."""

SCHEMA_VERSION = len(MIGRATIONS)

_TAG_FORBIDDEN = re.compile(r'["(),]')
MAX_TAG_LENGTH = 64


def normalize_tag(text: str) -> str:
    """A tag as stored: trimmed, inner whitespace as `-`; raises InvalidInput when unusable.

    Tags keep the case they were first given but compare case- and accent-insensitively, so
    `LLM` and `llm` are one tag. Spaces become `-` so that every tag works as `tag:NAME`.
    """
    tag = "-".join(clean_line(text).split())
    if not tag:
        raise InvalidInput("A tag cannot be empty.")
    if _TAG_FORBIDDEN.search(tag):
        raise InvalidInput(f"Tag '{tag}' contains one of \" ( ) , — leave those out.")
    if len(tag) > MAX_TAG_LENGTH:
        raise InvalidInput(f"A tag can be at most {MAX_TAG_LENGTH} characters long.")
    return tag


def _tag_key(tag: str) -> str:
    return fold(tag)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


@dataclass(slots=True)
class RestoreReport:
    """What a restore added to the library (existing entries are kept, never replaced)."""

    stars: int = 0
    tags: int = 0
    notes: int = 0
    notes_merged: int = 0
    """Notes that differed from the existing note: the restored text was appended below it."""
    read: int = 0
    filters: int = 0
    papers: int = 0
    """Paper snapshots added or refreshed with a newer one."""

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))

    def summary(self) -> str:
        """One line, e.g. `added 3 stars, 2 tags, 1 note`."""
        labels = {
            "stars": ("star", "stars"),
            "tags": ("tag", "tags"),
            "notes": ("note", "notes"),
            "notes_merged": ("merged note", "merged notes"),
            "read": ("read mark", "read marks"),
            "filters": ("saved filter", "saved filters"),
            "papers": ("paper snapshot", "paper snapshots"),
        }
        parts = []
        for name, (one, many) in labels.items():
            count = getattr(self, name)
            if count:
                parts.append(f"{count} {one if count == 1 else many}")
        return "added " + ", ".join(parts) if parts else "nothing new to add"


@dataclass(frozen=True, slots=True)
class LibraryStats:
    """Counts shown by `papershelf library`."""

    stars: int
    tagged_papers: int
    tags: int
    notes: int
    read: int
    filters: int
    papers: int


def _paper_id(item: Paper | str) -> str:
    return item.id if isinstance(item, Paper) else item


def _ids(items: Iterable[Paper | str]) -> list[str]:
    return list(dict.fromkeys(_paper_id(item) for item in items))


class Library:
    """The library database; safe to share between threads (calls are serialized).

    `available` is False when the database could not be opened (`problem` says why): reads then
    return empty results and writes raise `LibraryUnavailable`. `writable` is False also when
    the file is readable but read-only.
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
    def open(cls, path: Path | None = None) -> Library:
        """Open (creating when absent) the library; never raises for a bad file, see `problem`."""
        path = Path(path) if path is not None else paths.library_file()
        try:
            connection, writable, problem = _connect(path)
        except LibraryUnavailable as error:
            return cls(path, None, error.message, writable=False)
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

    def __enter__(self) -> Library:
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
                    connection.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise LibraryUnavailable(f"The change could not be saved: {error}.") from error
                raise
            # data_version only moves for other connections' commits, so it stays the marker
            # for "someone else changed the library" while our own changes bump the revision.
            self.revision += 1

    def _snapshot(self, connection: sqlite3.Connection, papers: Iterable[Paper], now: str) -> None:
        connection.executemany(
            "INSERT INTO papers (id, record, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET record = excluded.record, "
            "updated_at = excluded.updated_at",
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
                papers.append((kept and kept[1]) or Paper(id=paper_id, title=paper_id))
            return papers

    # --- snapshots ------------------------------------------------------------------------

    def remember(self, papers: Iterable[Paper]) -> int:
        """Refresh the snapshots of papers already in the library (starred, tagged or noted)."""
        papers = list(papers)
        if not papers or not self.writable:
            return 0
        known = self._library_ids()
        chosen = [p for p in papers if p.id in known]
        if not chosen:
            return 0
        with self._write() as connection:
            self._snapshot(connection, chosen, _now())
        return len(chosen)

    def _library_ids(self) -> set[str]:
        view = self.view()
        return set(view.starred) | set(view.tags) | set(view.notes)

    def paper(self, paper_id: str) -> Paper | None:
        """The kept snapshot of one paper, if any."""
        rows = self._rows("SELECT record FROM papers WHERE id = ?", (paper_id,))
        return _paper_of_record(rows[0][0]) if rows else None

    # --- stars ----------------------------------------------------------------------------

    def star(self, papers: Iterable[Paper | str]) -> int:
        """Star papers (a bare id stars without a snapshot); returns how many were new."""
        items = list(papers)
        if not items:
            return 0
        now = _now()
        with self._write() as connection:
            self._snapshot(connection, [p for p in items if isinstance(p, Paper)], now)
            before = connection.total_changes
            connection.executemany(
                "INSERT OR IGNORE INTO stars (id, starred_at) VALUES (?, ?)",
                [(paper_id, now) for paper_id in _ids(items)],
            )
            return connection.total_changes - before

    def unstar(self, ids: Iterable[Paper | str]) -> int:
        """Remove stars; returns how many were starred. Snapshots are kept."""
        paper_ids = _ids(ids)
        if not paper_ids:
            return 0
        with self._write() as connection:
            before = connection.total_changes
            connection.executemany("DELETE FROM stars WHERE id = ?", [(i,) for i in paper_ids])
            return connection.total_changes - before

    def toggle_star(self, papers: Sequence[Paper | str]) -> bool:
        """Star all when any is unstarred, else unstar all; True when they end up starred."""
        starred = self.starred_ids()
        if any(_paper_id(p) not in starred for p in papers):
            self.star(papers)
            return True
        self.unstar(papers)
        return False

    def is_starred(self, paper_id: str) -> bool:
        return paper_id in self.view().starred

    def starred_ids(self) -> frozenset[str]:
        return self.view().starred

    def starred_papers(self) -> list[Paper]:
        """Starred papers, most recently starred first, from their snapshots."""
        ids = [
            row[0]
            for row in self._rows("SELECT id FROM stars ORDER BY starred_at DESC, rowid DESC")
        ]
        return self._papers_for(ids)

    # --- tags -----------------------------------------------------------------------------

    def _canonical_tags(self, connection: sqlite3.Connection, tags: Iterable[str]) -> list[str]:
        """Normalized tags, spelled as the library already spells them when known."""
        result: dict[str, str] = {}
        for raw in tags:
            tag = normalize_tag(raw)
            key = _tag_key(tag)
            if key in result:
                continue
            row = connection.execute(
                "SELECT tag FROM tags WHERE tag_key = ? LIMIT 1", (key,)
            ).fetchone()
            result[key] = row[0] if row else tag
        return list(result.values())

    def add_tags(self, papers: Iterable[Paper | str], tags: Iterable[str]) -> int:
        """Add tags to papers; returns how many (paper, tag) pairs were new."""
        items = list(papers)
        tags = list(tags)
        for tag in tags:
            normalize_tag(tag)  # reject bad input before opening a transaction
        if not items or not tags:
            return 0
        now = _now()
        with self._write() as connection:
            names = self._canonical_tags(connection, tags)
            self._snapshot(connection, [p for p in items if isinstance(p, Paper)], now)
            before = connection.total_changes
            connection.executemany(
                "INSERT OR IGNORE INTO tags (id, tag, tag_key, added_at) VALUES (?, ?, ?, ?)",
                [(i, name, _tag_key(name), now) for i in _ids(items) for name in names],
            )
            return connection.total_changes - before

    def remove_tags(self, ids: Iterable[Paper | str], tags: Iterable[str]) -> int:
        """Remove tags from papers; returns how many (paper, tag) pairs were removed."""
        paper_ids = _ids(ids)
        keys = {_tag_key("-".join(clean_line(t).split())) for t in tags}
        if not paper_ids or not keys:
            return 0
        with self._write() as connection:
            before = connection.total_changes
            connection.executemany(
                "DELETE FROM tags WHERE id = ? AND tag_key = ?",
                [(i, key) for i in paper_ids for key in keys],
            )
            return connection.total_changes - before

    def set_tags(self, paper: Paper | str, tags: Iterable[str]) -> list[str]:
        """Make `tags` exactly the paper's tags; returns them as stored."""
        tags = list(tags)
        for tag in tags:
            normalize_tag(tag)
        now = _now()
        paper_id = _paper_id(paper)
        with self._write() as connection:
            names = self._canonical_tags(connection, tags)
            keys = {_tag_key(name) for name in names}
            existing = {
                row[0]
                for row in connection.execute("SELECT tag_key FROM tags WHERE id = ?", (paper_id,))
            }
            connection.executemany(
                "DELETE FROM tags WHERE id = ? AND tag_key = ?",
                [(paper_id, key) for key in existing - keys],
            )
            connection.executemany(
                "INSERT OR IGNORE INTO tags (id, tag, tag_key, added_at) VALUES (?, ?, ?, ?)",
                [(paper_id, name, _tag_key(name), now) for name in names],
            )
            if isinstance(paper, Paper) and names:
                self._snapshot(connection, [paper], now)
        return self.tags_of(paper_id)

    def tags_of(self, paper_id: str) -> list[str]:
        """The paper's tags, sorted case-insensitively."""
        return list(self.view().tags.get(paper_id, ()))

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag with how many papers carry it, sorted by name."""
        rows = self._rows("SELECT MIN(tag), COUNT(*), tag_key FROM tags GROUP BY tag_key")
        return sorted(((row[0], row[1]) for row in rows), key=lambda item: fold(item[0]))

    def tagged_papers(self, tag: str) -> list[Paper]:
        """Papers carrying `tag` (any case), most recently tagged first."""
        key = _tag_key("-".join(clean_line(tag).split()))
        ids = [
            row[0]
            for row in self._rows(
                "SELECT id FROM tags WHERE tag_key = ? ORDER BY added_at DESC, rowid DESC", (key,)
            )
        ]
        return self._papers_for(ids)

    # --- notes ----------------------------------------------------------------------------

    def set_note(self, paper: Paper | str, text: str) -> None:
        """Save the paper's note; a blank note deletes it."""
        body = strip_control(text).strip()
        paper_id = _paper_id(paper)
        now = _now()
        with self._write() as connection:
            if not body:
                connection.execute("DELETE FROM notes WHERE id = ?", (paper_id,))
                return
            if isinstance(paper, Paper):
                self._snapshot(connection, [paper], now)
            connection.execute(
                "INSERT INTO notes (id, body, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET body = excluded.body, "
                "updated_at = excluded.updated_at",
                (paper_id, body, now),
            )

    def note(self, paper_id: str) -> str:
        """The paper's note, or an empty string."""
        rows = self._rows("SELECT body FROM notes WHERE id = ?", (paper_id,))
        return rows[0][0] if rows else ""

    # --- read state -----------------------------------------------------------------------

    def mark_read(self, ids: Iterable[Paper | str], read: bool = True) -> int:
        """Mark papers read (or unread); returns how many changed."""
        paper_ids = _ids(ids)
        if not paper_ids:
            return 0
        now = _now()
        with self._write() as connection:
            before = connection.total_changes
            if read:
                connection.executemany(
                    "INSERT OR IGNORE INTO reads (id, read_at) VALUES (?, ?)",
                    [(i, now) for i in paper_ids],
                )
            else:
                connection.executemany("DELETE FROM reads WHERE id = ?", [(i,) for i in paper_ids])
            return connection.total_changes - before

    def read_ids(self) -> frozenset[str]:
        return self.view().read

    # --- saved filters --------------------------------------------------------------------

    def save_filter(self, name: str, query: str) -> None:
        """Save (or replace) a named filter; raises InvalidInput for a bad name or query."""
        name = clean_line(name)
        if not name:
            raise InvalidInput("A saved filter needs a name.")
        compile_query(query)  # raises QueryError (an InvalidInput) with the span at fault
        with self._write() as connection:
            connection.execute(
                "INSERT INTO filters (name, query, saved_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET query = excluded.query, "
                "saved_at = excluded.saved_at",
                (name, query, _now()),
            )

    def saved_filters(self) -> list[tuple[str, str]]:
        """(name, query) pairs sorted by name."""
        rows = self._rows("SELECT name, query FROM filters")
        return sorted(((row[0], row[1]) for row in rows), key=lambda item: fold(item[0]))

    def delete_filter(self, name: str) -> bool:
        with self._write() as connection:
            return connection.execute("DELETE FROM filters WHERE name = ?", (name,)).rowcount > 0

    # --- the view for filtering -----------------------------------------------------------

    def view(self) -> LibraryView:
        """Stars, read marks, tags and notes as a `LibraryView`; cached until something changes.

        Also picks up changes committed by other papershelf processes.
        """
        with self._lock:
            self.refresh()
            if self._view is not None and self._view_revision == self.revision:
                return self._view
            tags: dict[str, list[str]] = {}
            for paper_id, tag in self._rows("SELECT id, tag FROM tags"):
                tags.setdefault(paper_id, []).append(tag)
            view = LibraryView.create(
                starred=(row[0] for row in self._rows("SELECT id FROM stars")),
                read=(row[0] for row in self._rows("SELECT id FROM reads")),
                notes=(row[0] for row in self._rows("SELECT id FROM notes")),
                tags={k: sorted(v, key=fold) for k, v in tags.items()},
            )
            self._view, self._view_revision = view, self.revision
            return view

    def stats(self) -> LibraryStats:
        """Counts of everything in the library."""

        def count(sql: str) -> int:
            rows = self._rows(sql)
            return int(rows[0][0]) if rows else 0

        return LibraryStats(
            stars=count("SELECT COUNT(*) FROM stars"),
            tagged_papers=count("SELECT COUNT(DISTINCT id) FROM tags"),
            tags=count("SELECT COUNT(DISTINCT tag_key) FROM tags"),
            notes=count("SELECT COUNT(*) FROM notes"),
            read=count("SELECT COUNT(*) FROM reads"),
            filters=count("SELECT COUNT(*) FROM filters"),
            papers=count("SELECT COUNT(*) FROM papers"),
        )

    # --- backup and restore ---------------------------------------------------------------

    def backup(self) -> dict[str, Any]:
        """Everything in the library as plain JSON data (lossless, timestamps included)."""
        if self._connection is None:
            raise LibraryUnavailable(self.problem or "The library is unavailable.")
        with self._lock:
            # One read transaction, so the backup is a consistent picture.
            connection = self._connection
            connection.execute("BEGIN")
            try:
                data = {
                    "format": BACKUP_FORMAT,
                    "version": BACKUP_VERSION,
                    "schema": self.schema_version,
                    "exported_at": _now(),
                    "stars": [
                        {"id": i, "starred_at": at}
                        for i, at in connection.execute(
                            "SELECT id, starred_at FROM stars ORDER BY rowid"
                        )
                    ],
                    "tags": [
                        {"id": i, "tag": tag, "added_at": at}
                        for i, tag, at in connection.execute(
                            "SELECT id, tag, added_at FROM tags ORDER BY rowid"
                        )
                    ],
                    "notes": [
                        {"id": i, "text": body, "updated_at": at}
                        for i, body, at in connection.execute(
                            "SELECT id, body, updated_at FROM notes ORDER BY rowid"
                        )
                    ],
                    "read": [
                        {"id": i, "read_at": at}
                        for i, at in connection.execute(
                            "SELECT id, read_at FROM reads ORDER BY rowid"
                        )
                    ],
                    "filters": [
                        {"name": name, "query": query, "saved_at": at}
                        for name, query, at in connection.execute(
                            "SELECT name, query, saved_at FROM filters ORDER BY rowid"
                        )
                    ],
                    "papers": [
                        {"id": i, "record": json.loads(record), "updated_at": at}
                        for i, record, at in connection.execute(
                            "SELECT id, record, updated_at FROM papers ORDER BY rowid"
                        )
                    ],
                }
            finally:
                connection.execute("COMMIT")
        return data

    def restore(self, data: Any) -> RestoreReport:
        """Merge a `backup()` into the library: adds what is missing, never removes or replaces.

        A note that differs from the existing one is appended below it; a saved filter whose
        name is taken by a different query is added as `NAME (restored)`.
        """
        backup = _validated_backup(data)
        report = RestoreReport()
        with self._write() as connection:

            def insert(sql: str, rows: list[tuple[Any, ...]]) -> int:
                before = connection.total_changes
                connection.executemany(sql, rows)
                return connection.total_changes - before

            for item in backup["papers"]:
                existing = connection.execute(
                    "SELECT updated_at FROM papers WHERE id = ?", (item["id"],)
                ).fetchone()
                if existing is None or existing[0] < item["updated_at"]:
                    self._snapshot_raw(connection, item)
                    report.papers += 1
            report.stars = insert(
                "INSERT OR IGNORE INTO stars (id, starred_at) VALUES (?, ?)",
                [(s["id"], s["starred_at"]) for s in backup["stars"]],
            )
            report.read = insert(
                "INSERT OR IGNORE INTO reads (id, read_at) VALUES (?, ?)",
                [(r["id"], r["read_at"]) for r in backup["read"]],
            )
            tag_rows = []
            for t in backup["tags"]:
                names = self._canonical_tags(connection, [t["tag"]])
                tag_rows.append((t["id"], names[0], _tag_key(names[0]), t["added_at"]))
            report.tags = insert(
                "INSERT OR IGNORE INTO tags (id, tag, tag_key, added_at) VALUES (?, ?, ?, ?)",
                tag_rows,
            )
            for n in backup["notes"]:
                row = connection.execute(
                    "SELECT body FROM notes WHERE id = ?", (n["id"],)
                ).fetchone()
                if row is None:
                    connection.execute(
                        "INSERT INTO notes (id, body, updated_at) VALUES (?, ?, ?)",
                        (n["id"], n["text"], n["updated_at"]),
                    )
                    report.notes += 1
                elif n["text"] not in row[0]:
                    connection.execute(
                        "UPDATE notes SET body = ?, updated_at = ? WHERE id = ?",
                        (f"{row[0]}\n\n---\n{n['text']}", _now(), n["id"]),
                    )
                    report.notes_merged += 1
            for f in backup["filters"]:
                row = connection.execute(
                    "SELECT query FROM filters WHERE name = ?", (f["name"],)
                ).fetchone()
                if row is not None and row[0] == f["query"]:
                    continue
                name = f["name"] if row is None else f"{f['name']} (restored)"
                report.filters += insert(
                    "INSERT OR IGNORE INTO filters (name, query, saved_at) VALUES (?, ?, ?)",
                    [(name, f["query"], f["saved_at"])],
                )
        return report

    def _snapshot_raw(self, connection: sqlite3.Connection, item: dict[str, Any]) -> None:
        connection.execute(
            "INSERT INTO papers (id, record, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET record = excluded.record, "
            "updated_at = excluded.updated_at",
            (item["id"], json.dumps(item["record"], ensure_ascii=False), item["updated_at"]),
        )


def _paper_of_record(record: str) -> Paper | None:
    try:
        return paper_from_record(json.loads(record))
    except ValueError:
        return None


def _chunks(items: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    """Slices small enough for SQLite's limit on `?` parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- opening safely ---------------------------------------------------------------------------


def _connect(path: Path) -> tuple[sqlite3.Connection, bool, str | None]:
    """Open and migrate; returns (connection, writable, problem) or raises LibraryUnavailable.

    Nothing is written to an existing file before it has been checked to be a papershelf
    library of a schema version this papershelf knows.
    """
    exists = path.exists()
    if exists and not path.is_file():
        raise LibraryUnavailable(f"{path} is not a file, so it cannot hold the library.")
    if exists and path.stat().st_size > 0:
        connection, writable = _open_existing(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = _configure(
                sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
            )
        except (OSError, sqlite3.Error) as error:
            raise LibraryUnavailable(f"Cannot create the library at {path}: {error}.") from error
        writable = True
    try:
        _check(connection, path)
        if writable:
            _migrate(connection)
    except sqlite3.Error as error:
        connection.close()
        raise LibraryUnavailable(_damaged(path, error)) from error
    except LibraryUnavailable:
        connection.close()
        raise
    problem = None if writable else f"The library at {path} is read-only; changes cannot be saved."
    return connection, writable, problem


def _open_existing(path: Path) -> tuple[sqlite3.Connection, bool]:
    uri = path.resolve().as_uri()
    for mode, writable in (("rw", True), ("ro", False)):
        try:
            connection = sqlite3.connect(
                f"{uri}?mode={mode}",
                uri=True,
                timeout=10,
                isolation_level=None,
                check_same_thread=False,
            )
            # Reading the header first: a damaged or foreign file fails here, untouched.
            connection.execute("PRAGMA user_version").fetchone()
        except sqlite3.Error as error:
            if "not a database" in str(error) or "malformed" in str(error):
                raise LibraryUnavailable(_damaged(path, error)) from error
            continue
        # mode=rw silently falls back to reading when the OS denies writing; ask the OS.
        if writable and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
            writable = False
        return _configure(connection), writable
    raise LibraryUnavailable(
        f"Cannot open the library at {path}: check that the file and its folder are readable."
    )


def _configure(connection: sqlite3.Connection) -> sqlite3.Connection:
    connection.execute("PRAGMA busy_timeout = 10000")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _check(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse files that are not ours or too new, before anything is written to them."""
    version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
    if application_id not in (0, APPLICATION_ID):
        raise LibraryUnavailable(f"{path} is an SQLite file of another program, not a library.")
    if version > SCHEMA_VERSION:
        raise LibraryUnavailable(
            f"The library at {path} was written by a newer papershelf (schema {version}; this "
            f"version knows up to {SCHEMA_VERSION}). Upgrade papershelf; the file is left as is."
        )
    if version == 0:
        tables = connection.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
        if tables:
            raise LibraryUnavailable(f"{path} holds an SQLite database that is not a library.")
    status = connection.execute("PRAGMA quick_check(1)").fetchone()[0]
    if status != "ok":
        raise LibraryUnavailable(_damaged(path, status))


def _migrate(connection: sqlite3.Connection) -> None:
    # WAL lets the reader and a second process read while one writes. synchronous=FULL makes
    # every committed change durable even across a power cut: writes are human-paced (a key
    # press), so one fsync per change is affordable and a star shown is a star kept.
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("BEGIN IMMEDIATE")
    try:
        # Re-read inside the write lock: another process may have migrated meanwhile.
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise LibraryUnavailable("The library was upgraded by a newer papershelf meanwhile.")
        for number in range(version, SCHEMA_VERSION):
            for statement in _statements(MIGRATIONS[number]):
                connection.execute(statement)
        if version < SCHEMA_VERSION:
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT our transaction; run the statements one by one instead.
    return [s.strip() for s in script.split(";") if s.strip()]


def _damaged(path: Path, error: object) -> str:
    return (
        f"The library at {path} cannot be read ({error}); it looks damaged. It was left "
        "untouched: move it aside and restore a backup (papershelf library restore FILE)."
    )


def _validated_backup(data: Any) -> dict[str, list[dict[str, Any]]]:
    """The backup's sections with every entry checked; raises InvalidInput otherwise."""
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise InvalidInput("This is not a papershelf library backup.")
    if not isinstance(data.get("version"), int) or data["version"] > BACKUP_VERSION:
        raise InvalidInput("This backup was made by a newer papershelf; upgrade to restore it.")
    required = {
        "stars": ("id", "starred_at"),
        "tags": ("id", "tag", "added_at"),
        "notes": ("id", "text", "updated_at"),
        "read": ("id", "read_at"),
        "filters": ("name", "query", "saved_at"),
        "papers": ("id", "updated_at"),
    }
    sections: dict[str, list[dict[str, Any]]] = {}
    for section, keys in required.items():
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise InvalidInput(f"The backup's '{section}' section is not a list.")
        for entry in entries:
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(key), str) and entry.get(key) for key in keys
            ):
                raise InvalidInput(f"The backup has a malformed entry in '{section}': {entry!r}")
            if section == "papers" and not isinstance(entry.get("record"), dict):
                raise InvalidInput(f"The backup has a paper without its record: {entry['id']}")
            if section == "tags":
                normalize_tag(entry["tag"])
        sections[section] = entries
    return sections
