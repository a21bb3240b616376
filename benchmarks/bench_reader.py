"""Time the whole-paper reader on a cached ~330 KB paper: open, scroll a page, search.

    uv run python benchmarks/bench_reader.py [--runs N] [--json]

The paper is HF's Markdown of arXiv 2604.26654 (raw LaTeX, equations, figures, references)
repeated to ~330 KB, stored in the response cache of a temporary PAPERSHELF_HOME; the app
runs headless and offline. Figures are medians; "painted" means a finished frame in which the
reader's view drew lines (see benchmarks/README.md, "How painted is measured").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

from common import shared_root

SIZE = (120, 40)
TARGET_BYTES = 330_000
PAPER_FILE = "nomi181472__lab-simul__Evolutionary_Feature_Selection_SNN_Pattern_Classifiers.md"
SEARCH_WORD = "network"
PAINT_DEADLINE = 30.0


def big_paper() -> bytes:
    """The HF-format paper, its body repeated until the text is ~330 KB."""
    text = (shared_root() / "data" / "hf" / "papers-md" / PAPER_FILE).read_text(encoding="utf-8")
    header, mark, body = text.partition("Markdown Content:\n")
    parts = [header + mark]
    size = len(parts[0].encode())
    copy = 0
    while size < TARGET_BYTES:
        copy += 1
        # Number the copies so the outline has distinct sections.
        chunk = body.replace("\n## ", f"\n## {copy}.")
        parts.append(chunk)
        size += len(chunk.encode())
    return "\n\n".join(parts).encode()


class Painted:
    """Notes the end of the first frame in which the reader's view drew lines and `ready()`."""

    def __init__(self, app: Any) -> None:
        from papershelf.tui.widgets.paper_body import PaperBodyView

        self.drew = False
        self.at: float | None = None
        self.ready: Any = None
        original = PaperBodyView.render_lines

        def render_lines(view: Any, crop: Any) -> Any:
            self.drew = True
            return original(view, crop)

        PaperBodyView.render_lines = render_lines  # type: ignore[method-assign]
        hook = app.post_display_hook

        def post_display_hook() -> None:
            if self.drew and self.at is None and (self.ready is None or self.ready()):
                self.at = perf_counter()
            self.drew = False
            hook()

        app.post_display_hook = post_display_hook

    def arm(self, ready: Any = None) -> None:
        self.drew = False
        self.at = None
        self.ready = ready


async def until_painted(pilot: Any, probe: Painted) -> float:
    deadline = perf_counter() + PAINT_DEADLINE
    spins = 0
    while probe.at is None:
        await pilot._wait_for_screen()
        if probe.at is None:
            pilot.app.screen._on_timer_update()
        if probe.at is not None:
            break
        if perf_counter() > deadline:
            raise TimeoutError("the reader never painted")
        spins += 1
        await asyncio.sleep(0 if spins < 5 else 0.002)
    return probe.at


async def rest(pilot: Any) -> None:
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()
    await pilot._wait_for_screen()


async def measure(runs: int) -> dict[str, list[float]]:
    from papershelf.data.cache import ResponseCache
    from papershelf.data.feeds.sample import sample_feed
    from papershelf.tui.app import make_app
    from papershelf.tui.paper_pages import open_paper_page
    from papershelf.tui.screens.paper_reader import PaperReaderScreen
    from papershelf.tui.widgets.paper_body import PaperBodyView

    paper = sample_feed().papers[0]
    ResponseCache().put(f"paper-md:{paper.id}", big_paper())
    figures_cpu = opening_work(paper.id, runs)
    app = make_app(offline=True, restore_session=False)
    figures: dict[str, list[float]] = {
        "open (first in the process)": [],
        "open until first lines painted": [],
        "open until the whole paper is laid out": [],
        "scroll a page": [],
        "in-text search (find + paint)": [],
        "in-text search (matching only)": [],
    }
    async with app.run_test(size=SIZE) as pilot:
        probe = Painted(app)
        await rest(pilot)

        def view_of() -> Any:
            return app.screen.query_one(PaperBodyView)

        for run in range(runs + 1):
            probe.arm(
                lambda: isinstance(app.screen, PaperReaderScreen) and view_of().body is not None
            )
            start = perf_counter()
            open_paper_page(app.main, app.services, paper, "read")
            first = await until_painted(pilot, probe) - start
            probe.arm(lambda: view_of().body is not None and len(view_of().body.blocks) > 1000)
            whole = await until_painted(pilot, probe) - start
            if run == 0:
                figures["open (first in the process)"].append(first)
            else:
                figures["open until first lines painted"].append(first)
                figures["open until the whole paper is laid out"].append(whole)
            view = view_of()
            await rest(pilot)
            if run:
                for _ in range(5):
                    probe.arm()
                    start = perf_counter()
                    view.action_page_down()
                    figures["scroll a page"].append(await until_painted(pilot, probe) - start)
                    await rest(pilot)
                probe.arm()
                start = perf_counter()
                count = view.find(SEARCH_WORD)
                figures["in-text search (find + paint)"].append(
                    await until_painted(pilot, probe) - start
                )
                from papershelf.core.body_layout import search

                start = perf_counter()
                search(view.lines, SEARCH_WORD)
                figures["in-text search (matching only)"].append(perf_counter() - start)
                if run == 1:
                    print(
                        f"paper: {len(big_paper()):,} bytes, {len(view.body.blocks):,} blocks, "
                        f"{len(view.lines):,} lines at {view.paper_layout.width} columns, "
                        f"{len(view.body.sections)} sections, {count:,} matches of "
                        f"'{SEARCH_WORD}'",
                        file=sys.stderr,
                    )
            app.screen.dismiss()
            await rest(pilot)
    return {**figures_cpu, **figures}


def opening_work(paper_id: str, runs: int) -> dict[str, list[float]]:
    """The reader's own work before the first paint, without Textual: read the cached text,
    parse the opening, lay it out (LaTeX shown as Unicode)."""
    from papershelf.core.body_layout import layout
    from papershelf.core.paper_body import parse_paper
    from papershelf.data.cache import ResponseCache
    from papershelf.data.papers.texts import PaperTexts
    from papershelf.tui.display import readable
    from papershelf.tui.screens.paper_reader import HEAD_CHARS

    texts = PaperTexts(cache=ResponseCache())
    times = []
    for run in range(runs + 1):
        start = perf_counter()
        text = texts.local_text(paper_id)
        assert text is not None
        opening = parse_paper(text.markdown, limit=HEAD_CHARS)
        layout(opening, SIZE[0] - 3, readable)
        if run:
            times.append(perf_counter() - start)
    return {"opening work without the screen (read, parse, lay out)": times}


TARGETS = {
    "open until first lines painted": 0.100,
    "scroll a page": 0.016,
    "in-text search (find + paint)": 0.030,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["PAPERSHELF_HOME"] = home
        os.environ["HF_ENDPOINT"] = "http://127.0.0.1:9"
        figures = asyncio.run(measure(max(args.runs, 1)))
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{'figure':<42} {'median':>10} {'target':>8}  runs")
    for name, values in figures.items():
        median = statistics.median(values)
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            verdict = "ok" if median < target else "OVER"
        shown = f"< {target * 1000:.0f} ms" if target else "—"
        print(f"{name:<42} {median * 1000:>7.1f} ms {shown:>8}  {len(values)} {verdict}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    raise SystemExit(main())
