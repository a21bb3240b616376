"""Parses Hugging Face list responses (as received or as cached) into feeds."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from papershelf.core.errors import ServerError
from papershelf.core.listing import Feed, FeedState, ListKey, ListKind
from papershelf.core.model import Paper, parse_entries, parse_entry


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
    parsed = parse_entries(items, listing_date)
    papers = parsed.papers
    resolved: dt.date | None = listing_date
    if dated is not None:
        papers = _by_upvotes(papers)
    elif key.kind is ListKind.LATEST:
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
