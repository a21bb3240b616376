"""Every key binding of the reader, in one place, each with a stable id users can remap."""

from __future__ import annotations

from textual.binding import Binding

SCREEN_BINDINGS: list[Binding] = [
    Binding("slash", "focus_filter", "Filter", id="filter"),
    Binding("left_square_bracket", "step_day(-1)", "Prev day", id="prev_day"),
    Binding("right_square_bracket", "step_day(1)", "Next day", id="next_day"),
    Binding("left_curly_bracket", "step_week(-1)", "Prev week", show=False, id="prev_week"),
    Binding("right_curly_bracket", "step_week(1)", "Next week", show=False, id="next_week"),
    Binding("d", "daily_view", "Daily", show=False, id="daily_view"),
    Binding("w", "week_view", "Week", id="week_view"),
    Binding("m", "month_view", "Month", show=False, id="month_view"),
    Binding("T", "trending", "Trending", show=False, id="trending"),
    Binding("S", "search", "Search", id="search"),
    Binding("r", "refresh", "Refresh", show=False, id="refresh"),
    Binding("o", "open('hf')", "Open", id="open_hf"),
    Binding("p", "open('pdf')", "PDF", show=False, id="open_pdf"),
    Binding("a", "open('arxiv')", "arXiv", show=False, id="open_arxiv"),
    Binding("z", "zoom", "Zoom", show=False, id="zoom"),
    Binding("N", "keepup('next_new')", "Next new", show=False, id="next_new"),
    Binding("R", "keepup('related')", "Related", show=False, id="related"),
    Binding("A", "keepup('author')", "Author's papers", show=False, id="author_view"),
    Binding("X", "keepup('triage')", "Triage", show=False, id="triage"),
    Binding("W", "keepup('watches')", "Watches", show=False, id="watches"),
    Binding("question_mark", "help", "Help", id="help"),
    Binding("q", "app.quit", "Quit", id="quit"),
]
"""Bindings of the main screen: lists, views, links, help."""

LIST_BINDINGS: list[Binding] = [
    Binding("j,down", "cursor_down", "Down", show=False, id="cursor_down"),
    Binding("k,up", "cursor_up", "Up", show=False, id="cursor_up"),
    Binding("g,home", "cursor_first", "First", show=False, id="cursor_first"),
    Binding("G,end", "cursor_last", "Last", show=False, id="cursor_last"),
    Binding("pagedown,ctrl+d", "page_down", "Page down", show=False, id="page_down"),
    Binding("pageup,ctrl+u", "page_up", "Page up", show=False, id="page_up"),
    Binding("enter", "select", "Read", show=False, id="open_detail"),
    Binding("tab", "switch_pane", "Detail", show=False, id="switch_pane"),
    Binding("shift+tab", "switch_pane", "Detail", show=False, id="switch_pane_back"),
]
"""Bindings of the paper list (only while it has focus)."""

DETAIL_BINDINGS: list[Binding] = [
    Binding("j,down", "scroll_down", "Scroll down", show=False, id="detail_down"),
    Binding("k,up", "scroll_up", "Scroll up", show=False, id="detail_up"),
    Binding("g,home", "scroll_home", "Top", show=False, id="detail_top"),
    Binding("G,end", "scroll_end", "Bottom", show=False, id="detail_bottom"),
    Binding("pagedown,ctrl+d,space", "page_down", "Page down", show=False, id="detail_page_down"),
    Binding("pageup,ctrl+u", "page_up", "Page up", show=False, id="detail_page_up"),
    Binding("tab", "switch_pane", "List", show=False, id="switch_pane"),
    Binding("shift+tab", "switch_pane", "List", show=False, id="switch_pane_back"),
    Binding("escape", "switch_pane", "List", show=False, id="back_to_list"),
]
"""Bindings of the detail pane (only while it has focus)."""

FILTER_BINDINGS: list[Binding] = [
    Binding("escape", "clear", "Clear filter", id="clear_filter"),
    Binding("down", "leave", "To list", show=False, id="filter_to_list"),
]
"""Bindings of the filter bar: Enter (Input's own) keeps the filter and returns to the list."""

MODAL_BINDINGS: list[Binding] = [
    Binding("escape", "close", "Close", id="close_modal"),
]
"""Bindings every modal shares; help adds `q` too (search types it into its prompt)."""

HELP_SECTIONS: list[tuple[str, list[Binding]]] = [
    ("Lists and views", SCREEN_BINDINGS),
    ("Paper list", LIST_BINDINGS),
    ("Detail pane", DETAIL_BINDINGS),
    ("Filter bar", FILTER_BINDINGS),
]
"""What the help screen shows, section by section."""

EXTRA_HELP: list[tuple[str, str, str]] = [
    ("Filter bar", "enter", "Keep the filter and return to the list"),
    ("Modals", "escape, q", "Close the topmost dialog"),
]
"""Keys handled by widgets themselves rather than by a Binding: (section, keys, what)."""
