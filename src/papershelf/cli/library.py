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
from typing import Any

from papershelf.core.errors import InvalidInput, LibraryUnavailable, PapershelfError
from papershelf.core.links import normalize_paper_id
from papershelf.core.model import Paper
from papershelf.core.text import plural, to_json
from papershelf.data.library import Library
from papershelf.data.library.schema import SCHEMA_VERSION


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `star`, `unstar`, `tag`, `untag`, `note`, `read-state` and `library`."""
    star = subparsers.add_parser(
        "star",
        help="star papers (kept in the library, shown offline)",
        description="Star papers by arXiv id or URL. The paper's details are looked up (cache "
        "first) and kept with the star. All ids are saved in one transaction.",
    )
    star.add_argument("paper_ids", nargs="+", metavar="ID", help="arXiv id or paper URL")
    star.add_argument("--offline", action="store_true", help="look details up in the cache only")
    star.set_defaults(handler=run_star)

    unstar = subparsers.add_parser("unstar", help="remove stars")
    unstar.add_argument("paper_ids", nargs="+", metavar="ID", help="arXiv id or paper URL")
    unstar.set_defaults(handler=run_unstar)

    tag_usage = "tag ID TAG… | tag ID… --tags TAGS"
    tag = subparsers.add_parser(
        "tag",
        help="add tags to papers",
        usage=f"papershelf {tag_usage}",
        description="Add tags to papers: `tag ID TAG…` tags one paper, `tag ID… --tags a,b` "
        'several. Tags compare case-insensitively; spaces inside a tag become "-"; "a,b" is '
        "two tags.",
    )
    _add_tag_arguments(tag)
    tag.add_argument("--offline", action="store_true", help="look details up in the cache only")
    tag.set_defaults(handler=run_tag)

    untag = subparsers.add_parser(
        "untag",
        help="remove tags from papers",
        usage=f"papershelf un{tag_usage}",
        description="Remove tags: `untag ID TAG…` or `untag ID… --tags a,b`.",
    )
    _add_tag_arguments(untag)
    untag.set_defaults(handler=run_untag)

    note = subparsers.add_parser(
        "note",
        help="print, set or delete a paper's note",
        description="Without TEXT: print the note (nothing when there is none). With TEXT: "
        'replace it ("-" reads it from stdin; an empty TEXT deletes the note).',
    )
    note.add_argument("paper_id", metavar="ID", help="arXiv id or paper URL")
    note.add_argument("text", nargs="?", metavar="TEXT|-", help="the new note, or - for stdin")
    note.add_argument("--offline", action="store_true", help="look details up in the cache only")
    note.set_defaults(handler=run_note)

    read_state = subparsers.add_parser(
        "read-state",
        help="mark papers read or unread",
        description="Mark papers read (--read) or unread (--unread), in one transaction.",
    )
    read_state.add_argument("paper_ids", nargs="+", metavar="ID", help="arXiv id or paper URL")
    which = read_state.add_mutually_exclusive_group(required=True)
    which.add_argument("--read", dest="read", action="store_true", help="mark them read")
    which.add_argument("--unread", dest="read", action="store_false", help="mark them unread")
    read_state.set_defaults(handler=run_read_state)

    library = subparsers.add_parser(
        "library",
        help="where the library is, what it holds; backup and restore",
        description="Without an action: print where the library is and what it holds.",
    )
    library.add_argument(
        "--format", choices=("text", "json"), default="text", help="text (default) or json"
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


def _add_tag_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("items", nargs="+", metavar="ID|TAG", help=argparse.SUPPRESS)
    parser.add_argument(
        "--tags",
        metavar="TAGS",
        help='tags for every ID, e.g. "llm,to-read" (repeatable)',
        action="append",
    )


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
    from papershelf.core.query import compile_query, filter_papers

    if not query_text or not compile_query(query_text).has_predicate:
        return filter_papers(query_text or "", papers)  # a sort needs no library
    if library is None:
        with Library.open() as own_library:
            view = own_library.view()
    else:
        view = library.view()
    return filter_papers(query_text, papers, view)


def records_with_library(papers: Sequence[Paper]) -> list[dict[str, object]]:
    """`Paper.to_record()` of each paper plus what the library keeps about it: `starred`,
    `tags`, `note` (null when none) and `read`, so scripts need not ask twice."""
    with Library.open() as library:
        view = library.view()  # an unavailable library reads as empty
        notes = library.notes() if view.notes else {}
    records = []
    for paper in papers:
        record: dict[str, object] = paper.to_record()
        record.update(
            starred=paper.id in view.starred,
            tags=list(view.tags.get(paper.id, ())),
            note=notes.get(paper.id),
            read=paper.id in view.read,
        )
        records.append(record)
    return records


def lookup_papers(paper_ids: Sequence[str], *, offline: bool = False) -> dict[str, Paper]:
    """Details for snapshots, by id: one pass over the cache, then (unless offline) the network
    for the rest, a few at a time. Ids neither knows are left out; the caller keeps them bare.
    """
    if not paper_ids:
        return {}
    from papershelf.cli.cite import LOOKUP_CONCURRENCY
    from papershelf.data.feeds import Feeds

    async def lookup() -> dict[str, Paper]:
        feeds = Feeds()
        try:
            found = await asyncio.to_thread(feeds.cached_papers, paper_ids)
            missing = [paper_id for paper_id in paper_ids if paper_id not in found]
            if offline or not missing:
                return found
            gate = asyncio.Semaphore(LOOKUP_CONCURRENCY)

            async def one(paper_id: str) -> None:
                async with gate:
                    try:
                        found[paper_id] = await feeds.paper(paper_id)
                    except PapershelfError:
                        return

            await asyncio.gather(*(one(paper_id) for paper_id in missing))
            return found
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
    """Each id with the best details known: kept snapshot, then cache, then network.

    One query for the kept snapshots and one pass over the cache for all ids: per-id lookups
    made starring thousands of papers take minutes.
    """
    known: dict[str, Paper] = library.kept_papers(paper_ids)
    missing = [paper_id for paper_id in paper_ids if paper_id not in known]
    known.update(lookup_papers(missing, offline=offline))
    items: list[Paper | str] = []
    for paper_id in paper_ids:
        paper = known.get(paper_id)
        if paper is None:
            warn(
                f"no details found for {paper_id}; it is kept by id and its details are "
                "filled in when papershelf next sees it."
            )
            items.append(paper_id)
        else:
            items.append(paper)
    return items


def warn(message: str) -> None:
    """A warning on stderr, in the front door's form."""
    print(f"papershelf: warning: {message}", file=sys.stderr)


def status(message: str) -> None:
    """What a command did, for the human: stderr, so that stdout carries only data."""
    print(message, file=sys.stderr)


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
    lines = []
    for item in items:
        state = "already starred" if (_id(item) in already) else "starred"
        lines.append(f"{state}: {_label(item)}\n")
    sys.stderr.write("".join(lines))
    return 0


def run_unstar(args: argparse.Namespace) -> int:
    """`papershelf unstar ID…`."""
    paper_ids = _paper_ids(args.paper_ids)
    with open_library() as library:
        starred = library.starred_ids()
        library.unstar(paper_ids)
    sys.stderr.write(
        "".join(
            f"{'unstarred' if paper_id in starred else 'was not starred'}: {paper_id}\n"
            for paper_id in paper_ids
        )
    )
    return 0


def _ids_and_tags(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """`ID TAG…` (one paper) or `ID… --tags TAGS` (several)."""
    if args.tags:
        return _paper_ids(args.items), _tags(args.tags)
    if len(args.items) < 2:
        raise InvalidInput("Name the tags: `tag ID TAG…` or `tag ID… --tags a,b`.")
    return _paper_ids(args.items[:1]), _tags(args.items[1:])


def run_tag(args: argparse.Namespace) -> int:
    """`papershelf tag ID TAG…` / `papershelf tag ID… --tags TAGS`."""
    paper_ids, tags = _ids_and_tags(args)
    with open_library() as library:
        items = _with_details(library, paper_ids, args.offline)
        library.add_tags(items, tags)
        _report_tags(library, paper_ids)
    return 0


def run_untag(args: argparse.Namespace) -> int:
    """`papershelf untag ID TAG…` / `papershelf untag ID… --tags TAGS`."""
    paper_ids, tags = _ids_and_tags(args)
    with open_library() as library:
        library.remove_tags(paper_ids, tags)
        _report_tags(library, paper_ids)
    return 0


def _report_tags(library: Library, paper_ids: Sequence[str]) -> None:
    tags = library.view().tags
    sys.stderr.write(
        "".join(
            f"{paper_id}: {' '.join(tags.get(paper_id, ())) or '(no tags)'}\n"
            for paper_id in paper_ids
        )
    )


def run_note(args: argparse.Namespace) -> int:
    """`papershelf note ID [TEXT|-]`: the note is data (stdout); a change is reported on stderr."""
    [paper_id] = _paper_ids([args.paper_id])
    if args.text is None:
        with open_library() as library:
            body = library.note(paper_id)
        if body:
            print(body)
        return 0
    text = sys.stdin.read() if args.text == "-" else args.text
    with open_library() as library:
        if text.strip():
            [item] = _with_details(library, [paper_id], args.offline)
        else:
            item = paper_id
        library.set_note(item, text)
    status(f"{'note saved' if text.strip() else 'note deleted'}: {paper_id}")
    return 0


def run_read_state(args: argparse.Namespace) -> int:
    """`papershelf read-state ID… --read|--unread`."""
    paper_ids = _paper_ids(args.paper_ids)
    with open_library() as library:
        changed = library.mark_read(paper_ids, read=args.read)
    state = "read" if args.read else "unread"
    status(f"marked {state}: {plural(len(paper_ids), 'paper')} ({changed} changed)")
    return 0


_RECOVERY = (
    "papershelf never changes a library it cannot read. Move the file aside (e.g. rename it "
    "to library.sqlite3.broken), run papershelf again to start an empty library, then merge "
    "your last backup: papershelf library restore FILE."
)


def run_library_info(args: argparse.Namespace) -> int:
    """`papershelf library`: where it is, what it holds, or how to recover when unusable."""
    library = Library.open()
    info: dict[str, Any] = {"library": str(library.path)}
    if not library.available:
        info.update(status="unavailable", problem=library.problem)
        if library.damaged:  # a read-only folder or a full disk needs no moving aside
            info["how_to_recover"] = _RECOVERY
        _print_info(info, getattr(args, "format", "text"))
        return 1
    with library:
        stats = library.stats()
        info.update(
            status="ok" if library.writable else "read-only",
            problem=library.problem,
            schema_version=library.schema_version,
            supported_schema_version=SCHEMA_VERSION,
            starred_papers=stats.stars,
            tags=stats.tags,
            tagged_papers=stats.tagged_papers,
            notes=stats.notes,
            read_papers=stats.read,
            saved_filters=stats.filters,
            paper_snapshots=stats.papers,
        )
    _print_info(info, getattr(args, "format", "text"))
    return 0


def _print_info(info: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        print(to_json(info))
        return
    print(f"library: {info['library']}")
    if info["status"] == "unavailable":
        print("status: unavailable")
        print(f"problem: {info['problem']}")
        if "how_to_recover" in info:
            print(f"how to recover: {info['how_to_recover']}")
        return
    problem = f" ({info['problem']})" if info["problem"] else ""
    print(f"status: {info['status']}{problem}")
    print(
        f"schema version: {info['schema_version']} "
        f"(this papershelf: {info['supported_schema_version']})"
    )
    print(f"starred papers: {info['starred_papers']}")
    print(f"tags: {info['tags']} on {plural(info['tagged_papers'], 'paper')}")
    print(f"notes: {info['notes']}")
    print(f"read papers: {info['read_papers']}")
    print(f"saved filters: {info['saved_filters']}")
    print(f"paper snapshots: {info['paper_snapshots']}")


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
    status(f"restored from {args.file}: {report.summary()}")
    return 0


def _tags(typed: Sequence[str]) -> list[str]:
    """The tags of the command line: `a,b` is two tags, as in the reader's tag editor."""
    from papershelf.data.library.tags import split_tags

    tags = split_tags(typed)
    if not tags:
        raise InvalidInput("Name at least one tag.")
    return tags


def _id(item: Paper | str) -> str:
    return item.id if isinstance(item, Paper) else item
