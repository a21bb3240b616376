"""The whole paper as a Line-API view: only the lines on screen are turned into strips.

The model is a `core.body_layout.Layout` (plain lines with styled marks); a line cursor
drives following links, opening figures and selecting passages; search matches are
highlighted from a list of (line, start, end). Re-wrapping after a resize runs in a thread
and comes back as a message, so a 300 KB paper never freezes the screen.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual import events, work
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from papershelf.core.body_layout import Layout, Line, Match, layout, search
from papershelf.core.keymap import READER_TEXT
from papershelf.core.paper_body import BlockKind, PaperBody, Style
from papershelf.tui.bindings import bindings_for
from papershelf.tui.widgets.key_forwarding import forward_typed_key

BODY_BINDINGS = bindings_for(READER_TEXT)
"""Moving through the paper (the reader screen adds search, outline, figures, copy)."""

_MARK_CLASSES = {
    Style.STRONG: "paper-body--strong",
    Style.EMPHASIS: "paper-body--emphasis",
    Style.CODE: "paper-body--code",
    Style.LINK: "paper-body--link",
    Style.CITATION: "paper-body--citation",
    Style.MATH: "paper-body--math",
}
_KIND_CLASSES = {
    BlockKind.HEADING: "paper-body--heading",
    BlockKind.CAPTION: "paper-body--caption",
    BlockKind.FIGURE: "paper-body--figure",
    BlockKind.REFERENCE: "paper-body--reference",
}


class PaperBodyView(ScrollView, can_focus=True):
    """The paper's lines, a cursor, an optional selection and search highlights."""

    BINDINGS = BODY_BINDINGS

    COMPONENT_CLASSES = {
        "paper-body--cursor",
        "paper-body--selection",
        "paper-body--match",
        "paper-body--current-match",
        "paper-body--heading",
        "paper-body--caption",
        "paper-body--figure",
        "paper-body--reference",
        "paper-body--strong",
        "paper-body--emphasis",
        "paper-body--code",
        "paper-body--link",
        "paper-body--citation",
        "paper-body--math",
        "paper-body--message",
    }

    DEFAULT_CSS = """
    PaperBodyView {
        background: $surface;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .paper-body--cursor { background: $secondary 25%; }
        &:focus > .paper-body--cursor { background: $primary 35%; }
        & > .paper-body--selection { background: $accent 35%; }
        & > .paper-body--match { background: $warning 35%; text-style: bold; }
        & > .paper-body--current-match { background: $warning 80%; color: $background; }
        & > .paper-body--heading { color: $accent; text-style: bold; }
        & > .paper-body--caption { color: $text-muted; text-style: italic; }
        & > .paper-body--figure { color: $success; }
        & > .paper-body--reference { color: $text-muted; }
        & > .paper-body--strong { text-style: bold; }
        & > .paper-body--emphasis { text-style: italic; }
        & > .paper-body--code { color: $text-muted; }
        & > .paper-body--link { color: $text-primary; text-style: underline; }
        & > .paper-body--citation { color: $text-primary; }
        & > .paper-body--math { color: $text-secondary; }
        & > .paper-body--message { color: $text-muted; text-style: italic; }
    }
    """

    @dataclass
    class Moved(Message):
        """The cursor or the view moved: the screen updates its position line."""

        view: PaperBodyView

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, PaperBodyView.Moved)

    @dataclass
    class LaidOut(Message):
        """A re-wrap finished in its thread."""

        view: PaperBodyView
        layout: Layout
        body: PaperBody

    def __init__(
        self,
        *,
        transform: Callable[[str], str] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.transform: Callable[[str], str] = transform or (lambda text: text)
        """How prose and math read on screen (the app's one LaTeX display path)."""
        self.body: PaperBody | None = None
        self.paper_layout: Layout | None = None
        self.message: str | None = "Loading the paper…"
        """Shown instead of the paper (loading, or why there is no text)."""
        self.cursor = 0
        self.selection_start: int | None = None
        """Where a `v` selection started."""
        self.matches: list[Match] = []
        self.match_index = -1
        self._match_lines: list[int] = []
        self._match_set: set[int] = set()
        self._strips: LRUCache[tuple, Strip] = LRUCache(maxsize=512)
        self._styles: dict[str, RichStyle] = {}
        self._generation = 0
        self.forward_keys_to: Input | None = None
        """A field that was just opened (search): keys reaching the view go on to it."""
        """Bumped whenever what the lines look like changes (matches, selection)."""

    # --- the model ------------------------------------------------------------------------

    @property
    def lines(self) -> list[Line]:
        return self.paper_layout.lines if self.paper_layout is not None else []

    @property
    def text_width(self) -> int:
        # One column of margin each side (drawn by the strips, not CSS padding: padding costs
        # a filter pass on every line of every frame).
        return max(self.scrollable_content_region.width - 2, 20)

    def show_message(self, message: str) -> None:
        """Show a plain-words message instead of a paper (e.g. why there is no text)."""
        self.message = message
        self.body = None
        self.paper_layout = None
        self.cursor = 0
        self._reset_lines(0)

    def show(self, body: PaperBody, result: Layout, *, keep_block: int | None = None) -> None:
        """Show `body` laid out as `result`; keep the block at the top when given."""
        self.message = None
        self.body = body
        self.paper_layout = result
        if self.matches:
            self.matches = []
            self.match_index = -1
            self._match_lines = []
            self._match_set = set()
        self._reset_lines(len(result.lines))
        if keep_block is not None:
            line = result.line_of_block(keep_block)
            self.go_to_line(line, top=True)
            # The new virtual size takes effect on the next refresh; scroll again then.
            self.call_after_refresh(self.scroll_to, y=line, animate=False)
        else:
            self.cursor = min(self.cursor, max(len(result.lines) - 1, 0))
        self.post_message(self.Moved(self))

    def _reset_lines(self, count: int) -> None:
        self._strips.clear()
        self._generation += 1
        self.virtual_size = Size(self.scrollable_content_region.width, max(count, 1))
        self.refresh()

    @property
    def top_line(self) -> int:
        return round(self.scroll_offset.y)

    def top_block(self) -> int | None:
        """The block at the top of the view (stable across widths), for remembering."""
        lines = self.lines
        for index in range(self.top_line, min(self.top_line + 50, len(lines))):
            if lines[index].block >= 0:
                return lines[index].block
        return None

    def cursor_block(self) -> int | None:
        lines = self.lines
        for index in range(self.cursor, -1, -1):
            if index < len(lines) and lines[index].block >= 0:
                return lines[index].block
        return None

    # --- moving ---------------------------------------------------------------------------

    def go_to_line(self, index: int, *, top: bool = False) -> None:
        lines = self.lines
        if not lines:
            return
        index = max(0, min(index, len(lines) - 1))
        previous, self.cursor = self.cursor, index
        self.refresh_line_at(previous)
        self.refresh_line_at(index)
        if self.selection_start is not None:
            self._generation += 1
            self._strips.clear()
            self.refresh()
        if top:
            self.scroll_to(y=index, animate=False, immediate=True)
        else:
            self.scroll_to_region(Region(0, index, 1, 1), animate=False, force=True, immediate=True)
        self.post_message(self.Moved(self))

    def refresh_line_at(self, index: int) -> None:
        y = index - self.top_line
        if 0 <= y < self.size.height:
            self.refresh_line(y)

    def action_cursor_down(self) -> None:
        self.go_to_line(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.go_to_line(self.cursor - 1)

    def action_page_down(self) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.top_line + page, animate=False, immediate=True)
        self.go_to_line(min(self.cursor + page, len(self.lines) - 1))

    def action_page_up(self) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=max(self.top_line - page, 0), animate=False, immediate=True)
        self.go_to_line(max(self.cursor - page, 0))

    def action_first(self) -> None:
        self.go_to_line(0, top=True)

    def action_last(self) -> None:
        self.go_to_line(len(self.lines) - 1)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.post_message(self.Moved(self))

    async def _on_key(self, event: events.Key) -> None:
        # Keys typed fast after `/` reach the view before the search field has focus.
        handled = await forward_typed_key(
            self, event, field=self.forward_keys_to, opens_field="reader_search", action="search"
        )
        if not handled:
            await super()._on_key(event)

    def on_click(self, event: events.Click) -> None:
        if self.lines:
            self.go_to_line(self.top_line + event.y)

    # --- selection and search -------------------------------------------------------------

    def toggle_selection(self) -> None:
        self.selection_start = None if self.selection_start is not None else self.cursor
        self._generation += 1
        self._strips.clear()
        self.refresh()

    def selected_range(self) -> tuple[int, int]:
        """First and last line of the selection (the cursor line when none)."""
        if self.selection_start is None:
            return self.cursor, self.cursor
        return min(self.selection_start, self.cursor), max(self.selection_start, self.cursor)

    def selected_text(self) -> str:
        first, last = self.selected_range()
        return "\n".join(line.text for line in self.lines[first : last + 1]).strip("\n")

    def find(self, query: str) -> int:
        """Highlight every match of `query`; go to the first at or after the cursor."""
        self.matches = search(self.lines, query)
        self._match_lines = [match.line for match in self.matches]
        self._match_set = set(self._match_lines)
        self._generation += 1
        self._strips.clear()
        self.refresh()
        if not self.matches:
            self.match_index = -1
            return 0
        position = bisect.bisect_left(self._match_lines, self.cursor)
        self.match_index = position % len(self.matches)
        self._go_to_match()
        return len(self.matches)

    def next_match(self, step: int) -> None:
        if not self.matches:
            return
        self.match_index = (self.match_index + step) % len(self.matches)
        self._generation += 1
        self._strips.clear()
        self._go_to_match()

    def _go_to_match(self) -> None:
        match = self.matches[self.match_index]
        self.go_to_line(match.line)
        self.refresh()

    # --- rendering ------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles.clear()
        self._strips.clear()
        super().notify_style_update()

    def on_focus(self) -> None:
        self._styles.clear()
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self.on_focus()

    def on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        if self.paper_layout is not None and self.body is not None:
            self.relayout()
        else:
            self.virtual_size = Size(event.size.width, max(len(self.lines), 1))

    def relayout(self) -> None:
        """Re-wrap the paper to the pane's width (in a thread) when that width changed."""
        laid = self.paper_layout
        if self.body is not None and laid is not None and laid.width != self.text_width:
            self._relayout(self.body, self.text_width)

    @work(thread=True, exclusive=True, group="paper-layout", exit_on_error=False)
    def _relayout(self, body: PaperBody, width: int) -> None:
        self.post_message(self.LaidOut(self, layout(body, width, self.transform), body))

    def on_paper_body_view_laid_out(self, message: PaperBodyView.LaidOut) -> None:
        if message.body is not self.body:
            return
        keep = self.top_block()
        cursor_block = self.cursor_block()
        self.show(message.body, message.layout, keep_block=keep)
        if cursor_block is not None:
            line = message.layout.line_of_block(cursor_block)
            if line >= self.top_line:
                self.cursor = line

    def _base_style(self) -> RichStyle:
        # `rich_style` walks the CSS ancestry; it only changes with the styles.
        style = self._styles.get("")
        if style is None:
            style = self._styles[""] = self.rich_style
        return style

    def _style(self, name: str) -> RichStyle:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(name, partial=True)
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self._base_style()
        index = self.top_line + y
        lines = self.lines
        if not lines:
            if self.message and y < 12:
                return self._message_line(y, width, base)
            return Strip.blank(width, base)
        if index >= len(lines):
            return Strip.blank(width, base)
        first, last = self.selected_range() if self.selection_start is not None else (-1, -1)
        is_cursor = index == self.cursor
        selected = first <= index <= last
        key = (index, width, is_cursor, selected, self._generation)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render(lines[index], index, width, base, is_cursor, selected)
            self._strips[key] = strip
        return strip

    def _message_line(self, y: int, width: int, base: RichStyle) -> Strip:
        # Long messages (a missing text with its links) wrap over the first lines.
        words = (self.message or "").split(" ")
        rows: list[str] = [""]
        for word in words:
            if rows[-1] and len(rows[-1]) + 1 + len(word) > max(width - 2, 10):
                rows.append(word)
            else:
                rows[-1] = f"{rows[-1]} {word}".strip()
        if y < len(rows):
            text = Text(rows[y], style=base + self._style("paper-body--message"))
            return self._strip(text, width, base)
        return Strip.blank(width, base)

    def _render(
        self,
        line: Line,
        index: int,
        width: int,
        base: RichStyle,
        is_cursor: bool,
        selected: bool,
    ) -> Strip:
        row_style = base
        if selected:
            row_style = base + self._style("paper-body--selection")
        elif is_cursor:
            row_style = base + self._style("paper-body--cursor")
        kind_class = _KIND_CLASSES.get(line.kind) if line.kind is not None else None
        line_style = row_style + self._style(kind_class) if kind_class else row_style
        has_match = self.matches and index in self._match_set
        if not line.marks and not has_match:
            # Most lines are plain prose: two segments, no rich Text round trip.
            segments = [Segment(" ", row_style), Segment(line.text, line_style)]
            return Strip(segments).extend_cell_length(width, row_style).crop(0, width)
        text = Text(line.text, style=line_style)
        for mark in line.marks:
            style_class = _MARK_CLASSES.get(mark.style)
            if style_class:
                text.stylize(self._style(style_class), mark.start, mark.end)
        if self.matches:
            position = bisect.bisect_left(self._match_lines, index)
            while position < len(self.matches) and self.matches[position].line == index:
                match = self.matches[position]
                name = (
                    "paper-body--current-match"
                    if position == self.match_index
                    else "paper-body--match"
                )
                text.stylize(self._style(name), match.start, match.end)
                position += 1
        return self._strip(text, width, row_style)

    def _strip(self, text: Text, width: int, fill: RichStyle) -> Strip:
        text.no_wrap = True
        text.truncate(max(width - 1, 1))
        segments = [Segment(" ", fill), *text.render(self.app.console)]
        return Strip(segments).extend_cell_length(width, fill).crop(0, width)
