"""The one place that decides between cache, network and the bundled sample.

A fresh cache hit is returned at once; a stale one is returned at once and marked for
revalidation; a network failure falls back to the stale copy, and with nothing cached the
latest list falls back to the bundled sample. Everything returned is parsed `Paper`s.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from papershelf.core import dates
from papershelf.core.errors import (
    InvalidInput,
    NothingCached,
    Offline,
    PapershelfError,
    RateLimited,
    ServerError,
)
from papershelf.core.links import normalize_paper_id
from papershelf.core.listing import Feed, FeedState, ListKey, ListKind, Source
from papershelf.core.model import Paper, parse_entries, parse_entry
from papershelf.core.text import clean_line
from papershelf.data.cache import CachedResponse, ResponseCache

if TYPE_CHECKING:
    from papershelf.data.hub import HubClient

_UNREACHABLE = (Offline, ServerError, RateLimited)
"""Failures that mean "no answer now", as opposed to "the answer is no"."""
SEARCH_LIMIT = 50
_SAMPLE_DATE = re.compile(r'^\{"date":\s*"(\d{4}-\d{2}-\d{2})"')
LATEST_PAGE_SIZE = 100
"""Page size of the no-date request (the hub asks with `limit=100`)."""


@dataclass(slots=True)
class Freshness:
    """How long a cached response is served without asking the network."""

    latest_minutes: float = 15
    """The latest list, the newest days, the current week and month, and trending."""
    past_hours: float = 24
    """An older day, week or month: only counts still change."""
    paper_days: float = 7
    """A paper's detail."""
    search_minutes: float = 60


class Feeds:
    """Loads lists and papers offline-first; one instance per app or CLI run."""

    def __init__(
        self,
        hub: HubClient | None = None,
        cache: ResponseCache | None = None,
        *,
        freshness: Freshness | None = None,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._hub = hub
        self._owns_hub = hub is None
        self.cache = cache if cache is not None else ResponseCache()
        self.freshness = freshness or Freshness()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.last_error: str | None = None
        """Why the last revalidation failed, in plain words."""
        self._newest_day: dt.date | None = None
        self._cache_warning_shown = False

    # --- lists ----------------------------------------------------------------------------

    async def load(self, key: ListKey, *, refresh: bool = False, offline: bool = False) -> Feed:
        """The list for `key`: see the module docstring for the order of sources."""
        now = self._clock()
        key = self._normalize(key, dates.today_utc(now))
        cache_key = _cache_key(key)
        cached: CachedResponse | None = None
        if offline or not refresh:
            cached = await asyncio.to_thread(self.cache.get, cache_key)
        if cached is not None:
            fresh = cached.age_seconds(now) <= self._max_age(key, now).total_seconds()
            if fresh:
                state = FeedState(Source.CACHED, cached.fetched_at)
            elif offline:
                state = FeedState(Source.OFFLINE, cached.fetched_at, error="Working offline.")
            else:
                state = FeedState(Source.CACHED, cached.fetched_at, revalidating=True)
            feed = self._feed_or_none(key, cached.body, state)
            if feed is not None:
                return feed
            cached = None  # unusable bytes: behave as if nothing were cached
        if offline:
            if key.kind is ListKind.LATEST:
                return self._with_warning(sample_feed())
            raise NothingCached(
                f"Nothing is cached for {_describe(key)}, and papershelf is working offline."
            )
        try:
            return await self._fetch(key, cache_key)
        except _UNREACHABLE as error:
            stale = cached or await asyncio.to_thread(self.cache.get, cache_key)
            if stale is not None:
                state = FeedState(Source.OFFLINE, stale.fetched_at, error=error.message)
                feed = self._feed_or_none(key, stale.body, state)
                if feed is not None:
                    return feed
            if key.kind is ListKind.LATEST:
                feed = sample_feed()
                feed.state = FeedState(Source.SAMPLE, error=error.message)
                return self._with_warning(feed)
            raise

    async def revalidate(self, key: ListKey) -> Feed | None:
        """Ask the network for `key` and update the cache; None (see `last_error`) on failure."""
        try:
            key = self._normalize(key, dates.today_utc(self._clock()))
            return await self._fetch(key, _cache_key(key))
        except PapershelfError as error:
            self.last_error = error.message
            return None

    async def step_day(
        self, day: dt.date, step: int, *, offline: bool = False, max_empty: int = 10
    ) -> Feed:
        """The previous (`step=-1`) or next (`+1`) weekday that has papers."""
        today = dates.today_utc(self._clock())
        empty = 0
        candidate = day
        while True:
            candidate = dates.next_weekday(candidate, step)
            if candidate > today:
                if empty == 0:
                    raise InvalidInput(f"There is no list after {day} yet; {today} is today (UTC).")
                raise PapershelfError(
                    f"No papers after {day} yet; staying on {day}.", "No newer papers"
                )
            if candidate < dates.FIRST_DAY:
                raise InvalidInput(
                    f"Daily Papers begin on {dates.FIRST_DAY.isoformat()}; "
                    f"there is nothing before {day}."
                )
            try:
                feed = await self.load(
                    ListKey(ListKind.DAILY, candidate.isoformat()), offline=offline
                )
            except NothingCached:
                feed = None
            if feed is not None and feed.papers:
                return feed
            empty += 1
            if empty >= max_empty:
                where = "before" if step < 0 else "after"
                what = "cached papers" if offline else "papers"
                raise PapershelfError(
                    f"No {what} in the {max_empty} days {where} {day}; staying on {day}.",
                    "No papers",
                )

    # --- papers ---------------------------------------------------------------------------

    async def paper(self, paper_id: str, *, offline: bool = False) -> Paper:
        """One paper's detail, cached for `Freshness.paper_days`."""
        bare_id = normalize_paper_id(paper_id)
        if bare_id is None:
            raise InvalidInput(f"'{paper_id}' is not an arXiv id such as 2407.21783.")
        cache_key = f"paper:{bare_id}"
        now = self._clock()
        cached = await asyncio.to_thread(self.cache.get, cache_key)
        if cached is not None:
            fresh = cached.age_seconds(now) <= self.freshness.paper_days * 86400
            paper = _paper_of(cached.body) if fresh or offline else None
            if paper is not None:
                return paper
        if offline:
            raise NothingCached(
                f"Paper {bare_id} is not cached, and papershelf is working offline."
            )
        try:
            body = await self._hub_client().paper(bare_id)
        except _UNREACHABLE:
            stale = _paper_of(cached.body) if cached is not None else None
            if stale is not None:
                return stale
            raise
        paper = _paper_of(body)
        if paper is None:
            raise ServerError(f"Hugging Face sent an unusable record for paper {bare_id}.")
        await asyncio.to_thread(self.cache.put, cache_key, body, now)
        return paper

    async def aclose(self) -> None:
        """Close the network client (if this object made it) and the cache."""
        if self._hub is not None and self._owns_hub:
            await self._hub.aclose()
            self._hub = None
        await asyncio.to_thread(self.cache.close)

    # --- internals ------------------------------------------------------------------------

    def _hub_client(self) -> HubClient:
        if self._hub is None:
            # Deferred: a warm-cache run never needs the network stack.
            from papershelf.data.hub import HubClient

            self._hub = HubClient(today=lambda: dates.today_utc(self._clock()))
        return self._hub

    def _normalize(self, key: ListKey, today: dt.date) -> ListKey:
        """Validate the key's value and bring it to its canonical form."""
        match key.kind:
            case ListKind.LATEST | ListKind.TRENDING:
                return ListKey(key.kind)
            case ListKind.DAILY:
                return ListKey(key.kind, dates.parse_day(key.value, today).isoformat())
            case ListKind.WEEK:
                return ListKey(key.kind, dates.week_label(*dates.parse_week(key.value, today)))
            case ListKind.MONTH:
                year, month = dates.parse_month(key.value, today)
                return ListKey(key.kind, f"{year:04d}-{month:02d}")
            case ListKind.SEARCH:
                query = clean_line(key.value)
                if not query:
                    raise InvalidInput("The search query is empty.")
                return ListKey(key.kind, query)
        raise InvalidInput(f"The {key.label} list comes from the library, not from Hugging Face.")

    def _max_age(self, key: ListKey, now: dt.datetime) -> dt.timedelta:
        """How long a cached copy of `key` counts as fresh."""
        today = dates.today_utc(now)
        recent = dt.timedelta(minutes=self.freshness.latest_minutes)
        past = dt.timedelta(hours=self.freshness.past_hours)
        match key.kind:
            case ListKind.DAILY:
                day = dt.date.fromisoformat(key.value)
                newest = self._newest_day
                is_newest = (today - day).days <= 1 or (newest is not None and day >= newest)
                return recent if is_newest else past
            case ListKind.WEEK:
                return recent if key.value == dates.week_of(today) else past
            case ListKind.MONTH:
                return recent if key.value == dates.month_of(today) else past
            case ListKind.SEARCH:
                return dt.timedelta(minutes=self.freshness.search_minutes)
        return recent

    async def _fetch(self, key: ListKey, cache_key: str) -> Feed:
        """Network only: fetch, cache the bytes as received, parse."""
        hub = self._hub_client()
        fetched_at = self._clock()
        match key.kind:
            case ListKind.LATEST:
                body = await self._fetch_latest(hub, fetched_at)
            case ListKind.DAILY:
                body = await hub.daily(date=key.value)
            case ListKind.WEEK:
                body = await hub.daily(week=key.value)
            case ListKind.MONTH:
                body = await hub.daily(month=key.value)
            case ListKind.TRENDING:
                body = await hub.daily(sort="trending")
            case _:
                body = await hub.search(key.value, limit=SEARCH_LIMIT)
        feed = build_feed(key, body, FeedState(Source.LIVE, fetched_at))
        await asyncio.to_thread(self.cache.put, cache_key, body, fetched_at)
        if key.kind is ListKind.LATEST and feed.resolved_date is not None:
            self._newest_day = feed.resolved_date
        return self._with_warning(feed)

    async def _fetch_latest(self, hub: HubClient, fetched_at: dt.datetime) -> bytes:
        """The newest page; when it may cut the newest day short, that day asked by date."""
        body = await hub.daily()
        items = _json_array(body)
        newest = _newest_day(items)
        if newest is None or len(items) < LATEST_PAGE_SIZE:
            return body
        if _entry_day(items[-1]) not in (newest, None):
            return body  # the page already runs into an older day: the newest is complete
        day_body = await hub.daily(date=newest.isoformat())
        await asyncio.to_thread(self.cache.put, f"daily:{newest.isoformat()}", day_body, fetched_at)
        return day_body

    def _feed_or_none(self, key: ListKey, body: bytes, state: FeedState) -> Feed | None:
        """A feed from cached bytes; None when the bytes are not a usable response."""
        try:
            feed = build_feed(key, body, state)
        except ServerError:
            return None
        if key.kind is ListKind.LATEST and feed.resolved_date is not None:
            self._newest_day = max(self._newest_day or feed.resolved_date, feed.resolved_date)
        return self._with_warning(feed)

    def _with_warning(self, feed: Feed) -> Feed:
        """Attach the cache's rebuild warning to the first feed after it happened."""
        if self.cache.warning and not self._cache_warning_shown:
            feed.notes.append(self.cache.warning)
            self._cache_warning_shown = True
        return feed


def build_feed(key: ListKey, body: bytes, state: FeedState) -> Feed:
    """Parse a response body into the feed for `key` (raises ServerError when unusable)."""
    items = _json_array(body)
    listing_date = dt.date.fromisoformat(key.value) if key.kind is ListKind.DAILY else None
    parsed = parse_entries(items, listing_date)
    papers = parsed.papers
    resolved: dt.date | None = listing_date
    if key.kind is ListKind.LATEST:
        days = [paper.daily_date for paper in papers if paper.daily_date is not None]
        if days:
            resolved = max(days)
            papers = [paper for paper in papers if paper.daily_date == resolved]
            papers = _by_upvotes(papers)
    elif key.kind in (ListKind.WEEK, ListKind.MONTH):
        papers = _by_upvotes(papers)
    feed = Feed(key, papers, state, skipped=parsed.skipped, resolved_date=resolved)
    if parsed.skipped:
        feed.notes.append(f"Skipped {parsed.skipped} unreadable entries.")
    return feed


def sample_feed() -> Feed:
    """The bundled sample's newest day, labelled as the sample."""
    from importlib.resources import files

    text = files("papershelf.data.sample").joinpath("daily_papers.jsonl").read_text("utf-8")
    # Each line opens with its date, and ISO dates sort as text: only the newest line is parsed.
    dated = [(_SAMPLE_DATE.match(line), line) for line in text.splitlines() if line.strip()]
    if not dated:
        return Feed(ListKey(ListKind.LATEST), [], FeedState(Source.SAMPLE))
    if all(match is not None for match, _ in dated):
        newest_line = max(dated, key=lambda pair: pair[0][1])[1]  # type: ignore[index]
        newest = json.loads(newest_line)
    else:
        newest = max((json.loads(line) for _, line in dated), key=lambda record: record["date"])
    day = dt.date.fromisoformat(newest["date"])
    parsed = parse_entries(newest["response"], day)
    return Feed(
        ListKey(ListKind.LATEST),
        parsed.papers,
        FeedState(Source.SAMPLE),
        skipped=parsed.skipped,
        resolved_date=day,
    )


def _by_upvotes(papers: list[Paper]) -> list[Paper]:
    # Stable: papers with equal votes keep the API's order.
    return sorted(papers, key=lambda paper: -paper.upvotes)


def _json_array(body: bytes) -> list[Any]:
    try:
        items = json.loads(body)
    except ValueError:
        raise ServerError("The response is not valid JSON.") from None
    if not isinstance(items, list):
        raise ServerError("The response is not a list of papers.")
    return items


def _entry_day(item: Any) -> dt.date | None:
    paper = parse_entry(item)
    return paper.daily_date if paper is not None else None


def _newest_day(items: list[Any]) -> dt.date | None:
    days = [day for day in map(_entry_day, items) if day is not None]
    return max(days) if days else None


def _paper_of(body: bytes) -> Paper | None:
    try:
        return parse_entry(json.loads(body))
    except ValueError:
        return None


def _cache_key(key: ListKey) -> str:
    match key.kind:
        case ListKind.LATEST | ListKind.TRENDING:
            return str(key.kind)
    return f"{key.kind}:{key.value}"


def _describe(key: ListKey) -> str:
    match key.kind:
        case ListKind.DAILY:
            return key.value
        case ListKind.WEEK:
            return f"week {key.value}"
        case ListKind.MONTH:
            return f"month {key.value}"
        case ListKind.TRENDING:
            return "the trending list"
        case ListKind.SEARCH:
            return f"the search '{key.value}'"
    return "the latest list"
