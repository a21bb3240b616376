"""`papershelf cite` prints citations; `papershelf export` writes papers to a file."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from papershelf.core import cite
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
from papershelf.core.model import Paper
from papershelf.data.export import EXPORT_FORMATS, EXTENSIONS, export_papers, format_for

if TYPE_CHECKING:
    from papershelf.data.feeds import Feeds

LOOKUP_CONCURRENCY = 4
"""Papers looked up at once; the HF client paces itself beyond that."""
# The network could not answer; the library's snapshot of the paper is then good enough.
_UNANSWERED = (Offline, NothingCached, RateLimited, ServerError, NotFound)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `cite` and `export`."""
    cite_parser = subparsers.add_parser(
        "cite",
        help="print citations of papers",
        description="Print citations of papers, built locally from their metadata.",
        epilog="example: papershelf cite 1706.03762 2407.21783 --format bibtex",
    )
    cite_parser.add_argument("ids", nargs="+", metavar="ID", help="arXiv id or paper URL")
    cite_parser.add_argument(
        "--format",
        "-f",
        dest="fmt",
        choices=list(cite.FORMATS),
        default="bibtex",
        help="citation format: "
        + ", ".join(f"{spec.id} = {spec.label}" for spec in cite.FORMATS.values())
        + " (default: bibtex)",
    )
    cite_parser.add_argument(
        "--authoritative",
        "-a",
        action="store_true",
        help="BibTeX as arXiv writes it (exact year, primary class); the local entry when "
        "arXiv cannot be reached",
    )
    cite_parser.add_argument("--offline", action="store_true", help="use cached data only")
    cite_parser.set_defaults(handler=run_cite)

    export_parser = subparsers.add_parser(
        "export",
        help="write papers to a .bib, .ris, .md, .txt or .json file",
        description="Write papers to a file. Appending (the default) skips papers the file "
        "already holds. The format follows the file name ("
        + ", ".join(f"{ending} = {name}" for ending, name in EXTENSIONS.items())
        + ") unless --format is given.",
        epilog="example: papershelf export refs.bib --tag to-read",
    )
    export_parser.add_argument(
        "file", type=Path, metavar="FILE", help="the file to write ('-' = stdout, with --format)"
    )
    source = export_parser.add_mutually_exclusive_group()
    source.add_argument("--starred", action="store_true", help="starred papers (the default)")
    source.add_argument("--tag", metavar="TAG", help="papers carrying TAG")
    source.add_argument("--ids", nargs="+", metavar="ID", help="these papers")
    export_parser.add_argument(
        "--format", "-f", dest="fmt", choices=list(EXPORT_FORMATS), help="file format"
    )
    export_parser.add_argument(
        "--overwrite", action="store_true", help="replace the file instead of appending"
    )
    export_parser.add_argument("--offline", action="store_true", help="use cached data only")
    export_parser.set_defaults(handler=run_export)


# --- finding papers -------------------------------------------------------------------------


def parse_ids(texts: Sequence[str]) -> list[str]:
    """Bare arXiv ids from what the user typed, in order, repeats dropped."""
    ids: list[str] = []
    for text in texts:
        paper_id = normalize_paper_id(text)
        if paper_id is None:
            raise InvalidInput(f"'{text}' is not an arXiv id such as 2407.21783.")
        if paper_id not in ids:
            ids.append(paper_id)
    return ids


async def lookup_paper(
    paper_id: str, *, offline: bool = False, feeds: Feeds | None = None
) -> Paper:
    """One paper: Hugging Face through the cache, else the library's snapshot of it."""
    from papershelf.data.feeds import Feeds
    from papershelf.data.library import Library

    source = feeds if feeds is not None else Feeds()
    try:
        return await source.paper(paper_id, offline=offline)
    except _UNANSWERED:
        with Library.open() as library:
            kept = await asyncio.to_thread(library.paper, paper_id)
        if kept is None:
            raise
        return kept
    finally:
        if feeds is None:
            await source.aclose()


async def lookup_papers(ids: Sequence[str], *, offline: bool = False) -> list[Paper]:
    """Papers for `ids`, in order (a few looked up at once)."""
    from papershelf.data.feeds import Feeds

    feeds = Feeds()
    gate = asyncio.Semaphore(LOOKUP_CONCURRENCY)

    async def one(paper_id: str) -> Paper:
        async with gate:
            return await lookup_paper(paper_id, offline=offline, feeds=feeds)

    try:
        return list(await asyncio.gather(*(one(paper_id) for paper_id in ids)))
    finally:
        await feeds.aclose()


def library_papers(tag: str | None) -> list[Paper]:
    """Starred papers, or those carrying `tag`, from the library's snapshots."""
    from papershelf.data.library import Library

    with Library.open() as library:
        if not library.available:
            raise PapershelfError(library.problem or "The library cannot be opened.")
        return library.tagged_papers(tag) if tag else library.starred_papers()


# --- handlers -------------------------------------------------------------------------------


def run_cite(args: argparse.Namespace) -> int:
    if args.authoritative and args.fmt != "bibtex":
        raise InvalidInput("--authoritative applies to --format bibtex only.")
    ids = parse_ids(args.ids)
    papers = asyncio.run(lookup_papers(ids, offline=args.offline))
    if not args.authoritative:
        print(cite.format_papers(papers, args.fmt))
        return 0
    from papershelf.data.arxiv import fetch_bibtex_entries

    results = asyncio.run(fetch_bibtex_entries(papers, offline=args.offline))
    print("\n\n".join(text for text, _ in results))
    local = [paper.id for paper, (_, exact) in zip(papers, results, strict=True) if not exact]
    if local:
        print(
            f"papershelf: note: arXiv's entry was not available for {', '.join(local)}; "
            "printed the local entry (its year is the first version's).",
            file=sys.stderr,
        )
    return 0


def run_export(args: argparse.Namespace) -> int:
    if args.tag is not None and not args.tag.strip():
        # An empty tag would read as "no tag" and export the starred papers instead.
        raise InvalidInput("--tag needs a value, e.g. --tag to-read.")
    fmt = format_for(args.file, args.fmt)  # a bad file name fails before any lookup
    if args.ids:
        papers = asyncio.run(lookup_papers(parse_ids(args.ids), offline=args.offline))
    else:
        papers = library_papers(args.tag)
    if not papers:
        which = f"tagged '{args.tag}'" if args.tag else "starred"
        raise PapershelfError(f"No {which} papers to export.", "Nothing to export")
    report = export_papers(papers, args.file, fmt, append=not args.overwrite)
    print(report.message, file=sys.stderr)  # stdout is for data only
    return 0
