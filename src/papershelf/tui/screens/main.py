"""The main screen: which list is shown — loading it, the filter, the status line, dates.

Workers fetch lists and evaluate the filter and post messages (`tui/messages.py`); the handlers
here are the only code that changes which papers the panes show. The panes
(`widgets/paper_panes.py`) own everything done to the papers themselves.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from papershelf.core.dates import FIRST_DAY, month_of, next_weekday, week_of
from papershelf.core.errors import PapershelfError
from papershelf.core.keymap import footer_order
from papershelf.core.lists import MULTI_DAY_KINDS, Feed, ListKey, ListKind, Source
from papershelf.core.model import Paper
from papershelf.core.stepping import (
    PERIOD_KINDS,
    find_listing,
    key_for,
    kind_noun,
    nothing_past,
    period_of,
    view_key,
)
from papershelf.data.config import Settings
from papershelf.data.listing_probe import listing_papers
from papershelf.tui.bindings import SCREEN_BINDINGS
from papershelf.tui.filtering import INLINE_ROWS, depends_on_library, error_span, narrows
from papershelf.tui.keepup import with_keepup
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
from papershelf.tui.screens.keeping_up import KeepingUp
from papershelf.tui.widgets.filter_bar import FilterBar
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


def anchor_of(key: ListKey) -> dt.date | None:
    """The date a list is about (a day, the Monday of a week, the 1st of a month)."""
    try:
        match key.kind:
            case ListKind.DAILY:
                return dt.date.fromisoformat(key.value)
            case ListKind.WEEK:
                year, week = key.value.split("-W")
                return dt.date.fromisocalendar(int(year), int(week), 1)
            case ListKind.MONTH:
                return dt.date.fromisoformat(f"{key.value}-01")
    except ValueError:
        return None
    return None


def contains(key: ListKey, day: dt.date | None) -> bool:
    """Whether `day` lies in the list's period (trending and search contain every day)."""
    if day is None:
        return False
    match key.kind:
        case ListKind.DAILY:
            return key.value == day.isoformat()
        case ListKind.WEEK:
            return key.value == week_of(day)
        case ListKind.MONTH:
            return key.value == month_of(day)
        case ListKind.TRENDING | ListKind.SEARCH:
            return True
    return False


def shift_month(day: dt.date, step: int) -> dt.date:
    """The 1st of the month `step` months from `day`'s."""
    months = day.year * 12 + day.month - 1 + step
    return dt.date(months // 12, months % 12 + 1, 1)


def columns_for(settings: Settings, kind: ListKind) -> list[str]:
    """The list's columns: the configured ones; with the default ones a list whose rows come
    from many days also shows each row's date (after the upvotes)."""
    columns = list(settings.columns)
    if kind in MULTI_DAY_KINDS and columns == Settings().columns and "date" not in columns:
        columns.insert(columns.index("upvotes") + 1 if "upvotes" in columns else 0, "date")
    return columns


def nearest(papers: list[Paper], wanted: tuple[str, ...]) -> int | None:
    """The row of the first paper of `wanted` that `papers` lists, or None."""
    if not wanted:
        return None
    rows = {paper.id: row for row, paper in enumerate(papers)}
    return next((rows[paper_id] for paper_id in wanted if paper_id in rows), None)


class MainScreen(Screen[None]):
    """Status line, filter bar, the paper panes and the footer."""

    BINDINGS = SCREEN_BINDINGS

    def __init__(self, services: Services, state: ReaderState) -> None:
        super().__init__()
        self.services = services
        self.state = state
        """Which list is shown, the filter, the date navigated to."""
        self.keeping_up = KeepingUp(self)
        """New papers, rises and watches: the status segment and `W`."""

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield FilterBar(id="filter-bar")
        yield PaperPanes(self.services, export_folder=self.state.export_folder, id="panes")
        yield Footer()

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
        if not self._show_cached_start(state.key):
            self.load(state.key)
        self.services.library.reread()

    def _show_cached_start(self, key: ListKey) -> bool:
        """Show the first list straight from the cache, so the first frame already holds it.

        A worker would only hand the same cache read to a thread while empty frames are painted.
        False when the cache has nothing usable (the worker then asks the network or the sample).
        """
        feeds = self.services.feeds
        try:
            feed = feeds.load_cached(key, offline=self.services.offline)
        except PapershelfError:
            return False
        if feed is None:
            return False
        state = self.state
        state.request += 1
        state.key = key
        self._show_feed(FeedLoaded(state.request, feed))
        self.run_worker(feeds.remember(feed.papers), group="remember", exit_on_error=False)
        return True

    def on_resize(self) -> None:
        self._apply_layout(self.size.width)

    def _apply_layout(self, width: int) -> None:
        self.set_class(width < WIDE_LAYOUT_MIN_WIDTH, "-narrow")
        # Tighter footer spacing below 120 columns, so more keys fit at 80.
        self.query_one(Footer).compact = width < WIDE_LAYOUT_MIN_WIDTH

    # --- loading lists ----------------------------------------------------------------------

    def load(self, key: ListKey, *, refresh: bool = False) -> None:
        """Fetch `key` in the background; the list on screen stays until it arrives."""
        state = self.state
        state.request += 1
        state.key = key
        self.status.set_loading(True)
        self._fetch_feed(state.request, key, refresh)

    @work(group="feed", exclusive=True, exit_on_error=False, description="load a list")
    async def _fetch_feed(self, request: int, key: ListKey, refresh: bool) -> None:
        services = self.services
        try:
            feed = await services.feeds.load(key, refresh=refresh, offline=services.offline)
        except PapershelfError as error:
            self.post_message(FeedFailed(request, key, error))
        else:
            self.post_message(FeedLoaded(request, feed))

    @work(group="feed", exclusive=True, exit_on_error=False, description="step a day")
    async def _fetch_step(self, request: int, kind: ListKind, day: dt.date, step: int) -> None:
        feeds, offline = self.services.feeds, self.services.offline

        today = self.services.today()
        papers_of = partial(listing_papers, feeds, offline=offline, today=today)

        def asking(key: ListKey) -> None:
            self.post_message(StepProgress(request, key))

        try:
            found = await find_listing(
                kind, day, step, today=today, fetch=papers_of, progress=asking
            )
            if found is None:
                self.post_message(
                    StepProgress(request, None, nothing_past(kind, day, step, offline=offline))
                )
                return
            feed = await feeds.load(found, offline=offline)
        except PapershelfError as error:
            self.post_message(FeedFailed(request, key_for(kind, day), error))
        else:
            self.post_message(FeedLoaded(request, feed))

    @on(StepProgress)
    def _step_progress(self, message: StepProgress) -> None:
        message.stop()
        if message.request != self.state.request:
            return
        if message.asking is not None:
            self.status.show_progress(f"looking in {message.asking.label.lower()}…")
            return
        self.status.set_loading(False)
        self.status.show_progress(None)
        self._say_edge(message.nothing or "", title="No papers")

    @work(group="revalidate", exclusive=True, exit_on_error=False, description="revalidate")
    async def _revalidate(self, request: int, key: ListKey) -> None:
        feed = await self.services.feeds.revalidate(key)
        if feed is not None:
            self.post_message(FeedLoaded(request, feed, revalidated=True))

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
        if feed.key.kind is ListKind.LATEST:
            state.latest_day = feed.resolved_date
        shown_key = feed.shown_key
        if not contains(shown_key, state.anchor):
            state.anchor = anchor_of(shown_key) or state.anchor
        if shown_key.kind is ListKind.DAILY:
            state.is_latest = feed.key.kind is ListKind.LATEST or state.anchor == state.latest_day
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
        if not message.revalidated:
            for note in feed.notes:
                self.notify(note, title="Note", markup=False)
            if feed.state.error and feed.state.source in (Source.OFFLINE, Source.SAMPLE):
                self.notify(
                    f"{feed.state.error} Showing {feed.state.describe(self.services.now())}.",
                    title="Offline",
                    severity="warning",
                    markup=False,
                )
            if feed.state.revalidating:
                self._revalidate(message.request, feed.key)
        elif feed.state.error:
            # A background refresh that was refused (e.g. an empty answer) says so.
            self.notify(feed.state.error, title="Note", severity="warning", markup=False)

    @on(FeedFailed)
    def _feed_failed(self, message: FeedFailed) -> None:
        message.stop()
        state = self.state
        if message.request != state.request:
            return
        self.status.set_loading(False)
        self.status.show_progress(None)
        error = message.error
        self.notify(error.message, title=error.title, severity="error", markup=False)
        if state.feed is None:
            from papershelf.data.feeds import sample_feed

            state.request += 1
            self.post_message(FeedLoaded(state.request, sample_feed()))
            return
        # The list on screen stays; so does the key it was loaded for.
        state.key = state.feed.key

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
        state = self.state
        state.filter_request += 1
        delay = 0.0 if immediate else self.services.filter_debounce
        self._filter(state.filter_request, state.filter_text, delay)

    @work(group="filter", exclusive=True, exit_on_error=False, description="filter the list")
    async def _filter(self, request: int, text: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        # Deferred: the query language loads with the first filter, not before the first frame.
        from papershelf.core.query import QueryError, SearchIndex, compile_query

        state = self.state
        feed = state.feed
        if feed is None:
            return
        try:
            query = compile_query(text)
        except QueryError as error:
            reason, start, end = error_span(error, text)
            self.post_message(FilterRejected(request, text, reason, start, end))
            return
        if query.is_empty:
            self.post_message(FilterApplied(request, text, list(feed.papers), ()))
            return
        # Only a query about stars, tags or notes needs the library read again.
        library = self.services.library
        view = library.current_view() if depends_on_library(text) else library.view
        view = with_keepup(self.services.feeds.keepup, view)  # is:new, rising:, sort:rising
        if state.index is None or state.index_feed is not feed:
            index = await asyncio.to_thread(SearchIndex, feed.papers)
            state.index, state.index_feed = index, feed
        papers = self._filter_source(feed, text)
        if len(papers) <= INLINE_ROWS:
            matched = query.filter(papers, state.index, view)
        else:
            matched = await asyncio.to_thread(query.filter, papers, state.index, view)
        self.post_message(FilterApplied(request, text, matched, query.highlight_terms))

    def _filter_source(self, feed: Feed, text: str) -> list[Paper]:
        """The papers `text` must look at: the result on screen when the query only narrows it."""
        shown = self.state.shown_filter
        if shown is not None and shown[0] is feed and narrows(shown[1], text):
            return shown[2]
        return feed.papers

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
        state = self.state
        if state.feed is None or not depends_on_library(state.filter_text):
            return
        listed, cursor = self.paper_list.papers, self.paper_list.cursor
        state.keep_id = self._highlighted_id()
        state.keep_near = tuple(p.id for p in [*listed[cursor + 1 :], *reversed(listed[:cursor])])
        self.run_filter(immediate=True)

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
        status = self.status
        count = message.count
        text = Content(f"{count} selected" if count else "")
        existing = status.query("#status-selection")
        if existing:
            existing.first(Static).update(text)
        elif count:
            status.mount(
                Static(text, id="status-selection", classes="status--count status--selection"),
                after="#status-count",
            )

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

    def _anchor(self) -> dt.date:
        return self.state.anchor or self.services.today()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys under a dialog stay with the dialog.
        return not (action in ("starred_view", "save_filter") and self.app.screen is not self)

    def action_focus_filter(self) -> None:
        # Focus now, not via `focus()`'s call_later: keys typed right after `/` (a fast typist,
        # a paste) must land in the bar, not run list bindings such as `a` or `g`.
        self.set_focus(self.filter_bar.input)

    def action_step_day(self, step: int) -> None:
        """`[`/`]`: the previous/next day (week, month in those views) that has papers."""
        state = self.state
        anchor = self._anchor()
        kind = state.key.kind if state.key.kind in PERIOD_KINDS else ListKind.DAILY
        first, last = period_of(key_for(kind, anchor))
        newest = kind is ListKind.DAILY and state.is_latest
        if step > 0 and (newest or next_weekday(last, 1) > self.services.today()):
            self._say_edge(f"Already at the newest {kind_noun(kind)}.")
            return
        if step < 0 and first <= FIRST_DAY:
            self._say_edge(f"Daily Papers begin on {FIRST_DAY.isoformat()}.", title="Nothing older")
            return
        state.request += 1
        self.status.set_loading(True)
        self._fetch_step(state.request, kind, anchor, step)

    def action_step_week(self, step: int) -> None:
        key = self.state.key
        anchor = self._anchor()
        today = self.services.today()
        if key.kind is ListKind.MONTH:
            first = shift_month(anchor, step)
            if first > today:
                self._say_edge("Already at the newest month.")
                return
            self.load(ListKey(ListKind.MONTH, month_of(first)))
            return
        day = anchor + dt.timedelta(days=7 * step)
        if key.kind is ListKind.WEEK:
            monday = day - dt.timedelta(days=day.weekday())
            if monday > today:
                self._say_edge("Already at the newest week.")
                return
            self.load(ListKey(ListKind.WEEK, week_of(day)))
            return
        if day > today:
            if self.state.is_latest:
                self._say_edge("Already at the newest day.")
            else:
                self.load(ListKey(ListKind.LATEST))  # a week on would be the future: newest day
            return
        self.load(ListKey(ListKind.DAILY, day.isoformat()))

    def _say_edge(self, message: str, *, title: str = "Nothing newer") -> None:
        """A step past the newest (or oldest) list: nothing is wrong, so no warning colours."""
        self.notify(message, title=title, markup=False)

    def action_daily_view(self) -> None:
        self._view(ListKind.DAILY)

    def action_week_view(self) -> None:
        self._view(ListKind.WEEK)

    def action_month_view(self) -> None:
        self._view(ListKind.MONTH)

    def _view(self, kind: ListKind) -> None:
        # The day, week or month of the date being looked at (not the newest one).
        state = self.state
        self.load(
            view_key(kind, state.anchor, latest_day=state.latest_day, today=self.services.today())
        )

    def action_trending(self) -> None:
        self.load(ListKey(ListKind.TRENDING))

    def action_search(self) -> None:
        from papershelf.tui.dialogs.search import SearchPrompt

        key = self.state.key
        initial = key.value if key.kind is ListKind.SEARCH else ""

        def searched(query: str | None) -> None:
            if query:
                self.load(ListKey(ListKind.SEARCH, query))

        self.app.push_screen(SearchPrompt(initial), searched)

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
        if not self.services.library.available:
            self.notify(
                "The library is not available, so there are no starred or tagged papers.",
                markup=False,
            )
            return
        self.load(key)

    def action_save_filter(self) -> None:
        """Save the filter bar's query under a name (listed in the command palette)."""
        text = self.state.filter_text.strip()
        if not text:
            self.notify("Type a filter first (/), then save it with ctrl+s.", markup=False)
            return
        if not self._library_writable():
            return
        self.run_worker(self._save_filter(text), group="note", exclusive=True, exit_on_error=False)

    async def _save_filter(self, text: str) -> None:
        from papershelf.tui.dialogs.save_filter import SaveFilter

        library = self.services.library
        assert library.library is not None
        saved = await library.in_thread(library.library.saved_filters)
        existing = [name for name, _query in saved]

        def named(name: str | None) -> None:
            if name:
                library.write(
                    lambda store: store.save_filter(name, text), f"Saved filter “{name}”."
                )

        self.app.push_screen(SaveFilter(text, existing_names=existing), named)

    def delete_saved_filter(self, name: str) -> None:
        """Forget a saved filter (palette: "Delete filter: …")."""
        if self._library_writable():
            self.services.library.write(
                lambda store: store.delete_filter(name), f"Deleted filter “{name}”."
            )

    def rename_saved_filter(self, name: str, query: str) -> None:
        """Ask a new name for a saved filter (palette: "Rename filter: …")."""
        from papershelf.tui.dialogs.save_filter import SaveFilter

        if not self._library_writable():
            return

        def named(new_name: str | None) -> None:
            if new_name and new_name != name:
                self.services.library.write(
                    lambda store: store.rename_filter(name, new_name),
                    f"Renamed filter “{name}” to “{new_name}”.",
                )

        self.app.push_screen(SaveFilter(query, initial_name=name), named)

    def _library_writable(self) -> bool:
        """True when the library takes changes; else the user is told why not."""
        library = self.services.library
        if library.writable:
            return True
        self.notify(
            library.problem or "The library is not available; changes cannot be saved.",
            title="Library unavailable",
            severity="warning",
            markup=False,
        )
        return False
