"""Filter feedback: a failing query's whole reason is on screen at 80 and 120 columns."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from papershelf.core.model import Paper
from papershelf.tui.widgets.filter_bar import FilterBar
from papershelf.tui.widgets.paper_list import PaperList
from papershelf.tui.widgets.status import StatusLine
from tests.tui.support import StubFeeds, library_reader, reader, settle, settle_library, until


def screen_text(app, widget) -> str:
    """The characters drawn over `widget`'s region, lines joined by spaces."""
    region = widget.region
    strips = app.screen._compositor.render_strips()
    lines = [strip.crop(region.x, region.right).text for strip in strips[region.y : region.bottom]]
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_a_filter_error_is_shown_whole(size):
    app = reader(offline=True)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"foo:bar")
        filter_bar = app.screen.query_one(FilterBar)
        await until(pilot, lambda: filter_bar.has_class("-error"))
        await pilot.pause()
        error = filter_bar.query_one("#filter-error", Static)
        reason = " ".join(str(error.render()).split())
        assert reason.startswith("Unknown field")
        assert len(reason) > size[0] - 10 or size[0] == 120
        assert screen_text(app, error) == reason
        await pilot.press(*["backspace"] * 7)
        await until(pilot, lambda: not filter_bar.has_class("-error"))
        await pilot.pause()
        assert not error.display or error.region.height == 0


async def test_the_active_filter_is_named_in_the_status_line_and_esc_clears_it():
    """A filter follows the reader into other lists; the status line says so, Esc drops it."""
    app = reader(offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        status = app.screen.query_one(StatusLine)
        shown = app.screen.query_one("#status-filter", Static)
        assert not shown.display
        await pilot.press("slash", *"agent", "enter")
        await until(pilot, lambda: status.filter_text == "agent")
        await pilot.pause()
        assert shown.display
        assert "filter “agent” · Esc clears" in screen_text(app, status)
        await pilot.press("w")
        await settle(app, pilot)
        assert "filter “agent”" in screen_text(app, status)
        await pilot.press("escape")
        await until(pilot, lambda: status.filter_text == "")
        assert app.screen.query_one(FilterBar).text == ""
        assert not shown.display


async def test_clearing_the_filter_on_an_empty_list_says_the_list_is_empty():
    """ "No paper matches the filter." stayed after the filter was cleared."""
    app = reader(feeds=StubFeeds([]))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        paper_list = app.screen.query_one(PaperList)
        await pilot.press("slash", *"agent")
        await until(pilot, lambda: paper_list.filtering)
        assert "No paper matches the filter." in paper_list.render_line(0).text
        await pilot.press("escape")
        await until(pilot, lambda: not paper_list.filtering)
        assert "No paper matches" not in paper_list.render_line(0).text
        assert "No papers" in paper_list.render_line(0).text


@pytest.mark.parametrize("width", [80, 120])
async def test_a_project_url_is_never_split_inside_a_word(width):
    """The detail pane wraps a long URL after a `/`."""
    url = "https://sylvain-wei.github.io/verifier-induced-support-reshaping/"
    paper = Paper(id="2608.00220", title="A paper", project_page=url, upvotes=1)
    app = reader(feeds=StubFeeds([paper]))
    async with app.run_test(size=(width, 30)) as pilot:
        await settle(app, pilot)
        links = app.screen.query_one("#detail-links", Static)
        lines = [line.strip() for line in str(links.render()).splitlines()]
        assert "".join(lines).removeprefix("Project").lstrip() == url
        for line in lines[1:]:
            assert line.endswith("/"), lines
        drawn = screen_text(app, links)
        assert "verifier-induced-support-reshaping/" in drawn


async def test_the_palette_deletes_and_renames_saved_filters(library):
    """ "Rename filter: …" asks a new name; "Delete filter: …" forgets the filter."""
    from papershelf.tui.commands import library_entries

    library.save_filter("agents", "agent")
    library.save_filter("code", "has:code")
    app = library_reader(library)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle_library(app, pilot)
        entries = {entry.label: entry for entry in library_entries(app)}
        entries["Delete filter: code"].run()
        await settle_library(app, pilot)
        assert library.saved_filters() == [("agents", "agent")]
        entries["Rename filter: agents…"].run()
        await pilot.pause()
        await pilot.press(*["backspace"] * 6, *"llm agents", "enter")
        await settle_library(app, pilot)
        assert library.saved_filters() == [("llm agents", "agent")]
