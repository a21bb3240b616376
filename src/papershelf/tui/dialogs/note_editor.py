"""The note editor: a modal multi-line text area for a short note kept with a paper."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, TextArea

from papershelf.core.text import clean_line, strip_control
from papershelf.tui.dialogs.base import Dialog


class NoteEditor(Dialog[str | None]):
    """Edit a note; dismisses with the text (`ctrl+s`) or None (`escape`)."""

    DEFAULT_CSS = """
    NoteEditor {
        align: center middle;
    }
    NoteEditor > #note-dialog {
        width: 72;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    NoteEditor #note-subject {
        width: 100%;
        color: $text-muted;
        height: auto;
        max-height: 2;
        margin-bottom: 1;
    }
    NoteEditor #note-text {
        height: 10;
    }
    NoteEditor #note-help {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, text: str = "", *, subject: str = "") -> None:
        """`text` is the current note; `subject` names the paper it belongs to."""
        super().__init__()
        self.initial_text = strip_control(text)
        """The note as it was when the editor opened."""
        self.subject = clean_line(subject)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as dialog:
            dialog.border_title = "Note"
            if self.subject:
                yield Label(Content(self.subject), id="note-subject")
            # tab_behavior="focus" keeps escape free for cancelling (indent mode would take it).
            yield TextArea(
                self.initial_text,
                id="note-text",
                soft_wrap=True,
                tab_behavior="focus",
                show_line_numbers=False,
            )
            yield Label("Ctrl+S save · Esc cancel", id="note-help", markup=False)

    def on_mount(self) -> None:
        text_area = self.query_one(TextArea)
        text_area.focus()
        text_area.move_cursor(text_area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())
