"""Pilot tests: every documented setting reaches the reader (columns, dates, cache, endpoint)."""

from __future__ import annotations

from textual.widgets import Static

from papershelf.core.keymap import KEYS, key_label
from papershelf.data.config.schema import Settings
from papershelf.tui.app import PapershelfApp
from papershelf.tui.widgets.status import StatusLine
from tests.data.hubserver import hub_endpoint
from tests.tui.support import drain, reader


def row_text(app: PapershelfApp, row: int = 0) -> str:
    strip = app.main.paper_list.render_line(row)
    return "".join(segment.text for segment in strip)


def status_label(app: PapershelfApp) -> str:
    return app.main.query_one(StatusLine).label


def detail_meta(app: PapershelfApp) -> str:
    return str(app.main.query_one("#detail-meta", Static).render())


async def test_columns_choose_and_order_the_row(hub):
    """`columns = ["date", "comments", "title"]`: the row starts with the date, then comments."""
    default = reader()
    async with default.run_test(size=(120, 35)) as pilot:
        await drain(default, pilot)
        plain = row_text(default)
    app = reader(settings=Settings(columns=["date", "comments", "title"]))
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        chosen = row_text(app)
        paper = app.main.paper_list.papers[0]
    assert plain.lstrip().startswith("▲")
    assert chosen != plain
    assert chosen.startswith(paper.daily_date.strftime("%a %Y-%m-%d"))
    assert f"✉{paper.comments:>3}" in chosen
    assert "▲" not in chosen and "●" not in chosen


async def test_a_week_shows_each_row_date_by_default(hub):
    """Rows of a week come from many days, so the default columns add the date."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        daily = row_text(app)
        await pilot.press("w")
        await drain(app, pilot)
        assert status_label(app).startswith("Week")
        week = row_text(app)
        paper = app.main.paper_list.papers[0]
    day = paper.daily_date.strftime("%a %Y-%m-%d")
    assert day not in daily
    assert day in week


async def test_date_format_writes_the_status_line_and_detail_pane(hub):
    """`date_format = "%d.%m.%Y"`: `Daily · 21.08.2026`, and the detail's dates likewise."""
    app = reader(settings=Settings(date_format="%d.%m.%Y"))
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        label = status_label(app)
        meta = detail_meta(app)
        paper = app.main.paper_list.papers[0]
    assert label == f"Daily · {paper.daily_date:%d.%m.%Y}"
    assert f"Daily {paper.daily_date:%d.%m.%Y}" in meta
    assert paper.daily_date.isoformat() not in meta


def test_cache_times_reach_the_feeds():
    """The `fresh_*` settings become the feeds' freshness."""
    settings = Settings(fresh_latest_minutes=1, fresh_past_hours=2, fresh_paper_days=3)
    settings.fresh_search_minutes = 4
    freshness = reader(settings=settings).services.feeds.feeds.freshness
    assert (freshness.latest_minutes, freshness.past_hours) == (1, 2)
    assert (freshness.paper_days, freshness.search_minutes) == (3, 4)


async def test_hf_endpoint_reaches_the_client(hub, httpserver, monkeypatch):
    """Without `HF_ENDPOINT` the configured endpoint is asked; the environment still wins."""
    monkeypatch.delenv("HF_ENDPOINT")
    app = reader(settings=Settings(hf_endpoint=hub_endpoint(httpserver)))
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        assert app.main.state.feed.state.source.value == "live"
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    app = reader(settings=Settings(hf_endpoint=hub_endpoint(httpserver)))
    assert app.services.feeds.feeds._hub_client().endpoint == "http://127.0.0.1:9"


async def test_a_remapped_registry_key_runs_and_its_default_no_longer_does(hub):
    """Any registry entry can be remapped by id: here `month_view`, away from its default key."""
    spec = next(spec for spec in KEYS if spec.id == "month_view")
    app = reader(settings=Settings(keys={spec.id: "V"}))
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        await pilot.press(*key_label(spec.keys).split())
        await drain(app, pilot)
        assert status_label(app).startswith("Daily")
        await pilot.press("V")
        await drain(app, pilot)
        assert status_label(app).startswith("Month")
