"""The library in the reader: starring a paper, opening the starred view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from common import (
    Figure,
    PaintProbe,
    time_to_paint,
    wait_until,
)

from papershelf.core.model import Paper


def star_in_library(papers: Sequence[Paper]) -> str:
    """Star `papers` in the library of `PAPERSHELF_HOME` before the app opens; "" or why not."""
    from papershelf.data.library import Library

    try:
        with Library.open() as library:
            library.star(papers)
    except Exception as error:  # a library that changed shape must not stop the other figures
        return f"could not star {len(papers):,} papers: {type(error).__name__}: {error}"
    return ""


async def bench_star(pilot: Any, probe: PaintProbe, figure: Figure, runs: int) -> None:
    """Star the highlighted paper; done when its row, redrawn, carries the star marker."""
    screen = pilot.app.main
    paper_list = screen.paper_list
    action = screen.panes.action_star

    def starred() -> bool:
        paper = paper_list.highlighted_paper
        return paper is not None and "★" in paper_list.row_markers(paper)

    was_starred = starred()
    while len(figure.runs) < runs:
        if starred():  # unstar first, untimed
            await time_to_paint(pilot, probe, action, lambda: not starred())
        figure.runs.append(await time_to_paint(pilot, probe, action, starred))
    if not was_starred:
        # Leave the library as found: the starred-view figure counts on its starred papers.
        await time_to_paint(pilot, probe, action, lambda: not starred())
    await wait_until(
        pilot, lambda: not pilot.app.services.library.pending_writes, "saved the stars"
    )
    figure.note = "action to the row redrawn with ★"


async def bench_starred_view(
    pilot: Any, probe: PaintProbe, figure: Figure, count: int, runs: int
) -> None:
    """Open the starred view over `count` starred papers; done when the list holds them all."""
    if figure.skipped:
        return
    screen = pilot.app.main
    paper_list = screen.paper_list
    action = screen.action_starred_view
    library = pilot.app.services.library.library
    if library is not None:
        count = len(library.starred_ids())  # what the list must hold, whatever ran before

    def showing_starred() -> bool:
        feed = screen.state.feed
        return (
            feed is not None
            and feed.key.kind.value == "starred"
            and len(paper_list.papers) == count
        )

    for _ in range(runs):
        screen.action_daily_view()  # leave the starred view, untimed
        await wait_until(pilot, lambda: not showing_starred(), "left the starred view")
        figure.runs.append(await time_to_paint(pilot, probe, action, showing_starred))
    figure.note = f"action to the list painted with all {count:,} starred papers"
