"""The paper list: a Line-API scroll view that renders only the rows on screen.

The model is a plain list of `Paper`; each visible row becomes a `Strip` cached by every input
that changes how it looks, so scrolling and cursor moves stay instant at 100,000 rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from papershelf.core.model import Paper
from papershelf.core.text import fold
from papershelf.tui.bindings import LIST_BINDINGS
from papershelf.tui.display import display_title
from papershelf.tui.widgets.key_forwarding import forward_typed_key

UPVOTE_WIDTH = 7
"""`▲ 1234 ` — the upvote column."""
COMMENT_WIDTH = 5
"""`✉ 12 ` — the comment column."""
RISE_WIDTH = 5
"""`+12 ` — upvotes gained since the last look, beside the upvotes when any paper rose."""
DEFAULT_COLUMNS = ("upvotes", "title", "author", "markers")
"""The list's columns unless the settings choose others."""


def author_column_width(row_width: int) -> int:
    """Width of the author/organisation column (with its trailing space).

    The title is what people scan, so it takes the free width; the author column is secondary:
    wide rows give it room for a full name, medium rows a short form (`C. Huang`), narrow none.
    """
    if row_width >= 110:
        return 20
    if row_width >= 60:
        return 11
    return 0


def short_author(name: str, width: int) -> str:
    """`name` as it fits in `width` cells: whole, else given names as initials (`C. Huang`)."""
    if cell_len(name) <= width:
        return name
    parts = name.split()
    if len(parts) < 2:
        return name
    initials = " ".join(f"{part[0]}." for part in parts[:-1])
    shorter = f"{initials} {parts[-1]}"
    if cell_len(shorter) <= width:
        return shorter
    return f"{parts[0][0]}. {parts[-1]}"


MARKER_CLASSES = {
    "✦": "paper-list--new",
    "✔": "paper-list--selected",
    "★": "paper-list--star",
    "●": "paper-list--code",
    "•": "paper-list--unread",
}
"""Which component class colours each marker character."""

MARKER_LEGEND: tuple[tuple[str, str], ...] = (
    ("✔", "marked with Space (copy, star, tag or export them together)"),
    ("★", "starred"),
    ("•", "unread: not opened yet"),
    ("●", "has code (a GitHub repository)"),
)
"""What each marker at the end of a row means, for the help screen and the first-run hint."""

FIRST_RUN_HINT = "Row markers: ✔ marked · ★ starred · • unread · ● code.\nPress ? for every key."
"""Shown once, the first time the reader starts (the help screen has the full legend)."""


def default_row_markers(paper: Paper) -> str:
    """Markers shown at the end of a row: `●` when the paper has code."""
    return "●" if paper.github else ""


class PaperList(ScrollView, can_focus=True):
    """One row per paper: upvotes, title, first author or organisation, markers."""

    BINDINGS = LIST_BINDINGS

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--upvotes",
        "paper-list--title",
        "paper-list--author",
        "paper-list--selected",
        "paper-list--star",
        "paper-list--code",
        "paper-list--unread",
        "paper-list--new",
        "paper-list--rise",
        "paper-list--highlight",
        "paper-list--empty",
    }

    # On the cursor row the cursor's colours win over every cell's own, so the whole row reads
    # as one band. The reader's stylesheet (app.tcss) swaps in colours adjusted to read at 4.5:1.
    DEFAULT_CSS = """
    PaperList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .paper-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        &:focus > .paper-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .paper-list--upvotes { color: $warning; }
        & > .paper-list--title { color: $foreground; }
        & > .paper-list--author { color: $text-muted; }
        & > .paper-list--selected { color: $text-primary; text-style: bold; }
        & > .paper-list--star { color: $warning; }
        & > .paper-list--code { color: $success; }
        & > .paper-list--unread { color: $accent; }
        & > .paper-list--new { color: $accent; text-style: bold; }
        & > .paper-list--rise { color: $success; }
        & > .paper-list--highlight { background: $warning 35%; text-style: bold underline; }
        & > .paper-list--empty { color: $text-muted; text-style: italic; }
    }
    """

    @dataclass
    class Highlighted(Message):
        """The highlighted paper changed (None when the list is empty)."""

        paper_list: PaperList
        paper: Paper | None
        index: int

        @property
        def control(self) -> PaperList:
            return self.paper_list

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, PaperList.Highlighted)

    @dataclass
    class Selected(Message):
        """Enter was pressed on a paper."""

        paper_list: PaperList
        paper: Paper

        @property
        def control(self) -> PaperList:
            return self.paper_list

    @dataclass
    class PaneSwitchRequested(Message):
        """Tab in the list: the screen moves focus to the detail pane."""

        paper_list: PaperList

        @property
        def control(self) -> PaperList:
            return self.paper_list

    def __init__(
        self,
        *,
        row_markers: Callable[[Paper], str] = default_row_markers,
        render_latex: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.papers: list[Paper] = []
        """The rows shown, in order."""
        self.row_markers = row_markers
        """Hook returning marker characters for a row (★ starred, ● code, • unread)."""
        self.render_latex = render_latex
        """Show LaTeX in titles as Unicode (only rows on screen are converted)."""
        self.library_revision = 0
        """Bumped by whoever changes what `row_markers` returns, so cached rows are redrawn."""
        self.rise: Callable[[Paper], int | None] | None = None
        """Hook giving the upvotes a paper gained since the last look (the rising column)."""
        self.show_rising = False
        """Whether the rising column is shown (only when some paper rose)."""
        self.empty_message = "No papers."
        """Shown when the list itself has no rows."""
        self.filtering = False
        """True while a filter narrows the rows: an empty list then says nothing matched."""
        self.no_match_message = "No paper matches the filter."
        self.columns: tuple[str, ...] = DEFAULT_COLUMNS
        """The columns shown, left to right."""
        self.date_format = "%Y-%m-%d"
        """strftime format of the date column."""
        self._cursor = 0
        self._terms: tuple[str, ...] = ()
        self._strips: LRUCache[tuple, Strip] = LRUCache(maxsize=1024)
        self._styles: dict[str, Style] = {}

    # --- the model --------------------------------------------------------------------

    @property
    def cursor(self) -> int:
        """Index of the highlighted row."""
        return self._cursor

    @cursor.setter
    def cursor(self, index: int) -> None:
        self.move_cursor(index)

    @property
    def highlighted_paper(self) -> Paper | None:
        """The paper under the cursor."""
        if 0 <= self._cursor < len(self.papers):
            return self.papers[self._cursor]
        return None

    @property
    def highlight_terms(self) -> tuple[str, ...]:
        """Folded words highlighted in titles."""
        return self._terms

    def set_papers(
        self,
        papers: Sequence[Paper],
        *,
        keep_id: str | None = None,
        terms: Sequence[str] | None = None,
        fallback: int | None = None,
    ) -> None:
        """Show `papers`; keep the cursor on `keep_id` when it is among them.

        Otherwise the cursor goes to row `fallback` (clamped) when given, else to the top.
        """
        self.papers = papers if isinstance(papers, list) else list(papers)
        if terms is not None:
            self._terms = tuple(terms)
        self._strips.clear()
        index = fallback or 0
        if keep_id is not None:
            for position, paper in enumerate(self.papers):
                if paper.id == keep_id:
                    index = position
                    break
        self._cursor = min(index, max(len(self.papers) - 1, 0))
        self.virtual_size = Size(self.size.width, len(self.papers))
        if self.is_mounted:
            self.scroll_to(y=max(0, self._cursor - self.size.height // 3), animate=False)
        self.refresh()
        self._post_highlighted()

    def replace_paper(self, paper: Paper) -> None:
        """Swap in a richer record of a paper already listed (e.g. after its detail arrived)."""
        for position, listed in enumerate(self.papers):
            if listed.id == paper.id:
                self.papers[position] = paper
                self._strips.clear()
                self.refresh_line(position)
                return

    def refresh_markers(self) -> None:
        """Redraw every row because what `row_markers` returns changed."""
        self.library_revision += 1
        self.refresh()

    def move_cursor(self, index: int) -> None:
        """Highlight row `index` (clamped), scroll it into view, redraw the two rows."""
        if not self.papers:
            return
        index = max(0, min(index, len(self.papers) - 1))
        if index == self._cursor:
            return
        previous, self._cursor = self._cursor, index
        self.refresh_line(previous)
        self.refresh_line(index)
        self.scroll_to_region(Region(0, index, 1, 1), animate=False, force=True, immediate=True)
        self._post_highlighted()

    def _post_highlighted(self) -> None:
        self.post_message(self.Highlighted(self, self.highlighted_paper, self._cursor))

    # --- actions ------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self._cursor - 1)

    def action_cursor_first(self) -> None:
        self.move_cursor(0)

    def action_cursor_last(self) -> None:
        self.move_cursor(len(self.papers) - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self._cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_cursor(self._cursor - max(1, self.scrollable_content_region.height - 1))

    def action_select(self) -> None:
        paper = self.highlighted_paper
        if paper is not None:
            self.post_message(self.Selected(self, paper))

    def action_switch_pane(self) -> None:
        self.post_message(self.PaneSwitchRequested(self))

    async def _on_key(self, event: events.Key) -> None:
        # Keys typed fast are queued here before `/` moves the focus to the filter bar.
        focused = self.screen.focused
        handled = await forward_typed_key(
            self,
            event,
            field=focused if isinstance(focused, Input) else None,
            opens_field="filter",
            action="focus_filter",
        )
        if not handled:
            await super()._on_key(event)

    def on_click(self, event: events.Click) -> None:
        row = event.style.meta.get("row")
        if isinstance(row, int):
            self.move_cursor(row)
            if event.chain > 1:
                self.action_select()

    # --- rendering ----------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles.clear()
        self._strips.clear()
        super().notify_style_update()

    def on_focus(self, event: events.Focus) -> None:
        self._restyle()

    def on_blur(self, event: events.Blur) -> None:
        self._restyle()

    def _restyle(self) -> None:
        # The cursor colour depends on focus (`:focus` in the CSS), so cached rows are stale.
        self._styles.clear()
        self._strips.clear()
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.papers))
        self._strips.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self.get_component_rich_style(name, partial=True)
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        base = self.rich_style
        if not self.papers:
            if y == 0:
                message = self.no_match_message if self.filtering else self.empty_message
                text = Text(f" {message}")
                text.truncate(width)
                segments = self._cells(text, base + self._style("paper-list--empty"))
                return Strip(segments, cell_len(text.plain)).extend_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= len(self.papers):
            return Strip.blank(width, base)
        paper = self.papers[index]
        is_cursor = index == self._cursor
        key = (
            paper.id,
            width,
            is_cursor,
            self._terms,
            paper.highlights,
            self.library_revision,
            self.show_rising,
        )
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(paper, index, width, is_cursor, base)
            self._strips[key] = strip
        return strip

    def set_columns(self, columns: Sequence[str], date_format: str | None = None) -> None:
        """Show `columns` left to right (`upvotes`, `title`, `author`, `organization`,
        `comments`, `date`, `markers`); dates are written with `date_format`."""
        columns = tuple(columns)
        if date_format is not None:
            self.date_format = date_format
        if columns != self.columns:
            self.columns = columns
            self._strips.clear()
            self.refresh()

    def _fixed_width(self, column: str, width: int, markers: str) -> int:
        """Cells a column takes, its trailing space included (the title takes what is left)."""
        match column:
            case "upvotes":
                rising = self.show_rising and self.rise is not None
                return UPVOTE_WIDTH + (RISE_WIDTH if rising else 0)
            case "author" | "organization":
                return author_column_width(width)
            case "markers":
                return max(cell_len(markers), 2) + 1
            case "comments":
                return COMMENT_WIDTH
            case "date":
                return cell_len(dt.date(2026, 12, 28).strftime(self.date_format)) + 1
        return 0

    def _render_row(
        self, paper: Paper, index: int, width: int, is_cursor: bool, base: Style
    ) -> Strip:
        cursor_style = self._style("paper-list--cursor") if is_cursor else Style()
        row_style = base + cursor_style

        def cell(name: str) -> Style:
            # The cursor's colours go on top: every cell of the cursor row takes them.
            return base + self._style(name) + cursor_style

        markers = self.row_markers(paper)
        widths = {column: self._fixed_width(column, width, markers) for column in self.columns}
        title_width = max(width - sum(widths.values()) - 1, 4)
        segments: list[Segment] = []
        for column in self.columns:
            if column == "title":
                segments.extend(self._title_segments(paper, title_width, cell, row_style))
            elif column == "markers":
                segments.extend(
                    Segment(char, cell(MARKER_CLASSES[char]))
                    if char in MARKER_CLASSES
                    else Segment(char, row_style)
                    for char in markers
                )
            elif widths[column]:
                segments.extend(self._cell_segments(paper, column, widths[column], cell, row_style))
        strip = Strip(segments).extend_cell_length(width, row_style).crop(0, width)
        return strip.apply_meta({"row": index})

    def _title_segments(
        self, paper: Paper, title_width: int, cell: Callable[[str], Style], row_style: Style
    ) -> list[Segment]:
        shown_title = display_title(paper, latex=self.render_latex)
        title = Text(shown_title, no_wrap=True)
        # A remote search's own highlights (HF's `highlightedTitle` runs) show as well.
        terms = self._terms + tuple(fold(word) for word in paper.highlights)
        if terms:
            # Deferred: the query language loads with the first filter, not before the first frame.
            from papershelf.core.query.search_index import highlight_spans

            highlight = self._style("paper-list--highlight")
            for start, end in highlight_spans(shown_title, terms):
                title.stylize(highlight, start, end)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        return [*self._cells(title, cell("paper-list--title")), Segment(" ", row_style)]

    def _cell_segments(
        self,
        paper: Paper,
        column: str,
        cell_width: int,
        cell: Callable[[str], Style],
        row_style: Style,
    ) -> list[Segment]:
        if column == "upvotes":
            upvotes = paper.upvotes if paper.upvotes < 10000 else 9999
            shown = [Segment(f" ▲{upvotes:>4} ", cell("paper-list--upvotes"))]
            if self.show_rising and self.rise is not None:
                rise = self.rise(paper) or 0
                gained = f"+{min(rise, 999)}" if rise > 0 else ""
                shown.append(Segment(f"{gained:<{RISE_WIDTH}}", cell("paper-list--rise")))
            return shown
        if column == "comments":
            comments = paper.comments if paper.comments < 1000 else 999
            return [Segment(f"✉{comments:>3} ", cell("paper-list--author"))]
        if column == "date":
            day = paper.daily_date or paper.published
            text = day.strftime(self.date_format) if day else ""
        elif column == "organization":
            text = short_author(paper.organization or "", cell_width - 1)
        else:
            text = short_author(paper.first_author or paper.organization or "", cell_width - 1)
        cell_text = Text(text)
        cell_text.truncate(cell_width - 1, overflow="ellipsis", pad=True)
        return [*self._cells(cell_text, cell("paper-list--author")), Segment(" ", row_style)]

    def _cells(self, text: Text, style: Style) -> list[Segment]:
        # `Text.render` drops the text's own style when it has no spans, which left title and
        # author cells in the terminal's default colours; lay the row's style under every
        # segment instead, so spans (filter highlights) still win where they apply.
        return list(Segment.apply_style(text.render(self.app.console), style))
