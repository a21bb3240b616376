"""The note editor: a modal multi-line text area for a short note kept with a paper."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from papershelf.core.errors import PapershelfError
from papershelf.core.text import clean_line, strip_control


class NoteEditor(ModalScreen[str | None]):
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
        border: thick $primary;
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
        Binding("ctrl+o", "external_editor", "$EDITOR"),  # ctrl+e is TextArea's line end
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
            yield Label(
                "Ctrl+S save · Ctrl+O edit in $VISUAL/$EDITOR · Esc cancel",
                id="note-help",
                markup=False,
            )

    def on_mount(self) -> None:
        text_area = self.query_one(TextArea)
        text_area.focus()
        text_area.move_cursor(text_area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_external_editor(self) -> None:
        """Hand the note to the user's own editor (as `papershelf config --edit` does)."""
        from textual.app import SuspendNotSupported

        from papershelf.data.external_editor import edit_text, editor_command

        command = editor_command()
        if command is None:
            self.notify("Set VISUAL or EDITOR to choose an editor.", markup=False)
            return
        text_area = self.query_one(TextArea)
        try:
            with self.app.suspend():
                edited = edit_text(text_area.text, command)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to an editor.", markup=False)
            return
        except PapershelfError as error:
            self.notify(error.message, severity="error", markup=False)
            return
        if edited is None:
            self.notify("The editor failed; the note is unchanged.", markup=False)
            return
        text_area.text = strip_control(edited).rstrip("\n")
        text_area.move_cursor(text_area.document.end)

    def action_cancel(self) -> None:
        self.dismiss(None)
