"""The help screen: every key binding, generated from the key registry, grouped by pane."""

from __future__ import annotations

import textwrap

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from papershelf.core.keymap import help_rows
from papershelf.tui.bindings import bindings_for
from papershelf.tui.dialogs.base import Dialog
from papershelf.tui.widgets.filter_bar import FILTER_HELP
from papershelf.tui.widgets.paper_list import MARKER_LEGEND

DIALOG_WIDTH = 96
"""The dialog's widest width; a narrower terminal gets all of its columns."""
FRAME_WIDTH = 6
"""Columns the dialog's border, padding and scrollbar take."""
HELP_WIDTH = DIALOG_WIDTH - FRAME_WIDTH
"""Columns inside the dialog at its widest."""


def help_lines(
    sections: list[tuple[str, list[tuple[str, str, str]]]], width: int = HELP_WIDTH
) -> list[tuple[str, list[Content]]]:
    """Rows as aligned columns: keys, what they do, id; a long description wraps in its column.

    The key column is as wide as the widest keys, plus a gap (a fixed width ran
    `PgDn ctrl+d Space` into its description); the description gets what the keys and the
    longest id leave, so no id is pushed onto a line of its own.
    """
    rows = [row for _, section_rows in sections for row in section_rows]
    key_width = max((len(keys) for keys, _, _ in rows), default=0) + 2
    id_width = max((len(binding_id) for _, _, binding_id in rows), default=0)
    longest_text = max((len(text) for _, text, _ in rows), default=0)
    text_width = max(min(longest_text, width - 2 - key_width - id_width - 2), 16) + 2
    indent = " " * (2 + key_width)

    def line(keys: str, text: str, binding_id: str) -> Content:
        parts = textwrap.wrap(text, text_width - 2) or [""]
        first = Content.assemble(
            (f"  {keys:<{key_width}}", "bold"), f"{parts[0]:<{text_width}}", (binding_id, "dim")
        )
        rest = [Content(indent + part) for part in parts[1:]]
        return Content("\n").join([first, *rest])

    return [
        (title, [line(keys, text, binding_id) for keys, text, binding_id in section_rows])
        for title, section_rows in sections
    ]


class HelpScreen(Dialog[None]):
    """A modal listing every binding; Esc, q or ? closes it."""

    BINDINGS = bindings_for("help")

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 96; max-width: 100%; height: 90%;
            border: round $accent; background: $surface; padding: 0 1;
        }
        & .help--section { text-style: bold; color: $accent; margin-top: 1; }
        & .help--row { height: auto; }
        & .help--about { color: $text-muted; margin-top: 1; }
    }
    """

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = keymap or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = Content("papershelf — keys")
            scroll.border_subtitle = Content("Esc / q to close")
            for title, lines in help_lines(help_rows(self.keymap), self._inner_width()):
                yield Static(Content(title), classes="help--section")
                yield Static(Content("\n").join(lines), classes="help--row help--keys")
            yield Static(Content("Row markers"), classes="help--section")
            legend = [
                Content.assemble((f"  {mark}  ", "bold"), text) for mark, text in MARKER_LEGEND
            ]
            yield Static(Content("\n").join(legend), classes="help--row")
            yield Static(Content(FILTER_HELP), classes="help--about")

    def _inner_width(self) -> int:
        return min(DIALOG_WIDTH, self.app.size.width) - FRAME_WIDTH

    def on_resize(self) -> None:
        # The columns are laid out for the width there is, so ids never wrap onto a line alone.
        sections = help_lines(help_rows(self.keymap), self._inner_width())
        for static, (_title, lines) in zip(
            self.query(".help--keys").results(Static), sections, strict=True
        ):
            static.update(Content("\n").join(lines))
