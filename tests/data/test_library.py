"""The SQLite library: stars, tags, notes, read marks, filters, snapshots, safety, concurrency."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from papershelf.core.errors import InvalidInput, LibraryUnavailable
from papershelf.core.model import Author, Paper
from papershelf.core.query import compile_query
from papershelf.core.query.search_index import SearchIndex
from papershelf.core.query.tokens import QueryError
from papershelf.data import paths
from papershelf.data.library import Library
from papershelf.data.library import schema as library_schema
from papershelf.data.library.schema import SCHEMA_VERSION
from papershelf.data.library.tags import normalize_tag


def paper(number: int, **fields) -> Paper:
    return Paper(id=f"2601.{number:05d}", title=f"Paper {number}", **fields)


@pytest.fixture
def library():
    with Library.open() as opened:
        yield opened


# --- opening --------------------------------------------------------------------------------


def test_opens_in_the_data_dir_with_current_schema(library):
    assert library.path == paths.library_file()
    assert library.available and library.writable and library.problem is None
    assert library.schema_version == SCHEMA_VERSION
    connection = sqlite3.connect(library.path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_reopening_keeps_everything(tmp_path):
    path = tmp_path / "lib.sqlite3"
    with Library.open(path) as first:
        first.star([paper(1)])
    with Library.open(path) as second:
        assert second.starred_ids() == {"2601.00001"}


def test_an_empty_file_becomes_a_library(tmp_path):
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(b"")
    with Library.open(path) as library:
        assert library.available
        library.star(["2601.00001"])


def assert_unavailable_and_untouched(path: Path, expected_words: str) -> None:
    before = path.read_bytes()
    library = Library.open(path)
    assert not library.available and not library.writable
    assert expected_words in library.problem
    assert library.starred_ids() == frozenset()
    assert library.starred_papers() == []
    assert library.all_tags() == []
    assert library.note("2601.00001") == ""
    with pytest.raises(LibraryUnavailable, match=expected_words):
        library.star(["2601.00001"])
    with pytest.raises(LibraryUnavailable):
        library.backup()
    library.close()
    assert path.read_bytes() == before


def test_garbage_file_is_unavailable_and_never_overwritten(tmp_path):
    path = tmp_path / "lib.sqlite3"
    path.write_bytes(bytes(range(256)) * 64)
    assert_unavailable_and_untouched(path, "damaged")


def test_truncated_library_is_unavailable_and_untouched(tmp_path):
    path = tmp_path / "lib.sqlite3"
    with Library.open(path) as library:
        library.star([paper(n) for n in range(200)])
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xff" * 200 + data[300:])
    assert_unavailable_and_untouched(path, "damaged")


def test_newer_schema_is_unavailable_and_untouched(tmp_path):
    path = tmp_path / "lib.sqlite3"
    Library.open(path).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    assert_unavailable_and_untouched(path, "newer papershelf")


def test_foreign_sqlite_file_is_unavailable_and_untouched(tmp_path):
    path = tmp_path / "lib.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE accounts (name TEXT)")
    connection.commit()
    connection.close()
    assert_unavailable_and_untouched(path, "not a library")


def test_a_directory_in_the_way_is_unavailable(tmp_path):
    path = tmp_path / "lib.sqlite3"
    path.mkdir()
    library = Library.open(path)
    assert not library.available and "not a file" in library.problem


def test_read_only_folder_reads_but_refuses_writes(tmp_path, monkeypatch):
    """A folder the OS will not let us write (simulated: the suite runs as root, for whom
    chmod changes nothing) opens the library read-only, naming the folder and why."""
    path = tmp_path / "lib.sqlite3"
    with Library.open(path) as library:
        library.star([paper(1)])
    real_access = library_schema.os.access

    def access(target, mode, *args, **kwargs):
        if mode & os.W_OK and str(target) == str(tmp_path):
            return False  # what access(2) answers on a read-only mount, even for root
        return real_access(target, mode, *args, **kwargs)

    monkeypatch.setattr(library_schema.os, "access", access)
    library = Library.open(path)
    assert library.available and not library.writable and not library.damaged
    assert library.starred_ids() == {"2601.00001"}
    assert "read-only" in library.problem and str(tmp_path) in library.problem
    with pytest.raises(LibraryUnavailable, match="read-only"):
        library.star([paper(2)])
    library.close()


# --- stars ----------------------------------------------------------------------------------


def test_star_unstar_and_toggle(library):
    assert library.star([paper(1), paper(2)]) == 2
    assert library.star([paper(1)]) == 0
    assert library.is_starred("2601.00001")
    assert library.unstar(["2601.00002", "2601.00009"]) == 1
    assert library.starred_ids() == {"2601.00001"}
    assert library.toggle_star([paper(1), paper(3)]) is True  # one was unstarred: star all
    assert library.starred_ids() == {"2601.00001", "2601.00003"}
    assert library.toggle_star([paper(1), paper(3)]) is False
    assert library.starred_ids() == frozenset()


def test_starred_papers_newest_first_from_snapshots(library):
    rich = paper(
        1,
        summary="Abstract",
        authors=(Author("Ada Lovelace"),),
        upvotes=42,
        keywords=("rlhf",),
    )
    library.star([rich])
    library.star([paper(2)])
    library.star([paper(3), paper(4)])
    starred = library.starred_papers()
    assert [p.id[-1] for p in starred] == ["4", "3", "2", "1"]
    assert starred[-1] == rich


def test_starred_papers_survive_without_any_cache(tmp_path):
    path = tmp_path / "lib.sqlite3"
    with Library.open(path) as library:
        library.star([paper(7, upvotes=3)])
    with Library.open(path) as reopened:
        [kept] = reopened.starred_papers()
    assert kept.title == "Paper 7" and kept.upvotes == 3


def test_star_by_bare_id_keeps_a_placeholder_and_never_replaces_a_snapshot(library):
    library.star(["2601.00005"])
    [placeholder] = library.starred_papers()
    assert placeholder.id == placeholder.title == "2601.00005"
    library.star([paper(6)])
    library.unstar(["2601.00006"])
    library.star(["2601.00006"])  # a bare id must not wipe the details kept earlier
    assert library.starred_papers()[0].title == "Paper 6"


def test_remember_refreshes_snapshots_of_library_papers_only(library):
    library.star(["2601.00001"])
    assert library.remember([paper(1, upvotes=99), paper(2)]) == 1
    assert library.starred_papers()[0].upvotes == 99
    assert library.paper("2601.00002") is None


# --- tags -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("llm", "llm"), ("  To  Read ", "To-Read"), ("réseaux", "réseaux"), ("c++", "c++")],
)
def test_normalize_tag(raw, stored):
    assert normalize_tag(raw) == stored


@pytest.mark.parametrize("raw", ["", "   ", 'say "hi"', "a,b", "(x)", "x" * 65])
def test_bad_tags_are_rejected(raw):
    with pytest.raises(InvalidInput):
        normalize_tag(raw)


def test_tags_compare_case_insensitively_and_keep_first_spelling(library):
    assert library.add_tags([paper(1)], ["LLM", "to read"]) == 2
    assert library.add_tags([paper(2), "2601.00001"], ["llm"]) == 1
    assert library.tags_of("2601.00001") == ["LLM", "to-read"]
    assert library.tags_of("2601.00002") == ["LLM"]
    assert library.all_tags() == [("LLM", 2), ("to-read", 1)]
    assert [p.id for p in library.tagged_papers("llm")] == ["2601.00002", "2601.00001"]
    assert library.remove_tags(["2601.00001"], ["TO READ"]) == 1
    assert library.tags_of("2601.00001") == ["LLM"]


def test_set_tags_replaces_the_paper_tags(library):
    library.add_tags([paper(1)], ["a", "b"])
    assert library.set_tags(paper(1), ["B", "c"]) == ["b", "c"]
    assert library.set_tags("2601.00001", []) == []
    assert library.all_tags() == []


def test_bad_tag_changes_nothing(library):
    with pytest.raises(InvalidInput):
        library.add_tags([paper(1)], ["ok", ""])
    assert library.all_tags() == []


# --- notes, read marks, filters -------------------------------------------------------------


def test_notes(library):
    library.set_note(paper(1), "Line one\nline two\x1b[31m")
    assert library.note("2601.00001") == "Line one\nline two"
    assert library.view().notes == {"2601.00001"}
    assert library.paper("2601.00001") == paper(1)
    library.set_note("2601.00001", "   ")
    assert library.note("2601.00001") == ""
    assert library.view().notes == frozenset()


def test_read_marks(library):
    assert library.mark_read([paper(1), "2601.00002"]) == 2
    assert library.mark_read(["2601.00002"]) == 0
    assert library.read_ids() == {"2601.00001", "2601.00002"}
    assert library.mark_read(["2601.00001"], read=False) == 1
    assert library.read_ids() == {"2601.00002"}


def test_saved_filters(library):
    library.save_filter("hot", "upvotes:>=50")
    library.save_filter("Agents", "kw:agent")
    library.save_filter("hot", "upvotes:>=100")
    assert library.saved_filters() == [("Agents", "kw:agent"), ("hot", "upvotes:>=100")]
    with pytest.raises(QueryError):
        library.save_filter("broken", "(unclosed")
    with pytest.raises(InvalidInput):
        library.save_filter("  ", "x")
    assert library.delete_filter("hot") and not library.delete_filter("hot")


# --- the view for the filter bar ------------------------------------------------------------


def test_view_serves_queries_and_is_cached_per_revision(library):
    library.star([paper(1)])
    library.add_tags([paper(2)], ["LLM"])
    view = library.view()
    assert library.view() is view
    papers = [paper(1), paper(2), paper(3)]
    found = compile_query("is:starred OR tag:llm").filter(papers, SearchIndex(papers), view)
    assert [p.id for p in found] == ["2601.00001", "2601.00002"]
    revision = library.revision
    library.mark_read(["2601.00003"])
    assert library.revision > revision
    assert library.view() is not view


def test_changes_from_another_connection_are_noticed(tmp_path):
    path = tmp_path / "lib.sqlite3"
    with Library.open(path) as mine, Library.open(path) as theirs:
        assert mine.starred_ids() == frozenset()
        revision = mine.revision
        theirs.star([paper(1)])
        assert mine.starred_ids() == {"2601.00001"}
        assert mine.revision > revision
        assert mine.refresh() is False


# --- concurrency and durability -------------------------------------------------------------


def test_two_connections_writing_from_two_threads(tmp_path):
    path = tmp_path / "lib.sqlite3"
    Library.open(path).close()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            with Library.open(path) as library:
                start.wait()
                for n in range(offset, offset + 100):
                    library.star([paper(n)])
                    library.add_tags([f"2601.{n:05d}"], [f"t{offset}"])
        except BaseException as error:  # surfaced below: a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(offset,)) for offset in (0, 1000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Library.open(path) as library:
        assert len(library.starred_ids()) == 200
        assert library.all_tags() == [("t0", 100), ("t1000", 100)]


def test_one_library_object_shared_by_threads(library):
    def writer(offset: int) -> None:
        for n in range(offset, offset + 50):
            library.star([paper(n)])

    threads = [threading.Thread(target=writer, args=(offset,)) for offset in (0, 100, 200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(library.starred_ids()) == 150


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from papershelf.core.model import Paper
    from papershelf.data.library import Library

    path, offset, count = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    library = Library.open(path)
    assert library.available, library.problem
    print("ready", flush=True)
    sys.stdin.readline()
    for n in range(offset, offset + count):
        paper_id = f"2601.{n:05d}"
        library.star([Paper(id=paper_id, title=f"Paper {n}")])
        library.set_note(paper_id, f"note {n}")
        print(paper_id, flush=True)  # only after both commits returned
    """
)


def start_writer(path: Path, offset: int, count: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(offset), str(count)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


def test_two_processes_writing_at_once(tmp_path):
    path = tmp_path / "lib.sqlite3"
    Library.open(path).close()
    writers = [start_writer(path, offset, 150) for offset in (0, 5000)]
    for process in writers:  # both are open and waiting: release them together
        process.stdin.write("go\n")
        process.stdin.flush()
    for process in writers:
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0
        assert len(out.split()) == 150
    with Library.open(path) as library:
        assert len(library.starred_ids()) == 300
        assert library.note("2601.05149") == "note 5149"


def test_sigkill_during_a_burst_loses_nothing_reported(tmp_path):
    path = tmp_path / "lib.sqlite3"
    Library.open(path).close()
    process = start_writer(path, 0, 100_000)
    process.stdin.write("go\n")
    process.stdin.flush()
    reported = []
    while len(reported) < 300:
        line = process.stdout.readline()
        assert line, "the writer stopped early"
        reported.append(line.strip())
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    reported.extend(line.strip() for line in process.stdout.read().split())
    process.stdout.close()
    process.stdin.close()
    with Library.open(path) as library:
        assert library.available, library.problem
        starred = library.starred_ids()
        assert set(reported) <= starred
        for paper_id in reported[-5:]:
            assert library.note(paper_id) == f"note {int(paper_id[5:])}"
        assert library.paper(reported[-1]).title == f"Paper {int(reported[-1][5:])}"


# --- backup and restore ---------------------------------------------------------------------


def fill(library: Library) -> None:
    library.star([paper(1, upvotes=5, authors=(Author("Ada"),)), paper(2)])
    library.add_tags([paper(3)], ["LLM", "to-read"])
    library.set_note(paper(1), "First thoughts\nwith two lines")
    library.mark_read(["2601.00001", "2601.00009"])
    library.save_filter("hot", "upvotes:>=50 sort:upvotes")


def without_time_of_export(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "exported_at"}


def test_backup_restore_round_trip_is_lossless(tmp_path):
    with Library.open(tmp_path / "a.sqlite3") as original:
        fill(original)
        data = original.backup()
    text = json.dumps(data)  # must be plain JSON
    with Library.open(tmp_path / "b.sqlite3") as copy:
        report = copy.restore(json.loads(text))
        assert (report.stars, report.tags, report.notes, report.read, report.filters) == (
            2,
            2,
            1,
            2,
            1,
        )
        assert report.papers == 3
        assert without_time_of_export(copy.backup()) == without_time_of_export(data)
        assert copy.starred_papers() == Library.open(tmp_path / "a.sqlite3").starred_papers()


def test_restore_merges_and_never_removes(library, tmp_path):
    with Library.open(tmp_path / "other.sqlite3") as other:
        fill(other)
        other.set_note("2601.00001", "Their note")
        other.save_filter("hot", "upvotes:>=10")
        data = other.backup()
    library.star([paper(50)])
    library.set_note("2601.00001", "My note")
    library.save_filter("hot", "upvotes:>=999")
    report = library.restore(data)
    assert report.notes_merged == 1 and report.filters == 1
    assert library.note("2601.00001") == "My note\n\n---\nTheir note"
    assert dict(library.saved_filters()) == {
        "hot": "upvotes:>=999",
        "hot (restored)": "upvotes:>=10",
    }
    assert "2601.00050" in library.starred_ids()
    assert library.restore(data).total == 0  # a second restore adds nothing
    assert report.summary().startswith("added 2 stars")


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"format": "something else"},
        {"format": "papershelf-library-backup", "version": 99},
        {"format": "papershelf-library-backup", "version": 1, "stars": [{"id": 1}]},
        {"format": "papershelf-library-backup", "version": 1, "stars": "x"},
        {
            "format": "papershelf-library-backup",
            "version": 1,
            "tags": [{"id": "2601.00001", "tag": "", "added_at": "2026"}],
        },
    ],
)
def test_restore_rejects_what_is_not_a_backup(library, data):
    with pytest.raises(InvalidInput):
        library.restore(data)
    assert library.stats().stars == 0
