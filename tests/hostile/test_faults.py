"""Hostile answers and faults at the edges: a real local server serves each hostile body, and
OS errors (full disk, read-only folder) are simulated, since the suite runs as root.

Every loop here is bounded in count and time; small deadlines keep each test to a few seconds.
"""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import json
import sqlite3
import threading
import time
import tracemalloc

import pytest
from werkzeug import Request, Response

from papershelf.cli import main
from papershelf.core.errors import InvalidInput, LibraryUnavailable, Offline, ServerError
from papershelf.core.lists import ListKey, ListKind, Source
from papershelf.data import cache as cache_module
from papershelf.data.cache import ResponseCache, fault_kind, remove_old_broken
from papershelf.data.feeds import Feeds
from papershelf.data.feeds import hub as hub_module
from papershelf.data.feeds.hub import HubClient
from papershelf.data.feeds.sample import sample_feed
from papershelf.data.library import Library
from papershelf.data.library import schema as library_schema
from tests.data.hubserver import hub_endpoint

DAY = "2026-08-19"
WHEN = dt.datetime(2026, 8, 21, 9, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 8, 21, 12, 0, tzinfo=dt.UTC)
TRICKLE_STEP = 0.25
TRICKLE_STEPS = 40
"""A trickling body would need 10 s; the test deadline is 1 s."""


def body_of(entries: list) -> bytes:
    return json.dumps(entries).encode()


def ids_of(feed) -> list[str]:
    return [paper.id for paper in feed.papers]


def trickle(_request: Request) -> Response:
    """A valid list, one byte every TRICKLE_STEP seconds (bounded: gives up after 10 s)."""

    def chunks():
        yield b"["
        for _ in range(TRICKLE_STEPS):
            time.sleep(TRICKLE_STEP)
            yield b" "
        yield b"]"

    return Response(chunks(), content_type="application/json")


@pytest.fixture
def feeds_for(httpserver, tmp_path):
    """Feeds on a fresh cache, talking to the local server with the given limits."""

    def make(**limits) -> Feeds:
        hub = HubClient(hub_endpoint(httpserver), today=lambda: NOW.date(), **limits)
        # Feeds does not close a client it was given; each test closes it through this one.
        feeds = Feeds(hub, ResponseCache(tmp_path / "responses"), clock=lambda: NOW)
        feeds._owns_hub = True
        return feeds

    return make


# --- a total deadline for every request ----------------------------------------------------


async def test_trickling_body_fails_at_the_deadline(httpserver):
    """One byte every 0.25 s never trips a read timeout; the total deadline stops it."""
    httpserver.expect_request("/api/daily_papers").respond_with_handler(trickle)
    hub = HubClient(hub_endpoint(httpserver), deadline=1.0)
    started = time.monotonic()
    try:
        with pytest.raises(Offline, match="within 1 s"):
            await hub.daily(date=DAY)
    finally:
        await hub.aclose()
    assert (
        time.monotonic() - started < 5
    )  # 1 s deadline, slack for a loaded machine; the trickle lasts 10 s


async def test_trickle_falls_back_to_the_cached_list_with_a_message(
    httpserver, feeds_for, sample_days
):
    feeds = feeds_for(deadline=1.0)
    feeds.cache.put(f"daily:{DAY}", body_of(sample_days[DAY]), WHEN)
    httpserver.expect_request("/api/daily_papers").respond_with_handler(trickle)
    started = time.monotonic()
    feed = await feeds.load(ListKey(ListKind.DAILY, DAY), refresh=True)
    await feeds.aclose()
    assert (
        time.monotonic() - started < 5
    )  # 1 s deadline, slack for a loaded machine; the trickle lasts 10 s
    assert feed.state.source is Source.OFFLINE
    assert "within 1 s" in feed.state.error
    assert len(feed.papers) == len(sample_days[DAY])


# --- a size cap on the decompressed body, enforced while streaming -------------------------


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    """About 64 KB of gzip that inflates to a 64 MB (valid, all-blank) JSON list."""
    import zlib

    inflated = 64 * 2**20

    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(b"[")]
    block = b" " * 2**20
    parts.extend(packer.compress(block) for _ in range(inflated // len(block)))
    parts.append(packer.compress(b"]"))
    parts.append(packer.flush())
    return b"".join(parts)


async def test_gzip_bomb_is_refused_without_filling_memory(httpserver, gzip_bomb):
    assert len(gzip_bomb) < 2**20
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        gzip_bomb, content_type="application/json", headers={"Content-Encoding": "gzip"}
    )
    hub = HubClient(hub_endpoint(httpserver), max_bytes=2**20)
    tracemalloc.start()
    try:
        with pytest.raises(ServerError, match="more than 1 MB"):
            await hub.daily(date=DAY)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        await hub.aclose()
    assert peak < 12 * 2**20, f"peak {peak / 2**20:.1f} MB while refusing a gzip bomb"


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_fifty_megabyte_body_is_refused_and_not_cached(httpserver, feeds_for, declared):
    """The default cap (8 MB) refuses a 50 MB answer, declared or streamed, and caches nothing."""
    size = 50 * 2**20
    if declared:
        httpserver.expect_request("/api/daily_papers").respond_with_data(
            b"[" + b" " * size + b"]", content_type="application/json"
        )
    else:

        def streamed(_request: Request) -> Response:
            def chunks():
                yield b"["
                for _ in range(size // 2**20):
                    yield b" " * 2**20
                yield b"]"

            return Response(chunks(), content_type="application/json")

        httpserver.expect_request("/api/daily_papers").respond_with_handler(streamed)
    feeds = feeds_for()
    feed = await feeds.load(ListKey(ListKind.DAILY, DAY), refresh=True)
    await feeds.aclose()
    # Nothing cached for the day, so the bundled sample stands in, saying why.
    assert feed.state.source is Source.SAMPLE and "more than 8 MB" in feed.state.error
    assert feeds.cache.get(f"daily:{DAY}") is None


async def test_decompression_and_parsing_run_off_the_event_loop(
    httpserver, monkeypatch, sample_days
):
    threads: list[str] = []
    original = hub_module._decode_body

    def recording(*args):
        threads.append(threading.current_thread().name)
        return original(*args)

    monkeypatch.setattr(hub_module, "_decode_body", recording)
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        gzip.compress(body_of(sample_days[DAY])),
        content_type="application/json",
        headers={"Content-Encoding": "gzip"},
    )
    hub = HubClient(hub_endpoint(httpserver))
    try:
        body = await hub.daily(date=DAY)
    finally:
        await hub.aclose()
    assert json.loads(body) == sample_days[DAY]
    assert threads and threading.main_thread().name not in threads


# --- redirects stay on the endpoint's host -------------------------------------------------


async def test_redirect_to_another_host_is_refused_and_nothing_cached(
    httpserver, feeds_for, monkeypatch
):
    """localhost and 127.0.0.1 are the same server but different hosts: the token stays home."""
    port = httpserver.port
    httpserver.expect_request("/api/daily_papers").respond_with_response(
        Response(status=302, headers={"Location": f"http://127.0.0.1:{port}/stolen"})
    )
    httpserver.expect_request("/stolen").respond_with_data("[]", content_type="application/json")
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    feeds = feeds_for()
    feed = await feeds.load(ListKey(ListKind.DAILY, DAY), refresh=True)
    await feeds.aclose()
    assert feed.state.source is Source.SAMPLE
    assert "another host (http://127.0.0.1:" in feed.state.error
    assert all(request.path != "/stolen" for request, _ in httpserver.log)
    assert feeds.cache.get(f"daily:{DAY}") is None


async def test_redirect_within_the_host_is_followed_with_the_token(httpserver, sample_days):
    httpserver.expect_request("/api/daily_papers").respond_with_response(
        Response(status=301, headers={"Location": "/api/moved?date=" + DAY})
    )
    httpserver.expect_request("/api/moved").respond_with_json(sample_days[DAY])
    hub = HubClient(hub_endpoint(httpserver), token="hf_secret")
    try:
        body = await hub.daily(date=DAY)
    finally:
        await hub.aclose()
    assert json.loads(body) == sample_days[DAY]
    moved = [request for request, _ in httpserver.log if request.path == "/api/moved"]
    assert moved and moved[0].headers.get("Authorization") == "Bearer hf_secret"


# --- an invalid HF_ENDPOINT is refused -----------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "why"),
    [
        ("ftp://example.org", "http:// or https://"),
        ("huggingface.co", "http:// or https://"),
        ("http://", "no usable host"),
        ("http://127.0.0.1:99999", "invalid port"),
        ("http://exa mple.org", "spaces"),
        ("https://user@evil.example", "no usable host"),
    ],
)
def test_invalid_endpoint_is_refused(endpoint, why):
    with pytest.raises(InvalidInput, match=why):
        HubClient(endpoint)


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:99999", "ftp://example.org"])
def test_cli_refuses_an_invalid_endpoint_without_traceback(monkeypatch, capsys, endpoint):
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    code = main(["list", "--refresh", "--format", "ids"])
    out, err = capsys.readouterr()
    assert code != 0
    assert "Traceback" not in err and out == ""
    assert "The Hugging Face address" in err


# --- a good cached list is never replaced by an empty or junk one --------------------------


@pytest.mark.parametrize(
    ("answer", "said"),
    [(b"[]", "an empty list"), (b'[1, "x", null]', "3 entries, none of them usable")],
    ids=["empty", "junk"],
)
async def test_empty_or_junk_answer_keeps_the_cached_list(
    httpserver, feeds_for, sample_days, answer, said
):
    feeds = feeds_for()
    good = body_of(sample_days[DAY])
    feeds.cache.put(f"daily:{DAY}", good, WHEN)
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        answer, content_type="application/json"
    )
    feed = await feeds.load(ListKey(ListKind.DAILY, DAY), refresh=True)
    await feeds.aclose()
    assert len(feed.papers) == len(sample_days[DAY])
    assert said in feed.state.error and any(said in note for note in feed.notes)
    assert feeds.cache.get(f"daily:{DAY}").body == good


def test_cli_list_offline_still_shows_the_list_after_an_empty_answer(
    httpserver, monkeypatch, capsys, sample_days
):
    """The reported sequence: a good latest list, then `[]` from the server, then offline."""
    answers = [body_of(sample_days[DAY]), b"[]"]

    def latest(_request: Request) -> Response:
        return Response(answers[0], content_type="application/json")

    httpserver.expect_request("/api/daily_papers").respond_with_handler(latest)
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    assert main(["list", "--format", "ids"]) == 0
    good_ids = capsys.readouterr().out.split()
    assert good_ids
    answers.pop(0)
    assert main(["list", "--refresh", "--format", "ids"]) == 0
    out, err = capsys.readouterr()
    assert out.split() == good_ids and "empty list" in err
    assert main(["list", "--offline", "--format", "ids"]) == 0
    assert capsys.readouterr().out.split() == good_ids


# --- offline start: the newest cached papers, not the sample -------------------------------


def newer_week(sample_days) -> tuple[bytes, list[str]]:
    """A cached week list whose papers are newer than anything in the bundled sample."""
    entries = json.loads(json.dumps(sample_days[DAY][:3]))
    for number, entry in enumerate(entries):
        entry["paper"]["id"] = f"2609.0000{number}"
        entry["paper"]["submittedOnDailyAt"] = "2026-09-02T00:00:00.000Z"
    return body_of(entries), [entry["paper"]["id"] for entry in entries]


async def test_offline_start_shows_the_newest_cached_papers(tmp_path, sample_days):
    cache = ResponseCache(tmp_path / "responses")
    body, new_ids = newer_week(sample_days)
    cache.put("week:2026-W36", body, WHEN)
    cache.put(f"daily:{DAY}", body_of(sample_days[DAY]), WHEN)  # older than the week's papers
    clock = dt.datetime(2026, 9, 3, 12, 0, tzinfo=dt.UTC)
    feeds = Feeds(cache=cache, clock=lambda: clock)
    feed = await feeds.load(ListKey(ListKind.LATEST), offline=True)
    assert feed.state.source is Source.OFFLINE
    assert sorted(ids_of(feed)) == sorted(new_ids)
    assert feed.resolved_date == dt.date(2026, 9, 2)
    cached = feeds.load_cached(ListKey(ListKind.LATEST), offline=True)
    assert cached is not None and sorted(ids_of(cached)) == sorted(new_ids)
    await feeds.aclose()


async def test_offline_start_prefers_the_sample_when_the_cache_is_older(tmp_path, sample_days):
    cache = ResponseCache(tmp_path / "responses")
    older = min(sample_days)
    cache.put(f"daily:{older}", body_of(sample_days[older]), WHEN)
    feeds = Feeds(cache=cache, clock=lambda: NOW)
    feed = await feeds.load(ListKey(ListKind.LATEST), offline=True)
    assert feed.state.source is Source.SAMPLE
    assert ids_of(feed) == ids_of(sample_feed())
    await feeds.aclose()


# --- the cache: a full disk or a read-only folder is not corruption ------------------------


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "full"),
        (OSError(errno.EDQUOT, "Disk quota exceeded"), "full"),
        (OSError(errno.EROFS, "Read-only file system"), "read-only"),
        (OSError(errno.EACCES, "Permission denied"), "read-only"),
        (sqlite3.OperationalError("database or disk is full"), "full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.DatabaseError("file is not a database"), None),
        (OSError(errno.EIO, "Input/output error"), None),
    ],
)
def test_fault_kinds(error, kind):
    assert fault_kind(error) == kind


def broken_copies(tmp_path) -> list[str]:
    return sorted(path.name for path in tmp_path.iterdir() if ".broken-" in path.name)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES])
def test_failed_write_keeps_the_cache_in_place(tmp_path, monkeypatch, code):
    cache = ResponseCache(tmp_path / "responses")
    cache.put("latest", b"[1]", WHEN)
    store = cache._open()

    def refuse(*args, **kwargs):
        raise OSError(code, "simulated")

    monkeypatch.setattr(store, "set", refuse)
    cache.put("latest", b"[2]", WHEN)
    expected = "is full" if code in (errno.ENOSPC, errno.EDQUOT) else "read-only"
    assert cache.warning and expected in cache.warning
    assert cache.get("latest").body == b"[1]"
    assert broken_copies(tmp_path) == []
    cache.close()


def test_read_only_cache_folder_is_still_read(tmp_path, monkeypatch):
    """When the cache cannot even be opened for writing, its lists are read as they are."""
    directory = tmp_path / "responses"
    cache = ResponseCache(directory)
    small, large = b"[1]", b"[" + b" " * 100_000 + b"2]"  # in the database / in a file
    cache.put("daily:2026-08-19", small, WHEN)
    cache.put("month:2026-08", large, WHEN)
    cache.close()

    def refuse(_directory):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(cache_module, "_open_store", refuse)
    again = ResponseCache(directory)
    assert again.get("daily:2026-08-19").body == small
    assert again.get("month:2026-08").body == large
    assert set(again.stored_keys()) == {"daily:2026-08-19", "month:2026-08"}
    again.put("latest", b"[3]", WHEN)  # dropped, never an error
    assert "read-only" in again.warning
    assert directory.is_dir() and broken_copies(tmp_path) == []
    again.close()


def test_cli_list_offline_after_a_full_disk_shows_the_cached_list(
    httpserver, monkeypatch, capsys, sample_days
):
    """The reported sequence: a full disk on refresh, then offline shows the cached list."""
    import diskcache

    httpserver.expect_request("/api/daily_papers").respond_with_json(sample_days[DAY])
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    assert main(["list", "--date", DAY, "--format", "ids"]) == 0
    good_ids = capsys.readouterr().out.split()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(diskcache.Cache, "set", full)
    for _ in range(3):
        main(["list", "--refresh", "--date", DAY, "--format", "ids"])
    err = capsys.readouterr().err
    assert "is full" in err
    assert main(["list", "--offline", "--date", DAY, "--format", "ids"]) == 0
    assert capsys.readouterr().out.split() == good_ids
    cache_root = ResponseCache().directory.parent
    assert not list(cache_root.glob("responses.broken-*"))


def test_only_the_newest_moved_aside_cache_is_kept(tmp_path):
    for stamp in ("20260101T000000000000", "20260201T000000000000", "20260301T000000000000"):
        (tmp_path / f"c.broken-{stamp}").mkdir()
    directory = tmp_path / "c"
    directory.mkdir()
    (directory / "cache.db").write_bytes(b"not a database" * 100)
    cache = ResponseCache(directory)
    assert cache.get("latest") is None and "rebuilt" in cache.warning
    cache.close()
    copies = broken_copies(tmp_path)
    assert len(copies) == 1 and copies[0] > "c.broken-20260301"
    assert remove_old_broken(directory) == []


# --- the library on a read-only folder or a full disk --------------------------------------


def read_only_folder(monkeypatch, folder):
    """What the OS says about a read-only folder (as root, chmod would not be enough)."""
    real = library_schema.os.access

    def access(path, mode, *args, **kwargs):
        if mode & library_schema.os.W_OK and str(path) == str(folder):
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(library_schema.os, "access", access)


def starred_library(path) -> None:
    with Library.open(path) as library:
        library.star(["2601.00001"])


def test_library_in_a_read_only_folder_opens_read_only(tmp_path, monkeypatch, capsys):
    path = tmp_path / "lib.sqlite3"
    starred_library(path)
    read_only_folder(monkeypatch, tmp_path)
    library = Library.open(path)
    assert library.available and not library.writable and not library.damaged
    assert library.starred_ids() == {"2601.00001"}
    assert str(tmp_path) in library.problem and "read-only" in library.problem
    assert "aside" not in library.problem
    with pytest.raises(LibraryUnavailable, match="read-only"):
        library.star(["2601.00002"])
    library.close()


def test_library_on_a_full_disk_opens_read_only_with_plain_words(tmp_path, monkeypatch, capsys):
    path = tmp_path / "lib.sqlite3"
    starred_library(path)

    def full(_connection):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(library_schema, "_migrate", full)
    library = Library.open(path)
    assert library.available and not library.writable and not library.damaged
    assert "disk is full" in library.problem and str(tmp_path) in library.problem
    assert library.starred_ids() == {"2601.00001"}
    library.close()


def test_cli_library_info_gives_no_move_aside_advice_for_a_full_disk(monkeypatch, capsys):
    from papershelf.data import paths

    path = paths.library_file()
    starred_library(path)

    def full(_connection):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(library_schema, "_migrate", full)
    assert main(["library"]) == 0
    out = capsys.readouterr().out
    assert "status: read-only" in out and "disk is full" in out
    assert "aside" not in out and "empty library" not in out


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_cli_star_reports_a_failed_write_with_a_non_zero_exit(monkeypatch, capsys, code):
    def refuse(self, connection, papers, now):
        raise OSError(code, "simulated")

    real_snapshot = Library._snapshot
    monkeypatch.setattr(Library, "_snapshot", refuse)
    assert main(["star", "--offline", "2608.14391", "2608.14290"]) == 1
    out, err = capsys.readouterr()
    assert "starred" not in out and "Traceback" not in err
    assert "could not be saved" in err
    monkeypatch.setattr(Library, "_snapshot", real_snapshot)
    with Library.open() as library:
        assert library.starred_ids() == frozenset()
