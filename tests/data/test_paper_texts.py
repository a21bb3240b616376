"""Whole texts and discussions: fetched on request, cached, kept for starred papers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from werkzeug import Response

from papershelf.cli import main
from papershelf.core.errors import NothingCached, RateLimited
from papershelf.data import paths
from papershelf.data.cache import ResponseCache
from papershelf.data.feeds.hub import HubClient
from papershelf.data.library import Library
from papershelf.data.papers.reading_positions import position_of, save_position
from papershelf.data.papers.texts import NoPaperText, PaperTexts

PAPERS = Path(__file__).parents[1] / "fixtures" / "papers"
PAPER_ID = "2604.26654"
MARKDOWN = (PAPERS / "2604.26654_excerpt.md").read_bytes()


async def no_sleep(seconds: float) -> None:
    return None


def texts_for(httpserver, **kwargs) -> PaperTexts:
    hub = HubClient(endpoint=httpserver.url_for("/").rstrip("/"), sleep=no_sleep, **kwargs)
    return PaperTexts(hub)


def serve_markdown(httpserver, body: bytes = MARKDOWN, status: int = 200, headers=None):
    seen = []

    def handler(request):
        seen.append(dict(request.headers))
        return Response(body, status=status, headers=headers or {}, content_type="text/markdown")

    httpserver.expect_request(f"/papers/{PAPER_ID}.md").respond_with_handler(handler)
    return seen


async def test_text_is_fetched_once_then_read_from_the_cache(httpserver):
    seen = serve_markdown(httpserver)
    texts = texts_for(httpserver, token="hf_secret")
    first = await texts.text(PAPER_ID)
    second = await texts.text(PAPER_ID)
    await texts.aclose()
    assert first.source == "live" and second.source == "cached"
    assert first.markdown == second.markdown == MARKDOWN.decode()
    assert len(seen) == 1
    assert seen[0]["Authorization"] == "Bearer hf_secret"
    assert "text/markdown" in seen[0]["Accept"]


async def test_a_text_read_once_is_there_offline(httpserver):
    serve_markdown(httpserver)
    texts = texts_for(httpserver)
    await texts.text(PAPER_ID)
    await texts.aclose()
    again = PaperTexts(HubClient(endpoint="http://127.0.0.1:9"))
    assert (await again.text(PAPER_ID, offline=True)).source == "cached"


async def test_offline_without_a_copy_is_explained():
    texts = PaperTexts(HubClient(endpoint="http://127.0.0.1:9"))
    with pytest.raises(NothingCached, match="never fetched"):
        await texts.text(PAPER_ID, offline=True)


async def test_missing_text_names_the_pdf_and_arxiv_links(httpserver):
    serve_markdown(httpserver, b'{"error":"Paper not found"}', status=404)
    texts = texts_for(httpserver)
    with pytest.raises(NoPaperText) as raised:
        await texts.text(PAPER_ID)
    await texts.aclose()
    message = raised.value.message
    assert "has no text for paper 2604.26654" in message
    assert "https://arxiv.org/pdf/2604.26654" in message
    assert "https://arxiv.org/abs/2604.26654" in message


async def test_rate_limit_is_honoured_and_explained(httpserver):
    seen = serve_markdown(
        httpserver,
        b'{"error":"rate limited"}',
        status=429,
        headers={
            "RateLimit": '"pages";r=0;t=120',
            "RateLimit-Policy": '"fixed window";"pages";q=100;w=300',
        },
    )
    texts = texts_for(httpserver)
    with pytest.raises(RateLimited) as raised:
        await texts.text(PAPER_ID)
    await texts.aclose()
    assert len(seen) == 1  # no retry storm: the wait is longer than the retry budget
    assert raised.value.retry_after == 121
    assert raised.value.message == (
        "The text of paper 2604.26654 is held back by the rate limit, retry in 121 s."
    )


async def test_starred_text_survives_a_wiped_cache(httpserver):
    serve_markdown(httpserver)
    texts = texts_for(httpserver)
    await texts.text(PAPER_ID, keep=True)
    await texts.aclose()
    texts.cache.close()
    shutil.rmtree(paths.cache_dir())
    offline = PaperTexts(HubClient(endpoint="http://127.0.0.1:9"), ResponseCache())
    result = await offline.text(PAPER_ID, offline=True)
    assert result.source == "kept"
    assert result.markdown == MARKDOWN.decode()
    assert (paths.data_dir() / "bodies" / f"{PAPER_ID}.md").is_file()


async def test_discussion_is_cached_and_read_offline(httpserver):
    detail = {"id": PAPER_ID, "title": "T", "comments": [], "numTotalModels": 3}
    httpserver.expect_request(
        f"/api/papers/{PAPER_ID}", query_string="field=comments"
    ).respond_with_json(detail)
    texts = texts_for(httpserver)
    live = await texts.extras(PAPER_ID)
    await texts.aclose()
    assert live.source == "live" and live.payload["numTotalModels"] == 3
    offline = PaperTexts(HubClient(endpoint="http://127.0.0.1:9"))
    cached = await offline.extras(PAPER_ID, offline=True)
    assert cached.source == "cached" and cached.payload == detail


def test_reading_positions_round_trip_and_tolerate_damage():
    assert position_of(PAPER_ID) is None
    assert save_position(PAPER_ID, 42)
    assert position_of(PAPER_ID) == 42
    (paths.data_dir() / "reading_positions.json").write_text("{not json")
    assert position_of(PAPER_ID) is None


def test_cli_read_prints_markdown_and_text(httpserver, monkeypatch, capsys):
    serve_markdown(httpserver)
    monkeypatch.setenv("HF_ENDPOINT", httpserver.url_for("/").rstrip("/"))
    assert main(["read", PAPER_ID]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Title: Evolutionary Feature Selection")
    assert main(["read", PAPER_ID, "--format", "text", "--width", "60", "--offline"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith("Evolutionary Feature Selection")
    assert all(len(line) <= 60 for line in text.splitlines())
    assert "[5] Rumelhart" in text


def test_cli_read_keeps_a_starred_paper(httpserver, monkeypatch, capsys):
    serve_markdown(httpserver)
    monkeypatch.setenv("HF_ENDPOINT", httpserver.url_for("/").rstrip("/"))
    with Library.open() as library:
        library.star([PAPER_ID])
    assert main(["read", PAPER_ID]) == 0
    assert (paths.data_dir() / "bodies" / f"{PAPER_ID}.md").read_bytes() == MARKDOWN


def test_cli_read_errors_go_to_stderr(monkeypatch, capsys):
    assert main(["read", PAPER_ID, "--offline"]) == 3  # nothing cached offline: network exit code
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "never fetched" in captured.err
    assert main(["read", "not-an-id"]) == 2


def test_kept_bodies_refuse_unsafe_names():
    from papershelf.data.papers.kept_bodies import KeptBodies

    kept = KeptBodies()
    assert kept.path_of("../../etc/passwd") is None
    assert not kept.keep("../x", "text")


def test_a_fifo_in_place_of_a_kept_text_or_the_positions_is_never_read(tmp_path):
    """The reader reads these on the event loop: a FIFO there must not hang it."""
    import os
    import threading

    from papershelf.data.papers.kept_bodies import KeptBodies
    from papershelf.data.papers.reading_positions import load_positions

    kept = KeptBodies(tmp_path / "bodies")
    kept.directory.mkdir()
    os.mkfifo(kept.path_of("2401.00001"))
    positions = tmp_path / "reading_positions.json"
    os.mkfifo(positions)
    answers: list[object] = []
    reader = threading.Thread(
        target=lambda: answers.extend([kept.get("2401.00001"), load_positions(positions)]),
        daemon=True,
    )
    reader.start()
    reader.join(timeout=5)
    assert not reader.is_alive(), "a read of a FIFO blocked"
    assert answers == [None, {}]
