"""Session state: saved atomically as JSON, and a missing or corrupt file is an empty session."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from papershelf.data import paths
from papershelf.data.session import load_session, save_session


def test_round_trip():
    """What the reader saves comes back on the next start."""
    state = {
        "view": "daily",
        "value": "2026-08-21",
        "was_latest": True,
        "filter": "diffusion ⭐",
        "paper_id": "2608.15265",
        "theme": "nord",
    }
    assert save_session(state) is True
    assert load_session() == state


def test_missing_file_is_an_empty_session():
    assert load_session() == {}


@pytest.mark.parametrize("content", ["", "{", "[1, 2]", '"text"', "null", '{"view": '])
def test_corrupt_file_is_an_empty_session(content):
    """A truncated or foreign file never stops the reader."""
    path = paths.session_file()
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    assert load_session() == {}


def test_binary_garbage_is_an_empty_session():
    path = paths.session_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert load_session() == {}


def test_dates_are_stored_as_text():
    save_session({"value": dt.date(2026, 8, 21)})
    assert load_session() == {"value": "2026-08-21"}


def test_unstorable_values_are_a_programming_error():
    with pytest.raises(TypeError):
        save_session({"value": object()})


def test_write_is_atomic_and_leaves_no_temporary_files():
    """A save replaces the whole file; no temporary sibling is left behind."""
    save_session({"view": "week"})
    save_session({"view": "month"})
    folder = paths.session_file().parent
    assert [p.name for p in folder.iterdir()] == ["session.json"]
    assert json.loads(paths.session_file().read_text(encoding="utf-8")) == {"view": "month"}


def test_failed_write_keeps_the_old_session(monkeypatch):
    """When the disk refuses, save returns False and the last good session survives."""
    save_session({"view": "week"})

    def refuse(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("papershelf.data.atomic.os.replace", refuse)
    assert save_session({"view": "month"}) is False
    assert load_session() == {"view": "week"}
    folder = paths.session_file().parent
    assert [p.name for p in folder.iterdir()] == ["session.json"]


def test_unwritable_folder_returns_false(isolated_home):
    """A data folder that cannot be created (a file is in the way) is not a crash."""
    isolated_home.mkdir(parents=True, exist_ok=True)
    (isolated_home / "data").write_text("not a folder")
    assert save_session({"view": "week"}) is False
