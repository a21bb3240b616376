"""Pilot tests of keeping up: new markers, the rising column and sort, triage, related, author."""

from __future__ import annotations

import asyncio
import dataclasses

from textual.widgets import Static

from papershelf.core.lists import ListKind
from papershelf.data.feeds.sample import sample_feed
from papershelf.data.library.history import record_fetch
from papershelf.data.library.watches import add_watch, find_watch
from papershelf.tui.app import PapershelfApp
from papershelf.tui.dialogs.pick import PickDialog
from papershelf.tui.dialogs.triage import TriageDialog
from papershelf.tui.keepup import sparkline
from papershelf.tui.messages import KeepUpRecorded
from papershelf.tui.widgets.paper_list import PaperList
from papershelf.tui.widgets.status import StatusLine
from tests.tui.support import library_reader, settle_library, until

EARLIER = "2026-01-01T08:00:00.000000+00:00"
"""A previous visit, long before any test runs."""


def paper_list(app: PapershelfApp) -> PaperList:
    return app.get_default_screen_instance().query_one(PaperList)


def row_text(app: PapershelfApp, index: int) -> str:
    widget = paper_list(app)
    return widget.render_line(index - widget.scroll_offset.y).text


def keepup_text(app: PapershelfApp) -> str:
    return app.get_default_screen_instance().query_one(StatusLine).keepup


async def start(app: PapershelfApp, pilot) -> None:
    await until(pilot, lambda: paper_list(app).papers, "the list")
    await settle_library(app, pilot)
    await until(pilot, lambda: app.services.feeds.keepup.revision > 0, "the list recorded")
    keepup = app.services.feeds.keepup
    await until(pilot, lambda: app.main.keeping_up.shown_revision == keepup.revision, "shown")


async def test_papers_first_seen_now_are_marked_and_counted(library):
    sample = sample_feed().papers
    seen_before = sample[::2]  # every other paper of the newest day was seen on a past visit
    record_fetch(library, seen_before, now=EARLIER)
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await start(app, pilot)
        shown = paper_list(app).papers
        old = {p.id for p in seen_before}
        new_rows = [i for i, p in enumerate(shown) if p.id not in old]
        assert new_rows
        for index, paper in enumerate(shown):
            assert ("✦" in row_text(app, index)) == (paper.id not in old), paper.id
        assert keepup_text(app).startswith(f"{len(new_rows)} new")
        # The newest day opens on its first new paper; N walks through the others.
        assert paper_list(app).cursor == new_rows[0]
        await pilot.press("N")
        assert paper_list(app).cursor == new_rows[1]
        await pilot.press("slash", *"is:new", "enter")
        await until(pilot, lambda: len(paper_list(app).papers) == len(new_rows), "is:new")


async def test_rising_column_and_sort(library):
    sample = sample_feed().papers
    earlier = [dataclasses.replace(p, upvotes=max(p.upvotes - n, 0)) for n, p in enumerate(sample)]
    record_fetch(library, earlier, now=EARLIER)
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await start(app, pilot)
        widget = paper_list(app)
        assert widget.show_rising
        rises = {p.id: p.upvotes - e.upvotes for p, e in zip(sample, earlier, strict=True)}
        top = max(rises, key=lambda i: rises[i])
        index = next(i for i, p in enumerate(widget.papers) if p.id == top)
        assert f"+{rises[top]}" in row_text(app, index)
        widget.move_cursor(index)
        history = app.get_default_screen_instance().query_one("#detail-history", Static)
        await until(pilot, lambda: "Upvotes" in str(history.render()), "the sparkline")
        assert f"(+{rises[top]} since your last look)" in str(history.render())
        await pilot.press("slash", *"sort:rising", "enter")
        await until(pilot, lambda: widget.papers[0].id == top, "sorted by rise")
        order = [rises[p.id] for p in widget.papers]
        assert order == sorted(order, reverse=True)
        await pilot.press("escape")


async def test_triage_decides_undoes_and_leaves_the_list_where_it_stopped(library):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: paper_list(app).papers, "the list")
        await settle_library(app, pilot)
        papers = list(paper_list(app).papers)
        await pilot.press("X")
        await until(pilot, lambda: isinstance(app.screen, TriageDialog), "triage")
        triage = app.screen
        await pilot.press("s")  # star the first
        await pilot.press("x")  # skip (read) the second
        await pilot.press("l")  # tag the third for later
        assert triage.position == 3
        await pilot.press("u")  # undo the tag
        assert triage.position == 2
        await pilot.press("q")
        await until(pilot, lambda: not isinstance(app.screen, TriageDialog), "back")
        await settle_library(app, pilot)
        assert paper_list(app).cursor == 2
        assert library.starred_ids() == {papers[0].id}
        assert library.read_ids() >= {papers[0].id, papers[1].id}
        assert papers[2].id not in library.read_ids()
        assert library.tags_of(papers[2].id) == []


async def test_related_view_is_a_list_like_any_other(library):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await start(app, pilot)
        first = paper_list(app).highlighted_paper
        await pilot.press("K")
        await until(pilot, lambda: app.main.state.key.kind is ListKind.RELATED, "related list")
        await until(pilot, lambda: paper_list(app).papers, "related papers")
        await settle_library(app, pilot)
        related = paper_list(app).papers
        assert first.id not in {p.id for p in related}
        await pilot.press("s")  # starrable
        await settle_library(app, pilot)
        assert library.starred_ids() == {related[0].id}
        word = related[0].title.split()[0]
        await pilot.press("slash", *word, "enter")  # filterable
        await until(pilot, lambda: len(paper_list(app).papers) <= len(related), "filtered")


async def test_author_view_lists_the_authors_papers_newest_first(library):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await start(app, pilot)
        paper = paper_list(app).highlighted_paper
        await pilot.press("A")
        if len(paper.author_names) > 1:
            await until(pilot, lambda: isinstance(app.screen, PickDialog), "author picker")
            await pilot.press("enter")
        await until(pilot, lambda: app.main.state.key.kind is ListKind.AUTHOR, "author list")
        await until(pilot, lambda: paper_list(app).papers, "author's papers")
        name = app.main.state.key.value
        assert name == paper.author_names[0]
        shown = paper_list(app).papers
        assert paper.id in {p.id for p in shown}
        assert all(name in p.author_names for p in shown)
        days = [p.daily_date for p in shown if p.daily_date]
        assert days == sorted(days, reverse=True)


def test_sparkline_scales_between_lowest_and_highest():
    assert sparkline([3]) == ""
    assert sparkline([0, 7]) == "▁█"
    assert sparkline([5, 5, 5]) == "▁▁▁"
    assert len(sparkline(list(range(40)), width=16)) == 16


async def test_watches_show_in_the_status_line_and_open_their_news(library):
    sample = sample_feed().papers
    record_fetch(library, sample[:5], now=EARLIER)
    add_watch(library, "agents", "upvotes:>=0")
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await start(app, pilot)
        fresh = len(sample) - 5
        await until(pilot, lambda: f"agents {fresh}" in keepup_text(app), "watch count")
        assert keepup_text(app) == f"{fresh} new · agents {fresh}"
        await pilot.press("W")
        await until(pilot, lambda: isinstance(app.screen, PickDialog), "watch picker")
        await pilot.press("enter")
        await until(pilot, lambda: app.main.state.key.kind is ListKind.WATCH, "watch list")
        await until(pilot, lambda: len(paper_list(app).papers) == fresh, "the watch's news")
        await settle_library(app, pilot)
        assert find_watch(library, "agents").looked_at > EARLIER
        await until(pilot, lambda: "agents" not in keepup_text(app), "the news looked at")


async def test_a_recording_is_announced_by_a_message_not_found_by_polling(library):
    """The feeds' recording thread posts `KeepUpRecorded`; the rising column follows at once."""
    sample = sample_feed().papers
    record_fetch(library, sample, now=EARLIER)
    messages = []
    app = library_reader(library)
    async with app.run_test(size=(120, 30), message_hook=messages.append) as pilot:
        await start(app, pilot)
        assert any(isinstance(m, KeepUpRecorded) for m in messages)
        widget = paper_list(app)
        assert not widget.show_rising
        risen = dataclasses.replace(widget.papers[0], upvotes=widget.papers[0].upvotes + 50)
        keepup = app.services.feeds.keepup
        await asyncio.to_thread(keepup.record, [risen])
        await until(pilot, lambda: widget.show_rising, "the rising column")
        assert "+50" in row_text(app, 0)
        announced = [m.revision for m in messages if isinstance(m, KeepUpRecorded)]
        assert announced[-1] == keepup.revision
