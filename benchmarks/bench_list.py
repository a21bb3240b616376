"""The reader's own paper list widget: setting, filtering and moving through big lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from common import (
    FILTER_AFTER,
    FILTER_BEFORE,
    SIZE,
    Figure,
    PaintProbe,
    Plan,
    time_to_paint,
)

from papershelf.core.model import Paper

# --- the reader's own list ------------------------------------------------------------------


def reader_filter(papers: Sequence[Paper]) -> Callable[[str], tuple[list[Paper], tuple]]:
    """The reader's filter engine over `papers`: query text -> (shown papers, highlight terms).

    The search index is built once per loaded list, as the reader does when a list arrives.
    """
    from papershelf.core.query import compile_query
    from papershelf.core.query.search_index import SearchIndex

    index = SearchIndex(papers)

    def run(text: str) -> tuple[list[Paper], tuple]:
        query = compile_query(text)
        return query.filter(papers, index), tuple(query.highlight_terms)

    return run


async def bench_paper_list(
    day: list[Paper], small: list[Paper], large: list[Paper], plan: Plan
) -> list[Figure]:
    """Figures 2-4 for `PaperList`, mounted alone in a headless app."""
    from textual.app import App, ComposeResult

    from papershelf.tui.widgets.paper_list import PaperList

    class ListApp(App[None]):
        def compose(self) -> ComposeResult:
            yield PaperList()

    set_large = Figure(f"PaperList: set {len(large):,} papers", target=0.3)
    # The filter engine called in-line, no worker: the app figures below hold the targets.
    filters = {
        len(small): Figure(f"PaperList + filter engine in-line, {len(small):,}"),
        len(large): Figure(f"PaperList + filter engine in-line, {len(large):,}"),
    }
    move = Figure("PaperList: move highlight one row", target=0.016)
    app = ListApp()
    async with app.run_test(size=SIZE) as pilot:
        paper_list = app.query_one(PaperList)
        paper_list.focus()
        probe = PaintProbe(app, paper_list)
        for _ in range(plan.runs):
            await time_to_paint(pilot, probe, lambda: paper_list.set_papers(day))
            set_large.runs.append(
                await time_to_paint(pilot, probe, lambda: paper_list.set_papers(large))
            )
        for papers in (small, large):
            run_filter = reader_filter(papers)
            before, before_terms = run_filter(FILTER_BEFORE)
            figure = filters[len(papers)]

            def keystroke(run_filter=run_filter) -> None:
                shown, terms = run_filter(FILTER_AFTER)
                paper_list.set_papers(shown, terms=terms)

            for _ in range(plan.runs):
                await time_to_paint(
                    pilot,
                    probe,
                    lambda b=before, t=before_terms: paper_list.set_papers(b, terms=t),
                )
                figure.runs.append(await time_to_paint(pilot, probe, keystroke))
            figure.note = f"{len(run_filter(FILTER_AFTER)[0]):,} rows shown"
        await time_to_paint(pilot, probe, lambda: paper_list.set_papers(large))
        for _ in range(plan.move_runs):
            move.runs.append(await time_to_paint(pilot, probe, paper_list.action_cursor_down))
        move.note = f"in {len(large):,} rows"
    return [set_large, *filters.values(), move]
