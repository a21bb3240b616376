"""The remote search prompt: asks for a query sent to the Hugging Face paper search."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from papershelf.tui.bindings import bindings_for
from papershelf.tui.dialogs.base import Dialog

MAX_QUERY_LENGTH = 250
"""The search endpoint rejects longer queries."""


class SearchPrompt(Dialog[str | None]):
    """Returns the query (stripped, non-empty) or None when cancelled with Esc."""

    BINDINGS = bindings_for("search")

    DEFAULT_CSS = """
    SearchPrompt {
        align: center middle;
        & > Vertical {
            width: 70; max-width: 100%; height: auto;
            border: round $accent; background: $surface; padding: 0 1;
        }
        & .search--hint { color: $text-muted; }
        & Input { margin: 1 0 0 0; }
    }
    """

    def __init__(self, initial: str = "") -> None:
        super().__init__()
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Search Hugging Face papers")
            yield Static(
                Content("Enter a query; results replace the list. Esc cancels."),
                classes="search--hint",
            )
            yield Input(
                value=self.initial,
                placeholder="e.g. alignment, diffusion transformers",
                max_length=MAX_QUERY_LENGTH,
                id="search-input",
            )

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        query = event.value.strip()
        self.dismiss(query or None)
