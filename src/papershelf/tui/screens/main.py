"""The main screen: which list is shown, and the handlers that change it.

Helpers beside this module do the screen's separate jobs: `list_loading` (fetching lists),
`list_filter` (the filter), `date_navigation` (date keys and views), `saved_filters`, and
`keeping_up` (the new-papers status and watches). Their workers post messages
(`tui/messages.py`); the handlers here are the only code that changes which papers the panes
show. The panes (`widgets/paper_panes.py`) own everything done to the papers themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from papershelf.core.keymap import footer_order
from papershelf.core.lists import MULTI_DAY_KINDS, ListKey, ListKind
from papershelf.core.model import Paper
from papershelf.data.config.schema import Settings
from papershelf.tui.bindings import SCREEN_BINDINGS
from papershelf.tui.messages import (
    FeedFailed,
    FeedLoaded,
    FilterApplied,
    FilterRejected,
    KeepUpRecorded,
    LibraryViewRead,
    LibraryWriteFailed,
    LibraryWritten,
    StepProgress,
)
from papershelf.tui.reader_state import ReaderState
from papershelf.tui.screens.date_navigation import DateNavigation
from papershelf.tui.screens.keeping_up import KeepingUp
from papershelf.tui.screens.list_filter import ListFilter, nearest
from papershelf.tui.screens.list_loading import ListLoading
from papershelf.tui.screens.saved_filters import SavedFilters
from papershelf.tui.widgets.filter_bar import FilterBar
from papershelf.tui.widgets.key_footer import KeyFooter
from papershelf.tui.widgets.paper_detail import PaperDetail
from papershelf.tui.widgets.paper_list import FIRST_RUN_HINT, PaperList
from papershelf.tui.widgets.paper_panes import PaperPanes
from papershelf.tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from papershelf.tui.services import Services

WIDE_LAYOUT_MIN_WIDTH = 120
"""At this many columns or more the list and the detail sit side by side."""

FOOTER_ORDER = footer_order()
"""The footer lists keys in registry order, whichever widget owns them."""


def columns_for(settings: Settings, kind: ListKind) -> list[str]:
    """The list's columns: the configured ones; with the default ones a list whose rows come
    from many days also shows each row's date (after the upvotes)."""
    columns = list(settings.columns)
    if kind in MULTI_DAY_KINDS and columns == Settings().columns and "date" not in columns:
        columns.insert(columns.index("upvotes") + 1 if "upvotes" in columns else 0, "date")
    return columns


class MainScreen(Screen[None]):
    """Status line, filter bar, the paper panes and the footer."""

    BINDINGS = SCREEN_BINDINGS

    def __init__(self, services: Services, state: ReaderState) -> None:
        super().__init__()
        self.services = services
        self.state = state
        """Which list is shown, the filter, the date navigated to."""
        self.lists = ListLoading(self)
        """Fetches lists: the cache at start, then the feeds in workers."""
        self.keeping_up = KeepingUp(self)
        """New papers, rises and watches: the status segment and `W`."""
        self.dates = DateNavigation(self)
        """Which day, week or month the date keys and views ask for."""
        self.list_filter = ListFilter(self)
        """Evaluates the filter bar's query over the loaded list."""
        self.saved_filters = SavedFilters(self)
        """Saving, renaming and deleting named filters."""

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield FilterBar(id="filter-bar")
        yield PaperPanes(self.services, export_folder=self.state.export_folder, id="panes")
        yield KeyFooter()

    @property
    def panes(self) -> PaperPanes:
        return self.query_one(PaperPanes)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        # Registry order, not focus-chain order: the footer reads the same whoever owns a key.
        active = super().active_bindings
        ranked = sorted(active.items(), key=lambda item: FOOTER_ORDER.get(item[1].binding.id, 0))
        return dict(ranked)

    # --- start ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        state = self.state
        self.services.library.attach(self)
        self._apply_layout(self.app.size.width)
        self.paper_list.focus()
        self.status.show(label="Loading…", shown=0, loaded=0)
        # Until the first list arrives the empty list says so, never "No papers.".
        self.paper_list.empty_message = "Loading…"
        if state.filter_text:
            self.filter_bar.set_text(state.filter_text)
        self.set_interval(30, self._refresh_source)
        if self.services.first_run:
            self.notify(FIRST_RUN_HINT, title="Welcome", timeout=20, markup=False)
        self.keeping_up.start()
        cached = self.lists.cached_start(state.key)
        if cached is not None:
            self._show_feed(cached)
        else:
            self.load(state.key)
        self.services.library.reread()

    def on_resize(self) -> None:
        self._apply_layout(self.size.width)

    def _apply_layout(self, width: int) -> None:
        self.set_class(width < WIDE_LAYOUT_MIN_WIDTH, "-narrow")
        # Tighter footer spacing below 120 columns, so more keys fit at 80.
        self.query_one(KeyFooter).compact = width < WIDE_LAYOUT_MIN_WIDTH

    # --- loading lists ----------------------------------------------------------------------

    def load(self, key: ListKey, *, refresh: bool = False) -> None:
        """Fetch `key` in the background; the list on screen stays until it arrives."""
        self.lists.load(key, refresh=refresh)

    @on(StepProgress)
    def _step_progress(self, message: StepProgress) -> None:
        message.stop()
        self.dates.step_progress(message)

    @on(FeedLoaded)
    def _feed_loaded(self, message: FeedLoaded) -> None:
        message.stop()
        self._show_feed(message)

    def _show_feed(self, message: FeedLoaded) -> None:
        state = self.state
        if message.request != state.request:
            return
        feed = message.feed
        self.status.set_loading(False)
        keep_id = state.pending_paper_id or self._highlighted_id()
        state.pending_paper_id = None
        state.feed = feed
        state.key = feed.key
        state.index = None
        self.panes.new_list(feed.papers, revalidated=message.revalidated)
        self.dates.feed_shown(feed)
        shown_key = feed.shown_key
        settings = self.services.settings
        self.status.show(label=shown_key.titled(settings.date_format), loaded=len(feed.papers))
        self.paper_list.set_columns(columns_for(settings, shown_key.kind), settings.date_format)
        self._refresh_source()
        self.paper_list.empty_message = (
            "No papers on this day." if shown_key.kind is ListKind.DAILY else "No papers."
        )
        state.keep_id = keep_id
        if state.filter_text.strip():
            self.run_filter(immediate=True)
        else:
            # No filter: show the list in this very handler, one message hop sooner.
            state.filter_request += 1
            self._show_filtered("", list(feed.papers), ())
        self.lists.shown(message)

    @on(FeedFailed)
    def _feed_failed(self, message: FeedFailed) -> None:
        message.stop()
        self.lists.failed(message)

    def _refresh_source(self) -> None:
        feed = self.state.feed
        if feed is None:
            return
        source = feed.state.describe(self.services.now())
        self.status.show(source=source, source_kind=feed.state.source.value)

    def _highlighted_id(self) -> str | None:
        paper = self.paper_list.highlighted_paper
        return paper.id if paper is not None else None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Expected failures arrive as messages; anything else is a bug worth showing.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.status.set_loading(False)
            self.notify(
                f"{type(event.worker.error).__name__}: {event.worker.error}",
                title=f"Could not {event.worker.description or 'finish'}",
                severity="error",
                markup=False,
            )

    # --- the filter -------------------------------------------------------------------------

    def run_filter(self, *, immediate: bool = False) -> None:
        """Evaluate the filter text over the loaded list (debounced while typing)."""
        self.list_filter.run(immediate=immediate)

    @on(FilterApplied)
    def _filter_applied(self, message: FilterApplied) -> None:
        message.stop()
        if message.request == self.state.filter_request:
            self._show_filtered(message.text, message.papers, message.terms)

    def _show_filtered(self, text: str, papers: list[Paper], terms: tuple[str, ...]) -> None:
        state = self.state
        keep_id = state.keep_id or self._highlighted_id()
        near, state.keep_id, state.keep_near = state.keep_near, None, ()
        self.paper_list.filtering = bool(text.strip())
        self.panes.show_papers(papers, keep_id=keep_id, terms=terms, fallback=nearest(papers, near))
        state.shown_filter = (state.feed, text, papers) if state.feed is not None else None
        loaded = len(state.feed.papers) if state.feed else 0
        self.status.show(shown=len(papers), loaded=loaded, filter_text=text)
        self.filter_bar.show_count(len(papers), loaded)
        self.keeping_up.list_shown()

    def refilter_for_library(self) -> None:
        """Evaluate the filter again when it looks at the library, keeping the cursor's place."""
        self.list_filter.refilter_for_library()

    @on(FilterRejected)
    def _filter_rejected(self, message: FilterRejected) -> None:
        message.stop()
        if message.request == self.state.filter_request:
            self.filter_bar.show_error(message.reason, message.start, message.end)

    @on(FilterBar.Changed)
    def _filter_changed(self, message: FilterBar.Changed) -> None:
        message.stop()
        if message.text != self.state.filter_text:
            self.state.filter_text = message.text
            self.run_filter()

    @on(FilterBar.Submitted)
    def _filter_submitted(self, message: FilterBar.Submitted) -> None:
        message.stop()
        self.paper_list.focus()

    @on(FilterBar.Cleared)
    def _filter_cleared(self, message: FilterBar.Cleared) -> None:
        message.stop()
        self.state.filter_text = ""
        self.run_filter(immediate=True)
        self.paper_list.focus()

    def action_clear_filter(self) -> None:
        """Esc in the list: unmark the selection first, if any; else drop the filter."""
        if self.panes.selection:
            self.panes.action_clear_selection()
        elif self.state.filter_text.strip():
            self.filter_bar.action_clear()

    def apply_saved_filter(self, query: str) -> None:
        """Put a saved query in the filter bar (it applies as if typed)."""
        self.filter_bar.set_text(query)
        self.paper_list.focus()

    # --- what the panes report --------------------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, message: PaperList.Highlighted) -> None:
        message.stop()
        self.state.highlighted_id = message.paper.id if message.paper is not None else None

    @on(PaperDetail.PaneSwitchRequested)
    def _left_detail(self, message: PaperDetail.PaneSwitchRequested) -> None:
        message.stop()
        self.remove_class("-zoom")

    @on(PaperPanes.ListWanted)
    def _list_wanted(self, message: PaperPanes.ListWanted) -> None:
        message.stop()
        self.load(message.key)

    # --- keeping up: new papers, rises, watches ---------------------------------------------

    @on(KeepUpRecorded)
    def _keepup_recorded(self, message: KeepUpRecorded) -> None:
        message.stop()
        self.keeping_up.recorded(message.revision)

    def action_watches(self) -> None:
        """Pick a watch and show its new matches."""
        self.keeping_up.pick_watch()

    @on(PaperPanes.Exported)
    def _exported(self, message: PaperPanes.Exported) -> None:
        message.stop()
        self.state.export_folder = message.folder

    @on(PaperPanes.SelectionChanged)
    def _selection_changed(self, message: PaperPanes.SelectionChanged) -> None:
        message.stop()
        self.status.show_selection(message.count)

    @on(PaperPanes.LibraryEdited)
    def _library_edited(self, message: PaperPanes.LibraryEdited) -> None:
        message.stop()
        self.refilter_for_library()

    # --- the library writer's reports -------------------------------------------------------

    @on(LibraryWritten)
    def _library_written(self, message: LibraryWritten) -> None:
        message.stop()
        if self.services.library.written(message):
            self._library_differs()
        if message.done:
            self.notify(message.done, markup=False)

    @on(LibraryWriteFailed)
    def _library_write_failed(self, message: LibraryWriteFailed) -> None:
        message.stop()
        if self.services.library.write_failed(message):
            self._library_differs()
        self.notify(message.error.message, title="Not saved", severity="error", markup=False)

    @on(LibraryViewRead)
    def _library_view_read(self, message: LibraryViewRead) -> None:
        message.stop()
        if self.services.library.view_read(message):
            self._library_differs()

    def _library_differs(self) -> None:
        """The saved library differs from what was shown: redraw, and filter again on it."""
        self.panes.library_changed()
        self.refilter_for_library()

    # --- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys under a dialog stay with the dialog.
        return not (action in ("starred_view", "save_filter") and self.app.screen is not self)

    def action_focus_filter(self) -> None:
        # Focus now, not via `focus()`'s call_later: keys typed right after `/` (a fast typist,
        # a paste) must land in the bar, not run list bindings such as `a` or `g`.
        self.set_focus(self.filter_bar.input)

    def action_step_day(self, step: int) -> None:
        """`[`/`]`: the previous/next day (week, month in those views) that has papers."""
        self.dates.step_day(step)

    def action_step_week(self, step: int) -> None:
        """`{`/`}`: a week back or on (a month in the month view)."""
        self.dates.step_week(step)

    def action_daily_view(self) -> None:
        self.dates.view(ListKind.DAILY)

    def action_week_view(self) -> None:
        self.dates.view(ListKind.WEEK)

    def action_month_view(self) -> None:
        self.dates.view(ListKind.MONTH)

    def action_trending(self) -> None:
        self.load(ListKey(ListKind.TRENDING))

    def action_search(self) -> None:
        """Ask what to search Hugging Face for."""
        self.lists.ask_search()

    def action_refresh(self) -> None:
        self.load(self.state.key, refresh=True)

    def action_zoom(self) -> None:
        self.toggle_class("-zoom")
        if self.has_class("-zoom"):
            self.detail.focus()
        else:
            self.paper_list.focus()

    def action_help(self) -> None:
        from papershelf.tui.dialogs.help import HelpScreen

        self.app.push_screen(HelpScreen(dict(self.app.keymap)))

    def action_starred_view(self) -> None:
        """Show the starred papers, most recently starred first."""
        self.show_library_list(ListKey(ListKind.STARRED))

    def action_tag_view(self, tag: str) -> None:
        """Show the papers carrying `tag`."""
        self.show_library_list(ListKey(ListKind.TAG, tag))

    def show_library_list(self, key: ListKey) -> None:
        """Load a library list (starred or a tag)."""
        self.lists.load_from_library(key)

    def action_save_filter(self) -> None:
        """Save the filter bar's query under a name (listed in the command palette)."""
        self.saved_filters.save()

    def delete_saved_filter(self, name: str) -> None:
        """Forget a saved filter (palette: "Delete filter: …")."""
        self.saved_filters.delete(name)

    def rename_saved_filter(self, name: str, query: str) -> None:
        """Ask a new name for a saved filter (palette: "Rename filter: …")."""
        self.saved_filters.rename(name, query)
