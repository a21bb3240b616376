"""`d`/`w`/`m` keep the date looked at; `[`/`]` cross gaps of weeks, a week or month a request."""

from __future__ import annotations

import copy

import pytest

from papershelf.tui.widgets.status import StatusLine
from tests.data.hubserver import hub_endpoint, serve_days
from tests.tui.support import TODAY, notifications, reader, settle


def moved(days: dict[str, list], old: str, new: str) -> dict[str, list]:
    """`days` with the list of `old` featured on `new` instead."""
    entries = copy.deepcopy(days.pop(old))
    for entry in entries:
        entry["paper"]["submittedOnDailyAt"] = f"{new}T00:00:00.000Z"
    return {**days, new: entries}


@pytest.fixture
def gap_hub(httpserver, sample_days, monkeypatch):
    """2026-08-17 moved back to 2026-06-10: nine empty weeks before 2026-08-18."""
    days = moved(dict(sample_days), "2026-08-17", "2026-06-10")
    replay = serve_days(httpserver, days, latest=TODAY.isoformat(), today=TODAY)
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    return replay


def label(app) -> str:
    return app.screen.query_one(StatusLine).label


async def test_d_w_m_keep_the_date_looked_at(hub):
    """`w`, `{`×4, `m`, then `d` lands on a day of that month, not on the newest day."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        assert label(app) == "Week 2026-W34"
        for _ in range(4):
            await pilot.press("left_curly_bracket")
            await settle(app, pilot)
        assert label(app) == "Week 2026-W30"
        await pilot.press("m")
        await settle(app, pilot)
        assert label(app) == "Month 2026-07"
        await pilot.press("d")
        await settle(app, pilot)
        assert label(app) == "Daily · Mon 2026-07-20"
        await pilot.press("w")
        await settle(app, pilot)
        assert label(app) == "Week 2026-W30"


async def test_brackets_cross_a_gap_of_weeks_asking_weeks_and_months(gap_hub):
    app = reader()
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("left_square_bracket", "left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert label(app) == "Daily · Tue 2026-08-18"
        asked_before = len(gap_hub.requests)
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert label(app) == "Daily · Wed 2026-06-10"
        asks = [q for path, q in gap_hub.requests[asked_before:] if path == "/api/daily_papers"]
        assert not any("date" in query for query in asks[:-1]), "no day-at-a-time walk"
        assert asks[-1]["date"] == "2026-06-10"
        assert len(asks) <= 6
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert label(app) == "Daily · Tue 2026-08-18"


async def test_brackets_in_week_view_step_weeks_and_say_so(gap_hub):
    app = reader()
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert label(app) == "Week 2026-W24"
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert label(app) == "Week 2026-W24"
        assert any("No papers before 2026-W24" in text for text in notifications(app))


async def test_stepping_shows_what_it_is_asking(gap_hub):
    """The status line names the week or month being asked while `[` searches."""
    app = reader()
    seen: list[str] = []
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        status = app.screen.query_one(StatusLine)
        original = status.show_progress
        status.show_progress = lambda text: (seen.append(text), original(text))[-1]
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        for _ in range(3):
            await pilot.press("left_square_bracket")
            await settle(app, pilot)
    assert "looking in week 2026-w33…" in seen
    assert any(text and text.startswith("looking in month") for text in seen)


async def test_offline_brackets_walk_the_cached_days():
    """Offline, an uncached week is pieced together from the days that are cached."""
    app = reader(offline=True)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await settle(app, pilot)
        for expected in ("Thu 2026-08-20", "Wed 2026-08-19", "Tue 2026-08-18", "Mon 2026-08-17"):
            await pilot.press("left_square_bracket")
            await settle(app, pilot)
            assert label(app) == f"Daily · {expected}"
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert label(app) == "Daily · Mon 2026-08-17"
        assert "No cached papers before 2026-08-17." in notifications(app)
