"""The copy register (`"`): the last copies, newest first, selectable with the mouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, TextArea
from textual.widgets.option_list import Option


class RegisterItem(Protocol):
    """One copy kept in the register (`data.clipboard.RegisterEntry` has this shape)."""

    @property
    def what(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def when(self) -> dt.datetime: ...


def _entry_label(entry: RegisterItem) -> Content:
    first_line = entry.text.strip().splitlines()[0] if entry.text.strip() else ""
    return Content.assemble(
        (entry.when.strftime("%H:%M:%S"), "dim"),
        "  ",
        (entry.what, "bold"),
        "  ",
        (first_line[:80], "dim"),
    )


class RegisterScreen(ModalScreen[str | None]):
    """The register: pick a copy on the list, its full text shows below (read-only).

    Enter on the list dismisses with that text so the app can copy it again; the text area
    is there for selecting by mouse when no clipboard reaches the desktop.
    """

    DEFAULT_CSS = """
    RegisterScreen {
        align: center middle;
    }
    RegisterScreen > Vertical {
        width: 90%;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    RegisterScreen.-empty > Vertical {
        height: auto;
        width: 40;
        padding: 1 2;
    }
    RegisterScreen #register-entries {
        height: auto;
        max-height: 8;
        border: none;
        padding: 0;
        /* One line per copy, however narrow the terminal: the text area shows it all. */
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    RegisterScreen #register-text {
        height: 1fr;
    }
    RegisterScreen #register-hint {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="register_close"),
    ]

    def __init__(self, entries: Sequence[RegisterItem]) -> None:
        """`entries` newest first, as `Clipboard.register` keeps them."""
        super().__init__()
        self.entries = list(entries)

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Copied"
            if not self.entries:
                yield Label("Nothing copied yet.", id="register-empty")
                return
            yield OptionList(
                *(
                    Option(_entry_label(entry), id=str(index))
                    for index, entry in enumerate(self.entries)
                ),
                id="register-entries",
                compact=True,
            )
            text_area = TextArea(
                self.entries[0].text, read_only=True, soft_wrap=True, id="register-text"
            )
            text_area.cursor_blink = False
            yield text_area
            yield Label(
                "Enter copies again · select text with the mouse · Esc closes", id="register-hint"
            )

    def on_mount(self) -> None:
        # A "Copied …" toast would draw over the dialog, which lists that very copy.
        self.app.clear_notifications()
        self.set_class(not self.entries, "-empty")
        if self.entries:
            entries = self.query_one("#register-entries", OptionList)
            entries.highlighted = 0
            entries.focus()

    @property
    def shown_text(self) -> str:
        """The text in the text area (the highlighted copy)."""
        if not self.entries:
            return ""
        return self.query_one("#register-text", TextArea).text

    @on(OptionList.OptionHighlighted, "#register-entries")
    def _entry_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        entry = self.entries[event.option_index]
        text_area = self.query_one("#register-text", TextArea)
        if text_area.text != entry.text:
            text_area.load_text(entry.text)

    @on(OptionList.OptionSelected, "#register-entries")
    def _entry_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.entries[event.option_index].text)

    def action_close(self) -> None:
        """Close the register."""
        self.dismiss(None)
