"""Plain text in a `Static`, cheaply: nothing when unchanged, no layout when its width is."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static


def show_plain(widget: Static, text: str) -> None:
    """Show `text` in `widget` as data (never markup).

    A counter ticking on every filter keystroke would otherwise lay out the whole screen each
    time; the layout is only needed when the text's width changes.
    """
    current = widget.content
    if isinstance(current, Content):
        if current.plain == text:
            return
        widget.update(Content(text), layout=cell_len(current.plain) != cell_len(text))
    else:
        widget.update(Content(text))
