"""`papershelf list`, `show` and `paths`: the feeds for scripts.

stdout carries only data in every format; where the data came from and any warning go to stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from typing import IO, TYPE_CHECKING, TypeVar

from papershelf.core.errors import InvalidInput
from papershelf.core.links import normalize_paper_id
from papershelf.core.lists import Feed, FeedState, ListKey, ListKind, Source
from papershelf.core.text import plural, to_json

if TYPE_CHECKING:
    from papershelf.core.model import Paper
    from papershelf.data.feeds import Feeds

T = TypeVar("T")
PaperFilter = Callable[["Paper"], bool]

LIST_FORMATS = ("table", "json", "ids")
TITLE_MIN_WIDTH = 20
AUTHOR_MIN_WIDTH = 12
SHOW_FORMATS = ("text", "json")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `list`, `show` and `paths`."""
    list_parser = subparsers.add_parser(
        "list",
        help="print a list of papers (default: the latest daily list)",
        description="Print a list of papers. Without options: the latest daily list, complete.",
    )
    add_list_arguments(list_parser)
    list_parser.set_defaults(handler=run_list)

    show_parser = subparsers.add_parser(
        "show",
        help="print one paper",
        description="Print one paper: ID may be 2407.21783, arXiv:2407.21783v2 or a URL.",
    )
    show_parser.add_argument("paper_id", metavar="ID", help="arXiv id or arXiv/HF paper URL")
    show_parser.add_argument("--format", choices=SHOW_FORMATS, default="text")
    show_parser.add_argument(
        "--offline", action="store_true", help="use the cache only; never touch the network"
    )
    show_parser.set_defaults(handler=run_show)

    paths_parser = subparsers.add_parser(
        "paths", help="print where papershelf keeps config, data, cache and the debug log"
    )
    paths_parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    paths_parser.set_defaults(handler=run_paths)


def add_list_arguments(parser: argparse.ArgumentParser) -> argparse._MutuallyExclusiveGroup:
    """The options of `list`; returns the group of list sources (one at a time)."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--date",
        metavar="DAY",
        help='the list featured on that day: YYYY-MM-DD, "yesterday", "last monday", '
        '"3 days ago" (as the command palette reads them)',
    )
    source.add_argument("--week", metavar="YYYY-Www", help="an ISO week, e.g. 2026-W34")
    source.add_argument("--month", metavar="YYYY-MM", help="a calendar month")
    source.add_argument("--trending", action="store_true", help="Hugging Face's trending list")
    source.add_argument("--search", metavar="QUERY", help="search Hugging Face papers")
    source.add_argument(
        "--starred", action="store_true", help="your starred papers (from the library, offline)"
    )
    source.add_argument("--tag", metavar="TAG", help="your papers with this tag (offline)")
    parser.add_argument(
        "--filter",
        metavar="QUERY",
        help='narrow any list with the filter language, e.g. "is:unread upvotes:>=20"',
    )
    parser.add_argument(
        "--format",
        choices=LIST_FORMATS,
        default="table",
        help="table (default); json prints JSON Lines (one object per line); ids one id a line",
    )
    parser.add_argument(
        "--offline", action="store_true", help="use the cache only; never touch the network"
    )
    parser.add_argument("--refresh", action="store_true", help="ignore the cache; ask the network")
    return source


_EMPTY_VALUE_EXAMPLES = {
    "date": "--date 2026-08-21",
    "week": "--week 2026-W34",
    "month": "--month 2026-08",
    "tag": "--tag to-read",
}


def list_key(args: argparse.Namespace) -> ListKey:
    """Which list the arguments ask for; an empty `--date ""` is refused, never the latest."""
    for option, example in _EMPTY_VALUE_EXAMPLES.items():
        value = getattr(args, option, None)
        if value is not None and not value.strip():
            raise InvalidInput(f"--{option} needs a value, e.g. {example}.")
    if args.date:
        return ListKey(ListKind.DAILY, _day(args.date))
    if args.week:
        return ListKey(ListKind.WEEK, args.week)
    if args.month:
        return ListKey(ListKind.MONTH, args.month)
    if args.trending:
        return ListKey(ListKind.TRENDING)
    if args.search is not None:
        return ListKey(ListKind.SEARCH, args.search)
    if getattr(args, "starred", False):
        return ListKey(ListKind.STARRED)
    if getattr(args, "tag", None):
        return ListKey(ListKind.TAG, args.tag)
    return ListKey(ListKind.LATEST)


def _day(text: str) -> str:
    """`yesterday`, `last monday`… as the palette reads them; anything else is left for the
    feeds to validate (and reject in their own words)."""
    from papershelf.core.date_phrases import parse_date_phrase
    from papershelf.core.dates import today_utc

    day = parse_date_phrase(text, today_utc())
    return day.isoformat() if day is not None else text


def paper_filters(args: argparse.Namespace) -> list[PaperFilter]:
    """Predicates narrowing the list (none yet: the library adds its own here)."""
    return []


def select_papers(args: argparse.Namespace, feed: Feed) -> list[Paper]:
    """The feed's papers, in order, that pass every filter."""
    from papershelf.cli.library import apply_filter
    from papershelf.core.query.tokens import QueryError

    filters = paper_filters(args)
    papers = [paper for paper in feed.papers if all(keep(paper) for keep in filters)]
    query_text = getattr(args, "filter", None)
    try:
        return apply_filter(papers, query_text)
    except QueryError as error:
        raise InvalidInput(f"--filter {query_text!r}: {error.located()}") from error


def run_list(args: argparse.Namespace) -> int:
    """`papershelf list`."""
    key = list_key(args)
    if key.kind in (ListKind.STARRED, ListKind.TAG):
        from papershelf.cli.library import library_papers

        feed = Feed(key, library_papers(args) or [], FeedState(Source.LIBRARY))
    else:
        feed = run_with_feeds(
            lambda feeds: load_current(feeds, key, offline=args.offline, refresh=args.refresh)
        )
    papers = select_papers(args, feed)
    quiet = feed.state.source is Source.LIVE and not feed.notes and papers
    if args.format == "table" or not quiet:
        report_feed(feed, len(papers), sys.stderr)
    write_papers(papers, args.format, sys.stdout)
    return 0


def run_show(args: argparse.Namespace) -> int:
    """`papershelf show ID`."""
    paper_id = normalize_paper_id(args.paper_id)
    if paper_id is None:
        raise InvalidInput(f"'{args.paper_id}' is not an arXiv id such as 2407.21783 or a URL.")
    paper, note = run_with_feeds(lambda feeds: _paper_with_note(feeds, paper_id, args.offline))
    if note:
        print(f"papershelf: note: {note}", file=sys.stderr)
    if args.format == "json":
        from papershelf.cli.library import records_with_library

        [record] = records_with_library([paper])
        print(to_json(record))
    else:
        sys.stdout.write(paper_text(paper))
    return 0


async def _paper_with_note(feeds: Feeds, paper_id: str, offline: bool) -> tuple[Paper, str | None]:
    """The paper from Hugging Face or a list seen; else the library's snapshot, with a note."""
    import asyncio

    from papershelf.core.errors import NotFound, NothingCached, Offline, RateLimited, ServerError

    try:
        return await feeds.paper_with_note(paper_id, offline=offline)
    except (Offline, NothingCached, RateLimited, ServerError, NotFound) as error:
        from papershelf.data.library import Library

        with Library.open() as library:
            kept = await asyncio.to_thread(library.paper, paper_id)
        if kept is None or kept.title == kept.id:
            raise
        return kept, f"{error.message} Showing the copy kept in your library."


def run_paths(args: argparse.Namespace) -> int:
    """`papershelf paths`."""
    from papershelf.data.paths import all_paths

    locations = all_paths()
    if getattr(args, "format", "text") == "json":
        print(to_json({name: str(path) for name, path in locations.items()}))
        return 0
    for name, path in locations.items():
        print(f"{name}: {path}")
    return 0


async def load_current(
    feeds: Feeds, key: ListKey, *, offline: bool = False, refresh: bool = False
) -> Feed:
    """Like `Feeds.load`, but a stale copy is revalidated before returning (a script waits)."""
    feed = await feeds.load(key, offline=offline, refresh=refresh)
    if not feed.state.revalidating:
        return feed
    fresh = await feeds.revalidate(key)
    if fresh is not None:
        return fresh
    feed.state = FeedState(Source.OFFLINE, feed.state.fetched_at, error=feeds.last_error)
    return feed


def run_with_feeds(work: Callable[[Feeds], Awaitable[T]]) -> T:
    """Run `work` with a fresh `Feeds` on a new event loop, closing it afterwards."""
    # Deferred: asyncio and the data layer cost tens of milliseconds that `paths` never needs.
    import asyncio

    from papershelf.data.feeds import Feeds

    async def runner() -> T:
        feeds = Feeds()
        try:
            return await work(feeds)
        finally:
            await feeds.aclose()

    return asyncio.run(runner())


def report_feed(feed: Feed, shown: int, stream: IO[str]) -> None:
    """One status line (list, count, provenance) and any warnings, for humans."""
    label = feed.key.label
    if feed.shown_key != feed.key:
        label = feed.shown_key.label.replace("Daily", "Latest", 1)
    provenance = feed.state.describe()
    if feed.state.source is Source.SAMPLE:
        provenance = "sample (bundled papers: no network and nothing cached)"
    count = plural(shown, "paper")
    print(f"{label} · {count} · {provenance}", file=stream)
    if feed.state.error and feed.state.error != "Working offline.":
        print(f"papershelf: warning: {feed.state.error}", file=stream)
    for note in feed.notes:
        print(f"papershelf: warning: {note}", file=stream)


def write_papers(papers: list[Paper], fmt: str, stream: IO[str]) -> None:
    """Papers as `ids`, JSON lines, or a Rich table."""
    if fmt == "ids":
        stream.write("".join(f"{paper.id}\n" for paper in papers))
    elif fmt == "json":
        from papershelf.cli.library import records_with_library

        records = records_with_library(papers)
        stream.write("".join(to_json(record) + "\n" for record in records))
    else:
        write_table(papers, stream)


def write_table(papers: list[Paper], stream: IO[str]) -> None:
    """A Rich table; every cell is literal text, never markup."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, highlight=False, markup=False, emoji=False)
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", no_wrap=True)
    table.add_column("▲", justify="right", no_wrap=True)
    table.add_column("💬", justify="right", no_wrap=True)
    # The title is what a reader scans: a long author name is cut, never the title column.
    table.add_column("title", ratio=3, min_width=TITLE_MIN_WIDTH)
    table.add_column(
        "first author",
        ratio=1,
        no_wrap=True,
        overflow="ellipsis",
        max_width=max(AUTHOR_MIN_WIDTH, console.width // 4),
    )
    for paper in papers:
        table.add_row(
            Text(paper.id),
            Text(str(paper.upvotes)),
            Text(str(paper.comments)),
            Text(paper.title),
            Text(paper.first_author or ""),
        )
    console.print(table)


def paper_text(paper: Paper) -> str:
    """The plain-text form of `show`."""
    lines = [paper.title]
    if paper.authors:
        lines.append("Authors: " + ", ".join(paper.author_names))
    if paper.organization:
        lines.append(f"Organization: {paper.organization}")
    facts = []
    if paper.published:
        facts.append(f"published {paper.published.isoformat()}")
    if paper.daily_date:
        facts.append(f"featured {paper.daily_date.isoformat()}")
    facts.append(plural(paper.upvotes, "upvote"))
    facts.append(plural(paper.comments, "comment"))
    lines.append(" · ".join(facts))
    if paper.github:
        stars = f" ({paper.github_stars} stars)" if paper.github_stars is not None else ""
        lines.append(f"GitHub: {paper.github}{stars}")
    if paper.project_page:
        lines.append(f"Project page: {paper.project_page}")
    lines.append(f"Hugging Face: {paper.hf_url}")
    lines.append(f"arXiv: {paper.arxiv_url}")
    lines.append(f"PDF: {paper.pdf_url}")
    if paper.keywords:
        lines.append("Keywords: " + ", ".join(paper.keywords))
    if paper.ai_summary:
        lines += ["", f"AI summary: {paper.ai_summary}"]
    if paper.summary:
        lines += ["", paper.summary]
    return "\n".join(lines) + "\n"
