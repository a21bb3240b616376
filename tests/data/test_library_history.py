"""First sightings, the compact count history, new papers per session, and watches."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from papershelf.core.errors import InvalidInput
from papershelf.core.model import Paper
from papershelf.data.library import Library
from papershelf.data.library.history import count_history, record_fetch, seen_before, seen_since
from papershelf.data.library.keepup import KeepUp
from papershelf.data.library.schema import SCHEMA_VERSION
from papershelf.data.library.watches import (
    add_watch,
    find_watch,
    mark_looked,
    set_watched,
    watches,
)


def paper(number: int, upvotes: int = 0, comments: int = 0, day: str = "2026-08-20") -> Paper:
    return Paper(
        id=f"2608.{number:05d}",
        title=f"Paper {number}",
        upvotes=upvotes,
        comments=comments,
        daily_date=dt.date.fromisoformat(day),
    )


@pytest.fixture
def library():
    with Library.open() as opened:
        yield opened


def count_rows(library: Library) -> int:
    return library._rows("SELECT COUNT(*) FROM counts")[0][0]


def test_a_change_is_recorded_once(library):
    record_fetch(library, [paper(1, upvotes=3)], now="2026-08-20T08:00:00")
    record_fetch(library, [paper(1, upvotes=9, comments=1)], now="2026-08-20T09:00:00")
    record_fetch(library, [paper(1, upvotes=9, comments=1)], now="2026-08-20T10:00:00")
    history = count_history(library, ["2608.00001"])["2608.00001"]
    assert history == [("2026-08-20T08:00:00", 3, 0), ("2026-08-20T09:00:00", 9, 1)]


def test_nothing_grows_when_nothing_changes(library):
    day = [paper(n, upvotes=n) for n in range(30)]
    record_fetch(library, day, now="2026-08-20T08:00:00")
    rows, revision = count_rows(library), library.revision
    for hour in range(9, 20):
        recorded = record_fetch(library, day, now=f"2026-08-20T{hour:02d}:00:00")
        assert recorded.added == recorded.changed == 0
    assert count_rows(library) == rows == 30
    assert library.revision == revision  # not even an empty write transaction


def test_first_seen_is_kept_across_fetches(library):
    record_fetch(library, [paper(1)], now="2026-08-20T08:00:00")
    recorded = record_fetch(library, [paper(1, upvotes=5), paper(2)], now="2026-08-21T08:00:00")
    assert recorded.first_seen == {
        "2608.00001": "2026-08-20T08:00:00",
        "2608.00002": "2026-08-21T08:00:00",
    }
    assert seen_since(library, "2026-08-20T12:00:00") == {"2608.00002": "2026-08-21T08:00:00"}


def test_nothing_is_new_on_the_first_visit(library):
    first = KeepUp(library, started="2026-08-17T07:00:00")
    assert first.record([paper(1)], now="2026-08-17T08:00:00") == []
    assert first.record([paper(2)], now="2026-08-17T09:00:00") == []
    assert first.new_ids == frozenset()


def test_new_papers_across_two_fetches_of_different_days(library):
    monday = [paper(n, upvotes=n, day="2026-08-17") for n in range(1, 6)]
    first = KeepUp(library, started="2026-08-17T07:00:00")
    assert first.record(monday, now="2026-08-17T08:00:00") == []  # the first visit
    # The next morning: Monday's list again (more upvotes) and Tuesday's list.
    tuesday = [paper(n, day="2026-08-18") for n in range(10, 13)]
    second = KeepUp(library, started="2026-08-18T07:00:00")
    monday_later = [paper(n, upvotes=n + 10, day="2026-08-17") for n in range(1, 6)]
    assert second.record(monday_later, now="2026-08-18T07:30:00") == []
    assert set(second.record(tuesday, now="2026-08-18T07:31:00")) == {p.id for p in tuesday}
    assert second.new_ids == {p.id for p in tuesday}
    # Monday's papers rose by 10 since the last look; Tuesday's start from their first sighting.
    assert second.rise("2608.00003") == 10
    assert second.rise("2608.00010") == 0
    assert second.rise("2608.99999") is None
    assert second.upvote_history("2608.00003") == [3, 13]


def test_a_list_that_gained_papers_marks_only_the_additions(library):
    morning = [paper(n) for n in range(1, 4)]
    KeepUp(library, started="2026-08-20T07:00:00").record(morning, now="2026-08-20T07:05:00")
    later = KeepUp(library, started="2026-08-20T12:00:00")
    assert later.record([*morning, paper(4), paper(5)], now="2026-08-20T12:01:00") == [
        "2608.00004",
        "2608.00005",
    ]


def test_an_unavailable_library_records_nothing_and_does_not_raise(tmp_path):
    path = tmp_path / "foreign.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE x (y)").connection.commit()
    with Library.open(path) as broken:
        assert not broken.available
        heard: list[int] = []
        keepup = KeepUp(broken)
        keepup.add_listener(heard.append)
        assert keepup.record([paper(1)]) == []
        assert heard == []  # nothing learned, nothing announced


def test_each_recording_is_announced_to_the_listeners_with_its_revision(library):
    """The reader hears of a recording instead of polling the revision."""
    keepup = KeepUp(library, started="2026-08-20T07:00:00")
    heard: list[int] = []
    keepup.add_listener(heard.append)
    keepup.record([paper(1)], now="2026-08-20T07:05:00")
    keepup.record([paper(1, upvotes=4)], now="2026-08-20T07:10:00")
    assert heard == [1, 2] == list(range(1, keepup.revision + 1))


def test_seen_before_tells_a_returning_reader(library):
    assert not seen_before(library, "2026-08-20T07:00:00")
    record_fetch(library, [paper(1)], now="2026-08-20T08:00:00")
    assert not seen_before(library, "2026-08-20T08:00:00")
    assert seen_before(library, "2026-08-20T08:00:01")


def test_an_old_library_is_migrated_keeping_its_filters(tmp_path):
    path = tmp_path / "old.sqlite3"
    from papershelf.data.library.schema import MIGRATIONS, _statements

    connection = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[0]):
        connection.execute(statement)
    connection.execute("INSERT INTO filters VALUES ('mine', 'rlhf', '2026-01-01')")
    connection.execute("PRAGMA user_version = 1")
    connection.commit()
    connection.close()
    with Library.open(path) as library:
        assert library.schema_version == SCHEMA_VERSION == 2
        assert library.saved_filters() == [("mine", "rlhf")]
        assert watches(library) == []


# --- watches --------------------------------------------------------------------------------


def test_a_watch_is_a_saved_filter_marked_as_watched(library):
    add_watch(library, "rlhf", "kw:rlhf OR dpo")
    library.save_filter("plain", "diffusion")
    assert [(w.name, w.query) for w in watches(library)] == [("rlhf", "kw:rlhf OR dpo")]
    assert ("rlhf", "kw:rlhf OR dpo") in library.saved_filters()
    assert watches(library)[0].looked_at is not None  # starts watching from now


def test_marking_and_unmarking_an_existing_filter(library):
    library.save_filter("agents", "agent")
    assert set_watched(library, "agents", True)
    assert find_watch(library, "AGENTS").query == "agent"
    assert set_watched(library, "agents", False)
    assert watches(library) == []
    assert library.saved_filters() == [("agents", "agent")]
    assert not set_watched(library, "nothing", True)


def test_looking_at_a_watch_moves_its_mark(library):
    add_watch(library, "agents", "agent")
    mark_looked(library, "agents", "2030-01-01T00:00:00")
    assert find_watch(library, "agents").looked_at == "2030-01-01T00:00:00"


def test_a_watch_with_a_bad_query_is_refused(library):
    with pytest.raises(InvalidInput):
        add_watch(library, "broken", "title:")
    assert watches(library) == []


def test_backup_and_restore_keep_watches_first_sightings_and_history(tmp_path):
    with Library.open(tmp_path / "a.sqlite3") as original:
        record_fetch(original, [paper(1, upvotes=3)], now="2026-08-20T08:00:00+00:00")
        record_fetch(original, [paper(1, upvotes=9)], now="2026-08-21T08:00:00+00:00")
        add_watch(original, "rlhf", "kw:rlhf")
        mark_looked(original, "rlhf", "2026-08-21T09:00:00+00:00")
        data = original.backup()
    assert data["filters"][0]["watch"] is True
    with Library.open(tmp_path / "b.sqlite3") as copy:
        # This machine saw the paper later: the earlier sighting of the backup wins.
        record_fetch(copy, [paper(1, upvotes=9)], now="2026-08-22T08:00:00+00:00")
        report = copy.restore(data)
        assert (report.filters, report.seen, report.counts) == (1, 1, 2)
        assert [(w.name, w.looked_at) for w in watches(copy)] == [
            ("rlhf", "2026-08-21T09:00:00+00:00")
        ]
        assert seen_since(copy, None) == {"2608.00001": "2026-08-20T08:00:00+00:00"}
        assert [p[1] for p in count_history(copy, ["2608.00001"])["2608.00001"]] == [3, 9, 9]
        assert copy.restore(data).total == 0  # a second restore adds nothing


def test_restore_skips_history_rows_that_are_not_counts(library):
    data = library.backup()
    data["counts"] = [{"id": "2608.00001", "at": "2026-08-20T08:00:00+00:00", "upvotes": "9"}]
    data["seen"] = [{"id": "2608.00001", "first_seen": "yesterday", "upvotes": 1, "comments": 0}]
    report = library.restore(data)
    assert (report.seen, report.counts, len(report.skipped)) == (0, 0, 2)
