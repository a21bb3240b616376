"""Fixtures the reader tests share: a still cursor, a library in the test's folder, a local hub."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from papershelf.data.library import Library
from tests.data.hubserver import hub_endpoint, serve_days
from tests.tui.support import TODAY


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    """A blinking cursor makes screens differ from one frame to the next."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def library(tmp_path):
    with Library.open(tmp_path / "library.sqlite") as opened:
        yield opened


@pytest.fixture
def hub(httpserver, sample_days, monkeypatch):
    """The bundled sample days replayed by a local server that papershelf talks to."""
    replay = serve_days(httpserver, sample_days, latest=TODAY.isoformat(), today=TODAY)
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    return replay
