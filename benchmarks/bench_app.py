"""The whole reader in process: filter keystrokes, moving the highlight, switching days."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from bench_app_library import bench_star, bench_starred_view, star_in_library
from common import (
    FILTER_AFTER,
    FILTER_BEFORE,
    SIZE,
    Figure,
    PaintProbe,
    Plan,
    parse_day,
    time_to_paint,
    wait_until,
)

from papershelf.core.model import Paper
from papershelf.tui.app import make_app

# --- the whole reader: day switch, star, starred view ---------------------------------------


def consecutive_days(days: dict[str, list], count: int) -> list[str]:
    """The newest `count` recorded days with no weekday missing between them, oldest first."""
    from papershelf.core.dates import next_weekday

    dates = sorted(days, reverse=True)
    run = [dates[0]]
    for date in dates[1:]:
        if next_weekday(dt_date(date), 1) == dt_date(run[-1]) and days[date]:
            run.append(date)
            if len(run) == count:
                break
        else:
            run = [date]
    return sorted(run)


def dt_date(text: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(text)


def fill_cache(days: dict[str, list], dates: Sequence[str]) -> None:
    """Write the recorded days into the response cache of `PAPERSHELF_HOME`, fetched now."""
    from papershelf.data.cache import ResponseCache

    cache = ResponseCache()
    try:
        for date in dates:
            cache.put(f"daily:{date}", json.dumps(days[date]).encode())
        # The reader opens on the latest list: make that the newest of these days.
        cache.put("latest", json.dumps(days[dates[-1]]).encode())
    finally:
        cache.close()


async def bench_app(
    days: dict[str, list], small: list[Paper], large: list[Paper], plan: Plan
) -> list[Figure]:
    """Figures 3-5 and the library figures, in the real app: offline, cache warm."""
    filters = {
        len(small): Figure(f"app: filter keystroke, {len(small):,}", target=0.03),
        len(large): Figure(f"app: filter keystroke, {len(large):,}", target=0.15),
    }
    move = Figure("app: move highlight one row (list + detail)", target=0.016)
    switch = Figure("app: switch to a cached day", target=0.05)
    star = Figure("app: star a paper until the star shows")
    starred = Figure(f"app: open starred view ({plan.starred:,} starred)", target=0.1)
    figures = [*filters.values(), move, switch, star, starred]
    cached_days = consecutive_days(days, 4)
    fill_cache(days, cached_days)
    expected_ids = {date: {p.id for p in parse_day(date, days[date])} for date in cached_days}
    starred.skipped = star_in_library(large[: plan.starred])
    app = make_app(restore_session=False)
    # The detail fetch waits for the cursor to rest; keep it out of the frames being timed.
    app.services.detail_debounce = 3600
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.main.state.feed is not None, "loaded its first list")
        screen = app.main
        paper_list = screen.paper_list
        probe = PaintProbe(app, paper_list)

        def showing(date: str) -> Callable[[], bool]:
            return lambda: {paper.id for paper in paper_list.papers} == expected_ids[date]

        # Figure 5: step back and forth between two cached days (each visited once first).
        newest, previous = cached_days[-1], cached_days[-2]
        await wait_until(pilot, showing(newest), f"showed {newest}")
        for step, date in ((-1, previous), (1, newest)):
            screen.action_step_day(step)
            await wait_until(pilot, showing(date), f"showed {date}")
        for run in range(plan.runs * 2):
            step, date = (-1, previous) if run % 2 == 0 else (1, newest)
            switch.runs.append(
                await time_to_paint(
                    pilot, probe, lambda step=step: screen.action_step_day(step), showing(date)
                )
            )
        switch.note = f"{previous} <-> {newest}, {len(expected_ids[previous])} papers"

        # Figure 3: a big list arrives (as a month view would), then one filter keystroke.
        for papers in (small, large):
            await bench_app_filter(pilot, probe, papers, filters[len(papers)], plan.runs)

        # Figure 4 in the app: the list cursor moves and the detail pane shows the paper.
        detail = screen.detail
        for widget in detail.walk_children(with_self=True):
            probe.watch(widget)

        def detail_follows() -> bool:
            paper = paper_list.highlighted_paper
            return paper is not None and detail.paper is not None and detail.paper.id == paper.id

        for _ in range(plan.move_runs):
            move.runs.append(
                await time_to_paint(pilot, probe, paper_list.action_cursor_down, detail_follows)
            )
        move.note = f"in {len(paper_list.papers):,} rows"

        # Library figures.
        await bench_star(pilot, probe, star, plan.runs)
        await bench_starred_view(pilot, probe, starred, plan.starred, plan.runs)
    return figures


async def bench_app_filter(
    pilot: Any, probe: PaintProbe, papers: list[Paper], figure: Figure, runs: int
) -> None:
    """Load `papers` as the list on screen, then time the keystroke FILTER_BEFORE -> AFTER.

    The filter runs as the reader runs it (its worker, index in a thread, a message back to
    the screen), minus the typing debounce; the first query also builds the search index,
    which is why only the second one is timed.
    """
    from papershelf.core.lists import Feed, FeedState, ListKey, ListKind, Source
    from papershelf.core.query import compile_query
    from papershelf.tui.messages import FeedLoaded

    screen = pilot.app.main
    state = screen.state
    paper_list = screen.paper_list
    count = len(papers)
    state.request += 1
    feed = Feed(ListKey(ListKind.MONTH, "2026-08"), papers, FeedState(Source.CACHED))
    screen.post_message(FeedLoaded(state.request, feed))
    await wait_until(pilot, lambda: len(paper_list.papers) == count, "showed the big list")
    before_terms = tuple(compile_query(FILTER_BEFORE).highlight_terms)
    after_terms = tuple(compile_query(FILTER_AFTER).highlight_terms)

    def type_text(text: str) -> None:
        state.filter_text = text
        screen.run_filter(immediate=True)

    for _ in range(runs):
        await time_to_paint(
            pilot,
            probe,
            lambda: type_text(FILTER_BEFORE),
            lambda: paper_list.highlight_terms == before_terms,
        )
        figure.runs.append(
            await time_to_paint(
                pilot,
                probe,
                lambda: type_text(FILTER_AFTER),
                lambda: paper_list.highlight_terms == after_terms,
            )
        )
    figure.note = f"{len(paper_list.papers):,} rows shown; worker, no debounce"
    type_text("")
    await wait_until(pilot, lambda: len(paper_list.papers) == count, "cleared the filter")
