"""The paper list widget alone: big lists, hostile titles, markers, clicks; and link safety."""

from __future__ import annotations

import dataclasses

import pytest
from textual.app import App, ComposeResult

from papershelf.core.model import Paper
from papershelf.tui.browser import can_launch_browser
from papershelf.tui.widgets.paper_list import PaperList

HOSTILE = [
    "[Re] X",
    "x[/b]y",
    "[@click=app.quit]x[/]",
    "[$primary]x[/]",
    '[link="file:///"]x[/]',
    "GPT-[n] and o-[n]",
]


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PaperList()


def papers(count: int) -> list[Paper]:
    base = Paper(id="2601.00001", title="A paper", github="https://github.com/a/b")
    return [
        dataclasses.replace(base, id=f"{2601 + i // 99999}.{i % 99999:05d}") for i in range(count)
    ]


async def test_a_hundred_thousand_rows_render_only_what_is_visible():
    """100k papers go in at once; moving to the end redraws without walking the list."""
    app = ListApp()
    async with app.run_test(size=(100, 20)) as pilot:
        paper_list = app.query_one(PaperList)
        paper_list.set_papers(papers(100_000))
        await pilot.pause()
        assert paper_list.virtual_size.height == 100_000
        await pilot.press("G")
        assert paper_list.cursor == 99_999
        assert paper_list.scroll_offset.y > 99_000
        assert paper_list.highlighted_paper.id == paper_list.papers[-1].id


@pytest.mark.parametrize("title", HOSTILE)
async def test_hostile_titles_render_literally(title):
    """Markup-looking titles are text: the row shows them unchanged."""
    app = ListApp()
    async with app.run_test(size=(100, 10)) as pilot:
        paper_list = app.query_one(PaperList)
        paper_list.set_papers([Paper(id="2601.00001", title=title, upvotes=3)])
        await pilot.pause()
        assert title in paper_list.render_line(0).text


async def test_markers_and_clicks():
    """Rows end with the markers hook's characters; clicking a row highlights it."""
    app = ListApp()
    async with app.run_test(size=(100, 10)) as pilot:
        paper_list = app.query_one(PaperList)
        paper_list.row_markers = lambda paper: "★●"
        paper_list.set_papers(papers(5))
        await pilot.pause()
        assert paper_list.render_line(1).text.rstrip().endswith("★●")
        await pilot.click(PaperList, offset=(10, 3))
        assert paper_list.cursor == 3


def test_browser_guard():
    """Without a display or $BROWSER on Linux, no browser is launched."""
    assert not can_launch_browser({}, "linux")
    assert can_launch_browser({"BROWSER": "firefox"}, "linux")
    assert can_launch_browser({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert can_launch_browser({}, "darwin")
