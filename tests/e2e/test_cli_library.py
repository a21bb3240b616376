"""`papershelf star|unstar|tag|untag|library` and the helpers `list` uses."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from papershelf.cli import library as cli_library
from papershelf.cli import main
from papershelf.core.model import Paper
from papershelf.core.query.tokens import QueryError
from papershelf.data import paths
from papershelf.data.library import Library
from papershelf.data.library.schema import SCHEMA_VERSION

KNOWN = Paper(id="2601.00001", title="A Known Paper", upvotes=7)


@pytest.fixture
def lookups(monkeypatch):
    """Details lookups answer from a dict instead of the cache and the network."""
    known = {KNOWN.id: KNOWN}
    asked: list[str] = []

    def lookup(paper_ids, *, offline: bool = False) -> dict[str, Paper]:
        asked.extend(paper_ids)
        return {i: known[i] for i in paper_ids if i in known}

    monkeypatch.setattr(cli_library, "lookup_papers", lookup)
    return asked


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_star_keeps_details_and_warns_when_none_are_found(capsys, lookups):
    code, out, err = run(capsys, "star", "2601.00001", "https://arxiv.org/abs/2601.00002v3")
    assert code == 0 and out == ""
    assert "starred: 2601.00001  A Known Paper" in err
    assert "starred: 2601.00002" in err
    assert "no details found for 2601.00002" in err
    with Library.open() as library:
        assert library.starred_ids() == {"2601.00001", "2601.00002"}
        papers = {p.id: p for p in library.starred_papers()}
    assert papers["2601.00001"] == KNOWN


def test_star_twice_says_already_and_uses_the_kept_snapshot(capsys, lookups):
    run(capsys, "star", "2601.00001")
    code, _, err = run(capsys, "star", "2601.00001")
    assert code == 0 and "already starred: 2601.00001" in err
    assert lookups == ["2601.00001"]  # the second time the library already knew it


def test_unstar(capsys, lookups):
    run(capsys, "star", "2601.00001")
    code, out, err = run(capsys, "unstar", "2601.00001", "2601.00003")
    assert code == 0 and out == ""
    assert "unstarred: 2601.00001" in err and "was not starred: 2601.00003" in err
    with Library.open() as library:
        assert library.starred_ids() == frozenset()


def test_tag_and_untag(capsys, lookups):
    code, out, err = run(capsys, "tag", "2601.00001", "LLM", "to read")
    assert code == 0 and out == "" and err.strip() == "2601.00001: LLM to-read"
    code, out, err = run(capsys, "untag", "2601.00001", "llm")
    assert code == 0 and out == "" and err.strip() == "2601.00001: to-read"
    with Library.open() as library:
        assert [p.title for p in library.tagged_papers("to-read")] == ["A Known Paper"]


def test_bad_id_and_bad_tag_are_usage_errors(capsys, lookups):
    code, _, err = run(capsys, "star", "not-an-id")
    assert code == 2 and "papershelf: error: 'not-an-id' is not an arXiv id" in err
    code, _, err = run(capsys, "tag", "2601.00001", "(x)")
    assert code == 2 and "papershelf: error:" in err


def test_library_info(capsys, lookups):
    run(capsys, "star", "2601.00001")
    run(capsys, "tag", "2601.00001", "llm")
    code, out, _ = run(capsys, "library")
    assert code == 0
    assert f"library: {paths.library_file()}" in out
    assert f"schema version: {SCHEMA_VERSION}" in out
    assert "starred papers: 1" in out and "tags: 1 on 1 paper\n" in out


def test_library_info_explains_how_to_recover_a_damaged_file(capsys):
    path = paths.library_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all" * 100)
    code, out, _ = run(capsys, "library")
    assert code == 1
    assert "status: unavailable" in out and "damaged" in out
    assert "Move the file aside" in out and "library restore" in out
    assert path.read_bytes() == b"not a database at all" * 100
    code, _, err = run(capsys, "star", "2601.00001")
    assert code == 1 and "damaged" in err


def test_backup_and_restore(capsys, lookups, tmp_path):
    run(capsys, "star", "2601.00001")
    run(capsys, "tag", "2601.00002", "llm")
    backup_file = tmp_path / "backup.json"
    code, _, err = run(capsys, "library", "backup", str(backup_file))
    assert code == 0 and "backup written" in err
    assert "(1 star, 1 tag, 0 notes, 0 read marks)" in err
    data = json.loads(backup_file.read_text(encoding="utf-8"))
    assert data["format"] == "papershelf-library-backup"

    paths.library_file().unlink()
    code, out, err = run(capsys, "library", "restore", str(backup_file))
    assert code == 0 and out == "" and "added 1 star, 1 tag, 1 paper snapshot" in err
    code, out, err = run(capsys, "library", "restore", str(backup_file))
    assert "nothing new to add" in err
    with Library.open() as library:
        assert library.starred_papers() == [KNOWN]


def test_backup_to_stdout(capsys, lookups):
    run(capsys, "star", "2601.00001")
    code, out, _ = run(capsys, "library", "backup", "-")
    assert code == 0 and json.loads(out)["stars"][0]["id"] == "2601.00001"


def test_restore_of_a_non_backup_is_refused(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "library", "restore", str(bad))
    assert code == 2 and "not a papershelf backup" in err
    code, _, err = run(capsys, "library", "restore", str(tmp_path / "missing.json"))
    assert code == 1 and "Cannot read the backup" in err


# --- helpers for `papershelf list` ------------------------------------------------------------


def test_library_papers(lookups):
    with Library.open() as library:
        library.star([KNOWN, Paper(id="2601.00002", title="Two")])
        library.add_tags(["2601.00002", "2601.00003"], ["llm"])
    ns = argparse.Namespace
    assert cli_library.library_papers(ns(starred=False, tag=None)) is None
    assert [p.id for p in cli_library.library_papers(ns(starred=True, tag=None))] == [
        "2601.00002",
        "2601.00001",
    ]
    assert [p.id for p in cli_library.library_papers(ns(starred=False, tag="LLM"))] == [
        "2601.00003",
        "2601.00002",
    ]
    assert [p.id for p in cli_library.library_papers(ns(starred=True, tag="llm"))] == ["2601.00002"]


def test_apply_filter():
    papers = [KNOWN, Paper(id="2601.00002", title="Other", upvotes=50)]
    assert cli_library.apply_filter(papers, "") == papers
    assert cli_library.apply_filter(papers, "sort:-upvotes") == papers
    assert cli_library.apply_filter(papers, "upvotes:>10") == [papers[1]]
    with Library.open() as library:
        library.star([KNOWN])
        assert cli_library.apply_filter(papers, "is:starred", library) == [KNOWN]
    assert cli_library.apply_filter(papers, "is:starred") == [KNOWN]
    with pytest.raises(QueryError):
        cli_library.apply_filter(papers, "(oops")


def test_real_lookup_gives_none_offline_when_nothing_is_cached():
    assert cli_library.lookup_papers(["2601.00001"], offline=True) == {}


def test_console_script_in_a_subprocess(tmp_path):
    env = {**os.environ, "PAPERSHELF_HOME": str(tmp_path / "home")}
    result = subprocess.run(
        [sys.executable, "-m", "papershelf", "star", "--offline", "2601.00001"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "starred: 2601.00001" in result.stderr and result.stdout == ""
    connection = sqlite3.connect(tmp_path / "home" / "data" / "library.sqlite3")
    assert connection.execute("SELECT id FROM stars").fetchall() == [("2601.00001",)]
    connection.close()


def test_tag_accepts_comma_separated_tags(capsys, lookups):
    code, _, _ = run(capsys, "tag", "2601.00001", "llm,to read", "vision")
    assert code == 0
    with Library.open() as library:
        assert sorted(library.tags_of("2601.00001")) == ["llm", "to-read", "vision"]
    code, _, err = run(capsys, "untag", "2601.00001", "llm,vision")
    assert err.strip() == "2601.00001: to-read"


def test_tag_with_a_forbidden_character_is_explained(capsys, lookups):
    code, _, err = run(capsys, "tag", "2601.00001", "a(b)")
    assert code == 2
    assert "cannot contain quotes, parentheses or commas" in err
