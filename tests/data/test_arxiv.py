"""arXiv's own BibTeX: fetched from a local server, cached 30 days, local entry as fallback."""

from __future__ import annotations

import datetime as dt

import pytest

from papershelf.core import cite, cite_keys
from papershelf.core.errors import NotFound, NothingCached, Offline, RateLimited, ServerError
from papershelf.core.model import Author, Paper
from papershelf.data import arxiv
from papershelf.data.cache import ResponseCache

# arXiv writes a trailing space after the title and url lines.
ARXIV_ENTRY = """@misc{vaswani2023attentionneed,
      title={Attention Is All You Need},\x20
      author={Ashish Vaswani and Noam Shazeer},
      year={2023},
      eprint={1706.03762},
      archivePrefix={arXiv},
      primaryClass={cs.CL},
      url={https://arxiv.org/abs/1706.03762},\x20
}"""
NOW = dt.datetime(2026, 8, 21, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def arxiv_server(httpserver, monkeypatch):
    monkeypatch.setenv("ARXIV_ENDPOINT", httpserver.url_for("/").rstrip("/"))
    return httpserver


@pytest.fixture
def cache(tmp_path):
    store = ResponseCache(tmp_path / "cache")
    yield store
    store.close()


def serve_entry(server, paper_id="1706.03762", body=ARXIV_ENTRY):
    server.expect_request(f"/bibtex/{paper_id}").respond_with_data(
        body, content_type="text/plain; charset=utf-8"
    )


async def test_fetches_and_caches_the_entry(arxiv_server, cache):
    """The first call asks arXiv; the second, within 30 days, is served from the cache."""
    serve_entry(arxiv_server)
    first = await arxiv.fetch_bibtex("arXiv:1706.03762v7", cache=cache, clock=lambda: NOW)
    later = NOW + dt.timedelta(days=29)
    second = await arxiv.fetch_bibtex("1706.03762", cache=cache, clock=lambda: later)
    assert first == (ARXIV_ENTRY.strip(), True)
    assert second == first
    assert len(arxiv_server.log) == 1
    assert arxiv_server.log[0][0].headers["User-Agent"].startswith("papershelf/")


async def test_stale_entry_is_fetched_again(arxiv_server, cache):
    cache.put(arxiv.cache_key("1706.03762"), b"@misc{old,\n}", NOW - dt.timedelta(days=31))
    serve_entry(arxiv_server)
    text, exact = await arxiv.fetch_bibtex("1706.03762", cache=cache, clock=lambda: NOW)
    assert exact and "primaryClass={cs.CL}" in text
    assert len(arxiv_server.log) == 1


async def test_stale_entry_beats_a_failing_server(arxiv_server, cache):
    """arXiv's old entry is still arXiv's: better than the local one when arXiv errs."""
    cache.put(arxiv.cache_key("1706.03762"), b"@misc{old,\n}", NOW - dt.timedelta(days=90))
    arxiv_server.expect_request("/bibtex/1706.03762").respond_with_data("oops", status=500)
    text, exact = await arxiv.fetch_bibtex(
        "1706.03762", cache=cache, fallback="@misc{local,}", clock=lambda: NOW
    )
    assert (text, exact) == ("@misc{old,\n}", True)


async def test_offline_uses_any_cached_entry_without_asking(arxiv_server, cache):
    cache.put(arxiv.cache_key("1706.03762"), b"@misc{old,\n}", NOW - dt.timedelta(days=400))
    result = await arxiv.fetch_bibtex("1706.03762", cache=cache, offline=True, clock=lambda: NOW)
    assert result == ("@misc{old,\n}", True)
    assert arxiv_server.log == []


async def test_offline_without_cache_falls_back_or_says_so(arxiv_server, cache):
    local = cite.bibtex(Paper(id="1706.03762", title="Attention Is All You Need"))
    assert await arxiv.fetch_bibtex("1706.03762", cache=cache, offline=True, fallback=local) == (
        local,
        False,
    )
    with pytest.raises(NothingCached):
        await arxiv.fetch_bibtex("1706.03762", cache=cache, offline=True)
    assert arxiv_server.log == []


async def test_unreachable_arxiv_is_offline(cache):
    """ARXIV_ENDPOINT points at a closed port (conftest): Offline, or the fallback."""
    with pytest.raises(Offline):
        await arxiv.fetch_bibtex("1706.03762", cache=cache)
    assert await arxiv.fetch_bibtex("1706.03762", cache=cache, fallback="@misc{x,}") == (
        "@misc{x,}",
        False,
    )


async def test_not_found(arxiv_server, cache):
    arxiv_server.expect_request("/bibtex/2501.99999").respond_with_json(
        {"reason": "not_found"}, status=404
    )
    with pytest.raises(NotFound, match=r"arXiv has no paper 2501\.99999"):
        await arxiv.fetch_bibtex("2501.99999", cache=cache)


async def test_rate_limited(arxiv_server, cache):
    arxiv_server.expect_request("/bibtex/1706.03762").respond_with_data(
        "busy", status=503, headers={"Retry-After": "7"}
    )
    with pytest.raises(RateLimited) as caught:
        await arxiv.fetch_bibtex("1706.03762", cache=cache)
    assert caught.value.retry_after == 7


async def test_answer_that_is_not_bibtex_is_rejected_and_not_cached(arxiv_server, cache):
    serve_entry(arxiv_server, body="<html><body>Captive portal</body></html>")
    with pytest.raises(ServerError):
        await arxiv.fetch_bibtex("1706.03762", cache=cache)
    assert cache.get(arxiv.cache_key("1706.03762")) is None


async def test_control_characters_are_removed(arxiv_server, cache):
    serve_entry(arxiv_server, body="@misc{k,\n title={A\x1b[31mB},\n}")
    text, _ = await arxiv.fetch_bibtex("1706.03762", cache=cache)
    assert text == "@misc{k,\n title={AB},\n}"


async def test_batch_falls_back_per_paper_and_keeps_keys_unique(arxiv_server, cache):
    """One paper known to arXiv, one not: the second gets its local entry; keys stay unique."""
    serve_entry(arxiv_server)
    arxiv_server.expect_request("/bibtex/2501.00001").respond_with_data("", status=404)
    known = Paper(id="1706.03762", title="Attention Is All You Need", authors=(Author("A V"),))
    clash = Paper(
        id="2501.00001",
        title="Attention Is All You Need",
        authors=(Author("Ashish Vaswani"),),
        published=dt.date(2023, 1, 2),
    )
    results = await arxiv.fetch_bibtex_entries([known, clash], cache=cache)
    assert [exact for _, exact in results] == [True, False]
    assert [cite_keys.entry_key(text) for text, _ in results] == [
        "vaswani2023attentionneeda",
        "vaswani2023attentionneedb",
    ]
    assert "primaryClass={cs.CL}" in results[0][0]
    assert "eprint={2501.00001}" in results[1][0]


# --- what arXiv's answer may not do --------------------------------------------------------


def other_host_url(server, path):
    """The same local server under its other name: a different host to the client."""
    url = server.url_for(path)
    return (
        url.replace("localhost", "127.0.0.1")
        if "localhost" in url
        else url.replace("127.0.0.1", "localhost")
    )


async def test_a_redirect_to_another_site_is_not_followed(arxiv_server, cache):
    moved = other_host_url(arxiv_server, "/elsewhere")
    arxiv_server.expect_request("/bibtex/1706.03762").respond_with_data(
        "", status=302, headers={"Location": moved}
    )
    arxiv_server.expect_request("/elsewhere").respond_with_data(ARXIV_ENTRY)
    with pytest.raises(ServerError, match="another site"):
        await arxiv.fetch_bibtex("1706.03762", cache=cache)
    assert [request.path for request, _ in arxiv_server.log] == ["/bibtex/1706.03762"]
    assert cache.get(arxiv.cache_key("1706.03762")) is None


async def test_a_redirect_on_arxivs_own_host_is_followed(arxiv_server, cache):
    arxiv_server.expect_request("/bibtex/1706.03762").respond_with_data(
        "", status=301, headers={"Location": "/bibtex/1706.03762v7"}
    )
    serve_entry(arxiv_server, paper_id="1706.03762v7")
    text, exact = await arxiv.fetch_bibtex("1706.03762", cache=cache)
    assert exact and "vaswani2023attentionneed" in text


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_a_huge_answer_is_refused_and_not_cached(arxiv_server, cache, chunked):
    body = "@misc{x,\n title={" + "A" * (3 * 2**20) + "}}"
    response = iter([body[i : i + 65536] for i in range(0, len(body), 65536)]) if chunked else body
    from werkzeug import Response

    arxiv_server.expect_request("/bibtex/1706.03762").respond_with_response(
        Response(response, content_type="text/plain")
    )
    with pytest.raises(ServerError, match="256 KB"):
        await arxiv.fetch_bibtex("1706.03762", cache=cache)
    assert cache.get(arxiv.cache_key("1706.03762")) is None
    fallback = await arxiv.fetch_bibtex("1706.03762", cache=cache, fallback="@misc{local,}")
    assert fallback == ("@misc{local,}", False)
