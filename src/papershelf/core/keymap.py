"""The key registry: every binding of the reader, once, with its id, keys, owner and words.

Bindings, the footer's order, the help screen, the command palette, the check of a config's
`[keys]` table and the README key table are all generated from `KEYS`; nothing copies it.
Pure data: no Textual here, so `papershelf config` can check `[keys]` without the reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

APP = "app"
"""Scope of the App's own keys (active everywhere, dialogs included)."""
SCREEN = "screen"
"""Scope of the main screen: which list is shown, the filter, layout, help."""
PANES = "panes"
"""Scope of the paper panes (list + detail): every action on the highlighted or selected papers."""
LIST = "list"
DETAIL = "detail"
FILTER = "filter"
DIALOG_SCOPES = ("copy_menu", "export", "help", "search", "register", "note", "triage", "pick")
"""Scopes of the dialogs shown over the main screen."""
READER = "reader"
"""Scope of the whole-paper reader screen (`R`)."""
READER_TEXT = "reader_text"
"""Scope of the reader's text view (active while it has focus, with `READER`)."""
PAPER_EXTRAS = "paper_extras"
"""Scope shared by the discussion and linked-repositories screens."""
DISCUSSION = "discussion"
LINKED = "linked"
PAGE_GROUPS = (
    frozenset({READER, READER_TEXT}),
    frozenset({PAPER_EXTRAS, DISCUSSION}),
    frozenset({PAPER_EXTRAS, LINKED}),
)
"""Scopes of the screens about one paper that are active together."""

MAIN_SCOPES = frozenset({APP, SCREEN, PANES})
"""Scopes active together on the main screen, whatever inside it has focus."""
WIDGET_SCOPES = frozenset({LIST, DETAIL, FILTER})
"""Widget scopes on the main screen: active while focused, together with `MAIN_SCOPES`."""

LISTS_AND_VIEWS = "Lists and views"
PAPER_LIST = "Paper list"
DETAIL_PANE = "Detail pane"
FILTER_BAR = "Filter bar"
ANYWHERE = "Anywhere in the reader"
KEEPING_UP = "Keeping up"
PAPER_READER = "Paper reader"
DISCUSSION_PAGE = "Discussion"
LINKED_PAGE = "Linked repositories"
HELP_SECTIONS = (
    LISTS_AND_VIEWS,
    PAPER_LIST,
    DETAIL_PANE,
    FILTER_BAR,
    ANYWHERE,
    KEEPING_UP,
    PAPER_READER,
    DISCUSSION_PAGE,
    LINKED_PAGE,
)
"""Help screen sections, in order."""
PAGE_SECTIONS: dict[str, tuple[str, ...]] = {
    READER: (PAPER_READER,),
    READER_TEXT: (PAPER_READER,),
    PAPER_EXTRAS: (DISCUSSION_PAGE, LINKED_PAGE),
    DISCUSSION: (DISCUSSION_PAGE,),
    LINKED: (LINKED_PAGE,),
}
"""Help sections of the screens about one paper, by scope: each screen's keys under its name.
The discussion and the linked list share the `PAPER_EXTRAS` keys, so both sections list them."""


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One binding: who owns it, which keys run it by default, and how it is named."""

    id: str
    """Stable snake_case id; `[keys]` remaps by it."""
    keys: str
    """Default keys, comma-separated Textual key names (`j,down`)."""
    action: str
    """The action string, as a Textual binding writes it (`copy('bibtex')`)."""
    scope: str
    """Who owns the action: `APP`, `SCREEN`, `PANES`, `LIST`, `DETAIL`, `FILTER` or a dialog."""
    label: str
    """Short words for the footer (at 80 columns `? Help` must still fit)."""
    help: str = ""
    """The longer words of the help screen (the label when empty)."""
    section: str | None = None
    """The help section listing it (None: by its scope in `PAGE_SECTIONS`, else not listed)."""
    palette: str = ""
    """Title in the command palette ("" keeps it out)."""
    palette_help: str = ""
    """The palette's second line (fixed wording: the palette parses it as markup)."""
    show: bool = False
    """Shown in the footer."""
    priority: bool = False

    @property
    def help_text(self) -> str:
        return self.help or self.label

    @property
    def help_sections(self) -> tuple[str, ...]:
        """The help sections listing it: its own, else its screen's (none for dialogs)."""
        if self.section is not None:
            return (self.section,)
        return PAGE_SECTIONS.get(self.scope, ())


def _spec(*args: object, **kwargs: object) -> KeySpec:
    return KeySpec(*args, **kwargs)  # type: ignore[arg-type]


KEYS: tuple[KeySpec, ...] = (
    # --- lists and views (footer order follows this table) -----------------------------------
    # Help first, so the footer shows it at any width: the help lists every other key.
    _spec("help", "question_mark", "help", SCREEN, "Help", section=LISTS_AND_VIEWS,
          palette="Help: keys and binding ids",
          palette_help="Every key, its id for [keys], its action", show=True),
    _spec("filter", "slash", "focus_filter", SCREEN, "Filter", section=LISTS_AND_VIEWS,
          palette="Filter the list", palette_help="Type words, author:, tag:, is:starred …",
          show=True),
    _spec("prev_day", "left_square_bracket", "step_day(-1)", SCREEN, "Prev day",
          section=LISTS_AND_VIEWS, palette="Previous day",
          palette_help="The previous day (week, month) that has papers", show=True),
    _spec("next_day", "right_square_bracket", "step_day(1)", SCREEN, "Next day",
          section=LISTS_AND_VIEWS, palette="Next day",
          palette_help="The next day (week, month) that has papers", show=True),
    _spec("prev_week", "left_curly_bracket", "step_week(-1)", SCREEN, "Prev week",
          section=LISTS_AND_VIEWS, palette="Previous week", palette_help="A week back"),
    _spec("next_week", "right_curly_bracket", "step_week(1)", SCREEN, "Next week",
          section=LISTS_AND_VIEWS, palette="Next week", palette_help="A week on"),
    _spec("daily_view", "d", "daily_view", SCREEN, "Daily", section=LISTS_AND_VIEWS,
          palette="Daily view", palette_help="The newest day, or the day you were on"),
    _spec("week_view", "w", "week_view", SCREEN, "Week", section=LISTS_AND_VIEWS,
          palette="Week view", palette_help="Every paper of the week, most upvoted first",
          show=True),
    _spec("month_view", "m", "month_view", SCREEN, "Month", section=LISTS_AND_VIEWS,
          palette="Month view", palette_help="Every paper of the month, most upvoted first"),
    _spec("trending", "T", "trending", SCREEN, "Trending", section=LISTS_AND_VIEWS,
          palette="Trending papers", palette_help="What Hugging Face shows as trending"),
    _spec("search", "S", "search", SCREEN, "Search", section=LISTS_AND_VIEWS,
          palette="Search Hugging Face papers…", palette_help="Full-text search on Hugging Face",
          show=True),
    _spec("refresh", "r", "refresh", SCREEN, "Refresh", section=LISTS_AND_VIEWS,
          palette="Refresh the list", palette_help="Ask Hugging Face again, bypassing the cache"),
    _spec("open_hf", "o", "open('hf')", PANES, "Open", section=LISTS_AND_VIEWS,
          palette="Open on Hugging Face", palette_help="The paper's page in the browser",
          show=True),
    _spec("open_pdf", "p", "open('pdf')", PANES, "PDF", section=LISTS_AND_VIEWS,
          palette="Open the PDF", palette_help="The paper's PDF in the browser"),
    _spec("open_arxiv", "a", "open('arxiv')", PANES, "arXiv", section=LISTS_AND_VIEWS,
          palette="Open on arXiv", palette_help="The paper's arXiv page in the browser"),
    _spec("zoom", "z", "zoom", SCREEN, "Zoom", section=LISTS_AND_VIEWS,
          palette="Zoom the detail pane", palette_help="Detail full-screen, and back"),
    _spec("quit", "q", "app.quit", SCREEN, "Quit", section=LISTS_AND_VIEWS, show=True),
    # --- the paper list ------------------------------------------------------------------------
    _spec("cursor_down", "j,down", "cursor_down", LIST, "Down", section=PAPER_LIST),
    _spec("cursor_up", "k,up", "cursor_up", LIST, "Up", section=PAPER_LIST),
    _spec("cursor_first", "g,home", "cursor_first", LIST, "First", section=PAPER_LIST),
    _spec("cursor_last", "G,end", "cursor_last", LIST, "Last", section=PAPER_LIST),
    _spec("page_down", "pagedown,ctrl+d", "page_down", LIST, "Page down", section=PAPER_LIST),
    _spec("page_up", "pageup,ctrl+u", "page_up", LIST, "Page up", section=PAPER_LIST),
    _spec("open_detail", "enter", "select", LIST, "Read", section=PAPER_LIST),
    _spec("switch_pane", "tab", "switch_pane", LIST, "Detail", section=PAPER_LIST),
    _spec("switch_pane_back", "shift+tab", "switch_pane", LIST, "Detail"),
    # The screen owns the filter; the panes' selection goes first (the screen asks them).
    _spec("clear_list_filter", "escape", "screen.clear_filter", LIST, "Clear filter",
          help="Unmark the selection, else clear the filter", section=PAPER_LIST),
    # --- the detail pane -----------------------------------------------------------------------
    _spec("detail_down", "j,down", "scroll_down", DETAIL, "Scroll down", section=DETAIL_PANE),
    _spec("detail_up", "k,up", "scroll_up", DETAIL, "Scroll up", section=DETAIL_PANE),
    _spec("detail_top", "g,home", "scroll_home", DETAIL, "Top", section=DETAIL_PANE),
    _spec("detail_bottom", "G,end", "scroll_end", DETAIL, "Bottom", section=DETAIL_PANE),
    _spec("detail_page_down", "pagedown,ctrl+d,space", "page_down", DETAIL, "Page down",
          section=DETAIL_PANE),
    _spec("detail_page_up", "pageup,ctrl+u", "page_up", DETAIL, "Page up", section=DETAIL_PANE),
    _spec("switch_pane", "tab", "switch_pane", DETAIL, "List", section=DETAIL_PANE),
    _spec("switch_pane_back", "shift+tab", "switch_pane", DETAIL, "List"),
    _spec("back_to_list", "escape", "switch_pane", DETAIL, "List", section=DETAIL_PANE),
    # --- the filter bar (Enter is the Input's own) ---------------------------------------------
    _spec("clear_filter", "escape", "clear", FILTER, "Clear filter", section=FILTER_BAR,
          show=True),
    _spec("filter_to_list", "down", "leave", FILTER, "To list", section=FILTER_BAR),
    # --- anywhere in the reader ----------------------------------------------------------------
    _spec("force_quit", "ctrl+q", "quit", APP, "Quit", section=ANYWHERE),
    # Textual's own palette binding has no id; this one can be remapped in [keys].
    _spec("command_palette", "ctrl+p", "command_palette", APP, "Palette",
          help="Command palette", section=ANYWHERE, priority=True),
    _spec("star", "s", "star", PANES, "Star", section=ANYWHERE, palette="Star or unstar",
          palette_help="Keep the paper in your starred list", show=True),
    _spec("tag", "t", "tag", PANES, "Tag", section=ANYWHERE, palette="Tag…",
          palette_help="Add or remove tags", show=True),
    _spec("note", "n", "note", PANES, "Note", section=ANYWHERE, palette="Note…",
          palette_help="Write a note on the paper"),
    _spec("toggle_read", "u", "toggle_read", PANES, "Read/unread", section=ANYWHERE,
          palette="Mark read or unread", palette_help="Toggle the paper's read mark"),
    _spec("mark_all_read", "U", "mark_all_read", PANES, "All read", section=ANYWHERE,
          palette="Mark all read", palette_help="Every paper in the list"),
    _spec("select", "space", "toggle_selection", PANES, "Select", section=ANYWHERE),
    _spec("clear_selection", "escape", "clear_selection", PANES, "Clear selection",
          section=ANYWHERE, palette="Clear the selection",
          palette_help="Unmark every selected paper"),
    _spec("starred_view", "L", "starred_view", SCREEN, "Starred", section=ANYWHERE,
          show=True),
    _spec("save_filter", "ctrl+s", "save_filter", SCREEN, "Save filter", section=ANYWHERE,
          palette="Save the filter…", palette_help="Keep the filter under a name"),
    _spec("copy_hf_url", "y", "copy('hf_url')", PANES, "Copy URL", section=ANYWHERE,
          palette="Copy Hugging Face URL", palette_help="The paper's page on Hugging Face"),
    _spec("copy_arxiv_url", "Y", "copy('arxiv_url')", PANES, "Copy arXiv URL",
          section=ANYWHERE, palette="Copy arXiv URL",
          palette_help="The paper's arXiv abstract page"),
    _spec("copy_bibtex", "b", "copy('bibtex')", PANES, "BibTeX", section=ANYWHERE),
    _spec("copy_arxiv_bibtex", "B", "copy('arxiv_bibtex')", PANES, "arXiv BibTeX",
          section=ANYWHERE, palette="Copy arXiv BibTeX",
          palette_help="BibTeX as arXiv serves it (local offline)"),
    _spec("copy_menu", "c", "copy_menu", PANES, "Copy…", section=ANYWHERE, palette="Copy…",
          palette_help="Choose a link or citation format"),
    _spec("open_code", "C", "open_extra('code')", PANES, "Code", section=ANYWHERE,
          palette="Open the code repository", palette_help="The paper's GitHub repository"),
    _spec("open_project", "P", "open_extra('project')", PANES, "Project page",
          section=ANYWHERE, palette="Open the project page",
          palette_help="The paper's project page"),
    _spec("export", "E", "export", PANES, "Export", section=ANYWHERE,
          palette="Export papers to a file…", palette_help="BibTeX, RIS, Markdown or JSON"),
    _spec("show_register", "quotation_mark", "show_register", PANES, "Copied",
          section=ANYWHERE, palette="Show copied texts",
          palette_help="The register of recent copies"),
    # --- the whole paper, its discussion and linked repositories -------------------------------
    # The panes own the highlighted paper, so they open its pages.
    _spec("read_paper", "R", "paper_page('read')", PANES, "Read",
          help="Read the whole paper here: outline, search, figures", section=ANYWHERE,
          palette="Read the paper", palette_help="The whole paper: outline, search, figures"),
    _spec("discussion", "D", "paper_page('discussion')", PANES, "Discussion",
          help="The paper's discussion on Hugging Face", section=ANYWHERE,
          palette="Discussion", palette_help="The paper's comments on Hugging Face"),
    _spec("linked_repos", "M", "paper_page('linked')", PANES, "Linked repos",
          help="Linked models, datasets and Spaces", section=ANYWHERE,
          palette="Linked models, datasets and Spaces",
          palette_help="What the paper spawned on Hugging Face"),
    _spec("reader_close", "escape,q", "close", READER, "Back", show=True,
          help="Back to the list (first closes the search or the side panel)"),
    _spec("reader_search", "slash", "search", READER, "Search", show=True,
          help="Search the paper's text"),
    _spec("reader_next_match", "n", "next_match(1)", READER, "Next match"),
    _spec("reader_previous_match", "N", "next_match(-1)", READER, "Previous match"),
    _spec("reader_outline", "t", "outline", READER, "Outline", show=True,
          help="The outline: go to a section"),
    _spec("reader_figures", "f", "figures", READER, "Figures", show=True,
          help="The figures: open one in the browser"),
    _spec("reader_next", "right_square_bracket", "section(1)", READER, "Next section"),
    _spec("reader_prev", "left_square_bracket", "section(-1)", READER, "Prev section",
          help="Previous section"),
    _spec("reader_follow", "enter", "follow", READER, "Follow",
          help="A citation goes to its reference; a link opens"),
    _spec("reader_back", "backspace", "back", READER, "Back to citation",
          help="Back to where the citation was followed"),
    _spec("reader_open", "o", "open_line", READER, "Open", show=True,
          help="Open the figure or link on the line"),
    _spec("reader_select", "v", "select", READER, "Select", show=True,
          help="Start or end selecting lines"),
    _spec("reader_copy", "y", "copy_passage", READER, "Copy", show=True,
          help="Copy the passage with its citation"),
    _spec("reader_pdf", "p", "open_pdf", READER, "PDF",
          help="The paper's PDF in the browser"),
    _spec("reader_arxiv", "a", "open_arxiv", READER, "arXiv",
          help="The paper's arXiv page in the browser"),
    _spec("reader_retry", "r", "retry", READER, "Retry",
          help="Load the text again after it failed"),
    _spec("reader_discussion", "D", "discussion", READER, "Discussion",
          help="The paper's discussion on Hugging Face"),
    _spec("reader_linked", "M", "linked", READER, "Linked",
          help="Linked models, datasets and Spaces"),
    _spec("reader_down", "j,down", "cursor_down", READER_TEXT, "Down"),
    _spec("reader_up", "k,up", "cursor_up", READER_TEXT, "Up"),
    _spec("reader_page_down", "pagedown,space,ctrl+d", "page_down", READER_TEXT, "Page down"),
    _spec("reader_page_up", "pageup,ctrl+u", "page_up", READER_TEXT, "Page up"),
    _spec("reader_top", "g,home", "first", READER_TEXT, "Top"),
    _spec("reader_bottom", "G,end", "last", READER_TEXT, "Bottom"),
    _spec("extras_close", "escape,q", "close", PAPER_EXTRAS, "Back", show=True,
          help="Back to where you came from"),
    _spec("extras_refresh", "r", "refresh", PAPER_EXTRAS, "Refresh",
          help="Ask Hugging Face again"),
    _spec("discussion_hidden", "h", "toggle_hidden", DISCUSSION, "Show hidden", show=True,
          help="Show or hide the hidden comments"),
    _spec("discussion_open", "o", "open_page", DISCUSSION, "Open on HF", show=True,
          help="The discussion on Hugging Face in the browser"),
    _spec("linked_sort", "s", "sort", LINKED, "Sort", show=True,
          help="Sort by downloads, likes or name"),
    _spec("linked_all", "m", "open_page", LINKED, "All on HF", show=True,
          help="Everything linked, on Hugging Face"),
    # --- keeping up: new papers, related, authors, triage, watches ------------------------------
    _spec("next_new", "N", "next_new", PANES, "Next new", section=KEEPING_UP,
          help="Next paper first seen in this session (marked ✦; is:new filters them)",
          palette="Next new paper", palette_help="The next paper first seen in this session"),
    # K for kin: R reads the paper.
    _spec("related", "K", "related", PANES, "Related", section=KEEPING_UP,
          help="Papers most like the highlighted one, among every paper seen",
          palette="Related papers", palette_help="The papers most like this one"),
    _spec("author_view", "A", "author_view", PANES, "Author's papers", section=KEEPING_UP,
          help="Every known paper by one of the paper's authors, newest first",
          palette="Papers by an author…", palette_help="Every known paper by one of its authors"),
    _spec("triage", "X", "triage", PANES, "Triage", section=KEEPING_UP,
          help="One paper at a time: s star, x skip (read), l later, o open, u undo, q done",
          palette="Quick triage", palette_help="One paper at a time: star, skip, later, undo"),
    _spec("watches", "W", "watches", SCREEN, "Watches", section=KEEPING_UP,
          help="Open a watch's new matches (the status line counts them)",
          palette="Open a watch's new matches…", palette_help="Papers new since you last looked"),
    _spec("triage_star", "s", "decide('star')", "triage", "Star", show=True),
    _spec("triage_skip", "x,j", "decide('skip')", "triage", "Skip (read)", show=True),
    _spec("triage_later", "l", "decide('later')", "triage", "Later", show=True),
    _spec("triage_open", "o", "open", "triage", "Open", show=True),
    _spec("triage_undo", "u", "undo", "triage", "Undo", show=True),
    _spec("triage_done", "escape,q", "leave", "triage", "Done", show=True),
    _spec("pick_close", "escape", "close", "pick", "Close", show=True),
    # --- dialogs shown over the main screen ----------------------------------------------------
    _spec("copy_menu_close", "escape,q", "cancel", "copy_menu", "Close", show=True),
    _spec("export_cancel", "escape", "cancel", "export", "Cancel", show=True),
    _spec("export_submit", "ctrl+s", "submit", "export", "Export", show=True),
    _spec("close_modal", "escape", "close", "help", "Close", show=True),
    _spec("close_help", "q,question_mark", "close", "help", "Close"),
    _spec("close_modal", "escape", "close", "search", "Close", show=True),
    _spec("register_close", "escape,q", "close", "register", "Close", show=True),
    _spec("note_save", "ctrl+s", "save", "note", "Save", show=True),
    # ctrl+e is the text area's line end.
    _spec("note_external_editor", "ctrl+o", "external_editor", "note", "$EDITOR",
          help="Edit the note in $VISUAL/$EDITOR", show=True),
    _spec("note_cancel", "escape", "cancel", "note", "Cancel", show=True),
)  # fmt: skip
"""Every binding, in footer and help order."""

EXTRA_HELP: tuple[tuple[str, str, str], ...] = (
    (FILTER_BAR, "enter", "Keep the filter and return to the list"),
    ("Modals", "escape, q", "Close the topmost dialog"),
)
"""Keys handled by widgets themselves rather than by a binding: (section, keys, what)."""

PALETTE_ONLY: tuple[tuple[str, str, str, str], ...] = (
    ("Copy PDF URL", "The paper's PDF on arXiv", "copy('pdf_url')", PANES),
)
"""Commands the palette offers without a key of their own: (title, help, action, scope)."""

ALL_IDS: frozenset[str] = frozenset(spec.id for spec in KEYS)
"""Every id a `[keys]` table may remap."""

KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "quotation_mark": '"',
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "escape": "Esc",
    "enter": "Enter",
    "backspace": "Backspace",
    "space": "Space",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
}
"""How key names read in the help table and the README."""


def key_label(keys: str) -> str:
    """`j,down` -> `j ↓`; `ctrl+d` -> `ctrl+d`."""
    return " ".join(KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


def in_scope(scope: str) -> tuple[KeySpec, ...]:
    """The bindings one owner declares, in order."""
    return tuple(spec for spec in KEYS if spec.scope == scope)


def footer_order() -> dict[str, int]:
    """Binding id -> its place in the footer (the registry's order)."""
    order: dict[str, int] = {}
    for place, spec in enumerate(KEYS):
        order.setdefault(spec.id, place)
    return order


def scopes_meet(first: str, second: str) -> bool:
    """True when bindings of these two scopes can be active at the same time."""
    if first == second:
        return True
    if any(first in group and second in group for group in PAGE_GROUPS):
        return True
    main = MAIN_SCOPES | WIDGET_SCOPES
    if first in main and second in main:
        # Two widgets are never focused at once; everything else on the main screen meets.
        return not (first in WIDGET_SCOPES and second in WIDGET_SCOPES)
    return False


def split_keys(keys: str) -> list[str]:
    return [key.strip() for key in keys.split(",") if key.strip()]


def key_clashes(keymap: dict[str, str]) -> Iterator[tuple[str, str, list[str]]]:
    """(remapped id, other id, shared keys) for every remapped key another active binding has.

    Defaults sharing a key on purpose (escape in several places) are not reported: only a
    clash involving a remapped id is.
    """
    effective = [(spec, keymap.get(spec.id, spec.keys)) for spec in KEYS]
    reported: set[frozenset[str]] = set()
    for spec, keys in effective:
        if spec.id not in keymap:
            continue
        mine = set(split_keys(keys))
        for other, other_keys in effective:
            pair = frozenset((spec.id, other.id))
            if other.id == spec.id or pair in reported or not scopes_meet(spec.scope, other.scope):
                continue
            shared = sorted(mine & set(split_keys(other_keys)))
            if shared:
                reported.add(pair)
                yield spec.id, other.id, shared


def help_rows(keymap: dict[str, str] | None = None) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(section, [(keys, what, id)]) for the help screen, honouring remapped keys."""
    keymap = keymap or {}
    rows: dict[str, list[tuple[str, str, str]]] = {title: [] for title in HELP_SECTIONS}
    seen: set[tuple[str, str]] = set()
    for spec in KEYS:
        for section in spec.help_sections:
            if (section, spec.id) in seen:
                continue
            seen.add((section, spec.id))
            keys = keymap.get(spec.id, spec.keys)
            rows[section].append((key_label(keys), spec.help_text, spec.id))
    for title, keys, what in EXTRA_HELP:
        rows.setdefault(title, []).append((key_label(keys), what, ""))
    return list(rows.items())


def readme_table() -> str:
    """The README's key table (Markdown): the help screen's sections, one row per binding id."""
    lines = ["| Where | Keys | Id | What it does |", "|---|---|---|---|"]
    for section in HELP_SECTIONS:
        for spec in KEYS:
            if section not in spec.help_sections:
                continue
            keys = " ".join(f"`{key}`" for key in key_label(spec.keys).split(" "))
            what = spec.palette_help or spec.help_text
            lines.append(f"| {section} | {keys} | `{spec.id}` | {what} |")
    return "\n".join(lines) + "\n"
