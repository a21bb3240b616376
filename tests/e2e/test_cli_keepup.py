"""`papershelf digest`, `similar` and `watch`, in-process against a local hub."""

from __future__ import annotations

import datetime as dt
import json

import feedparser
import pytest

from papershelf.cli import keepup, main
from tests.data.hubserver import hub_endpoint, serve_days


@pytest.fixture
def hub(httpserver, sample_days, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    monkeypatch.setattr(
        keepup, "current_time", lambda: dt.datetime(2026, 8, 21, 12, 0, tzinfo=dt.UTC)
    )
    return serve_days(httpserver, sample_days)


def run(capsys, *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    out, err = capsys.readouterr()
    return code, out, err


def test_markdown_digest_groups_by_day_with_links_and_upvotes(hub, sample_days, capsys):
    code, out, err = run(capsys, "digest", "--days", "2")
    assert code == 0
    assert out.startswith("# Hugging Face Daily Papers")
    assert out.index("## Fri 2026-08-21") < out.index("## Thu 2026-08-20")
    assert "https://huggingface.co/papers/" in out and "▲ " in out
    assert "2026-08-19 to 2026-08-21" in err


def test_json_digest_is_one_paper_per_line_within_the_window(hub, sample_days, capsys):
    code, out, _ = run(capsys, "digest", "--since", "2026-08-20", "--format", "json")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert {r["day"] for r in records} == {"2026-08-20", "2026-08-21"}
    expected = len(sample_days["2026-08-20"]) + len(sample_days["2026-08-21"])
    assert len(records) == expected


def test_atom_digest_is_a_valid_feed_with_stable_ids(hub, capsys):
    _, first, _ = run(capsys, "digest", "--days", "2", "--format", "atom")
    _, second, _ = run(capsys, "digest", "--days", "2", "--format", "atom", "--offline")
    feed = feedparser.parse(first)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.entries
    assert all(e.id.startswith("https://huggingface.co/papers/") for e in feed.entries)
    assert [e.id for e in feed.entries] == [e.id for e in feedparser.parse(second).entries]
    assert all(e.title and e.link and e.updated for e in feed.entries)


def test_limit_and_filter(hub, capsys):
    _, out, _ = run(capsys, "digest", "--days", "2", "--format", "json", "--limit", "3")
    assert len(out.splitlines()) == 3
    _, out, _ = run(
        capsys, "digest", "--days", "2", "--format", "json", "--filter", "upvotes:>=1000000"
    )
    assert out == ""


def test_an_empty_digest_exits_zero(capsys, monkeypatch):
    monkeypatch.setattr(
        keepup, "current_time", lambda: dt.datetime(2026, 8, 21, 12, 0, tzinfo=dt.UTC)
    )
    code, out, _ = run(capsys, "digest", "--offline")
    assert code == 0
    assert "No new papers." in out
    code, out, _ = run(capsys, "digest", "--offline", "--format", "atom")
    assert code == 0 and not feedparser.parse(out).bozo and not feedparser.parse(out).entries


def test_watches_from_the_command_line(hub, capsys):
    assert run(capsys, "watch", "add", "everything", "upvotes:>=0")[0] == 0
    assert run(capsys, "watch", "add", "broken", "title:")[0] == 2
    run(capsys, "digest", "--days", "2")
    code, out, _ = run(capsys, "watch", "list")
    name, query, count = out.strip().split("\t")
    assert (name, query) == ("everything", "upvotes:>=0")
    assert int(count.split()[0]) > 0
    code, out, _ = run(capsys, "digest", "--days", "2", "--watch", "EVERYTHING", "--format", "json")
    assert code == 0 and out
    assert run(capsys, "watch", "rm", "everything")[0] == 0
    assert run(capsys, "watch", "rm", "everything")[0] == 2
    assert run(capsys, "digest", "--watch", "everything")[0] == 2


def test_similar_ranks_known_papers(hub, sample_days, capsys):
    code, _, err = run(capsys, "similar", "2608.00001")
    assert code == 2 and "seen no papers" in err
    run(capsys, "digest", "--days", "2")
    _, out, _ = run(capsys, "digest", "--days", "2", "--format", "json")
    first = json.loads(out.splitlines()[0])["id"]
    code, out, _ = run(capsys, "similar", first, "--format", "ids", "--limit", "5")
    assert code == 0
    ids = out.split()
    assert 0 < len(ids) <= 5 and first not in ids
    code, out, _ = run(capsys, "similar", first, "--format", "json", "--limit", "2")
    assert [json.loads(line)["id"] for line in out.splitlines()] == ids[:2]
