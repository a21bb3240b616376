"""The filter bar: a one-line query input that narrows the list as you type."""

from __future__ import annotations

from dataclasses import dataclass

from rich.highlighter import Highlighter
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from papershelf.tui.bindings import FILTER_BINDINGS
from papershelf.tui.widgets.plain_text import show_plain

FILTER_HELP = (
    "Words narrow the list: every word must appear in the title, abstract, authors, "
    "organisation or keywords (case and accents ignored)."
)
"""What the help screen says about the filter bar."""


class ErrorSpanHighlighter(Highlighter):
    """Underlines the part of the query where parsing failed."""

    def __init__(self) -> None:
        self.span: tuple[int, int] | None = None

    def highlight(self, text: Text) -> None:
        if self.span is None:
            return
        start, end = self.span
        if end <= start:
            end = start + 1
        text.stylize("reverse", start, min(end, len(text.plain) or 1))


@dataclass
class _FilterBarMessage(Message):
    """What every filter bar message carries. Never posted itself: handlers matching a message
    class also receive its subclasses, so the three messages are siblings, not one another's."""

    filter_bar: FilterBar

    @property
    def control(self) -> FilterBar:
        return self.filter_bar


class FilterBar(Vertical):
    """`/ query…  message`: posts `Changed` as the text changes, `Submitted` on Enter."""

    BINDINGS = FILTER_BINDINGS

    # The row holds the prompt, the input and a short message; a failing query's whole reason
    # goes on a line of its own below, wrapped, so it is never cut off at 80 columns.
    DEFAULT_CSS = """
    FilterBar {
        height: auto;
        background: $panel;
        & > .filter-bar--row { height: 1; }
        & .filter-bar--prompt { width: 3; color: $text-muted; padding: 0 0 0 1; }
        &:focus-within .filter-bar--prompt { color: $accent; text-style: bold; }
        & Input { width: 1fr; height: 1; border: none; padding: 0; background: $panel; }
        & Input:focus { background: $boost; }
        & .filter-bar--message { width: auto; max-width: 60%; color: $text-muted; padding: 0 1; }
        &.-error .filter-bar--message { color: $error; }
        & > .filter-bar--error {
            display: none; height: auto; width: 1fr; padding: 0 1 0 3; color: $error;
        }
        &.-error > .filter-bar--error { display: block; }
    }
    """

    @dataclass
    class Changed(_FilterBarMessage):
        """The query text changed."""

        text: str

    @dataclass
    class Submitted(_FilterBarMessage):
        """Enter or Down: keep the filter and go back to the list."""

        text: str

    @dataclass
    class Cleared(_FilterBarMessage):
        """Esc: the filter was emptied; go back to the list."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._highlighter = ErrorSpanHighlighter()

    def compose(self) -> ComposeResult:
        with Horizontal(classes="filter-bar--row"):
            yield Static(Content("/"), classes="filter-bar--prompt")
            yield Input(
                placeholder="filter: words in title, abstract, authors, keywords…",
                highlighter=self._highlighter,
                compact=True,
                id="filter-input",
                select_on_focus=False,
            )
            yield Static(Content(""), classes="filter-bar--message", id="filter-message")
        yield Static(Content(""), classes="filter-bar--error", id="filter-error")

    @property
    def input(self) -> Input:
        return self.query_one("#filter-input", Input)

    @property
    def text(self) -> str:
        """The current query text."""
        return self.input.value

    def set_text(self, text: str) -> None:
        """Put `text` in the bar (posts `Changed`)."""
        self.input.value = text
        self.input.cursor_position = len(text)

    def show_count(self, shown: int, loaded: int) -> None:
        """`12 of 40` while a filter is active; nothing otherwise."""
        self._highlighter.span = None
        self.remove_class("-error")
        message = f"{shown:,} of {loaded:,}" if self.text.strip() else ""
        show_plain(self.query_one("#filter-message", Static), message)
        self.input.refresh()

    def show_error(self, reason: str, start: int, end: int) -> None:
        """Underline the failing span and say what is wrong there."""
        self._highlighter.span = (start, end)
        self.add_class("-error")
        self.query_one("#filter-message", Static).update(Content(f"⚠ at {start + 1}"))
        self.query_one("#filter-error", Static).update(Content(reason))
        self.input.refresh()

    @on(Input.Changed, "#filter-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, event.value))

    @on(Input.Submitted, "#filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(self, event.value))

    def action_clear(self) -> None:
        self.input.value = ""
        self.post_message(self.Cleared(self))

    def action_leave(self) -> None:
        self.post_message(self.Submitted(self, self.text))
