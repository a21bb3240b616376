"""The base of every dialog: centred over the reader, one border style, Esc dismisses with None."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal dialog; each lays out one box with a `round $accent` border (tested), and binds
    its keys in the key registry."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    """

    def action_cancel(self) -> None:
        """Close without a result."""
        self.dismiss(None)

    def action_close(self) -> None:
        """Close without a result."""
        self.dismiss(None)
