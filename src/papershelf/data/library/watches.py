"""Watches: saved filters marked to be watched, with the time their matches were last looked at.

A watch is a row of the library's `filters` table with `watch = 1`; its new matches are the
papers first seen after `looked_at` that pass its query.
"""

from __future__ import annotations

from dataclasses import dataclass

from papershelf.core.errors import InvalidInput
from papershelf.core.text import clean_line, fold
from papershelf.data.library.schema import utc_now
from papershelf.data.library.store import LibraryStore


@dataclass(frozen=True, slots=True)
class Watch:
    """A saved filter that is watched."""

    name: str
    query: str
    looked_at: str | None = None
    """When its matches were last opened (ISO UTC); None when never."""


def add_watch(library: LibraryStore, name: str, query: str) -> Watch:
    """Save the filter `name` (or replace its query) and mark it as a watch."""
    save_filter = getattr(library, "save_filter", None)
    if save_filter is None:  # pragma: no cover - every Library has it
        raise InvalidInput("This library cannot save filters.")
    save_filter(name, query)  # validates name and query
    name = clean_line(name)
    set_watched(library, name, True)
    return Watch(name, query)


def set_watched(library: LibraryStore, name: str, watched: bool) -> bool:
    """Mark (or unmark) a saved filter as a watch; False when no filter has that name.

    Marking starts the watch now: only papers first seen from now on count as its new matches.
    """
    with library._write() as connection:
        if watched:
            cursor = connection.execute(
                "UPDATE filters SET watch = 1, looked_at = COALESCE(looked_at, ?) WHERE name = ?",
                (utc_now(), name),
            )
        else:
            cursor = connection.execute("UPDATE filters SET watch = 0 WHERE name = ?", (name,))
        return cursor.rowcount > 0


def watches(library: LibraryStore) -> list[Watch]:
    """Every watch, sorted by name."""
    rows = library._rows("SELECT name, query, looked_at FROM filters WHERE watch = 1")
    found = [Watch(name, query, looked_at) for name, query, looked_at in rows]
    return sorted(found, key=lambda watch: fold(watch.name))


def find_watch(library: LibraryStore, name: str) -> Watch | None:
    """The watch called `name` (case and accents ignored), if any."""
    wanted = fold(clean_line(name))
    return next((w for w in watches(library) if fold(w.name) == wanted), None)


def mark_looked(library: LibraryStore, name: str, when: str | None = None) -> None:
    """Remember that the watch's matches were looked at `when` (now)."""
    with library._write() as connection:
        connection.execute(
            "UPDATE filters SET looked_at = ? WHERE name = ? AND watch = 1",
            (when or utc_now(), name),
        )
