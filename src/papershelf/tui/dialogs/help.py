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
            for title, rows in help_rows(self.keymap):
                yield Static(Content(title), classes="help--section")
                lines = [
                    Content.assemble(
                        (f"  {keys:<16}", "bold"), f"{description:<28}", (binding_id, "dim")
                    )
                    for keys, description, binding_id in rows
                ]
                yield Static(Content("\n").join(lines), classes="help--row")
            yield Static(Content(FILTER_HELP), classes="help--about")
