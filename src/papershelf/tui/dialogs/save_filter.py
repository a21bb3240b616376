"""Asks for a name under which to save the current filter query."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Label

from papershelf.core.text import clean_line, fold
from papershelf.tui.dialogs.base import Dialog


class SaveFilter(Dialog[str | None]):
    """Name the query; dismisses with the name (Enter or `ctrl+s`) or None (`escape`)."""

    DEFAULT_CSS = """
    SaveFilter {
        align: center middle;
    }
    SaveFilter > #save-filter-dialog {
        width: 64;
        max-width: 90%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    SaveFilter #save-filter-query {
        height: auto;
        max-height: 3;
        margin-bottom: 1;
    }
    SaveFilter #save-filter-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self, query: str, *, existing_names: Iterable[str] = (), initial_name: str = ""
    ) -> None:
        """`query` is the text to save; `existing_names` lets the dialog warn before replacing."""
        super().__init__()
        self.query_text = clean_line(query)
        """The query being saved (shown, never edited here)."""
        self.existing_names = {fold(existing): existing for existing in existing_names}
        self.initial_name = clean_line(initial_name)

    def compose(self) -> ComposeResult:
        with Vertical(id="save-filter-dialog") as dialog:
            dialog.border_title = "Save filter"
            yield Label(
                Content.assemble(("Query: ", "dim"), self.query_text), id="save-filter-query"
            )
            yield Input(self.initial_name, placeholder="name", id="save-filter-name")
            yield Label(self._hint(self.initial_name), id="save-filter-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _hint(self, name: str) -> str:
        cleaned = clean_line(name)
        if not cleaned:
            return "Type a name · Enter save · Esc cancel"
        if fold(cleaned) in self.existing_names:
            return f"Enter replaces the saved filter “{self.existing_names[fold(cleaned)]}”"
        return "Enter save · Esc cancel"

    @on(Input.Changed, "#save-filter-name")
    def _name_changed(self, event: Input.Changed) -> None:
        self.query_one("#save-filter-hint", Label).update(Content(self._hint(event.value)))

    @on(Input.Submitted, "#save-filter-name")
    def _name_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        name = clean_line(self.query_one(Input).value)
        if not name:
            self.query_one("#save-filter-hint", Label).update(
                Content("A saved filter needs a name · Esc cancel")
            )
            return
        self.dismiss(name)
