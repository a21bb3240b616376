"""Library backups: every table as plain JSON, its validation, and the merge that restores it."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from papershelf.core.errors import InvalidInput
from papershelf.core.links import is_paper_id, safe_url
from papershelf.core.model import paper_from_record
from papershelf.core.text import clean_line, clean_text
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
    "filters": (
        "filters",
        ("name", "query", "saved_at", "watch", "looked_at"),
        ("name", "query", "saved_at", "watch", "looked_at"),
    ),
    "papers": ("papers", ("id", "record", "updated_at"), ("id", "record", "updated_at")),
    # Keeping up: first sightings and the count history. Older papershelf versions ignore
    # these sections (and the filters' watch keys), so the backup version stays 1.
    "seen": (
        "seen",
        ("id", "first_seen", "daily_date", "upvotes", "comments"),
        ("id", "first_seen", "daily_date", "upvotes", "comments"),
    ),
    "counts": (
        "counts",
        ("id", "at", "upvotes", "comments"),
        ("id", "at", "upvotes", "comments"),
    ),
}

_ORDER = {"seen": "id", "counts": "id, at"}
"""How the tables without a rowid are written (the others in insertion order)."""


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
    seen: int = 0
    """First sightings added or moved earlier."""
    counts: int = 0
    """Points of the upvote/comment history added."""
    skipped: list[str] = field(default_factory=list)
    """Why each invalid entry of the backup was left out."""

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self) if f.name != "skipped")

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
            "seen": ("first sighting", "first sightings"),
            "counts": ("count change", "count changes"),
        }
        parts = []
        for name, (one, many) in labels.items():
            count = getattr(self, name)
            if count:
                parts.append(f"{count} {one if count == 1 else many}")
        text = "added " + ", ".join(parts) if parts else "nothing new to add"
        if self.skipped:
            text += f"; skipped {len(self.skipped)} invalid entries"
        return text


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
            order = _ORDER.get(table, "rowid")
            rows = connection.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
            data[section] = [dict(zip(keys, row, strict=True)) for row in rows]
        for paper in data["papers"]:
            paper["record"] = json.loads(paper["record"])
        for saved in data["filters"]:
            saved["watch"] = bool(saved["watch"])
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
        watch = 1 if f.get("watch") else 0
        row = connection.execute(
            "SELECT query FROM filters WHERE name = ?", (f["name"],)
        ).fetchone()
        if row is not None and row[0] == f["query"]:
            if watch:  # the same filter: a watch in the backup stays a watch
                connection.execute("UPDATE filters SET watch = 1 WHERE name = ?", (f["name"],))
            continue
        name = f["name"] if row is None else f"{f['name']} (restored)"
        report.filters += insert(
            "INSERT OR IGNORE INTO filters (name, query, saved_at, watch, looked_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(name, f["query"], f["saved_at"], watch, f.get("looked_at"))],
        )
    for s in backup["seen"]:
        # The earlier sighting wins: a paper is new only once, whichever machine saw it first.
        report.seen += insert(
            "INSERT INTO seen (id, first_seen, daily_date, upvotes, comments)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET first_seen ="
            " excluded.first_seen WHERE excluded.first_seen < seen.first_seen",
            [(s["id"], s["first_seen"], s.get("daily_date"), s["upvotes"], s["comments"])],
        )
    report.counts = insert(
        "INSERT OR IGNORE INTO counts (id, at, upvotes, comments) VALUES (?, ?, ?, ?)",
        [(c["id"], c["at"], c["upvotes"], c["comments"]) for c in backup["counts"]],
    )
    return report


def validated_backup(data: Any) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """The backup's sections with every entry checked, and what was left out, and why.

    A file that is not a backup, or whose entries lack their fields, raises InvalidInput. An
    entry with a value papershelf would never write (an id not in arXiv's form, a timestamp
    that is not one, an unusable tag, an oversized note) is skipped and reported; text is
    cleaned like everything else that comes from outside.
    """
    if not isinstance(data, dict) or data.get("format") != BACKUP_FORMAT:
        raise InvalidInput("This is not a papershelf library backup.")
    if not isinstance(data.get("version"), int) or data["version"] > BACKUP_VERSION:
        raise InvalidInput("This backup was made by a newer papershelf; upgrade to restore it.")
    sections: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    for section, keys in _REQUIRED.items():
        entries = data.get(section, [])
        if not isinstance(entries, list):
            raise InvalidInput(f"The backup's '{section}' section is not a list.")
        kept = []
        for entry in entries:
            if not isinstance(entry, dict) or not all(
                isinstance(entry.get(key), str) and entry.get(key) for key in keys
            ):
                raise InvalidInput(
                    f"The backup has a malformed entry in '{section}': {_shown(entry)}"
                )
            try:
                kept.append(_checked(section, entry))
            except InvalidInput as problem:
                problems.append(f"{section}: {problem.message}")
        sections[section] = kept
    return sections, problems


_REQUIRED: dict[str, tuple[str, ...]] = {
    "stars": ("id", "starred_at"),
    "tags": ("id", "tag", "added_at"),
    "notes": ("id", "text", "updated_at"),
    "read": ("id", "read_at"),
    "filters": ("name", "query", "saved_at"),
    "papers": ("id", "updated_at"),
    "seen": ("id", "first_seen"),
    "counts": ("id", "at"),
}
_TIME_FIELDS = ("starred_at", "added_at", "updated_at", "read_at", "saved_at", "first_seen", "at")
_COUNT_FIELDS = ("upvotes", "comments")
_COUNT_MAX = 10**9
_TIME_MAX = 40
_URL_FIELDS = ("github", "project_page", "thumbnail")
MAX_NOTE_LENGTH = 100_000
"""Characters of one note in a backup; longer ones are skipped (no one types that much)."""
MAX_FILTER_LENGTH = 2_000


def _checked(section: str, entry: dict[str, Any]) -> dict[str, Any]:
    """`entry` with its values checked and cleaned; raises InvalidInput naming the problem."""
    checked = dict(entry)
    if "id" in entry and not is_paper_id(entry["id"]):
        raise InvalidInput(f"skipped an entry whose id is not an arXiv id: {_shown(entry['id'])}")
    for name in _TIME_FIELDS:
        if name in entry and not _is_timestamp(entry[name]):
            raise InvalidInput(
                f"skipped {entry.get('id') or entry.get('name')!s:.40}: {name} is not a timestamp"
            )
    if section == "tags":
        checked["tag"] = normalize_tag(entry["tag"])
    elif section == "notes":
        if len(entry["text"]) > MAX_NOTE_LENGTH:
            raise InvalidInput(f"skipped the note of {entry['id']}: it is too long")
        checked["text"] = clean_text(entry["text"]).strip()
    elif section == "filters":
        checked["name"] = clean_line(entry["name"])
        checked["query"] = clean_line(entry["query"])
        if not checked["name"] or len(checked["name"] + checked["query"]) > MAX_FILTER_LENGTH:
            raise InvalidInput(f"skipped the saved filter {_shown(entry['name'])}")
        looked_at = entry.get("looked_at")
        if not isinstance(entry.get("watch", False), bool) or not (
            looked_at is None or (isinstance(looked_at, str) and _is_timestamp(looked_at))
        ):
            raise InvalidInput(f"skipped the watch {_shown(entry['name'])}")
    elif section in ("seen", "counts"):
        for name in _COUNT_FIELDS:
            value = entry.get(name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < _COUNT_MAX:
                raise InvalidInput(f"skipped {section} of {entry['id']}: {name} is not a count")
        day = entry.get("daily_date")
        if (
            section == "seen"
            and day is not None
            and not (isinstance(day, str) and _is_timestamp(day))
        ):
            raise InvalidInput(f"skipped {section} of {entry['id']}: daily_date is not a date")
    elif section == "papers":
        record = entry.get("record")
        paper = paper_from_record(record) if isinstance(record, dict) else None
        if paper is None or paper.id != entry["id"]:
            raise InvalidInput(f"skipped the snapshot of {entry['id']}: its record is unusable")
        cleaned = _cleaned(record)
        for name in _URL_FIELDS:  # a URL is checked raw and dropped, never repaired
            if name in cleaned:
                cleaned[name] = safe_url(record[name])
        checked["record"] = cleaned
    return checked


def _is_timestamp(value: str) -> bool:
    if len(value) > _TIME_MAX:
        return False
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _cleaned(value: Any) -> Any:
    """A JSON value with every string in it cleaned (keys included)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(str(key)): _cleaned(item) for key, item in value.items()}
    return value


def _shown(value: Any) -> str:
    """A bounded, cleaned picture of a bad value for a message (it may be 5 MB of anything)."""
    text = clean_line(repr(value))
    return text if len(text) <= 60 else text[:59] + "…"
