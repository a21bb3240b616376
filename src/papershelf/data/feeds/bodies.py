"""Parses Hugging Face list responses (as received or as cached) into feeds."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from papershelf.core.errors import ServerError
from papershelf.core.lists import Feed, FeedState, ListKey, ListKind
from papershelf.core.model import (
    Paper,
    ParseResult,
    entry_daily_date,
    parse_entries,
    parse_entry,
)


def build_feed(key: ListKey, body: bytes, state: FeedState) -> Feed:
    """Parse a response body into the feed for `key` (raises ServerError when unusable).

    A LATEST body is either the newest page (an array) or one whole day, dated.
    """
    listing_date = dt.date.fromisoformat(key.value) if key.kind is ListKind.DAILY else None
    dated = _dated_parts(body) if key.kind is ListKind.LATEST else None
    if dated is not None:
        listing_date, items = dated
    else:
        items = json_array(body)
    resolved: dt.date | None = listing_date
    newest = _newest_day(items) if key.kind is ListKind.LATEST and dated is None else None
    if newest is not None:
        resolved, parsed = newest
    else:
        parsed = parse_entries(items, listing_date)
    papers = parsed.papers
    # A day's list (the latest one included) and a week or month are ranked by upvotes.
    if dated is not None or newest is not None or key.kind in (ListKind.WEEK, ListKind.MONTH):
        papers = _by_upvotes(papers)
    feed = Feed(key, papers, state, skipped=parsed.skipped, resolved_date=resolved)
    if parsed.skipped:
        feed.notes.append(f"Skipped {parsed.skipped} unreadable entries.")
    if parsed.dropped_links:
        feed.notes.append(f"Left out {parsed.dropped_links} invalid links.")
    return feed


def dated_body(day: dt.date, body: bytes) -> bytes:
    """One day's list with its date, spliced without re-encoding the entries."""
    return b'{"date": "' + day.isoformat().encode() + b'", "response": ' + body.strip() + b"}"


def _dated_parts(body: bytes) -> tuple[dt.date, list[Any]] | None:
    """(day, entries) of a `dated_body`; None when `body` is anything else."""
    if not body.lstrip().startswith(b"{"):
        return None
    try:
        record = json.loads(body)
        day = dt.date.fromisoformat(record["date"])
    except (ValueError, KeyError, TypeError):
        return None
    items = record.get("response")
    return (day, items) if isinstance(items, list) else None


def _newest_day(items: list[Any]) -> tuple[dt.date, ParseResult] | None:
    """The newest featured day of an undated page and its papers; None when none is dated.

    Only that day's entries are parsed (a page holds about a hundred entries over several
    days, and parsing is most of the cost of showing a cached list at start-up).
    """
    days = [entry_daily_date(item) for item in items]
    for day in sorted({day for day in days if day is not None}, reverse=True):
        parsed = parse_entries([item for item, on in zip(items, days, strict=True) if on == day])
        if parsed.papers:
            return day, parsed
    return None


def _by_upvotes(papers: list[Paper]) -> list[Paper]:
    # Stable: papers with equal votes keep the API's order.
    return sorted(papers, key=lambda paper: -paper.upvotes)


def json_array(body: bytes) -> list[Any]:
    try:
        items = json.loads(body)
    except ValueError:
        raise ServerError("The response is not valid JSON.") from None
    if not isinstance(items, list):
        raise ServerError("The response is not a list of papers.")
    return items


def entry_day(item: Any) -> dt.date | None:
    paper = parse_entry(item)
    return paper.daily_date if paper is not None else None


def newest_day(items: list[Any]) -> dt.date | None:
    days = [day for day in map(entry_day, items) if day is not None]
    return max(days) if days else None


def paper_of(body: bytes) -> Paper | None:
    try:
        return parse_entry(json.loads(body))
    except ValueError:
        return None
