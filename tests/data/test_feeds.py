"""Feeds: cache vs network vs sample decisions, latest-day resolution, stepping, details."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest

from papershelf.core.errors import InvalidInput, NotFound, NothingCached, Offline, PapershelfError
from papershelf.core.lists import ListKey, ListKind, Source
from papershelf.core.model import parse_entries
from papershelf.data.cache import ResponseCache
from papershelf.data.feeds import Feeds
from papershelf.data.feeds.hub import HubClient
from papershelf.data.feeds.sample import sample_feed
from tests.data.hubserver import hub_endpoint, serve_days

LATEST = ListKey(ListKind.LATEST)
NEWEST = "2026-08-21"


class Clock:
    """A settable UTC clock."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


async def no_wait(seconds: float) -> None:
    return None


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(tmp_path) -> ResponseCache:
    return ResponseCache(tmp_path / "responses")


def make_feeds(endpoint: str, cache: ResponseCache, clock: Clock) -> Feeds:
    hub = HubClient(endpoint, sleep=no_wait, today=lambda: clock().date())
    return Feeds(hub, cache, clock=clock)


@pytest.fixture
async def feeds(httpserver, cache, clock):
    instance = make_feeds(hub_endpoint(httpserver), cache, clock)
    yield instance
    await instance.aclose()


@pytest.fixture
async def offline_feeds(cache, clock):
    """Feeds sharing the cache but pointed at a port where nothing listens."""
    instance = make_feeds(f"http://127.0.0.1:{closed_port()}", cache, clock)
    yield instance
    await instance.aclose()


def recorded_ids(response: list) -> list[str]:
    return [paper.id for paper in parse_entries(response).papers]


def with_day(entries: list, day: str, count: int) -> list:
    """`count` distinct entries featured on `day`."""
    out = []
    for index in range(count):
        entry = json.loads(json.dumps(entries[index % len(entries)]))
        entry["paper"]["id"] = f"2608.{20000 + index}"
        entry["paper"]["submittedOnDailyAt"] = f"{day}T00:00:00.000Z"
        out.append(entry)
    return out


# --- latest --------------------------------------------------------------------------------


async def test_latest_is_newest_featured_day_only(httpserver, feeds, sample_days):
    """The no-date answer runs into earlier days; only the newest day is shown, complete."""
    hub = serve_days(httpserver, sample_days)
    feed = await feeds.load(LATEST)
    assert feed.state.source is Source.LIVE
    assert feed.resolved_date == dt.date(2026, 8, 21)
    assert [p.id for p in feed.papers] == recorded_ids(sample_days[NEWEST])
    assert len(hub.requests) == 1


async def test_a_newest_day_of_only_unusable_entries_gives_way_to_the_day_before(
    httpserver, feeds, sample_days
):
    """Only the newest day's entries are parsed, but a day with nothing usable is no list."""
    junk = [{"paper": {"submittedOnDailyAt": "2026-08-22T00:00:00Z", "title": "No id"}}] * 3
    serve_days(httpserver, {**sample_days, "2026-08-22": junk})
    feed = await feeds.load(LATEST)
    assert feed.resolved_date == dt.date(2026, 8, 21)
    assert [p.id for p in feed.papers] == recorded_ids(sample_days[NEWEST])


async def test_latest_asks_by_date_when_first_page_is_all_one_day(httpserver, feeds, sample_days):
    """A day of 150 papers fills the first page, so that day is asked with date=."""
    busy = with_day(sample_days[NEWEST], NEWEST, 150)
    hub = serve_days(httpserver, {**sample_days, NEWEST: busy})
    feed = await feeds.load(LATEST)
    assert len(feed.papers) == 150
    assert hub.count("/api/daily_papers", date=NEWEST) == 2  # two pages of the dated list


async def test_latest_asks_by_date_when_entries_lack_a_featured_date(
    httpserver, feeds, clock, sample_days
):
    """An entry without a usable submittedOnDailyAt is not dropped: the day is asked whole."""
    newest = json.loads(json.dumps(sample_days[NEWEST]))
    newest[0]["paper"].pop("submittedOnDailyAt")
    newest[1]["paper"]["submittedOnDailyAt"] = "2026-13-45T00:00:00Z"
    hub = serve_days(httpserver, {**sample_days, NEWEST: newest})
    feed = await feeds.load(LATEST)
    assert feed.resolved_date == dt.date(2026, 8, 21)
    assert sorted(p.id for p in feed.papers) == sorted(recorded_ids(newest))
    assert all(p.daily_date == dt.date(2026, 8, 21) for p in feed.papers)
    assert hub.count("/api/daily_papers", date=NEWEST) == 1
    clock.advance(minutes=5)
    cached = await feeds.load(LATEST)
    assert cached.state.source is Source.CACHED
    assert [p.id for p in cached.papers] == [p.id for p in feed.papers]
    assert cached.resolved_date == dt.date(2026, 8, 21)
    day = await feeds.load(ListKey(ListKind.DAILY, NEWEST))
    assert day.state.source is Source.CACHED and len(day.papers) == len(feed.papers)


async def test_latest_without_featured_dates_shows_everything(httpserver, feeds, shared_days):
    """2024 entries have no submittedOnDailyAt: show all, labelled plain latest."""
    old = {"2024-06-03": shared_days["2024-06-03"]}
    serve_days(httpserver, old)
    feed = await feeds.load(LATEST)
    assert feed.resolved_date is None
    assert len(feed.papers) == len(recorded_ids(old["2024-06-03"]))


async def test_latest_ignores_the_local_clock(httpserver, feeds, sample_days):
    """When `latest` is an older day than today, that day is shown (never an empty today)."""
    serve_days(httpserver, sample_days, latest="2026-08-19")
    feed = await feeds.load(LATEST)
    assert feed.resolved_date == dt.date(2026, 8, 19)


# --- cache freshness -----------------------------------------------------------------------


async def test_fresh_hit_comes_from_cache_without_network(httpserver, feeds, clock, sample_days):
    hub = serve_days(httpserver, sample_days)
    await feeds.load(LATEST)
    clock.advance(minutes=10)
    feed = await feeds.load(LATEST)
    assert feed.state.source is Source.CACHED
    assert not feed.state.revalidating
    assert [p.id for p in feed.papers] == recorded_ids(sample_days[NEWEST])
    assert len(hub.requests) == 1


async def test_stale_hit_returns_at_once_then_revalidates(httpserver, feeds, clock, sample_days):
    """After 15 minutes the latest list is served stale and marked for revalidation."""
    hub = serve_days(httpserver, sample_days)
    await feeds.load(LATEST)
    clock.advance(minutes=16)
    stale = await feeds.load(LATEST)
    assert stale.state.source is Source.CACHED and stale.state.revalidating
    assert len(hub.requests) == 1
    fresh = await feeds.revalidate(LATEST)
    assert fresh is not None and fresh.state.source is Source.LIVE
    assert len(hub.requests) == 2
    again = await feeds.load(LATEST)
    assert again.state.source is Source.CACHED and not again.state.revalidating


async def test_old_day_stays_fresh_for_a_day(httpserver, feeds, clock, sample_days):
    hub = serve_days(httpserver, sample_days)
    key = ListKey(ListKind.DAILY, "2026-08-18")
    await feeds.load(key)
    clock.advance(hours=23)
    assert not (await feeds.load(key)).state.revalidating
    clock.advance(hours=2)
    assert (await feeds.load(key)).state.revalidating
    assert len(hub.requests) == 1


async def test_refresh_bypasses_cache(httpserver, feeds, sample_days):
    hub = serve_days(httpserver, sample_days)
    await feeds.load(LATEST)
    feed = await feeds.load(LATEST, refresh=True)
    assert feed.state.source is Source.LIVE
    assert len(hub.requests) == 2


async def test_network_failure_returns_stale_copy_with_age(
    httpserver, feeds, offline_feeds, clock, sample_days
):
    """Revalidation fails offline; a refresh then falls back to the stale copy, labelled."""
    serve_days(httpserver, sample_days)
    await feeds.load(LATEST)
    clock.advance(hours=3)
    assert await offline_feeds.revalidate(LATEST) is None
    assert "Cannot reach" in offline_feeds.last_error
    feed = await offline_feeds.load(LATEST, refresh=True)
    assert feed.state.source is Source.OFFLINE
    assert "Cannot reach" in feed.state.error
    assert feed.state.describe(clock.now) == "offline — cached 3 h ago"
    assert feed.resolved_date == dt.date(2026, 8, 21)


async def test_offline_flag_serves_stale_copy_without_network(
    httpserver, feeds, clock, sample_days
):
    hub = serve_days(httpserver, sample_days)
    key = ListKey(ListKind.DAILY, "2026-08-19")
    await feeds.load(key)
    clock.advance(days=3)
    feed = await feeds.load(key, offline=True)
    assert feed.state.source is Source.OFFLINE
    assert len(hub.requests) == 1


# --- nothing cached ------------------------------------------------------------------------


async def test_offline_flag_with_empty_cache_gives_sample_for_latest(httpserver, feeds):
    feed = await feeds.load(LATEST, offline=True)
    assert feed.state.source is Source.SAMPLE
    assert feed.papers and feed.resolved_date == sample_feed().resolved_date
    assert httpserver.log == []


async def test_offline_flag_with_empty_cache_for_a_day_is_an_error(httpserver, feeds):
    with pytest.raises(NothingCached, match="2026-08-14"):
        await feeds.load(ListKey(ListKind.DAILY, "2026-08-14"), offline=True)
    assert httpserver.log == []


async def test_offline_flag_with_empty_cache_serves_a_sample_day(httpserver, feeds, sample_days):
    """The bundled sample can be browsed by day without a network or a cache."""
    key = ListKey(ListKind.DAILY, "2026-08-19")
    feed = await feeds.load(key, offline=True)
    assert feed.state.source is Source.SAMPLE
    assert feed.key == key and feed.resolved_date == dt.date(2026, 8, 19)
    assert [p.id for p in feed.papers] == recorded_ids(sample_days["2026-08-19"])
    assert all(p.daily_date == dt.date(2026, 8, 19) for p in feed.papers)
    assert httpserver.log == []


async def test_offline_step_day_walks_the_sample_days(feeds, sample_days):
    days = sorted(sample_days)
    feed = await feeds.step_day(dt.date.fromisoformat(days[-1]), -1, offline=True)
    assert feed.key.value == days[-2] and feed.state.source is Source.SAMPLE
    feed = await feeds.step_day(dt.date.fromisoformat(days[0]), +1, offline=True)
    assert feed.key.value == days[1]
    with pytest.raises(PapershelfError, match="No cached papers"):
        await feeds.step_day(dt.date.fromisoformat(days[0]), -1, offline=True)


async def test_no_network_no_cache_latest_is_sample(offline_feeds):
    feed = await offline_feeds.load(LATEST)
    assert feed.state.source is Source.SAMPLE
    assert feed.state.error and "Cannot reach" in feed.state.error


async def test_no_network_no_cache_day_raises(offline_feeds):
    with pytest.raises(Offline):
        await offline_feeds.load(ListKey(ListKind.DAILY, "2026-08-14"))


async def test_no_network_no_cache_sample_day_is_sample(offline_feeds):
    feed = await offline_feeds.load(ListKey(ListKind.DAILY, "2026-08-19"))
    assert feed.state.source is Source.SAMPLE
    assert feed.state.error and "Cannot reach" in feed.state.error
    assert feed.papers


async def test_library_lists_are_not_feeds(feeds):
    with pytest.raises(InvalidInput):
        await feeds.load(ListKey(ListKind.STARRED))


async def test_corrupt_cache_is_rebuilt_with_a_note(httpserver, tmp_path, clock, sample_days):
    """A damaged cache directory turns into a warning on the next feed, never a crash."""
    directory = tmp_path / "broken"
    directory.mkdir()
    (directory / "cache.db").write_bytes(b"garbage" * 500)
    serve_days(httpserver, sample_days)
    feeds = make_feeds(hub_endpoint(httpserver), ResponseCache(directory), clock)
    try:
        feed = await feeds.load(LATEST)
    finally:
        await feeds.aclose()
    assert feed.papers
    assert any("rebuilt" in note for note in feed.notes)


# --- week, month, search, trending ---------------------------------------------------------


async def test_week_is_sorted_by_upvotes_and_deduplicated(httpserver, feeds, sample_days):
    days = dict(sample_days)
    # The same paper listed on two days of the week appears once.
    days["2026-08-19"] = [*days["2026-08-19"], days["2026-08-18"][0]]
    serve_days(httpserver, days)
    feed = await feeds.load(ListKey(ListKind.WEEK, "2026-w34"))
    assert feed.key.value == "2026-W34"
    ids = [p.id for p in feed.papers]
    assert len(ids) == len(set(ids)) == sum(len(recorded_ids(r)) for r in sample_days.values())
    votes = [p.upvotes for p in feed.papers]
    assert votes == sorted(votes, reverse=True)


async def test_month_list(httpserver, feeds, sample_days):
    serve_days(httpserver, sample_days)
    feed = await feeds.load(ListKey(ListKind.MONTH, "2026-08"))
    assert len(feed.papers) == sum(len(r) for r in sample_days.values())


async def test_search_keeps_relevance_order(httpserver, feeds, sample_days):
    results = sample_days["2026-08-20"][::-1]
    serve_days(httpserver, sample_days, search={"agents": results})
    feed = await feeds.load(ListKey(ListKind.SEARCH, "  agents "))
    assert [p.id for p in feed.papers] == recorded_ids(results)


async def test_trending(httpserver, feeds, sample_days):
    hub = serve_days(httpserver, sample_days)
    feed = await feeds.load(ListKey(ListKind.TRENDING))
    assert feed.papers
    assert hub.requests[0][1]["sort"] == "trending"


# --- stepping through days -----------------------------------------------------------------


async def test_step_skips_weekends(httpserver, feeds, sample_days):
    days = {"2026-08-14": sample_days["2026-08-18"], "2026-08-17": sample_days["2026-08-17"]}
    hub = serve_days(httpserver, days)
    feed = await feeds.step_day(dt.date(2026, 8, 17), -1)
    assert feed.key.value == "2026-08-14"
    assert [q["date"] for _, q in hub.requests] == ["2026-08-14"]


async def test_step_forward_and_skip_empty_days(httpserver, feeds, sample_days):
    days = {"2026-08-17": sample_days["2026-08-17"], "2026-08-20": sample_days["2026-08-20"]}
    serve_days(httpserver, days)
    feed = await feeds.step_day(dt.date(2026, 8, 17), +1)
    assert feed.key.value == "2026-08-20"


async def test_step_gives_up_after_empty_days(httpserver, feeds, sample_days):
    serve_days(httpserver, sample_days)
    with pytest.raises(PapershelfError, match="No papers in the 3 days before 2026-08-17"):
        await feeds.step_day(dt.date(2026, 8, 17), -1, max_empty=3)


async def test_step_never_passes_today_or_first_day(feeds, clock):
    today = clock.now.date()
    with pytest.raises(InvalidInput):
        await feeds.step_day(today, +1)
    with pytest.raises(InvalidInput, match="2023-05-04"):
        await feeds.step_day(dt.date(2023, 5, 4), -1)


# --- paper detail --------------------------------------------------------------------------


async def test_paper_detail_is_cached_for_a_week(httpserver, feeds, clock, sample_days):
    hub = serve_days(httpserver, sample_days)
    paper_id = sample_days[NEWEST][0]["paper"]["id"]
    first = await feeds.paper(f"arXiv:{paper_id}v1")
    clock.advance(days=6)
    second = await feeds.paper(paper_id)
    assert first == second and first.id == paper_id
    assert len(hub.requests) == 1
    clock.advance(days=2)
    await feeds.paper(paper_id)
    assert len(hub.requests) == 2


async def test_paper_stale_copy_when_network_fails(
    httpserver, feeds, offline_feeds, clock, sample_days
):
    serve_days(httpserver, sample_days)
    paper_id = sample_days[NEWEST][1]["paper"]["id"]
    await feeds.paper(paper_id)
    clock.advance(days=30)
    assert (await offline_feeds.paper(paper_id)).id == paper_id


async def test_paper_errors(httpserver, feeds, sample_days):
    serve_days(httpserver, sample_days)
    with pytest.raises(NotFound):
        await feeds.paper("2401.99999")
    with pytest.raises(NothingCached):
        await feeds.paper("2401.99998", offline=True)
    with pytest.raises(InvalidInput):
        await feeds.paper("not an id")


async def test_paper_detail_is_merged_with_its_listed_entry(httpserver, feeds, sample_days):
    """The detail has no comment count or thumbnail: a cached list's entry supplies them."""
    serve_days(httpserver, sample_days)
    await feeds.load(ListKey(ListKind.DAILY, "2026-08-19"))
    entry = next(e for e in sample_days["2026-08-19"] if e.get("numComments"))
    paper_id = entry["paper"]["id"]
    paper = await feeds.paper(paper_id)
    assert paper.comments == entry["numComments"]
    assert paper.thumbnail == entry["thumbnail"]
    assert paper.daily_date == dt.date(2026, 8, 19)


async def test_paper_listed_entry_is_found_in_the_cache_by_a_new_run(
    httpserver, cache, clock, sample_days
):
    serve_days(httpserver, sample_days)
    first = make_feeds(hub_endpoint(httpserver), cache, clock)
    await first.load(ListKey(ListKind.DAILY, "2026-08-19"))
    await first.aclose()
    entry = next(e for e in sample_days["2026-08-19"] if e.get("numComments"))
    second = make_feeds(hub_endpoint(httpserver), cache, clock)
    try:
        paper = await second.paper(entry["paper"]["id"])
    finally:
        await second.aclose()
    assert paper.comments == entry["numComments"] and paper.thumbnail == entry["thumbnail"]


async def test_paper_detail_404_falls_back_to_listed_entry(httpserver, feeds, sample_days):
    """A paper in a list whose detail the hub does not know is shown as listed, with a note."""
    entry = json.loads(json.dumps(sample_days["2026-08-19"][0]))
    entry["paper"]["id"] = "2608.99999"
    hub = serve_days(httpserver, {"2026-08-19": [entry]}, papers={})
    hub.days["2026-08-19"] = [entry]
    await feeds.load(ListKey(ListKind.DAILY, "2026-08-19"))
    hub.days.clear()  # the detail now 404s
    paper, note = await feeds.paper_with_note("2608.99999")
    assert paper.id == "2608.99999" and paper.title
    assert note and "does not know" in note and "as listed" in note


async def test_paper_without_network_or_cache_comes_from_the_sample(offline_feeds, sample_days):
    entry = sample_days["2026-08-18"][0]
    paper, note = await offline_feeds.paper_with_note(entry["paper"]["id"])
    assert paper.id == entry["paper"]["id"] and paper.daily_date == dt.date(2026, 8, 18)
    assert note and "Cannot reach" in note
    offline_paper, offline_note = await offline_feeds.paper_with_note(
        entry["paper"]["id"], offline=True
    )
    assert offline_paper == paper and offline_note and "offline" in offline_note


def test_sample_feed_is_newest_bundled_day(sample_days):
    feed = sample_feed()
    newest = max(sample_days)
    assert feed.resolved_date == dt.date.fromisoformat(newest)
    assert [p.id for p in feed.papers] == recorded_ids(sample_days[newest])
    assert feed.state.source is Source.SAMPLE


def test_warm_cache_run_never_imports_httpx(isolated_home, sample_days):
    """A fresh cached latest list is printed without importing the network stack."""
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from papershelf.data.cache import ResponseCache\n"
        f"ResponseCache().put('latest', json.dumps({sample_days[NEWEST]!r}).encode())\n"
        "from papershelf.cli import main\n"
        "assert main(['list', '--format', 'ids']) == 0\n"
        "assert 'httpx' not in sys.modules, 'httpx imported'\n"
        "assert 'textual' not in sys.modules, 'textual imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == recorded_ids(sample_days[NEWEST])
    assert "cached" in result.stderr


async def test_paper_detail_of_another_paper_is_not_used(httpserver, feeds, sample_days):
    """A detail answering for a different id (an old-style id cut at its slash) is ignored."""
    entry = json.loads(json.dumps(sample_days["2026-08-19"][0]))
    entry["paper"]["id"] = "cs/0101001"
    serve_days(httpserver, {"2026-08-19": [entry]})
    await feeds.load(ListKey(ListKind.DAILY, "2026-08-19"))
    httpserver.expect_request("/api/papers/cs/0101001").respond_with_json(
        {"id": "2401.00001", "title": "Detail of 2401.00001"}
    )
    paper, note = await feeds.paper_with_note("cs/0101001")
    assert paper.id == "cs/0101001" and paper.title == entry["paper"]["title"]
    assert note and "not cs/0101001" in note


async def test_unusable_detail_falls_back_to_listed_entry(httpserver, feeds, sample_days):
    entry = sample_days["2026-08-19"][0]
    serve_days(httpserver, sample_days, papers={entry["paper"]["id"]: {"no": "id"}})
    await feeds.load(ListKey(ListKind.DAILY, "2026-08-19"))
    paper, note = await feeds.paper_with_note(entry["paper"]["id"])
    assert paper.id == entry["paper"]["id"] and note and "unusable record" in note
