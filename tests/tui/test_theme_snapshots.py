"""Snapshots of the main screen in two themes: a light built-in one and `terminal`."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

import papershelf.tui.app
from papershelf.core.model import Author, Paper
from papershelf.data.config.schema import Settings
from papershelf.tui.app import PapershelfApp, make_app
from papershelf.tui.contrast import readable_variables
from papershelf.tui.themes import TERMINAL_THEME
from papershelf.tui.widgets.paper_list import PaperList
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


class CursorRowApp(App[None]):
    """Three rows of the list, the middle one under the cursor, in `theme`, styled as the reader."""

    CSS_PATH = Path(papershelf.tui.app.__file__).with_name("app.tcss")

    def __init__(self, theme: str) -> None:
        super().__init__()
        self.wanted_theme = theme

    def get_css_variables(self) -> dict[str, str]:
        variables = super().get_css_variables()
        variables.update(readable_variables(variables))
        return variables

    def compose(self) -> ComposeResult:
        yield PaperList()

    def on_mount(self) -> None:
        self.theme = self.wanted_theme
        paper_list = self.query_one(PaperList)
        paper_list.set_papers(
            [
                Paper(id="2608.00001", title="A paper above the cursor", upvotes=12),
                Paper(
                    id="2608.00002",
                    title="The highlighted paper has a title long enough to need the free width",
                    authors=(Author("Chengsong Huang"),),
                    upvotes=163,
                    github="https://github.com/a/b",
                ),
                Paper(id="2608.00003", title="A paper below", upvotes=7),
            ]
        )
        paper_list.move_cursor(1)
        paper_list.focus()


def test_cursor_row_dark(snap_compare):
    """Every cell of the cursor row (upvotes, title, author, markers) on one band, dark theme."""
    assert snap_compare(CursorRowApp("textual-dark"), terminal_size=(100, 3))


def test_cursor_row_light(snap_compare):
    """The same in `textual-light`: no black band under the title or the author."""
    assert snap_compare(CursorRowApp("textual-light"), terminal_size=(100, 3))
