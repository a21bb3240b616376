"""The reader under faults (Pilot): the loading state, fallback messages, a failed star write."""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import json
import time

import pytest
from werkzeug import Request, Response

from papershelf.core.lists import Feed, FeedState, ListKey, ListKind, Source
from papershelf.data.cache import ResponseCache
from papershelf.data.feeds import Feeds
from papershelf.data.feeds import hub as hub_module
from papershelf.data.library import Library
from papershelf.tui.app import PapershelfApp
from papershelf.tui.widgets.paper_list import PaperList
from tests.data.hubserver import hub_endpoint
from tests.tui.support import (
    NOW,
    StubFeeds,
    library_reader,
    notices,
    reader,
    settle,
    settle_library,
    until,
)

DAY = "2026-08-19"


def paper_list(app: PapershelfApp) -> PaperList:
    return app.get_default_screen_instance().query_one(PaperList)


def row_text(app: PapershelfApp, index: int) -> str:
    widget = paper_list(app)
    return widget.render_line(index - widget.scroll_offset.y).text


def quiet_reader(**kwargs) -> PapershelfApp:
    """The reader without a read timer, which could still fire while a slow test closes it."""
    app = reader(**kwargs)
    app.services.settings.read_after_seconds = -1
    return app


@pytest.fixture
def library(tmp_path):
    with Library.open(tmp_path / "library.sqlite") as opened:
        yield opened


class SlowFeeds(StubFeeds):
    """A list that arrives only when the test says so."""

    def __init__(self, papers) -> None:
        super().__init__(papers)
        self.release = asyncio.Event()

    async def load(self, key, *, refresh=False, offline=False) -> Feed:
        await self.release.wait()
        return Feed(ListKey(ListKind.LATEST), list(self.papers), FeedState(Source.LIVE))


async def test_loading_list_says_loading_never_no_papers():
    from papershelf.data.feeds.sample import sample_feed

    feeds = SlowFeeds(sample_feed().papers)
    app = quiet_reader(feeds=feeds)
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(5):
            await pilot.pause(0.05)
            assert "Loading…" in row_text(app, 0)
            assert "No papers" not in row_text(app, 0)
        feeds.release.set()
        await settle(app, pilot)
        assert paper_list(app).papers and "Loading" not in row_text(app, 0)


async def test_failed_star_write_rolls_back_the_star_and_says_so(library, monkeypatch):
    """A full disk during `s`: the ★ shown at once is taken back and the user is told."""
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        first = paper_list(app).papers[0]

        def full(self, papers):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(Library, "star", full)
        await pilot.press("s")
        await settle_library(app, pilot)
        assert "★" not in row_text(app, 0)
        assert first.id not in app.services.library.view.starred
        assert any(title == "Not saved" for title, _ in notices(app))
    monkeypatch.undo()
    assert not library.is_starred(first.id)


def week_body(sample_days) -> tuple[bytes, list[str]]:
    entries = json.loads(json.dumps(sample_days[DAY][:3]))
    for number, entry in enumerate(entries):
        entry["paper"]["id"] = f"2609.0000{number}"
        entry["paper"]["submittedOnDailyAt"] = "2026-09-02T00:00:00.000Z"
    return json.dumps(entries).encode(), [entry["paper"]["id"] for entry in entries]


async def test_offline_start_shows_the_newest_cached_papers_not_the_sample(tmp_path, sample_days):
    cache = ResponseCache(tmp_path / "responses")
    body, new_ids = week_body(sample_days)
    cache.put("week:2026-W36", body, NOW)
    later = dt.datetime(2026, 9, 3, 12, 0, tzinfo=dt.UTC)
    app = quiet_reader(offline=True, feeds=Feeds(cache=cache, clock=lambda: later))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        shown = [paper.id for paper in paper_list(app).papers]
        assert sorted(shown) == sorted(new_ids)
        assert app.main.state.feed.state.source is Source.OFFLINE


async def test_empty_answer_on_refresh_keeps_the_list_and_says_so(
    httpserver, monkeypatch, sample_days
):
    """A stale cached latest list is shown; the background refresh gets `[]` and is refused."""
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        b"[]", content_type="application/json"
    )
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    ResponseCache().put("latest", json.dumps(sample_days[DAY]).encode(), NOW - dt.timedelta(days=1))
    app = quiet_reader()
    async with app.run_test(size=(120, 30)) as pilot:
        await until(
            pilot,
            lambda: any("empty list" in message for _, message in notices(app)),
            "a note about the empty answer",
            delay=0.02,
        )
        await settle(app, pilot)
        assert len(paper_list(app).papers) == len(sample_days[DAY])
    assert json.loads(ResponseCache().get("latest").body) == sample_days[DAY]


async def test_trickling_server_gives_way_to_the_sample_at_the_deadline(httpserver, monkeypatch):
    def trickle(_request: Request) -> Response:
        def chunks():
            yield b"["
            for _ in range(40):  # bounded: 10 s at most
                time.sleep(0.25)
                yield b" "
            yield b"]"

        return Response(chunks(), content_type="application/json")

    httpserver.expect_request("/api/daily_papers").respond_with_handler(trickle)
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    monkeypatch.setattr(hub_module, "_limits", hub_module.Limits(deadline=1.0))
    app = quiet_reader()
    async with app.run_test(size=(120, 30)) as pilot:
        started = time.monotonic()
        await until(
            pilot,
            lambda: any(title == "Offline" for title, _ in notices(app)),
            "the offline notice",
            delay=0.05,
            attempts=100,
        )
        waited = time.monotonic() - started
        await settle(app, pilot)
        assert paper_list(app).papers  # the bundled sample, not an endless "Loading…"
        assert any("within 1 s" in message for _, message in notices(app))
    assert waited < 6  # 1 s deadline; generous for a loaded machine (unbounded it takes 10 s)
