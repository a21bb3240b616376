"""The main screen's date navigation: `[`/`]`, `{`/`}`, the day, week and month views.

`DateNavigation` keeps the reader state's date (the anchor, the newest day) in step with the
lists shown and decides which list a step asks for; the screen still loads it and shows it.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from papershelf.core.dates import FIRST_DAY, month_of, next_weekday, week_of
from papershelf.core.errors import PapershelfError
from papershelf.core.lists import Feed, ListKey, ListKind
from papershelf.core.stepping import (
    PERIOD_KINDS,
    find_listing,
    key_for,
    kind_noun,
    nothing_past,
    period_of,
    view_key,
)
from papershelf.data.feeds.listing_probe import listing_papers
from papershelf.tui.messages import FeedFailed, FeedLoaded, StepProgress

if TYPE_CHECKING:
    from papershelf.tui.screens.main import MainScreen


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


class DateNavigation:
    """Which day, week or month a step or a view key asks for, and the date the view is on."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def _anchor(self) -> dt.date:
        return self.screen.state.anchor or self.screen.services.today()

    def feed_shown(self, feed: Feed) -> None:
        """A list is on screen: move the anchor into its period, note the newest day."""
        state = self.screen.state
        if feed.key.kind is ListKind.LATEST:
            state.latest_day = feed.resolved_date
        shown_key = feed.shown_key
        if not contains(shown_key, state.anchor):
            state.anchor = anchor_of(shown_key) or state.anchor
        if shown_key.kind is ListKind.DAILY:
            state.is_latest = feed.key.kind is ListKind.LATEST or state.anchor == state.latest_day

    def step_day(self, step: int) -> None:
        """`[`/`]`: the previous/next day (week, month in those views) that has papers."""
        screen = self.screen
        state = screen.state
        anchor = self._anchor()
        kind = state.key.kind if state.key.kind in PERIOD_KINDS else ListKind.DAILY
        first, last = period_of(key_for(kind, anchor))
        newest = kind is ListKind.DAILY and state.is_latest
        if step > 0 and (newest or next_weekday(last, 1) > screen.services.today()):
            self.say_edge(f"Already at the newest {kind_noun(kind)}.")
            return
        if step < 0 and first <= FIRST_DAY:
            self.say_edge(f"Daily Papers begin on {FIRST_DAY.isoformat()}.", title="Nothing older")
            return
        state.request += 1
        screen.status.set_loading(True)
        # The "feed" group on the screen: a step and a load cancel each other, newest wins.
        screen.run_worker(
            partial(self._fetch_step, state.request, kind, anchor, step),
            group="feed",
            exclusive=True,
            exit_on_error=False,
            description="step a day",
        )

    async def _fetch_step(self, request: int, kind: ListKind, day: dt.date, step: int) -> None:
        screen = self.screen
        feeds, offline = screen.services.feeds, screen.services.offline
        today = screen.services.today()
        papers_of = partial(listing_papers, feeds, offline=offline, today=today)

        def asking(key: ListKey) -> None:
            screen.post_message(StepProgress(request, key))

        try:
            found = await find_listing(
                kind, day, step, today=today, fetch=papers_of, progress=asking
            )
            if found is None:
                screen.post_message(
                    StepProgress(request, None, nothing_past(kind, day, step, offline=offline))
                )
                return
            feed = await feeds.load(found, offline=offline)
        except PapershelfError as error:
            screen.post_message(FeedFailed(request, key_for(kind, day), error))
        else:
            screen.post_message(FeedLoaded(request, feed))

    def step_progress(self, message: StepProgress) -> None:
        """Say which list a step is looking in, or that it found nothing."""
        screen = self.screen
        if message.request != screen.state.request:
            return
        if message.asking is not None:
            screen.status.show_progress(f"looking in {message.asking.label.lower()}…")
            return
        screen.status.set_loading(False)
        screen.status.show_progress(None)
        self.say_edge(message.nothing or "", title="No papers")

    def step_week(self, step: int) -> None:
        """`{`/`}`: a week back or on (a month in the month view)."""
        screen = self.screen
        key = screen.state.key
        anchor = self._anchor()
        today = screen.services.today()
        if key.kind is ListKind.MONTH:
            first = shift_month(anchor, step)
            if first > today:
                self.say_edge("Already at the newest month.")
                return
            screen.load(ListKey(ListKind.MONTH, month_of(first)))
            return
        day = anchor + dt.timedelta(days=7 * step)
        if key.kind is ListKind.WEEK:
            monday = day - dt.timedelta(days=day.weekday())
            if monday > today:
                self.say_edge("Already at the newest week.")
                return
            screen.load(ListKey(ListKind.WEEK, week_of(day)))
            return
        if day > today:
            if screen.state.is_latest:
                self.say_edge("Already at the newest day.")
            else:
                screen.load(ListKey(ListKind.LATEST))  # a week on would be the future: newest day
            return
        screen.load(ListKey(ListKind.DAILY, day.isoformat()))

    def say_edge(self, message: str, *, title: str = "Nothing newer") -> None:
        """A step past the newest (or oldest) list: nothing is wrong, so no warning colours."""
        self.screen.notify(message, title=title, markup=False)

    def view(self, kind: ListKind) -> None:
        """The day, week or month of the date being looked at (not the newest one)."""
        screen = self.screen
        state = screen.state
        screen.load(
            view_key(kind, state.anchor, latest_day=state.latest_day, today=screen.services.today())
        )
