"""The help screen: every key binding, generated from the key registry, grouped by pane."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from papershelf.core.keymap import help_rows
from papershelf.tui.bindings import bindings_for
from papershelf.tui.dialogs.base import Dialog
from papershelf.tui.widgets.filter_bar import FILTER_HELP
from papershelf.tui.widgets.paper_list import MARKER_LEGEND


def help_lines(
    sections: list[tuple[str, list[tuple[str, str, str]]]],
) -> list[tuple[str, list[Content]]]:
    """Rows as aligned lines: the key column is as wide as the widest keys, plus a gap.

    (A fixed width ran `PgDn ctrl+d Space` into its description.)
    """
    rows = [row for _, section_rows in sections for row in section_rows]
    key_width = max((len(keys) for keys, _, _ in rows), default=0) + 2
    text_width = min(max((len(text) for _, text, _ in rows), default=0), 40) + 2
    return [
        (
            title,
            [
                Content.assemble(
                    (f"  {keys:<{key_width}}", "bold"), f"{text:<{text_width}}", (binding_id, "dim")
                )
                for keys, text, binding_id in section_rows
            ],
        )
        for title, section_rows in sections
    ]


class HelpScreen(Dialog[None]):
    """A modal listing every binding; Esc, q or ? closes it."""

    BINDINGS = bindings_for("help")

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 84; max-width: 100%; height: 90%;
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
            for title, lines in help_lines(help_rows(self.keymap)):
                yield Static(Content(title), classes="help--section")
                yield Static(Content("\n").join(lines), classes="help--row")
            yield Static(Content("Row markers"), classes="help--section")
            legend = [
                Content.assemble((f"  {mark}  ", "bold"), text) for mark, text in MARKER_LEGEND
            ]
            yield Static(Content("\n").join(legend), classes="help--row")
            yield Static(Content(FILTER_HELP), classes="help--about")
