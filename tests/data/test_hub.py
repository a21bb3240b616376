"""HubClient against a real local HTTP server: paging, retries, faults and validation."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest
from werkzeug import Response

from papershelf import __version__
from papershelf.core.errors import (
    BadRequest,
    InvalidInput,
    NotFound,
    Offline,
    RateLimited,
    ServerError,
)
from papershelf.data.feeds.hub import CONNECT_RETRY_SECONDS, HubClient, merge_arrays
from tests.data.hubserver import hub_endpoint, serve_days

DAY = "2026-08-18"


class FakeSleep:
    """Records requested waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sleeps() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def client(httpserver, sleeps):
    hub = HubClient(hub_endpoint(httpserver), sleep=sleeps)
    yield hub
    await hub.aclose()


def ids(body: bytes) -> list[str]:
    return [entry["paper"]["id"] for entry in json.loads(body)]


def many_entries(sample_days, count: int) -> list:
    """`count` distinct entries cloned from the sample (a day busier than any recorded)."""
    base = sample_days[DAY]
    entries = []
    for index in range(count):
        entry = json.loads(json.dumps(base[index % len(base)]))
        entry["paper"]["id"] = f"2608.{10000 + index}"
        entries.append(entry)
    return entries


async def test_daily_returns_recorded_day_verbatim(httpserver, client, sample_days):
    """A one-page day comes back as the exact bytes the server sent."""
    serve_days(httpserver, sample_days)
    body = await client.daily(date=DAY)
    assert json.loads(body) == sample_days[DAY]


async def test_daily_sends_user_agent_limit_and_no_token(httpserver, client, sample_days):
    """Requests carry the papershelf User-Agent, limit=100 and no Authorization."""
    serve_days(httpserver, sample_days)
    await client.daily(date=DAY)
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == f"papershelf/{__version__}"
    assert request.args["limit"] == "100"
    assert "Authorization" not in request.headers


async def test_token_from_environment_is_sent(httpserver, sample_days, monkeypatch):
    """HF_TOKEN becomes a bearer token."""
    monkeypatch.setenv("HF_TOKEN", "hf_test")
    serve_days(httpserver, sample_days)
    hub = HubClient(hub_endpoint(httpserver))
    try:
        await hub.daily(date=DAY)
    finally:
        await hub.aclose()
    request, _ = httpserver.log[0]
    assert request.headers["Authorization"] == "Bearer hf_test"


async def test_endpoint_from_environment(httpserver, sample_days, monkeypatch):
    """HF_ENDPOINT is the base URL when none is given."""
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver) + "/")
    serve_days(httpserver, sample_days)
    hub = HubClient()
    try:
        assert ids(await hub.daily(date=DAY)) == ids(json.dumps(sample_days[DAY]).encode())
    finally:
        await hub.aclose()


async def test_paging_follows_link_headers(httpserver, client, sample_days):
    """A 250-entry day is fetched in three pages via `Link: rel=next` and merged in order."""
    entries = many_entries(sample_days, 250)
    hub = serve_days(httpserver, {DAY: entries})
    body = await client.daily(date=DAY)
    assert ids(body) == [entry["paper"]["id"] for entry in entries]
    assert [q.get("p") for _, q in hub.requests] == ["0", "1", "2"]


async def test_paging_stops_on_exact_multiple(httpserver, client, sample_days):
    """200 entries: the second page is full but has no next link, a third page is empty."""
    entries = many_entries(sample_days, 200)
    hub = serve_days(httpserver, {DAY: entries})
    body = await client.daily(date=DAY)
    assert len(json.loads(body)) == 200
    assert len(hub.requests) <= 3


async def test_latest_asks_one_page_only(httpserver, client, sample_days):
    """Without a date the API pages on into history forever, so only one page is asked."""
    big = {f"2026-08-{day:02d}": many_entries(sample_days, 60) for day in (17, 18, 19)}
    hub = serve_days(httpserver, big)
    body = await client.daily()
    assert len(json.loads(body)) == 100
    assert len(hub.requests) == 1
    assert "date" not in hub.requests[0][1]


async def test_week_53_is_built_from_days(httpserver, sample_days, sleeps):
    """2026-W53 is rejected by the API's pattern, so its days are asked one by one."""
    days = {"2026-12-28": sample_days["2026-08-17"], "2026-12-29": sample_days["2026-08-18"]}
    hub = serve_days(httpserver, days, today=dt.date(2027, 1, 10))
    client = HubClient(hub_endpoint(httpserver), sleep=sleeps, today=lambda: dt.date(2027, 1, 10))
    try:
        body = await client.daily(week="2026-W53")
    finally:
        await client.aclose()
    assert len(json.loads(body)) == len(days["2026-12-28"]) + len(days["2026-12-29"])
    assert hub.count("/api/daily_papers", week="2026-W53") == 0
    assert sorted(q["date"] for _, q in hub.requests) == [
        f"{d.isoformat()}" for d in (dt.date(2026, 12, 28) + dt.timedelta(n) for n in range(7))
    ]


async def test_429_with_ratelimit_then_success(httpserver, client, sleeps, sample_days):
    """A 429 with `RateLimit: r=0;t=2` waits t+1 s, then the retry succeeds."""
    httpserver.expect_oneshot_request("/api/daily_papers").respond_with_json(
        {"error": "slow down"},
        status=429,
        headers={
            "RateLimit": '"api";r=0;t=2',
            "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
        },
    )
    serve_days(httpserver, sample_days)
    body = await client.daily(date=DAY)
    assert json.loads(body) == sample_days[DAY]
    assert sleeps.waits == [3.0]


async def test_429_with_retry_after(httpserver, client, sleeps, sample_days):
    """Without RateLimit, Retry-After is honoured."""
    httpserver.expect_oneshot_request("/api/daily_papers").respond_with_data(
        "", status=429, headers={"Retry-After": "4"}
    )
    serve_days(httpserver, sample_days)
    await client.daily(date=DAY)
    assert sleeps.waits == [4.0]


async def test_429_with_long_wait_raises_rate_limited(httpserver, client, sleeps):
    """A wait beyond the 10 s budget is not slept: RateLimited carries it for the caller."""
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        "", status=429, headers={"RateLimit": '"api";r=0;t=120'}
    )
    with pytest.raises(RateLimited) as caught:
        await client.daily(date=DAY)
    assert caught.value.retry_after == 121
    assert sleeps.waits == []


async def test_500_then_success(httpserver, client, sleeps, sample_days):
    """A 500 is retried after a backoff."""
    httpserver.expect_oneshot_request("/api/daily_papers").respond_with_data("oops", status=500)
    serve_days(httpserver, sample_days)
    body = await client.daily(date=DAY)
    assert json.loads(body) == sample_days[DAY]
    assert sleeps.waits == [1.0]


async def test_persistent_500_gives_server_error_within_budget(httpserver, client, sleeps):
    """Retries stop before 10 s of waiting in total."""
    httpserver.expect_request("/api/daily_papers").respond_with_data("oops", status=503)
    with pytest.raises(ServerError):
        await client.daily(date=DAY)
    assert sleeps.waits and sum(sleeps.waits) <= 10


async def test_timeout_raises_offline(sleeps):
    """A server that accepts but never answers times out as Offline."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        hub = HubClient(f"http://127.0.0.1:{port}", sleep=sleeps, timeout=0.2)
        try:
            with pytest.raises(Offline, match="did not answer"):
                await hub.daily(date=DAY)
        finally:
            await hub.aclose()


async def test_connection_refused_raises_offline_after_one_quick_retry(sleeps):
    """Nothing listening: one short retry, then Offline, so the cache or sample shows at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    hub = HubClient(f"http://127.0.0.1:{port}", sleep=sleeps)
    try:
        with pytest.raises(Offline, match="Cannot reach"):
            await hub.daily(date=DAY)
    finally:
        await hub.aclose()
    assert sleeps.waits == [CONNECT_RETRY_SECONDS]
    assert CONNECT_RETRY_SECONDS < 1


async def test_one_dropped_connection_is_retried(sleeps):
    """A single connection failure is retried quickly and the answer is used."""
    import httpx

    calls = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) == 1:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json=[])

    hub = HubClient("http://hub.test", sleep=sleeps, transport=httpx.MockTransport(answer))
    try:
        assert await hub.daily(date=DAY) == b"[]"
    finally:
        await hub.aclose()
    assert len(calls) == 2
    assert sleeps.waits == [CONNECT_RETRY_SECONDS]


async def test_malformed_json_raises_server_error(httpserver, client):
    """A 200 that is not JSON is a server problem, not a crash."""
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        '[{"paper": ', content_type="application/json"
    )
    with pytest.raises(ServerError, match="not JSON"):
        await client.daily(date=DAY)


async def test_html_error_page_raises_server_error(httpserver, client):
    """A captive portal or proxy page in place of JSON."""
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        "<html><body>Sign in to the Wi-Fi</body></html>", content_type="text/html"
    )
    with pytest.raises(ServerError, match="text/html"):
        await client.daily(date=DAY)


async def test_json_object_instead_of_list_raises_server_error(httpserver, client):
    httpserver.expect_request("/api/daily_papers").respond_with_json({"papers": []})
    with pytest.raises(ServerError):
        await client.daily(date=DAY)


async def test_paper_404_raises_not_found(httpserver, client, sample_days):
    """An unindexed paper is NotFound with the id in the message."""
    serve_days(httpserver, sample_days)
    with pytest.raises(NotFound, match=r"2401\.99999"):
        await client.paper("2401.99999")


async def test_paper_accepts_any_id_form(httpserver, client, sample_days):
    """`arXiv:...v2` and URLs are normalised to the bare id before the request."""
    hub = serve_days(httpserver, sample_days)
    paper_id = sample_days[DAY][0]["paper"]["id"]
    body = await client.paper(f"https://arxiv.org/abs/{paper_id}v2")
    assert json.loads(body)["id"] == paper_id
    assert hub.requests[0][0] == f"/api/papers/{paper_id}"


async def test_server_400_for_future_date_raises_bad_request(httpserver, sample_days, sleeps):
    """When the server's day is behind ours, its 400 becomes BadRequest with its reason."""
    serve_days(httpserver, sample_days, today=dt.date(2026, 8, 21))
    hub = HubClient(hub_endpoint(httpserver), sleep=sleeps, today=lambda: dt.date(2026, 8, 22))
    try:
        with pytest.raises(BadRequest, match="future"):
            await hub.daily(date="2026-08-22")
    finally:
        await hub.aclose()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"date": "2023-05-03"}, "begin on 2023-05-04"),
        ({"date": "2999-01-01"}, "future"),
        ({"date": "2025-02-30"}, "real calendar date"),
        ({"date": "yesterday"}, "YYYY-MM-DD"),
        ({"week": "2025-W53"}, "no week 53"),
        ({"week": "2025-W00"}, "no week 0"),
        ({"week": "2025-34"}, "YYYY-Www"),
        ({"month": "2025-13"}, "YYYY-MM"),
        ({"month": "2023-04"}, "begin on"),
        ({"sort": "upvotes"}, "Unknown sort"),
    ],
)
async def test_invalid_input_never_reaches_the_server(httpserver, client, kwargs, message):
    """Dates, weeks and months are validated before any request is made."""
    with pytest.raises(InvalidInput, match=message):
        await client.daily(**kwargs)
    assert httpserver.log == []


async def test_search_validates_and_sends_limit(httpserver, client, sample_days):
    hub = serve_days(httpserver, sample_days)
    with pytest.raises(InvalidInput):
        await client.search("   ")
    with pytest.raises(InvalidInput):
        await client.search("x" * 251)
    await client.search("agent", limit=5)
    assert hub.requests == [("/api/papers/search", {"q": "agent", "limit": "5"})]


def test_merge_arrays_splices_without_reencoding():
    assert merge_arrays([b'[{"a": 1}]', b"[]", b' [ {"b":2} ] ']) == b'[{"a": 1},{"b":2}]'
    assert merge_arrays([b"[]"]) == b"[]"
    with pytest.raises(ServerError):
        merge_arrays([b"{}"])


async def test_error_page_is_answered_by_a_handler(httpserver, client):
    """Server error text is cleaned of control characters before it reaches a message."""
    httpserver.expect_request("/api/daily_papers").respond_with_response(
        Response(json.dumps({"error": "bad\x1b[31m date"}), status=400)
    )
    with pytest.raises(BadRequest) as caught:
        await client.daily(date=DAY)
    assert "\x1b" not in caught.value.message
