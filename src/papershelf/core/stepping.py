"""Where `[`/`]` and `d`/`w`/`m` go: the previous or next listing that has papers, and the view
of the date being looked at.

Stepping asks for a week (then, after empty weeks, a month) at a time rather than a day at a
time, so a gap of weeks (holidays, the early history) costs a handful of requests. The fetching
is handed in, so this module stays pure and is tested without a network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence

from papershelf.core.dates import FIRST_DAY, month_of, week_of
from papershelf.core.listing import ListKey, ListKind
from papershelf.core.model import Paper

PERIOD_KINDS = (ListKind.DAILY, ListKind.WEEK, ListKind.MONTH)
"""Lists that are about a period, and so can be stepped through and switched between."""

EMPTY_WEEKS_BEFORE_MONTHS = 2
"""After this many empty weeks in a row, look a month at a time."""

Fetch = Callable[[ListKey], Awaitable[Sequence[Paper] | None]]
"""Fetches one listing's papers (None when it cannot be had, e.g. offline and not cached)."""

Progress = Callable[[ListKey], None]
"""Told which listing is being asked for, for a progress indication."""


def key_for(kind: ListKind, day: dt.date) -> ListKey:
    """The `kind` listing (day, week or month) that contains `day`."""
    match kind:
        case ListKind.WEEK:
            return ListKey(ListKind.WEEK, week_of(day))
        case ListKind.MONTH:
            return ListKey(ListKind.MONTH, month_of(day))
    return ListKey(ListKind.DAILY, day.isoformat())


def period_of(key: ListKey) -> tuple[dt.date, dt.date]:
    """First and last day of a day, week or month listing."""
    match key.kind:
        case ListKind.WEEK:
            year, week = key.value.split("-W")
            monday = dt.date.fromisocalendar(int(year), int(week), 1)
            return monday, monday + dt.timedelta(days=6)
        case ListKind.MONTH:
            first = dt.date.fromisoformat(f"{key.value}-01")
            following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - dt.timedelta(days=1)
    day = dt.date.fromisoformat(key.value)
    return day, day


def weekdays_in(key: ListKey, today: dt.date) -> list[dt.date]:
    """Monday..Friday of a day, week or month listing, up to `today`."""
    first, last = period_of(key)
    days = (first + dt.timedelta(days=offset) for offset in range((last - first).days + 1))
    return [day for day in days if day.weekday() < 5 and FIRST_DAY <= day <= today]


def kind_noun(kind: ListKind) -> str:
    """`day`, `week` or `month`."""
    return {ListKind.WEEK: "week", ListKind.MONTH: "month"}.get(kind, "day")


def nothing_past(kind: ListKind, start: dt.date, step: int, *, offline: bool = False) -> str:
    """Plain words for a step that found no listing with papers."""
    shown = key_for(kind, start).value
    what = "cached papers" if offline else "papers"
    if step < 0:
        return f"No {what} before {shown}."
    return f"No {what} after {shown} yet."


def view_key(
    kind: ListKind, anchor: dt.date | None, *, latest_day: dt.date | None, today: dt.date
) -> ListKey:
    """The list `d`, `w` or `m` shows: the day, week or month of the date being looked at.

    `d` on (or after) the newest day shows the latest list, which follows new days as they
    come; anywhere else it shows the day the anchor names, so `w`, `{`, `m`, `d` lands in the
    month you went to.
    """
    if kind is ListKind.DAILY:
        newest = latest_day or today
        if anchor is None or anchor >= newest:
            return ListKey(ListKind.LATEST)
        return key_for(ListKind.DAILY, anchor)
    return key_for(kind, anchor or latest_day or today)


async def find_listing(
    kind: ListKind,
    start: dt.date,
    step: int,
    *,
    today: dt.date,
    fetch: Fetch,
    progress: Progress | None = None,
    first_day: dt.date = FIRST_DAY,
) -> ListKey | None:
    """The nearest `kind` listing (day, week or month) before (`step=-1`) or after (`+1`) the
    one containing `start` that has papers; None when there is none up to `first_day`/`today`.

    Weeks are asked first; after `EMPTY_WEEKS_BEFORE_MONTHS` empty ones, whole months. A
    paper's featured day (`daily_date`) says which day it belongs to.
    """
    if step not in (-1, 1):
        raise ValueError("step must be -1 or +1")
    low, high = period_of(key_for(kind, start))
    frontier = low if step < 0 else high
    """Every day from `start` up to here (in the direction of `step`) has been looked at."""
    empty_weeks = 0
    probe_kind = ListKind.MONTH if kind is ListKind.MONTH else ListKind.WEEK
    while True:
        day = frontier + dt.timedelta(days=step)
        if day < first_day or day > today:
            return None
        if empty_weeks >= EMPTY_WEEKS_BEFORE_MONTHS:
            probe_kind = ListKind.MONTH
        probe = key_for(probe_kind, day)
        if probe.kind is ListKind.WEEK and probe.value.endswith("W53"):
            probe = key_for(ListKind.MONTH, day)  # the API has no week 53
        if progress is not None:
            progress(probe)
        papers = await fetch(probe) or ()
        first, last = period_of(probe)
        days = {
            paper.daily_date
            for paper in papers
            if paper.daily_date is not None
            and first <= paper.daily_date <= last
            and (paper.daily_date <= day if step < 0 else paper.daily_date >= day)
        }
        if days:
            found = max(days) if step < 0 else min(days)
            return key_for(kind, found)
        frontier = first if step < 0 else last
        if probe.kind is ListKind.WEEK:
            empty_weeks += 1
