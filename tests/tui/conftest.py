"""Fixtures every reader test shares: a still cursor and a library in the test's own folder."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from papershelf.data.library import Library


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    """A blinking cursor makes screens differ from one frame to the next."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def library(tmp_path):
    with Library.open(tmp_path / "library.sqlite") as opened:
        yield opened
