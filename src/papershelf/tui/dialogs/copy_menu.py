"""The copy menu: every link and citation format, one key each; dismisses with the format id.

Its entries, keys and names are `core.cite.COPY_FORMATS`, the table the CLI and palette read.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from papershelf.core.cite import COPY_FORMATS, CopyFormat
from papershelf.tui.bindings import bindings_for
from papershelf.tui.dialogs.base import Dialog


class CopyMenu(Dialog[str | None]):
    """Pick what to copy: press a format's key, or move with the arrows and press Enter."""

    DEFAULT_CSS = """
    CopyMenu {
        align: center middle;
    }
    CopyMenu > Vertical {
        width: 44;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    CopyMenu #copy-menu-subject {
        color: $text-muted;
        width: 100%;
        margin-bottom: 1;
    }
    CopyMenu OptionList {
        height: auto;
        max-height: 16;
        border: none;
        padding: 0;
    }
    """

    BINDINGS = [
        *bindings_for("copy_menu"),
        *(
            Binding(choice.key, f"choose('{choice.id}')", choice.label, show=False)
            for choice in COPY_FORMATS
        ),
    ]

    def __init__(self, subject: str = "", choices: tuple[CopyFormat, ...] = COPY_FORMATS) -> None:
        """`subject` names what is copied, e.g. a paper title or "3 papers" (shown literally)."""
        super().__init__()
        self.subject = subject
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Copy"
            if self.subject:
                yield Label(self.subject, id="copy-menu-subject", markup=False)
            yield OptionList(
                *(
                    Option(
                        Content.assemble((f" {choice.key} ", "bold reverse"), " ", choice.label),
                        id=choice.id,
                    )
                    for choice in self.choices
                ),
                id="copy-menu-options",
                compact=True,
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self, format_id: str) -> None:
        """Dismiss with `format_id` (a key was pressed)."""
        if any(choice.id == format_id for choice in self.choices):
            self.dismiss(format_id)
