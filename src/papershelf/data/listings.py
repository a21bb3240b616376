"""Finds a paper's entry in the lists already seen: the cached lists, then the bundled sample."""

from __future__ import annotations

import datetime as dt

from papershelf.core.errors import ServerError
from papershelf.core.listing import FeedState, ListKey, ListKind, Source
from papershelf.core.model import Paper
from papershelf.data.bundled_sample import ids_in_json, sample_papers, sample_papers_many
from papershelf.data.cache import ResponseCache
from papershelf.data.feed_bodies import build_feed

LIST_SCAN_LIMIT = 500
"""Cached lists searched for a paper's entry, newest first; bounds the cost of a miss."""
_LIST_PREFIXES = ("latest", "trending", "daily:", "week:", "month:", "search:")


def find_listed(cache: ResponseCache, paper_id: str) -> Paper | None:
    """The paper's entry in a cached list, else in the sample. Reads files: keep off the loop."""
    needle = paper_id.encode()
    for cache_key in list_cache_keys(cache):
        cached = cache.get(cache_key)
        if cached is None or needle not in cached.body:
            continue  # a cheap test before parsing: most lists do not hold the paper
        kind, _, value = cache_key.partition(":")
        try:
            feed = build_feed(ListKey(ListKind(kind), value), cached.body, FeedState(Source.CACHED))
        except (ServerError, ValueError):
            continue
        found = _find(feed.papers, paper_id)
        if found is not None:
            return found
    return _find(sample_papers(paper_id), paper_id)


def newest_listed_day(
    cache: ResponseCache,
) -> tuple[dt.date, list[Paper], dt.datetime] | None:
    """The newest featured day in the cached day, week and month lists: (day, its papers, when
    fetched), papers by upvotes. Reads files: keep off the loop.

    Per kind, keys are scanned newest first and the first list with papers settles that kind.
    """
    best: tuple[dt.date, list[Paper], dt.datetime] | None = None
    keys = list_cache_keys(cache)
    for prefix in ("daily:", "week:", "month:"):
        for cache_key in (key for key in keys if key.startswith(prefix)):
            cached = cache.get(cache_key)
            if cached is None:
                continue
            kind, _, value = cache_key.partition(":")
            try:
                feed = build_feed(
                    ListKey(ListKind(kind), value), cached.body, FeedState(Source.CACHED)
                )
            except (ServerError, ValueError):
                continue
            days = [paper.daily_date for paper in feed.papers if paper.daily_date is not None]
            if not days:
                continue
            day = max(days)
            if best is None or day > best[0]:
                papers = [paper for paper in feed.papers if paper.daily_date == day]
                papers.sort(key=lambda paper: -paper.upvotes)
                best = (day, papers, cached.fetched_at)
            break
    return best


def find_listed_many(cache: ResponseCache, paper_ids: list[str]) -> dict[str, Paper]:
    """`find_listed` for many ids at once: each cached list is read once, parsed only when it
    holds one of the ids still missing. Reads files: keep off the loop."""
    missing = set(paper_ids)
    found: dict[str, Paper] = {}
    for cache_key in list_cache_keys(cache):
        if not missing:
            return found
        cached = cache.get(cache_key)
        if cached is None:
            continue
        text = cached.body.decode("utf-8", "replace")
        if missing.isdisjoint(ids_in_json(text)):
            continue  # the cheap test: most lists hold none of the papers
        kind, _, value = cache_key.partition(":")
        try:
            feed = build_feed(ListKey(ListKind(kind), value), cached.body, FeedState(Source.CACHED))
        except (ServerError, ValueError):
            continue
        for paper in feed.papers:
            if paper.id in missing:
                found[paper.id] = paper
                missing.discard(paper.id)
    if missing:
        found.update(sample_papers_many(missing))
    return found


def list_cache_keys(cache: ResponseCache) -> list[str]:
    """Keys of cached lists, the latest first, then days newest first, then the rest."""
    keys = [key for key in cache.stored_keys() if key.startswith(_LIST_PREFIXES)]
    keys.sort(key=lambda key: (_LIST_PREFIXES.index(_prefix_of(key)), _reversed(key)))
    return keys[:LIST_SCAN_LIMIT]


def _find(papers: list[Paper], paper_id: str) -> Paper | None:
    return next((paper for paper in papers if paper.id == paper_id), None)


def _prefix_of(cache_key: str) -> str:
    return next(prefix for prefix in _LIST_PREFIXES if cache_key.startswith(prefix))


def _reversed(text: str) -> tuple[int, ...]:
    """A sort key putting ISO dates (and other text) in descending order."""
    return tuple(-ord(char) for char in text)
