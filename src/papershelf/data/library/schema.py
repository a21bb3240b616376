"""The library file: its schema and migrations, and opening it safely.

Nothing is written to an existing file before it has been checked to be a papershelf library
of a schema version this papershelf knows; a bad file raises `LibraryUnavailable`.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import sqlite3
from pathlib import Path

from papershelf.core.errors import LibraryUnavailable

APPLICATION_ID = 0x50415052  # "PAPR": marks the file as a papershelf library
"""Written to `PRAGMA application_id`, so a foreign SQLite file is never taken for ours."""

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
    # 2: keeping up. When each paper was first seen and its latest counts (one row per paper),
    # a history of counts with one row per change (never per fetch, so it stays small), and
    # saved filters that are watches with the time their matches were last looked at.
    """
    CREATE TABLE seen (
        id TEXT PRIMARY KEY,
        first_seen TEXT NOT NULL,
        daily_date TEXT,
        upvotes INTEGER NOT NULL,
        comments INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX seen_by_first_seen ON seen (first_seen);
    CREATE TABLE counts (
        id TEXT NOT NULL,
        at TEXT NOT NULL,
        upvotes INTEGER NOT NULL,
        comments INTEGER NOT NULL,
        PRIMARY KEY (id, at)
    ) WITHOUT ROWID;
    ALTER TABLE filters ADD COLUMN watch INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE filters ADD COLUMN looked_at TEXT;
    """,
)
"""Schema migrations in order; `PRAGMA user_version` counts how many have been applied."""

SCHEMA_VERSION = len(MIGRATIONS)


UPSERT_PAPER = (
    "INSERT INTO papers (id, record, updated_at) VALUES (?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET record = excluded.record, "
    "updated_at = excluded.updated_at"
)
"""Store a paper snapshot `(id, record JSON, updated_at)`, replacing an older one."""


def utc_now() -> str:
    """The current time as stored in every timestamp column (ISO 8601 UTC)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


class LibraryDamaged(LibraryUnavailable):
    """The file cannot be read as a library: the one case where restoring a backup helps."""


def connect(path: Path) -> tuple[sqlite3.Connection, bool, str | None]:
    """Open and migrate; returns (connection, writable, problem) or raises LibraryUnavailable.

    Nothing is written to an existing file before it has been checked to be a papershelf
    library of a schema version this papershelf knows. A read-only folder or a full disk
    opens the library read-only, with `problem` naming the folder and the reason.
    """
    exists = path.exists()
    if exists and not path.is_file():
        raise LibraryUnavailable(f"{path} is not a file, so it cannot hold the library.")
    if exists and path.stat().st_size > 0:
        folder_fault = _folder_fault(path)
        if folder_fault is not None:
            return _open_read_only(path), False, _read_only_problem(path, folder_fault)
        connection, writable = _open_existing(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = _configure(
                sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
            )
        except (OSError, sqlite3.Error) as error:
            fault = write_fault(error)
            why = fault if fault is not None else str(error)
            raise LibraryUnavailable(
                f"Cannot create the library at {path}: {why}. Nothing was changed."
            ) from error
        writable = True
    try:
        _check(connection, path)
        if writable:
            _migrate(connection)
    except (sqlite3.Error, OSError) as error:
        connection.close()
        fault = write_fault(error)
        if not exists or path.stat().st_size == 0:
            # A library being created cannot be damaged: say why it could not be made.
            raise LibraryUnavailable(
                f"Cannot create the library at {path}: {fault or error}. Nothing was changed."
            ) from error
        if fault is None:
            raise LibraryDamaged(_damaged(path, error)) from error
        # Not damage: the file is fine, the disk or folder refuses writing. Read it as it is.
        return _open_read_only(path), False, _read_only_problem(path, fault)
    except LibraryUnavailable:
        connection.close()
        raise
    problem = None if writable else _read_only_problem(path, "the file is not writable")
    return connection, writable, problem


def write_fault(error: BaseException) -> str | None:
    """Plain words when `error` is a full disk or a read-only place, else None (damage)."""
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return "the disk is full"
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return "the folder is read-only (or not writable for this user)"
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        text = str(error).lower()
        if code == sqlite3.SQLITE_FULL or "disk is full" in text:
            return "the disk is full"
        if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM) or "readonly" in text:
            return "the folder is read-only (or not writable for this user)"
    cause = error.__cause__ or error.__context__
    return write_fault(cause) if cause is not None and cause is not error else None


def _folder_fault(path: Path) -> str | None:
    """Why the library's folder cannot take writes (SQLite needs it for its journal), or None."""
    folder = path.parent
    if not os.access(folder, os.W_OK):
        return "the folder is read-only (or not writable for this user)"
    return None


def _read_only_problem(path: Path, why: str) -> str:
    return (
        f"The library at {path} is open read-only because {why} (folder {path.parent}); "
        "stars, tags and notes cannot be changed until that is fixed. Nothing was lost."
    )


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection, even to a WAL database whose -shm file cannot be created."""
    uri = path.resolve().as_uri()
    last: sqlite3.Error | None = None
    # `immutable` is safe here: in a folder nobody can write, nobody can change the file.
    for options in ("mode=ro", "mode=ro&immutable=1"):
        try:
            connection = sqlite3.connect(
                f"{uri}?{options}",
                uri=True,
                timeout=10,
                isolation_level=None,
                check_same_thread=False,
            )
            connection.execute("PRAGMA user_version").fetchone()
            _check(connection, path)
        except sqlite3.Error as error:
            last = error
            continue
        except LibraryUnavailable:
            connection.close()
            raise
        return _configure(connection)
    raise LibraryUnavailable(
        f"Cannot read the library at {path} ({last}); the folder {path.parent} does not allow "
        "the reading SQLite needs. Nothing was changed."
    )


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
                raise LibraryDamaged(_damaged(path, error)) from error
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
        raise LibraryDamaged(_damaged(path, status))


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
