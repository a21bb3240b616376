"""The main screen: coordinates the status line, filter bar, paper list and detail pane.

Workers fetch lists, filter results and paper details and post messages (`tui/messages.py`);
the handlers here, in `main_filter.py` and in `main_detail.py` are the only code that changes
what is shown.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import Footer
from textual.worker import Worker, WorkerState

from papershelf.core.dates import FIRST_DAY, month_of, next_weekday, week_of
from papershelf.core.errors import PapershelfError
from papershelf.core.listing import Feed, ListKey, ListKind, Source
from papershelf.tui.bindings import SCREEN_BINDINGS
from papershelf.tui.keepup import KeepUpPanel
from papershelf.tui.messages import FeedFailed, FeedLoaded
from papershelf.tui.screens.main_detail import MainDetail
from papershelf.tui.screens.main_filter import MainFilter
from papershelf.tui.widgets.filter_bar import FilterBar
from papershelf.tui.widgets.paper_detail import PaperDetail
from papershelf.tui.widgets.paper_list import PaperList
from papershelf.tui.widgets.status import StatusLine

if TYPE_CHECKING:
    from papershelf.tui.app import PapershelfApp

WIDE_LAYOUT_MIN_WIDTH = 120
"""At this many columns or more the list and the detail sit side by side."""


def display_key(feed: Feed) -> ListKey:
    """The key to show for a feed: the latest list is named after the day it resolved to."""
    if feed.key.kind is ListKind.LATEST and feed.resolved_date is not None:
        return ListKey(ListKind.DAILY, feed.resolved_date.isoformat())
    return feed.key


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


class MainScreen(MainFilter, MainDetail):
    """Status line, filter bar, list pane and detail pane."""

    BINDINGS = SCREEN_BINDINGS

    app: PapershelfApp  # type: ignore[assignment]

    def compose(self) -> ComposeResult:
        yield StatusLine(id="status")
        yield FilterBar(id="filter-bar")
        with Container(id="panes"):
            latex = self.app.render_latex
            yield PaperList(id="paper-list", row_markers=self.app.row_markers, render_latex=latex)
            yield PaperDetail(id="paper-detail", render_latex=latex)
        yield Footer()

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

    # --- start ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        state = self.app.state
        self._apply_layout(self.app.size.width)
        self.paper_list.focus()
        self.status.show(label="Loading…", shown=0, loaded=0)
        if state.filter_text:
            self.filter_bar.set_text(state.filter_text)
        self.set_interval(30, self._refresh_source)
        self.keepup = KeepUpPanel(self)
        """New markers, rises, watches and their keys (one hook, `tui/keepup.py`)."""
        self.keepup.install()
        if not self._show_cached_start(state.key):
            self.load(state.key)

    def _show_cached_start(self, key: ListKey) -> bool:
        """Show the first list straight from the cache, so the first frame already holds it.

        A worker would only hand the same cache read to a thread while empty frames are painted.
        False when the cache has nothing usable (the worker then asks the network or the sample).
        """
        feeds = self.app.feeds
        load_cached = getattr(feeds, "load_cached", None)
        if load_cached is None:
            return False
        try:
            feed = load_cached(key, offline=self.app.offline)
        except PapershelfError:
            return False
        if feed is None:
            return False
        state = self.app.state
        state.request += 1
        state.key = key
        self._show_feed(FeedLoaded(state.request, feed))
        remember = getattr(feeds, "remember", None)
        if remember is not None:
            self.run_worker(remember(feed.papers), group="remember", exit_on_error=False)
        return True

    def on_resize(self) -> None:
        self._apply_layout(self.size.width)

    def _apply_layout(self, width: int) -> None:
        self.set_class(width < WIDE_LAYOUT_MIN_WIDTH, "-narrow")

    # --- loading lists ----------------------------------------------------------------------

    def load(self, key: ListKey, *, refresh: bool = False) -> None:
        """Fetch `key` in the background; the list on screen stays until it arrives."""
        state = self.app.state
        state.request += 1
        state.key = key
        self.status.set_loading(True)
        self._fetch_feed(state.request, key, refresh)

    @work(group="feed", exclusive=True, exit_on_error=False, description="load a list")
    async def _fetch_feed(self, request: int, key: ListKey, refresh: bool) -> None:
        try:
            feed = await self.app.feeds.load(key, refresh=refresh, offline=self.app.offline)
        except PapershelfError as error:
            self.post_message(FeedFailed(request, key, error))
        else:
            self.post_message(FeedLoaded(request, feed))

    @work(group="feed", exclusive=True, exit_on_error=False, description="step a day")
    async def _fetch_step(self, request: int, day: dt.date, step: int) -> None:
        try:
            feed = await self.app.feeds.step_day(day, step, offline=self.app.offline)
        except PapershelfError as error:
            self.post_message(FeedFailed(request, ListKey(ListKind.DAILY, day.isoformat()), error))
        else:
            self.post_message(FeedLoaded(request, feed))

    @work(group="revalidate", exclusive=True, exit_on_error=False, description="revalidate")
    async def _revalidate(self, request: int, key: ListKey) -> None:
        feed = await self.app.feeds.revalidate(key)
        if feed is not None:
            self.post_message(FeedLoaded(request, feed, revalidated=True))

    @on(FeedLoaded)
    def _feed_loaded(self, message: FeedLoaded) -> None:
        message.stop()
        self._show_feed(message)

    def _show_feed(self, message: FeedLoaded) -> None:
        state = self.app.state
        if message.request != state.request:
            return
        feed = message.feed
        self.status.set_loading(False)
        keep_id = state.pending_paper_id or self._highlighted_id()
        state.pending_paper_id = None
        state.feed = feed
        state.key = feed.key
        state.index = None
        if not message.revalidated:
            state.details.clear()
        if feed.key.kind is ListKind.LATEST:
            state.latest_day = feed.resolved_date
        shown_key = display_key(feed)
        if not contains(shown_key, state.anchor):
            state.anchor = anchor_of(shown_key) or state.anchor
        if shown_key.kind is ListKind.DAILY:
            state.is_latest = feed.key.kind is ListKind.LATEST or state.anchor == state.latest_day
        self.status.show(label=shown_key.label, loaded=len(feed.papers))
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
                    f"{feed.state.error} Showing {feed.state.describe(self.app.now())}.",
                    title="Offline",
                    severity="warning",
                    markup=False,
                )
            if feed.state.revalidating:
                self._revalidate(message.request, feed.key)

    @on(FeedFailed)
    def _feed_failed(self, message: FeedFailed) -> None:
        message.stop()
        state = self.app.state
        if message.request != state.request:
            return
        self.status.set_loading(False)
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
        feed = self.app.state.feed
        if feed is None:
            return
        source = feed.state.describe(self.app.now())
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

    # --- actions ----------------------------------------------------------------------------

    def _anchor(self) -> dt.date:
        return self.app.state.anchor or self.app.today()

    def action_focus_filter(self) -> None:
        # Focus now, not via `focus()`'s call_later: keys typed right after `/` (a fast typist,
        # a paste) must land in the bar, not run list bindings such as `a` or `g`.
        self.set_focus(self.filter_bar.input)

    def action_step_day(self, step: int) -> None:
        state = self.app.state
        anchor = self._anchor()
        target = next_weekday(anchor, step)
        if step > 0 and target > self.app.today():
            self._say_edge("Already at the newest day.")
            return
        if step < 0 and target < FIRST_DAY:
            self._say_edge(f"Daily Papers begin on {FIRST_DAY.isoformat()}.", title="Nothing older")
            return
        state.request += 1
        self.status.set_loading(True)
        self._fetch_step(state.request, anchor, step)

    def action_step_week(self, step: int) -> None:
        key = self.app.state.key
        anchor = self._anchor()
        today = self.app.today()
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
            if self.app.state.is_latest:
                self._say_edge("Already at the newest day.")
            else:
                self.load(ListKey(ListKind.LATEST))  # a week on would be the future: newest day
            return
        self.load(ListKey(ListKind.DAILY, day.isoformat()))

    def _say_edge(self, message: str, *, title: str = "Nothing newer") -> None:
        """A step past the newest (or oldest) list: nothing is wrong, so no warning colours."""
        self.notify(message, title=title, markup=False)

    def action_daily_view(self) -> None:
        state = self.app.state
        if state.is_latest or state.anchor is None:
            self.load(ListKey(ListKind.LATEST))
        else:
            self.load(ListKey(ListKind.DAILY, state.anchor.isoformat()))

    def action_week_view(self) -> None:
        self.load(ListKey(ListKind.WEEK, week_of(self._anchor())))

    def action_month_view(self) -> None:
        self.load(ListKey(ListKind.MONTH, month_of(self._anchor())))

    def action_trending(self) -> None:
        self.load(ListKey(ListKind.TRENDING))

    def action_search(self) -> None:
        from papershelf.tui.screens.search import SearchPrompt

        key = self.app.state.key
        initial = key.value if key.kind is ListKind.SEARCH else ""

        def searched(query: str | None) -> None:
            if query:
                self.load(ListKey(ListKind.SEARCH, query))

        self.app.push_screen(SearchPrompt(initial), searched)

    def action_refresh(self) -> None:
        self.load(self.app.state.key, refresh=True)

    def action_open(self, which: str) -> None:
        paper = self.paper_list.highlighted_paper
        if paper is None:
            self.notify("No paper is highlighted.", markup=False)
            return
        url = {"hf": paper.hf_url, "pdf": paper.pdf_url, "arxiv": paper.arxiv_url}[which]
        self.app.open_link(url)
        self.app.paper_opened(paper)

    def action_zoom(self) -> None:
        self.toggle_class("-zoom")
        if self.has_class("-zoom"):
            self.detail.focus()
        else:
            self.paper_list.focus()

    def action_keepup(self, what: str) -> None:
        """`N` next new paper, `R` related, `A` author, `X` triage, `W` watches."""
        self.keepup.run(what)

    def action_help(self) -> None:
        from papershelf.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.app.keymap))
