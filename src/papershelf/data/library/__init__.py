"""The user's library in SQLite: stars, tags, read state, notes, saved filters, paper snapshots.

The database is never overwritten or recreated: a file that cannot be opened (corrupt, foreign,
too new, unreadable) leaves the library unavailable, with `problem` saying why in plain words.

The schema and safe opening live in `library.schema`, the connection and snapshots in
`library.store`, tag rules in `library.tags`, backups in `library.backup`; import each name
from the module that defines it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from papershelf.core.errors import InvalidInput, LibraryUnavailable, NotFound
from papershelf.core.library_view import LibraryView
from papershelf.core.model import Paper
from papershelf.core.text import clean_line, fold, strip_control
from papershelf.data.library.schema import utc_now
from papershelf.data.library.store import LibraryStore
from papershelf.data.library.tags import canonical_tags, normalize_tag, tag_key

if TYPE_CHECKING:
    from papershelf.data.library.backup import RestoreReport

__all__ = [
    "Library",
    "LibraryStats",
]


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


class Library(LibraryStore):
    """The library database; safe to share between threads (calls are serialized).

    `available` is False when the database could not be opened (`problem` says why): reads then
    return empty results and writes raise `LibraryUnavailable`. `writable` is False also when
    the file is readable but read-only.
    """

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
            self._snapshot(connection, chosen, utc_now())
        return len(chosen)

    def _library_ids(self) -> set[str]:
        view = self.view()
        return set(view.starred) | set(view.tags) | set(view.notes)

    # --- stars ----------------------------------------------------------------------------

    def star(self, papers: Iterable[Paper | str]) -> int:
        """Star papers (a bare id stars without a snapshot); returns how many were new."""
        items = list(papers)
        if not items:
            return 0
        now = utc_now()
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

    def add_tags(self, papers: Iterable[Paper | str], tags: Iterable[str]) -> int:
        """Add tags to papers; returns how many (paper, tag) pairs were new."""
        items = list(papers)
        tags = list(tags)
        for tag in tags:
            normalize_tag(tag)  # reject bad input before opening a transaction
        if not items or not tags:
            return 0
        now = utc_now()
        with self._write() as connection:
            names = canonical_tags(connection, tags)
            self._snapshot(connection, [p for p in items if isinstance(p, Paper)], now)
            before = connection.total_changes
            connection.executemany(
                "INSERT OR IGNORE INTO tags (id, tag, tag_key, added_at) VALUES (?, ?, ?, ?)",
                [(i, name, tag_key(name), now) for i in _ids(items) for name in names],
            )
            return connection.total_changes - before

    def remove_tags(self, ids: Iterable[Paper | str], tags: Iterable[str]) -> int:
        """Remove tags from papers; returns how many (paper, tag) pairs were removed."""
        paper_ids = _ids(ids)
        keys = {tag_key("-".join(clean_line(t).split())) for t in tags}
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
        now = utc_now()
        paper_id = _paper_id(paper)
        with self._write() as connection:
            names = canonical_tags(connection, tags)
            keys = {tag_key(name) for name in names}
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
                [(paper_id, name, tag_key(name), now) for name in names],
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
        tags = ((clean_line(row[0]), row[1]) for row in rows)
        return sorted(tags, key=lambda item: fold(item[0]))

    def tagged_papers(self, tag: str) -> list[Paper]:
        """Papers carrying `tag` (any case), most recently tagged first."""
        key = tag_key("-".join(clean_line(tag).split()))
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
        now = utc_now()
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
        return strip_control(rows[0][0]) if rows else ""

    def notes(self) -> dict[str, str]:
        """Every note by paper id (for `--format json`, which shows them beside the papers)."""
        rows = self._rows("SELECT id, body FROM notes")
        return {clean_line(row[0]): strip_control(row[1]) for row in rows}

    # --- read state -----------------------------------------------------------------------

    def mark_read(self, ids: Iterable[Paper | str], read: bool = True) -> int:
        """Mark papers read (or unread); returns how many changed."""
        paper_ids = _ids(ids)
        if not paper_ids:
            return 0
        now = utc_now()
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
        # Deferred: the query language is not needed to open the library at start-up.
        from papershelf.core.query import compile_query

        compile_query(query)  # raises QueryError (an InvalidInput) with the span at fault
        with self._write() as connection:
            connection.execute(
                "INSERT INTO filters (name, query, saved_at) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET query = excluded.query, "
                "saved_at = excluded.saved_at",
                (name, query, utc_now()),
            )

    def saved_filters(self) -> list[tuple[str, str]]:
        """(name, query) pairs sorted by name."""
        rows = self._rows("SELECT name, query FROM filters")
        pairs = ((clean_line(row[0]), clean_line(row[1])) for row in rows)
        return sorted(pairs, key=lambda item: fold(item[0]))

    def delete_filter(self, name: str) -> bool:
        with self._write() as connection:
            return connection.execute("DELETE FROM filters WHERE name = ?", (name,)).rowcount > 0

    def rename_filter(self, name: str, new_name: str) -> None:
        """Give a saved filter another name; raises NotFound / InvalidInput in plain words."""
        new_name = clean_line(new_name)
        if not new_name:
            raise InvalidInput("A saved filter needs a name.")
        with self._write() as connection:
            if (
                new_name != name
                and connection.execute(
                    "SELECT 1 FROM filters WHERE name = ?", (new_name,)
                ).fetchone()
            ):
                raise InvalidInput(f"There is already a saved filter named “{new_name}”.")
            changed = connection.execute(
                "UPDATE filters SET name = ? WHERE name = ?", (new_name, name)
            ).rowcount
        if not changed:
            raise NotFound(f"There is no saved filter named “{name}”.")

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
            # The database may hold what an older version or a hand-edited backup put there:
            # what is shown is cleaned on the way out too (clean text passes unchanged).
            for paper_id, tag in self._rows("SELECT id, tag FROM tags"):
                tags.setdefault(clean_line(paper_id), []).append(clean_line(tag))
            view = LibraryView.create(
                starred=(clean_line(row[0]) for row in self._rows("SELECT id FROM stars")),
                read=(clean_line(row[0]) for row in self._rows("SELECT id FROM reads")),
                notes=(clean_line(row[0]) for row in self._rows("SELECT id FROM notes")),
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
        # Deferred, like `restore`'s: the reader opens the library at start and rarely backs up.
        from papershelf.data.library.backup import read_backup

        if self._connection is None:
            raise LibraryUnavailable(self.problem or "The library is unavailable.")
        with self._lock:
            return read_backup(self._connection)

    def restore(self, data: Any) -> RestoreReport:
        """Merge a `backup()` into the library: adds what is missing, never removes or replaces.

        A note that differs from the existing one is appended below it; a saved filter whose
        name is taken by a different query is added as `NAME (restored)`.
        """
        from papershelf.data.library.backup import merge_backup, validated_backup

        backup, skipped = validated_backup(data)
        with self._write() as connection:
            report = merge_backup(connection, backup)
        report.skipped = skipped
        return report
