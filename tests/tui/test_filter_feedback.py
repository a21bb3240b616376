"""Filter feedback: a failing query's whole reason is on screen at 80 and 120 columns."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from papershelf.tui.widgets.filter_bar import FilterBar
from tests.tui.support import reader, settle, until


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
