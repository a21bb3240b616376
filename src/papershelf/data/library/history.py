"""When each paper was first seen, and its upvote/comment history, in the library database.

A fetch writes only what changed: a paper seen for the first time gets a `seen` row and one
`counts` row; later fetches add a `counts` row only when upvotes or comments moved. A fetch
that changes nothing does not even open a write transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from papershelf.core.model import Paper
from papershelf.data.library.schema import utc_now
from papershelf.data.library.store import LibraryStore, _chunks

CountPoint = tuple[str, int, int]
"""One history row: (ISO UTC time, upvotes, comments)."""


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a fetch told the library."""

    first_seen: dict[str, str]
    """Paper id -> when it was first seen (ISO UTC), for every paper of the fetch."""
    added: int = 0
    """Papers seen for the first time."""
    changed: int = 0
    """Papers whose counts moved (one history row each)."""


def _latest(store: LibraryStore, ids: Sequence[str]) -> dict[str, tuple[str, int, int]]:
    known: dict[str, tuple[str, int, int]] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT id, first_seen, upvotes, comments FROM seen WHERE id IN ({marks})"
        for paper_id, first_seen, upvotes, comments in store._rows(sql, chunk):
            known[paper_id] = (first_seen, int(upvotes), int(comments))
    return known


def record_fetch(store: LibraryStore, papers: Iterable[Paper], now: str | None = None) -> Recorded:
    """Note the papers of one fetched list: first sightings and changed counts. Blocks.

    Raises `LibraryUnavailable` when something must be written and cannot be.
    """
    latest: dict[str, Paper] = {}
    for paper in papers:
        latest[paper.id] = paper
    if not latest:
        return Recorded({})
    ids = list(latest)
    known = _latest(store, ids)
    if not _pending(latest, known):
        return Recorded({i: known[i][0] for i in ids})
    now = now or utc_now()
    with store._write() as connection:
        # Re-read under the write lock: another process may have recorded the same list.
        known = _latest(store, ids)
        new = [p for i, p in latest.items() if i not in known]
        moved = [
            p for i, p in latest.items() if i in known and (p.upvotes, p.comments) != known[i][1:]
        ]
        connection.executemany(
            "INSERT OR IGNORE INTO seen (id, first_seen, daily_date, upvotes, comments) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (
                    p.id,
                    now,
                    p.daily_date.isoformat() if p.daily_date else None,
                    p.upvotes,
                    p.comments,
                )
                for p in new
            ],
        )
        connection.executemany(
            "UPDATE seen SET upvotes = ?, comments = ? WHERE id = ?",
            [(p.upvotes, p.comments, p.id) for p in moved],
        )
        connection.executemany(
            "INSERT OR REPLACE INTO counts (id, at, upvotes, comments) VALUES (?, ?, ?, ?)",
            [(p.id, now, p.upvotes, p.comments) for p in (*new, *moved)],
        )
    first_seen = {i: known[i][0] if i in known else now for i in ids}
    return Recorded(first_seen, added=len(new), changed=len(moved))


def _pending(latest: dict[str, Paper], known: dict[str, tuple[str, int, int]]) -> bool:
    return any(i not in known or (p.upvotes, p.comments) != known[i][1:] for i, p in latest.items())


def count_history(store: LibraryStore, ids: Sequence[str]) -> dict[str, list[CountPoint]]:
    """Each paper's history rows, oldest first; papers never recorded are absent."""
    history: dict[str, list[CountPoint]] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT id, at, upvotes, comments FROM counts WHERE id IN ({marks}) ORDER BY id, at"
        for paper_id, at, upvotes, comments in store._rows(sql, chunk):
            history.setdefault(paper_id, []).append((at, int(upvotes), int(comments)))
    return history


def seen_since(store: LibraryStore, since: str | None) -> dict[str, str]:
    """Paper id -> first-seen time for papers first seen after `since` (all when None)."""
    if since is None:
        rows = store._rows("SELECT id, first_seen FROM seen")
    else:
        rows = store._rows("SELECT id, first_seen FROM seen WHERE first_seen > ?", (since,))
    return {paper_id: first_seen for paper_id, first_seen in rows}


def seen_before(store: LibraryStore, instant: str) -> bool:
    """Whether any paper was first seen before `instant` (ISO UTC): a returning reader."""
    rows = store._rows("SELECT EXISTS (SELECT 1 FROM seen WHERE first_seen < ?)", (instant,))
    return bool(rows and rows[0][0])


def rise_since(history: Sequence[CountPoint], since: str) -> int:
    """Upvotes gained since `since`: the latest value minus the last one recorded before it.

    A paper first recorded after `since` counts from its first sighting.
    """
    if not history:
        return 0
    before = [point for point in history if point[0] < since]
    baseline = before[-1] if before else history[0]
    return history[-1][1] - baseline[1]
