"""`papershelf read ID`: the whole paper for scripts (Markdown as served, or laid-out text)."""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `read`."""
    parser = subparsers.add_parser(
        "read",
        help="print a paper's whole text",
        description="Print a paper's whole text from Hugging Face (Markdown converted from "
        "arXiv's HTML). Starred papers' texts are kept with the library and read offline.",
        epilog="example: papershelf read 2604.26654 --format text | less",
    )
    parser.add_argument("paper_id", metavar="ID", help="arXiv id or paper URL")
    parser.add_argument(
        "--format",
        "-f",
        dest="fmt",
        choices=("markdown", "text"),
        default="markdown",
        help="markdown: as Hugging Face serves it (default); text: wrapped plain text",
    )
    parser.add_argument(
        "--width", type=int, default=80, help="line width of --format text (default: 80)"
    )
    parser.add_argument("--offline", action="store_true", help="kept or cached texts only")
    parser.set_defaults(handler=run_read)


def run_read(args: argparse.Namespace) -> int:
    import asyncio

    from papershelf.data.papers.texts import bare_id

    paper_id = bare_id(args.paper_id)
    markdown = asyncio.run(_fetch(paper_id, offline=args.offline))
    if args.fmt == "markdown":
        from papershelf.core.text import strip_control

        # Cleaned like everything shown: a script piping this into a terminal is safe too.
        text = strip_control(markdown)
    else:
        from papershelf.core.body_layout import layout
        from papershelf.core.paper_body import parse_paper

        lines = layout(parse_paper(markdown), max(args.width, 20)).lines
        text = "\n".join(line.text for line in lines)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


async def _fetch(paper_id: str, *, offline: bool) -> str:
    import asyncio

    from papershelf.data.library import Library
    from papershelf.data.papers.texts import PaperTexts

    with Library.open() as library:
        starred = library.available and await asyncio.to_thread(library.is_starred, paper_id)
    texts = PaperTexts()
    try:
        result = await texts.text(paper_id, offline=offline, keep=bool(starred))
    finally:
        await texts.aclose()
    return result.markdown
