"""Textual's stock list widgets (`OptionList`, `DataTable`) timed the way the reader's list is."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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

# --- the stock widgets ----------------------------------------------------------------------


class StockList:
    """A stock Textual widget holding one row per paper, driven the way a filter would."""

    name = ""

    def widget(self) -> Any:
        raise NotImplementedError

    def show(self, papers: Sequence[Paper]) -> None:
        raise NotImplementedError

    def move(self) -> None:
        self.control.action_cursor_down()

    control: Any = None


class StockOptionList(StockList):
    """`OptionList` with one `Content` prompt per paper (markup never parsed)."""

    name = "OptionList"

    def widget(self) -> Any:
        from textual.widgets import OptionList

        self.control = OptionList()
        return self.control

    def show(self, papers: Sequence[Paper]) -> None:
        from textual.content import Content
        from textual.widgets.option_list import Option

        self.control.set_options(Option(Content(paper.title), id=paper.id) for paper in papers)
        self.control.highlighted = 0 if papers else None


class StockDataTable(StockList):
    """`DataTable` with one fixed-width column of `rich.text.Text` cells."""

    name = "DataTable"

    def widget(self) -> Any:
        from textual.widgets import DataTable

        self.control = DataTable(cursor_type="row")
        self.control.add_column("Title", width=SIZE[0] - 4, key="title")
        return self.control

    def show(self, papers: Sequence[Paper]) -> None:
        from rich.text import Text

        self.control.clear()
        self.control.add_rows([Text(paper.title, no_wrap=True)] for paper in papers)


def plain_filter(papers: Sequence[Paper], texts: dict[str, str], query: str) -> list[Paper]:
    """What a stock-widget filter does: words AND-ed over precomputed lower-case text."""
    words = query.lower().split()
    return [paper for paper in papers if all(word in texts[paper.id] for word in words)]


def search_texts(papers: Sequence[Paper]) -> dict[str, str]:
    """Lower-case title, abstract and authors of each paper (built once, outside the timing)."""
    return {
        paper.id: f"{paper.title}\n{paper.summary}\n{' '.join(paper.author_names)}".lower()
        for paper in papers
    }


async def bench_stock(
    stock: StockList, day: list[Paper], small: list[Paper], large: list[Paper], plan: Plan
) -> list[Figure]:
    """Set the large list, filter both lists, move the highlight — in one headless app."""
    from textual.app import App, ComposeResult

    class StockApp(App[None]):
        def compose(self) -> ComposeResult:
            yield stock.widget()

    label = stock.name
    # No targets: the stock widgets are the yardstick the reader's list is held against.
    set_large = Figure(f"{label}: set {len(large):,} rows", note=f"{plan.slow_runs} runs (slow)")
    filters = {
        len(small): Figure(f"{label}: filter keystroke, {len(small):,}"),
        len(large): Figure(f"{label}: filter keystroke, {len(large):,}"),
    }
    move = Figure(f"{label}: move highlight one row")
    app = StockApp()
    async with app.run_test(size=SIZE) as pilot:
        probe = PaintProbe(app, stock.control)
        stock.control.focus()
        for _ in range(plan.slow_runs):
            await time_to_paint(pilot, probe, lambda: stock.show(day))
            set_large.runs.append(await time_to_paint(pilot, probe, lambda: stock.show(large)))
        for papers in (small, large):
            texts = search_texts(papers)
            before = plain_filter(papers, texts, FILTER_BEFORE)
            figure = filters[len(papers)]
            runs = plan.runs if papers is small else plan.slow_runs
            for _ in range(runs):
                await time_to_paint(pilot, probe, lambda b=before: stock.show(b))

                def keystroke(papers: list[Paper] = papers, texts: dict = texts) -> None:
                    stock.show(plain_filter(papers, texts, FILTER_AFTER))

                figure.runs.append(await time_to_paint(pilot, probe, keystroke))
            shown = len(plain_filter(papers, texts, FILTER_AFTER))
            figure.note = f"{shown:,} rows shown" + ("" if runs == plan.runs else f"; {runs} runs")
        await time_to_paint(pilot, probe, lambda: stock.show(large))
        for _ in range(plan.move_runs):
            move.runs.append(await time_to_paint(pilot, probe, stock.move))
        move.note = f"in {len(large):,} rows"
    return [set_large, *filters.values(), move]
