"""Snapshots of the main screen in two themes: a light built-in one and `terminal`."""

from __future__ import annotations

from papershelf.data.config import Settings
from papershelf.tui.app import PapershelfApp, make_app
from papershelf.tui.themes import TERMINAL_THEME
from tests.tui.support import NOW, settled


def themed_reader(theme: str) -> PapershelfApp:
    """The reader on the bundled sample, offline, at a fixed time, in `theme`."""
    return make_app(
        settings=Settings(theme=theme, read_after_seconds=-1),
        offline=True,
        restore_session=False,
        clock=lambda: NOW,
    )


def test_light_theme(snap_compare):
    """`textual-light`: cursor, upvotes, markers and status read well on a light background."""
    assert snap_compare(themed_reader("textual-light"), terminal_size=(120, 35), run_before=settled)


def test_terminal_theme(snap_compare):
    """`terminal`: ANSI colours and the terminal's own background, nothing painted over it."""
    assert snap_compare(themed_reader(TERMINAL_THEME), terminal_size=(120, 35), run_before=settled)
