"""The status line: which list is shown, how many papers, where they came from, a spinner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from papershelf.tui.display import plural
from papershelf.tui.widgets.plain_text import show_plain

SPINNER_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
"""Braille spinner shown while a list is loading."""


def describe_count(shown: int, loaded: int) -> str:
    """`40 papers` when every paper is shown, `12 of 40 papers` while some are filtered out."""
    if shown == loaded:
        return plural(loaded, "paper")
    return f"{shown:,} of {plural(loaded, 'paper')}"


FILTER_SHOWN_CHARS = 24
"""The status line shows this much of a long filter (the filter bar has all of it)."""


def describe_filter(text: str) -> str:
    """`filter “agent” · Esc clears`: the filter follows the reader into every list."""
    if not text:
        return ""
    shown = text if len(text) <= FILTER_SHOWN_CHARS else text[: FILTER_SHOWN_CHARS - 1] + "…"
    return f"filter “{shown}” · Esc clears"


class StatusLine(Horizontal):
    """`papershelf  Daily · Fri 2026-08-21   12 of 40 papers   live ⠋`."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $primary-background;
        color: $text;
        & > Static { width: auto; height: 1; }
        & > .status--brand { color: $accent; text-style: bold; padding: 0 1; }
        & > .status--label { text-style: bold; padding: 0 1; }
        & > .status--count { color: $text-muted; padding: 0 1; }
        & > .status--filter { color: $text-warning; padding: 0 1; display: none; }
        & > .status--keepup { color: $accent; padding: 0 1; }
        & > .status--spacer { width: 1fr; }
        & > .status--spinner { color: $accent; width: 2; }
        & > .status--source { color: $text-muted; padding: 0 1; }
        &.-offline > .status--source { color: $warning; }
        &.-sample > .status--source { color: $warning; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.label = ""
        """The list's label, e.g. `Daily · Fri 2026-08-21`."""
        self.shown = 0
        self.loaded = 0
        self.filter_text = ""
        """The active filter ("" for none): it applies to every list until cleared."""
        self.keepup = ""
        """New papers and watches with new matches, e.g. `12 new · rlhf 3`."""
        self.source = ""
        """`live`, `cached 12 min ago`, `offline — cached 2 days ago`, `sample`."""
        self._spinner_timer: Timer | None = None
        self._frame = 0

    def compose(self) -> ComposeResult:
        yield Static(Content("papershelf"), classes="status--brand")
        yield Static(Content(""), classes="status--label", id="status-label")
        yield Static(Content(""), classes="status--count", id="status-count")
        yield Static(Content(""), classes="status--filter", id="status-filter")
        keepup = Static(Content(""), classes="status--keepup", id="status-keepup")
        keepup.display = False  # takes no room until there is something new
        yield keepup
        yield Static(Content(""), classes="status--spacer")
        yield Static(Content(""), classes="status--source", id="status-source")
        yield Static(Content(""), classes="status--spinner", id="status-spinner")

    def show(
        self,
        *,
        label: str | None = None,
        shown: int | None = None,
        loaded: int | None = None,
        source: str | None = None,
        source_kind: str | None = None,
        filter_text: str | None = None,
    ) -> None:
        """Update any of the fields; untouched fields keep their value."""
        if filter_text is not None:
            self.filter_text = filter_text.strip()
            filter_label = self.query_one("#status-filter", Static)
            filter_label.display = bool(self.filter_text)
            show_plain(filter_label, describe_filter(self.filter_text))
        if label is not None:
            self.label = label
            show_plain(self.query_one("#status-label", Static), label)
        if shown is not None:
            self.shown = shown
        if loaded is not None:
            self.loaded = loaded
        if shown is not None or loaded is not None:
            count = describe_count(self.shown, self.loaded)
            show_plain(self.query_one("#status-count", Static), count)
        if source is not None:
            self.source = source
            show_plain(self.query_one("#status-source", Static), source)
        if source_kind is not None:
            self.set_class(source_kind == "offline", "-offline")
            self.set_class(source_kind == "sample", "-sample")

    def show_progress(self, text: str | None) -> None:
        """Say what a long load is doing in the source's place; None brings the source back."""
        shown = self.source if text is None else text
        show_plain(self.query_one("#status-source", Static), shown)

    def show_keepup(self, text: str) -> None:
        """`12 new · rlhf 3 · agents 5`: new papers in the list and watches with news."""
        self.keepup = text
        widget = self.query_one("#status-keepup", Static)
        show_plain(widget, text)
        widget.display = bool(text)

    def show_selection(self, count: int) -> None:
        """`3 selected` after the paper count; the segment is added on the first selection."""
        text = Content(f"{count} selected" if count else "")
        existing = self.query("#status-selection")
        if existing:
            existing.first(Static).update(text)
        elif count:
            self.mount(
                Static(text, id="status-selection", classes="status--count status--selection"),
                after="#status-count",
            )

    @property
    def loading(self) -> bool:
        """True while the spinner turns."""
        return self._spinner_timer is not None

    def set_loading(self, loading: bool) -> None:
        """Start or stop the spinner."""
        spinner = self.query_one("#status-spinner", Static)
        if loading and self._spinner_timer is None:
            self._frame = 0
            spinner.update(Content(SPINNER_FRAMES[0]))
            self._spinner_timer = self.set_interval(0.1, self._spin)
        elif not loading and self._spinner_timer is not None:
            self._spinner_timer.stop()
            self._spinner_timer = None
            spinner.update(Content(""))

    def _spin(self) -> None:
        self._frame = (self._frame + 1) % len(SPINNER_FRAMES)
        self.query_one("#status-spinner", Static).update(Content(SPINNER_FRAMES[self._frame]))
