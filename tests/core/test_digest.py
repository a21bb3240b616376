"""The digest's formats escape what papers say: Markdown, JSON Lines, Atom."""

from __future__ import annotations

import datetime as dt
import json

import feedparser

from papershelf.core.digest import group_by_day, markdown_text, to_atom, to_json_lines, to_markdown
from papershelf.core.model import Author, Paper

DAY = dt.date(2026, 8, 21)
HOSTILE = Paper(
    id="2608.00001",
    title="# GPT-[n] *bold* <script>alert(1)</script> & $x$ \x1b[31mred",
    authors=(Author("Ada <Lovelace> & co"),),
    daily_date=DAY,
    upvotes=5,
    ai_summary="1. not a list ](javascript:alert(1)) ![img](x)",
    keywords=("a&b", "<kw>"),
)


def test_markdown_keeps_untrusted_text_literal():
    out = to_markdown(group_by_day([HOSTILE]), "Digest")
    line = next(x for x in out.splitlines() if "GPT" in x)
    assert "\x1b" not in out
    assert r"\# GPT\-" not in line  # inside the link text, '#' needs no escape
    assert r"\[n\]" in line and r"\*bold\*" in line and r"\<script\>" in line
    summary = next(x for x in out.splitlines() if "not a list" in x)
    assert summary.startswith(r"  1\. not a list \](javascript:alert(1)) \!\[img\](x)")
    assert markdown_text("- item") == r"\- item"


def test_json_lines_round_trip():
    line = to_json_lines(group_by_day([HOSTILE]))
    record = json.loads(line)
    assert record["day"] == "2026-08-21" and record["id"] == HOSTILE.id


def test_atom_escapes_and_parses():
    text = to_atom(group_by_day([HOSTILE]), "A & B <feed>", dt.datetime(2026, 8, 21, tzinfo=dt.UTC))
    assert "\x1b" not in text
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "A & B <feed>"
    entry = feed.entries[0]
    assert entry.id == "https://huggingface.co/papers/2608.00001"
    assert "<script>" in entry.title  # text, not markup
    assert entry.updated == "2026-08-21T00:00:00Z"
    assert {t.term for t in entry.tags} == {"a&b", "<kw>"}


def test_grouping_is_newest_day_first_and_limited():
    papers = [
        Paper(
            id=f"2608.0000{n}", title=f"P{n}", daily_date=DAY - dt.timedelta(days=n % 2), upvotes=n
        )
        for n in range(1, 7)
    ]
    days = group_by_day(papers, limit=4)
    assert [d.day for d in days] == [DAY, DAY - dt.timedelta(days=1)]
    assert [p.upvotes for p in days[0].papers] == [6, 4, 2]
    assert sum(len(d.papers) for d in days) == 4
    assert group_by_day([]) == [] and "No new papers." in to_markdown([], "x")
