"""A small chooser: one of a few options (an author of a paper, a watch), Esc to cancel."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from papershelf.tui.bindings import bindings_for
from papershelf.tui.dialogs.base import Dialog


class PickDialog(Dialog[str | None]):
    """Returns the chosen option's value, or None when cancelled."""

    BINDINGS = bindings_for("pick")

    DEFAULT_CSS = """
    PickDialog {
        & > Vertical {
            width: 70; max-width: 100%; height: auto; max-height: 80%;
            border: round $accent; background: $surface; padding: 0 1;
        }
        & OptionList { height: auto; max-height: 20; border: none; }
    }
    """

    def __init__(self, title: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        """(label shown, value returned) pairs; labels are plain text."""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(self.title_text)
            yield OptionList(
                *(Option(Content(label), id=str(n)) for n, (label, _) in enumerate(self.options)),
                id="pick-options",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#pick-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.options[int(event.option.id or 0)][1])
