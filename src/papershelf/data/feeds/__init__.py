"""The one place that decides between cache, network and the bundled sample.

A fresh cache hit is returned at once; a stale one is returned at once and marked for
revalidation; a network failure falls back to the stale copy, and with nothing cached the
latest list (or a day the sample holds) falls back to the bundled sample. A paper's detail is
merged with its entry in any list seen, which also stands in when the detail cannot be had.
Everything returned is parsed `Paper`s.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papershelf.core import dates
from papershelf.core.errors import (
    InvalidInput,
    NotFound,
    NothingCached,
    Offline,
    PapershelfError,
    RateLimited,
    ServerError,
)
from papershelf.core.links import normalize_paper_id
from papershelf.core.lists import Feed, FeedState, ListKey, ListKind, Source
from papershelf.core.model import Paper, merge_detail, parse_entry
from papershelf.core.text import clean_line
from papershelf.data.cache import CachedResponse, ResponseCache
from papershelf.data.feeds.bodies import (
    build_feed,
    dated_body,
    entry_day,
    json_array,
    newest_day,
    paper_of,
)
from papershelf.data.feeds.listed_papers import find_listed, newest_listed_day
from papershelf.data.feeds.sample import sample_day_feed, sample_feed

if TYPE_CHECKING:
    from papershelf.data.feeds.hub import HubClient

__all__ = [
    "LATEST_PAGE_SIZE",
    "SEARCH_LIMIT",
    "Feeds",
    "Freshness",
]
"""Parsing (`bodies`), the sample (`sample`) and the list lookup (`listed_papers`) are
imported from their own modules."""

_UNREACHABLE = (Offline, ServerError, RateLimited)
"""Failures that mean "no answer now", as opposed to "the answer is no"."""
SEARCH_LIMIT = 50
_log = logging.getLogger(__name__)
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
        endpoint: str | None = None,
    ) -> None:
        self._hub = hub
        self._endpoint = endpoint
        """The API's base URL for the client made on first use (None: `HF_ENDPOINT` or the hub)."""
        self._owns_hub = hub is None
        self.cache = cache if cache is not None else ResponseCache()
        self.freshness = freshness or Freshness()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.last_error: str | None = None
        """Why the last revalidation failed, in plain words."""
        self._newest_day: dt.date | None = None
        self._cache_warning_shown = False
        self._listed: dict[str, Paper] = {}
        """Every paper of the lists loaded so far, by id (first seen wins)."""

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
            feed = await asyncio.to_thread(self._cached_feed, key, cached, now, offline=offline)
            if feed is not None:
                return feed
            cached = None  # unusable bytes: behave as if nothing were cached
        if offline:
            if key.kind is ListKind.LATEST:
                newest = await asyncio.to_thread(self._newest_cached, "Working offline.")
                return self._with_warning(newest or sample_feed())
            from_sample = sample_day_feed(key)
            if from_sample is not None:
                return self._with_warning(from_sample)
            raise NothingCached(
                f"Nothing is cached for {_describe(key)}, and papershelf is working offline."
            )
        _log.debug("cache %s: %s, asking the network", cache_key, "refresh" if refresh else "miss")
        try:
            return await self._fetch(key, cache_key)
        except _UNREACHABLE as error:
            _log.info("network failed for %s: %s", cache_key, error.message)
            stale = cached or await asyncio.to_thread(self.cache.get, cache_key)
            if stale is not None:
                state = FeedState(Source.OFFLINE, stale.fetched_at, error=error.message)
                feed = await asyncio.to_thread(self._feed_or_none, key, stale.body, state)
                if feed is not None:
                    return feed
            if key.kind is ListKind.LATEST:
                newest = await asyncio.to_thread(self._newest_cached, error.message)
                if newest is not None:
                    return self._with_warning(newest)
            feed = sample_feed() if key.kind is ListKind.LATEST else sample_day_feed(key)
            if feed is not None:
                feed.state = FeedState(Source.SAMPLE, error=error.message)
                return self._with_warning(feed)
            raise

    def load_cached(self, key: ListKey, *, offline: bool = False) -> Feed | None:
        """What `load(key, offline=offline)` returns when the cache answers, else None. Blocks.

        Never asks the network: a stale copy comes back marked for revalidation, as from `load`.
        """
        now = self._clock()
        key = self._normalize(key, dates.today_utc(now))
        cached = self.cache.get(_cache_key(key))
        if cached is None:
            if offline and key.kind is ListKind.LATEST:
                return self._newest_cached("Working offline.")
            return None
        return self._cached_feed(key, cached, now, offline=offline)

    def _cached_feed(
        self, key: ListKey, cached: CachedResponse, now: dt.datetime, *, offline: bool
    ) -> Feed | None:
        """The feed of a cache hit, in the state its age gives it; None for unusable bytes."""
        fresh = cached.age_seconds(now) <= self._max_age(key, now).total_seconds()
        _log.debug(
            "cache %s: %.0f s old, %s",
            _cache_key(key),
            cached.age_seconds(now),
            "fresh" if fresh else ("offline copy" if offline else "stale, revalidating"),
        )
        if fresh:
            state = FeedState(Source.CACHED, cached.fetched_at)
        elif offline:
            state = FeedState(Source.OFFLINE, cached.fetched_at, error="Working offline.")
        else:
            state = FeedState(Source.CACHED, cached.fetched_at, revalidating=True)
        return self._feed_or_none(key, cached.body, state)

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
        """One paper's detail merged with its list entry; see `paper_with_note`."""
        paper, _ = await self.paper_with_note(paper_id, offline=offline)
        return paper

    async def paper_with_note(
        self, paper_id: str, *, offline: bool = False
    ) -> tuple[Paper, str | None]:
        """One paper, and a plain-words note when only its list entry could be given.

        The detail (cached for `Freshness.paper_days`) lacks the comment count and thumbnail,
        so it is merged with the paper's entry in a list seen before (loaded, cached or the
        sample). When the detail cannot be had (offline, 404, server trouble) that entry is
        returned alone, with the note saying why.
        """
        bare_id = normalize_paper_id(paper_id)
        if bare_id is None:
            raise InvalidInput(f"'{paper_id}' is not an arXiv id such as 2407.21783.")
        cache_key = f"paper:{bare_id}"
        now = self._clock()
        cached = await asyncio.to_thread(self.cache.get, cache_key)
        stale: Paper | None = None
        if cached is not None:
            stale = paper_of(cached.body)
            fresh = cached.age_seconds(now) <= self.freshness.paper_days * 86400
            if stale is not None and (fresh or offline):
                return await self._with_listing(stale), None
        try:
            if offline:
                raise NothingCached(
                    f"Paper {bare_id} is not cached, and papershelf is working offline."
                )
            body = await self._hub_client().paper(bare_id)
            paper = paper_of(body)
            if paper is None:
                raise ServerError(f"Hugging Face sent an unusable record for paper {bare_id}.")
            if paper.id != bare_id:
                raise NotFound(f"Hugging Face answered with paper {paper.id}, not {bare_id}.")
        except (*_UNREACHABLE, NotFound, NothingCached) as error:
            if stale is not None and not isinstance(error, NotFound):
                return await self._with_listing(stale), None
            listed = await asyncio.to_thread(self.listed_paper, bare_id)
            if listed is None:
                raise
            return listed, f"{error.message} Showing the paper as listed, without its detail."
        await asyncio.to_thread(self.cache.put, cache_key, body, now)
        return await self._with_listing(paper), None

    def cached_papers(self, paper_ids: Iterable[str]) -> dict[str, Paper]:
        """Papers the cache knows, by id, found in one pass; never asks the network. Blocks.

        A cached detail (merged with its list entry when one is cached) wins over a list entry
        alone. Cached lists are read once for all the ids, not once per id: that is what
        keeps starring thousands of papers quick.
        """
        from papershelf.data.feeds.listed_papers import find_listed_many

        wanted = list(dict.fromkeys(paper_ids))
        details: dict[str, Paper] = {}
        stored = set(self.cache.stored_keys())  # one query instead of one miss per id
        for paper_id in wanted:
            if f"paper:{paper_id}" not in stored:
                continue
            cached = self.cache.get(f"paper:{paper_id}")
            detail = paper_of(cached.body) if cached is not None else None
            if detail is not None and detail.id == paper_id:
                details[paper_id] = detail
        listed = {i: self._listed[i] for i in wanted if i in self._listed}
        listed.update(find_listed_many(self.cache, [i for i in wanted if i not in listed]))
        found: dict[str, Paper] = {}
        for paper_id in wanted:
            detail, entry = details.get(paper_id), listed.get(paper_id)
            if detail is not None:
                found[paper_id] = merge_detail(entry, detail) if entry is not None else detail
            elif entry is not None:
                found[paper_id] = entry
        _log.debug("cache: %d of %d papers known", len(found), len(wanted))
        return found

    def listed_paper(self, paper_id: str) -> Paper | None:
        """The paper's entry in a list: one loaded by this object, a cached one, or the sample.

        Reads the cache and the sample file: call it off the event loop.
        """
        known = self._listed.get(paper_id)
        if known is not None:
            return known
        return find_listed(self.cache, paper_id)

    async def aclose(self) -> None:
        """Close the network client (if this object made it) and the cache."""
        if self._hub is not None and self._owns_hub:
            await self._hub.aclose()
            self._hub = None
        await asyncio.to_thread(self.cache.close)

    # --- internals ------------------------------------------------------------------------

    async def _with_listing(self, detail: Paper) -> Paper:
        listed = await asyncio.to_thread(self.listed_paper, detail.id)
        return merge_detail(listed, detail) if listed is not None else detail

    def _hub_client(self) -> HubClient:
        if self._hub is None:
            # Deferred: a warm-cache run never needs the network stack.
            from papershelf.data.feeds.hub import HubClient

            self._hub = HubClient(self._endpoint, today=lambda: dates.today_utc(self._clock()))
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
        feed = await asyncio.to_thread(build_feed, key, body, FeedState(Source.LIVE, fetched_at))
        if not feed.papers:
            kept = await asyncio.to_thread(self._kept_instead, key, cache_key, feed)
            if kept is not None:
                return self._with_warning(kept)
        await asyncio.to_thread(self.cache.put, cache_key, body, fetched_at)
        if key.kind is ListKind.LATEST and feed.resolved_date is not None:
            self._newest_day = feed.resolved_date
        return self._with_warning(feed)

    async def _fetch_latest(self, hub: HubClient, fetched_at: dt.datetime) -> bytes:
        """The newest page, or the newest day asked by date when the page may not hold it all.

        The page may cut the newest day short, and an entry without a usable featured date
        cannot be placed on a day at all; the day's own list settles both. That answer is
        stored as `{"date": ..., "response": [...]}` (the sample's shape) so that entries
        without a date still belong to the day.
        """
        body = await hub.daily()
        items = json_array(body)
        newest = newest_day(items)
        if newest is None:
            return body
        cut_short = len(items) >= LATEST_PAGE_SIZE and entry_day(items[-1]) in (newest, None)
        undated = any(entry_day(item) is None and parse_entry(item) for item in items)
        if not (cut_short or undated):
            return body
        try:
            day_body = await hub.daily(date=newest.isoformat())
            day_key = ListKey(ListKind.DAILY, newest.isoformat())
            day_feed = await asyncio.to_thread(
                build_feed, day_key, day_body, FeedState(Source.LIVE)
            )
        except PapershelfError:
            return body  # the first page is still a fair answer
        if not day_feed.papers:
            return body  # an empty or junk day answer never replaces anything
        await asyncio.to_thread(self.cache.put, f"daily:{newest.isoformat()}", day_body, fetched_at)
        return dated_body(newest, day_body)

    def _kept_instead(self, key: ListKey, cache_key: str, fetched: Feed) -> Feed | None:
        """The cached list, when the network sent an empty or unusable one for `key`. Blocks.

        A good list is never replaced by an empty one: the server's answer is named instead.
        """
        cached = self.cache.get(cache_key)
        if cached is None:
            return None
        if fetched.skipped:
            sent = f"{fetched.skipped} entries, none of them usable,"
        else:
            sent = "an empty list"
        message = (
            f"Hugging Face sent {sent} for {_describe(key)}; "
            "the cached list was kept and not replaced."
        )
        state = FeedState(Source.CACHED, cached.fetched_at, error=message)
        kept = self._feed_or_none(key, cached.body, state)
        if kept is None or not kept.papers:
            return None
        kept.notes.append(message)
        return kept

    def _newest_cached(self, reason: str) -> Feed | None:
        """The newest day found in any cached day, week or month list, as the latest list. Blocks.

        For an offline start whose latest list was never cached: newer papers than the bundled
        sample may still sit in other lists. None when the sample is as new or newer.
        """
        found = newest_listed_day(self.cache)
        if found is None:
            return None
        day, papers, fetched_at = found
        sample = sample_feed()
        if sample.resolved_date is not None and sample.resolved_date > day:
            return None
        state = FeedState(Source.OFFLINE, fetched_at, error=reason)
        feed = Feed(ListKey(ListKind.LATEST), papers, state, resolved_date=day)
        feed.notes.append(
            f"The latest list is not cached; showing the newest cached papers ({day.isoformat()})."
        )
        self._newest_day = max(self._newest_day or day, day)
        return feed

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
        for paper in feed.papers:
            self._listed.setdefault(paper.id, paper)
        return feed


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
