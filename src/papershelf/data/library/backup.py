"""Library backups: every table as plain JSON, its validation, and the merge that restores it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from papershelf.core.errors import InvalidInput
from papershelf.data.library.schema import UPSERT_PAPER, utc_now
from papershelf.data.library.tags import canonical_tags, normalize_tag, tag_key

BACKUP_FORMAT = "papershelf-library-backup"
BACKUP_VERSION = 1

_SECTIONS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # backup section -> (table, its columns, the keys they are written under), in file order
    "stars": ("stars", ("id", "starred_at"), ("id", "starred_at")),
    "tags": ("tags", ("id", "tag", "added_at"), ("id", "tag", "added_at")),
    "notes": ("notes", ("id", "body", "updated_at"), ("id", "text", "updated_at")),
    "read": ("reads", ("id", "read_at"), ("id", "read_at")),
    "filters": ("filters", ("name", "query", "saved_at"), ("name", "query", "saved_at")),
    "papers": ("papers", ("id", "record", "updated_at"), ("id", "record", "updated_at")),
}


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


def read_backup(connection: sqlite3.Connection) -> dict[str, Any]:
    """Everything in the library as plain JSON data (lossless, timestamps included)."""
    # One read transaction, so the backup is a consistent picture.
    connection.execute("BEGIN")
    try:
        data: dict[str, Any] = {
            "format": BACKUP_FORMAT,
            "version": BACKUP_VERSION,
            "schema": int(connection.execute("PRAGMA user_version").fetchone()[0]),
            "exported_at": utc_now(),
        }
        for section, (table, columns, keys) in _SECTIONS.items():
            rows = connection.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
            data[section] = [dict(zip(keys, row, strict=True)) for row in rows]
        for paper in data["papers"]:
            paper["record"] = json.loads(paper["record"])
    finally:
        connection.execute("COMMIT")
    return data


def merge_backup(
    connection: sqlite3.Connection, backup: Mapping[str, list[dict[str, Any]]]
) -> RestoreReport:
    """Merge a checked backup (`validated_backup`) inside the caller's write transaction.

    Adds what is missing, never removes or replaces: a note that differs from the existing one
    is appended below it; a saved filter whose name is taken by a different query is added as
    `NAME (restored)`.
    """
    report = RestoreReport()

    def insert(sql: str, rows: list[tuple[Any, ...]]) -> int:
        before = connection.total_changes
        connection.executemany(sql, rows)
        return connection.total_changes - before

    for item in backup["papers"]:
        existing = connection.execute(
            "SELECT updated_at FROM papers WHERE id = ?", (item["id"],)
        ).fetchone()
        if existing is None or existing[0] < item["updated_at"]:
            connection.execute(
                UPSERT_PAPER,
                (item["id"], json.dumps(item["record"], ensure_ascii=False), item["updated_at"]),
            )
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
        names = canonical_tags(connection, [t["tag"]])
        tag_rows.append((t["id"], names[0], tag_key(names[0]), t["added_at"]))
    report.tags = insert(
        "INSERT OR IGNORE INTO tags (id, tag, tag_key, added_at) VALUES (?, ?, ?, ?)",
        tag_rows,
    )
    for n in backup["notes"]:
        row = connection.execute("SELECT body FROM notes WHERE id = ?", (n["id"],)).fetchone()
        if row is None:
            connection.execute(
                "INSERT INTO notes (id, body, updated_at) VALUES (?, ?, ?)",
                (n["id"], n["text"], n["updated_at"]),
            )
            report.notes += 1
        elif n["text"] not in row[0]:
            connection.execute(
                "UPDATE notes SET body = ?, updated_at = ? WHERE id = ?",
                (f"{row[0]}\n\n---\n{n['text']}", utc_now(), n["id"]),
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


def validated_backup(data: Any) -> dict[str, list[dict[str, Any]]]:
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
