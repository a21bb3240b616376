"""`papershelf star|unstar|tag|untag|library`: the library from the command line.

Also the helpers `papershelf list --starred/--tag/--filter` uses: `library_papers` and
`apply_filter`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from papershelf.core.errors import InvalidInput, LibraryUnavailable, PapershelfError
from papershelf.core.links import normalize_paper_id
from papershelf.core.model import Paper
from papershelf.core.query import SearchIndex, compile_query
from papershelf.core.text import plural, to_json
from papershelf.data.library import SCHEMA_VERSION, Library


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `star`, `unstar`, `tag`, `untag` and `library`."""
    star = subparsers.add_parser(
        "star",
        help="star papers (kept in the library, shown offline)",
        description="Star papers by arXiv id or URL. The paper's details are looked up (cache "
        "first) and kept with the star.",
    )
    star.add_argument("paper_ids", nargs="+", metavar="ID", help="arXiv id or paper URL")
    star.add_argument("--offline", action="store_true", help="look details up in the cache only")
    star.set_defaults(handler=run_star)

    unstar = subparsers.add_parser("unstar", help="remove stars")
    unstar.add_argument("paper_ids", nargs="+", metavar="ID", help="arXiv id or paper URL")
    unstar.set_defaults(handler=run_unstar)

    tag = subparsers.add_parser(
        "tag",
        help="add tags to a paper",
        description="Add tags to a paper. Tags compare case-insensitively; spaces inside a tag "
        'become "-"; "a,b" is two tags.',
    )
    tag.add_argument("paper_id", metavar="ID", help="arXiv id or paper URL")
    tag.add_argument("tags", nargs="+", metavar="TAG")
    tag.add_argument("--offline", action="store_true", help="look details up in the cache only")
    tag.set_defaults(handler=run_tag)

    untag = subparsers.add_parser("untag", help="remove tags from a paper")
    untag.add_argument("paper_id", metavar="ID", help="arXiv id or paper URL")
    untag.add_argument("tags", nargs="+", metavar="TAG")
    untag.set_defaults(handler=run_untag)

    library = subparsers.add_parser(
        "library",
        help="where the library is, what it holds; backup and restore",
        description="Without an action: print where the library is and what it holds.",
    )
    library.set_defaults(handler=run_library_info)
    actions = library.add_subparsers(dest="library_action", metavar="ACTION")
    backup = actions.add_parser(
        "backup", help="write every star, tag, note, read mark, saved filter and snapshot as JSON"
    )
    backup.add_argument("file", metavar="FILE", help="where to write the backup ('-' = stdout)")
    backup.set_defaults(handler=run_backup)
    restore = actions.add_parser(
        "restore", help="merge a backup into the library (adds, never removes)"
    )
    restore.add_argument("file", metavar="FILE", help="a backup file ('-' = stdin)")
    restore.set_defaults(handler=run_restore)


# --- helpers for other commands ---------------------------------------------------------------


def open_library() -> Library:
    """The user's library; raises LibraryUnavailable (with how to recover) when unusable."""
    library = Library.open()
    if not library.available:
        raise LibraryUnavailable(library.problem or "The library cannot be opened.")
    return library


def library_papers(args: argparse.Namespace) -> list[Paper] | None:
    """Papers for `list --starred` / `list --tag TAG` from the library; None when neither is set."""
    starred = getattr(args, "starred", False)
    tag = getattr(args, "tag", None)
    if not starred and not tag:
        return None
    with open_library() as library:
        if starred:
            papers = library.starred_papers()
            if tag:
                tagged = {paper.id for paper in library.tagged_papers(tag)}
                papers = [paper for paper in papers if paper.id in tagged]
            return papers
        return library.tagged_papers(tag)


def apply_filter(
    papers: Sequence[Paper], query_text: str | None, library: Library | None = None
) -> list[Paper]:
    """`papers` narrowed (and sorted) by a filter-bar query; raises QueryError when malformed.

    The library's stars, tags, notes and read marks serve `is:`, `tag:` and `has:note`; when
    no library is given the user's is opened (an unavailable one counts as empty).
    """
    if not query_text or not query_text.strip():
        return list(papers)
    query = compile_query(query_text)
    if not query.has_predicate:
        return query.filter(papers)
    if library is None:
        with Library.open() as own_library:
            view = own_library.view()
    else:
        view = library.view()
    return query.filter(papers, SearchIndex(papers), view)


def lookup_paper(paper_id: str, *, offline: bool = False) -> Paper | None:
    """The paper's details for a snapshot: the cache first, then (unless offline) the network.

    None when neither knows it; the caller keeps going without details.
    """
    from papershelf.data.feeds import Feeds

    async def lookup() -> Paper | None:
        feeds = Feeds()
        try:
            for cache_only in (True, False) if not offline else (True,):
                try:
                    return await feeds.paper(paper_id, offline=cache_only)
                except PapershelfError:
                    continue
            return None
        finally:
            await feeds.aclose()

    return asyncio.run(lookup())


def _paper_ids(raw_ids: Sequence[str]) -> list[str]:
    ids = []
    for raw in raw_ids:
        paper_id = normalize_paper_id(raw)
        if paper_id is None:
            raise InvalidInput(f"'{raw}' is not an arXiv id such as 2407.21783 or a paper URL.")
        ids.append(paper_id)
    return list(dict.fromkeys(ids))


def _with_details(library: Library, paper_ids: Sequence[str], offline: bool) -> list[Paper | str]:
    """Each id with the best details known: kept snapshot, then cache, then network."""
    items: list[Paper | str] = []
    for paper_id in paper_ids:
        paper = library.paper(paper_id) or lookup_paper(paper_id, offline=offline)
        if paper is None:
            print(
                f"papershelf: warning: no details found for {paper_id}; it is kept by id and "
                "its details are filled in when papershelf next sees it.",
                file=sys.stderr,
            )
            items.append(paper_id)
        else:
            items.append(paper)
    return items


def _label(item: Paper | str) -> str:
    return f"{item.id}  {item.title}" if isinstance(item, Paper) else item


# --- handlers ---------------------------------------------------------------------------------


def run_star(args: argparse.Namespace) -> int:
    """`papershelf star ID…`."""
    paper_ids = _paper_ids(args.paper_ids)
    with open_library() as library:
        already = library.starred_ids()
        items = _with_details(library, paper_ids, args.offline)
        library.star(items)
    for item in items:
        state = "already starred" if (_id(item) in already) else "starred"
        print(f"{state}: {_label(item)}")
    return 0


def run_unstar(args: argparse.Namespace) -> int:
    """`papershelf unstar ID…`."""
    paper_ids = _paper_ids(args.paper_ids)
    with open_library() as library:
        starred = library.starred_ids()
        library.unstar(paper_ids)
    for paper_id in paper_ids:
        print(f"{'unstarred' if paper_id in starred else 'was not starred'}: {paper_id}")
    return 0


def run_tag(args: argparse.Namespace) -> int:
    """`papershelf tag ID TAG…`."""
    [paper_id] = _paper_ids([args.paper_id])
    with open_library() as library:
        [item] = _with_details(library, [paper_id], args.offline)
        library.add_tags([item], _tags(args.tags))
        tags = library.tags_of(paper_id)
    print(f"{paper_id}: {' '.join(tags)}")
    return 0


def run_untag(args: argparse.Namespace) -> int:
    """`papershelf untag ID TAG…`."""
    [paper_id] = _paper_ids([args.paper_id])
    with open_library() as library:
        library.remove_tags([paper_id], _tags(args.tags))
        tags = library.tags_of(paper_id)
    print(f"{paper_id}: {' '.join(tags) if tags else '(no tags)'}")
    return 0


def run_library_info(args: argparse.Namespace) -> int:
    """`papershelf library`: where it is, what it holds, or how to recover when unusable."""
    library = Library.open()
    print(f"library: {library.path}")
    if not library.available:
        print("status: unavailable")
        print(f"problem: {library.problem}")
        if library.damaged:
            print(
                "how to recover: papershelf never changes a library it cannot read. Move the "
                "file aside (e.g. rename it to library.sqlite3.broken), run papershelf again to "
                "start an empty library, then merge your last backup: papershelf library "
                "restore FILE."
            )
        return 1
    with library:
        stats = library.stats()
        status = "ok" if library.writable else "read-only"
        print(f"status: {status}" + (f" ({library.problem})" if library.problem else ""))
        print(f"schema version: {library.schema_version} (this papershelf: {SCHEMA_VERSION})")
        print(f"starred papers: {stats.stars}")
        print(f"tags: {stats.tags} on {plural(stats.tagged_papers, 'paper')}")
        print(f"notes: {stats.notes}")
        print(f"read papers: {stats.read}")
        print(f"saved filters: {stats.filters}")
        print(f"paper snapshots: {stats.papers}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    """`papershelf library backup FILE`: FILE may be `-`, a FIFO or a device."""
    from papershelf.data.atomic import STDOUT_NAME, write_user_file

    with open_library() as library:
        data = library.backup()
    text = to_json(data, indent=1) + "\n"
    target = args.file if args.file == STDOUT_NAME else Path(args.file).expanduser()
    where = "standard output" if target == STDOUT_NAME else str(target)
    try:
        write_user_file(target, text)
    except OSError as error:
        if isinstance(error, BrokenPipeError) and target == STDOUT_NAME:
            raise  # `backup - | head` stopped reading: not an error (see `cli.main`)
        reason = error.strerror or type(error).__name__
        raise PapershelfError(f"Cannot write the backup to {where}: {reason}.") from error
    if target == STDOUT_NAME:
        return 0
    nouns = {"stars": "star", "tags": "tag", "notes": "note", "read": "read mark"}
    counts = ", ".join(plural(len(data[section]), noun) for section, noun in nouns.items())
    print(f"backup written to {target} ({counts})", file=sys.stderr)
    return 0


_SHOWN_PROBLEMS = 5
"""Skipped backup entries named one by one; the rest are counted."""


def run_restore(args: argparse.Namespace) -> int:
    """`papershelf library restore FILE`: merge a backup, report what it added."""
    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            text = Path(args.file).expanduser().read_text(encoding="utf-8")
    except OSError as error:
        raise PapershelfError(f"Cannot read the backup {args.file}: {error.strerror}.") from error
    except UnicodeDecodeError as error:
        raise InvalidInput(
            f"{args.file} is not a papershelf backup (not UTF-8 text, at byte {error.start})."
        ) from error
    try:
        data = json.loads(text)
    except ValueError as error:
        raise InvalidInput(f"{args.file} is not a papershelf backup (not JSON).") from error
    with open_library() as library:
        report = library.restore(data)
    for problem in report.skipped[:_SHOWN_PROBLEMS]:
        print(f"papershelf: warning: {problem}", file=sys.stderr)
    if len(report.skipped) > _SHOWN_PROBLEMS:
        print(
            f"papershelf: warning: … and {len(report.skipped) - _SHOWN_PROBLEMS} more",
            file=sys.stderr,
        )
    print(f"restored from {args.file}: {report.summary()}")
    return 0


def _tags(typed: Sequence[str]) -> list[str]:
    """The tags of the command line: `a,b` is two tags, as in the reader's tag editor."""
    from papershelf.data.library_tags import split_tags

    tags = split_tags(typed)
    if not tags:
        raise InvalidInput("Name at least one tag.")
    return tags


def _id(item: Paper | str) -> str:
    return item.id if isinstance(item, Paper) else item
