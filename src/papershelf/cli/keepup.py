"""`papershelf digest`, `similar` and `watch`: keeping up from scripts and cron.

stdout carries only data; what was fetched, skipped or missing goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from papershelf.core.errors import InvalidInput, PapershelfError
from papershelf.core.text import clean_line, plural

if TYPE_CHECKING:
    from papershelf.core.model import Paper
    from papershelf.data.feeds import Feeds
    from papershelf.data.library import Library

MAX_DIGEST_DAYS = 62
"""A digest reaches back two months at most: each day is a request when nothing is cached."""


def current_time() -> dt.datetime:
    """Now, in UTC (a function, so tests can move the digest's "today")."""
    return dt.datetime.now(dt.UTC)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `digest`, `similar` and `watch`."""
    from papershelf.cli.feeds import LIST_FORMATS
    from papershelf.core.digest import FORMATS

    digest = subparsers.add_parser(
        "digest",
        help="print the papers of the last days, grouped by day (for cron and feed readers)",
        description="Print the papers featured in a window of days, grouped by day, with "
        "upvotes, links and the AI summary. Exits 0 with an empty digest when nothing is new.",
    )
    window = digest.add_mutually_exclusive_group()
    window.add_argument("--since", metavar="YYYY-MM-DD", help="from this day to today")
    window.add_argument(
        "--days", type=int, metavar="N", help="today and the N days before it (default 1)"
    )
    which = digest.add_mutually_exclusive_group()
    which.add_argument("--watch", metavar="NAME", help="only papers matching this watch")
    which.add_argument("--filter", metavar="QUERY", help="only papers matching this filter")
    digest.add_argument("--format", choices=FORMATS, default="markdown")
    digest.add_argument("--limit", type=int, metavar="N", help="at most N papers in all")
    digest.add_argument(
        "--offline", action="store_true", help="use the cache only; never touch the network"
    )
    digest.set_defaults(handler=run_digest)

    similar = subparsers.add_parser(
        "similar",
        help="print the papers most like one paper, among every paper papershelf has seen",
    )
    similar.add_argument("paper_id", metavar="ID", help="arXiv id or arXiv/HF paper URL")
    similar.add_argument("--format", choices=LIST_FORMATS, default="table")
    similar.add_argument("--limit", type=int, default=20, metavar="N")
    similar.add_argument(
        "--offline", action="store_true", help="use the cache only; never touch the network"
    )
    similar.set_defaults(handler=run_similar)

    watch = subparsers.add_parser("watch", help="saved filters whose new matches you follow")
    actions = watch.add_subparsers(dest="watch_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="watch a filter (saved under NAME)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("query", metavar="QUERY", help='the filter language, e.g. "kw:rlhf OR dpo"')
    add.set_defaults(handler=run_watch_add)
    listing = actions.add_parser("list", help="every watch and its new matches")
    listing.set_defaults(handler=run_watch_list)
    remove = actions.add_parser("rm", help="stop watching (the saved filter is kept)")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=run_watch_rm)


# --- recording what the commands fetch ---------------------------------------------------------


def remember_papers(papers: list[Paper]) -> None:
    """Note fetched papers in the history and the related-papers index, as the reader does."""
    import contextlib
    import sqlite3

    from papershelf.data.library import Library
    from papershelf.data.library.history import record_fetch
    from papershelf.data.papers.related_index import RelatedIndex

    if not papers:
        return
    with Library.open() as library, contextlib.suppress(PapershelfError):
        if library.writable:
            record_fetch(library, papers)
    with contextlib.suppress(OSError, sqlite3.Error), RelatedIndex() as index:
        index.add(papers)


# --- digest ------------------------------------------------------------------------------------


def digest_window(args: argparse.Namespace, today: dt.date) -> tuple[dt.date, dt.date]:
    if args.since:
        try:
            since = dt.date.fromisoformat(args.since)
        except ValueError as error:
            raise InvalidInput(
                f"--since {args.since!r} is not a date such as 2026-08-21."
            ) from error
    else:
        days = 1 if args.days is None else args.days
        if days < 0:
            raise InvalidInput("--days needs a number of days, 0 or more.")
        since = today - dt.timedelta(days=days)
    if since > today:
        raise InvalidInput(f"--since {since.isoformat()} is in the future.")
    if (today - since).days > MAX_DIGEST_DAYS:
        raise InvalidInput(f"A digest covers at most {MAX_DIGEST_DAYS} days; use a later --since.")
    return since, today


def _weekdays(since: dt.date, until: dt.date) -> list[dt.date]:
    count = (until - since).days + 1
    days = (since + dt.timedelta(days=n) for n in range(count))
    return [day for day in days if day.weekday() < 5]


async def _load_days(feeds: Feeds, days: list[dt.date], offline: bool) -> list[Paper]:
    from papershelf.cli.feeds import load_current
    from papershelf.core.lists import ListKey, ListKind, Source

    papers: list[Paper] = []
    for day in days:
        key = ListKey(ListKind.DAILY, day.isoformat())
        try:
            feed = await load_current(feeds, key, offline=offline)
        except PapershelfError as error:
            print(f"papershelf: note: {day.isoformat()}: {error.message}", file=sys.stderr)
            continue
        if feed.state.source is Source.SAMPLE:
            # The bundled sample stands in for a list in the reader; a digest reports news.
            print(f"papershelf: note: {day.isoformat()}: nothing cached.", file=sys.stderr)
            continue
        papers.extend(p for p in feed.papers if p.daily_date is None or p.daily_date == day)
    return papers


def _digest_query(args: argparse.Namespace, library: Library) -> tuple[str | None, str]:
    """The filter to apply and a title for the digest."""
    if args.watch:
        from papershelf.data.library.watches import find_watch

        watch = find_watch(library, args.watch)
        if watch is None:
            raise InvalidInput(f"No watch called {clean_line(args.watch)!r}: see `watch list`.")
        return watch.query, f"Hugging Face Daily Papers · watch {watch.name}"
    if args.filter:
        return args.filter, f"Hugging Face Daily Papers · {clean_line(args.filter)}"
    return None, "Hugging Face Daily Papers"


def run_digest(args: argparse.Namespace) -> int:
    """`papershelf digest`."""
    from papershelf.cli.feeds import run_with_feeds, select_papers
    from papershelf.core import digest
    from papershelf.core.lists import Feed, FeedState, ListKey, ListKind, Source
    from papershelf.data.library import Library

    if args.limit is not None and args.limit < 0:
        raise InvalidInput("--limit needs a number of papers, 0 or more.")
    now = current_time()
    since, until = digest_window(args, now.date())
    with Library.open() as library:
        query, title = _digest_query(args, library)
    days = _weekdays(since, until)
    papers = run_with_feeds(lambda feeds: _load_days(feeds, days, args.offline))
    remember_papers(papers)
    unique = list({p.id: p for p in papers}.values())
    feed = Feed(ListKey(ListKind.DAILY, until.isoformat()), unique, FeedState(Source.CACHED))
    args.filter = query
    chosen = select_papers(args, feed)
    groups = digest.group_by_day(chosen, args.limit)
    window = f"{since.isoformat()} to {until.isoformat()}"
    count = sum(len(group.papers) for group in groups)
    print(f"Digest {window} · {plural(count, 'paper')}", file=sys.stderr)
    if args.format == "json":
        sys.stdout.write(digest.to_json_lines(groups))
    elif args.format == "atom":
        sys.stdout.write(digest.to_atom(groups, title, now))
    else:
        sys.stdout.write(digest.to_markdown(groups, f"{title} · {window}"))
    return 0


# --- similar -----------------------------------------------------------------------------------


def run_similar(args: argparse.Namespace) -> int:
    """`papershelf similar ID`."""
    from papershelf.cli.feeds import run_with_feeds, write_papers
    from papershelf.core.links import normalize_paper_id
    from papershelf.data.papers.related_index import RelatedIndex

    paper_id = normalize_paper_id(args.paper_id)
    if paper_id is None:
        raise InvalidInput(f"'{args.paper_id}' is not an arXiv id such as 2407.21783 or a URL.")
    if args.limit < 1:
        raise InvalidInput("--limit needs a number of papers, 1 or more.")
    with RelatedIndex() as index:
        if not len(index):
            raise InvalidInput(
                "papershelf has seen no papers yet: open the reader or run `papershelf digest` "
                "first, then ask again."
            )
        paper: Paper | str = paper_id
        if index.paper(paper_id) is None:

            async def fetch(feeds: Feeds) -> Paper:
                return await feeds.paper(paper_id, offline=args.offline)

            paper = run_with_feeds(fetch)
            index.add([paper])
        related = index.related(paper, limit=args.limit)
    write_papers([r.paper for r in related], args.format, sys.stdout)
    return 0


# --- watch -------------------------------------------------------------------------------------


def run_watch_add(args: argparse.Namespace) -> int:
    from papershelf.cli.library import open_library
    from papershelf.core.query.tokens import QueryError
    from papershelf.data.library.watches import add_watch

    with open_library() as library:
        try:
            watch = add_watch(library, args.name, args.query)
        except QueryError as error:
            raise InvalidInput(f"{args.query!r}: {error.located()}") from error
    print(f"Watching {watch.name}: {clean_line(watch.query)}", file=sys.stderr)
    return 0


def run_watch_list(args: argparse.Namespace) -> int:
    from papershelf.cli.library import open_library
    from papershelf.data.feeds.known_lists import watch_news
    from papershelf.data.library.watches import watches
    from papershelf.data.papers.related_index import RelatedIndex

    with open_library() as library, RelatedIndex() as index:
        found = watches(library)
        if not found:
            print("No watches yet: papershelf watch add NAME QUERY", file=sys.stderr)
            return 0
        for watch in found:
            count = len(watch_news(library, index, watch))
            name, query = clean_line(watch.name), clean_line(watch.query)
            print(f"{name}\t{query}\t{count} new")
    return 0


def run_watch_rm(args: argparse.Namespace) -> int:
    from papershelf.cli.library import open_library
    from papershelf.data.library.watches import find_watch, set_watched

    with open_library() as library:
        watch = find_watch(library, args.name)
        if watch is None or not set_watched(library, watch.name, False):
            raise InvalidInput(f"No watch called {clean_line(args.name)!r}: see `watch list`.")
    print(f"Stopped watching {clean_line(watch.name)} (the saved filter is kept).", file=sys.stderr)
    return 0
