"""Reads the bundled sample (recorded days of Daily Papers shipped with papershelf)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from typing import Any

from papershelf.core.listing import Feed, FeedState, ListKey, ListKind, Source
from papershelf.core.model import Paper, parse_entries

_SAMPLE_DATE = re.compile(r'^\{"date":\s*"(\d{4}-\d{2}-\d{2})"')


def sample_feed() -> Feed:
    """The bundled sample's newest day, labelled as the sample."""
    lines = _sample_lines()
    if not lines:
        return Feed(ListKey(ListKind.LATEST), [], FeedState(Source.SAMPLE))
    newest = max(lines)
    return _sample_feed(ListKey(ListKind.LATEST), json.loads(lines[newest]))


def sample_day_feed(key: ListKey) -> Feed | None:
    """The bundled sample's list for a DAILY key, labelled as the sample; None for other days."""
    if key.kind is not ListKind.DAILY:
        return None
    line = _sample_lines().get(key.value)
    if line is None:
        return None
    return _sample_feed(key, json.loads(line))


def sample_days() -> list[dt.date]:
    """The days the bundled sample holds, oldest first."""
    return [dt.date.fromisoformat(day) for day in sorted(_sample_lines())]


def sample_papers(paper_id: str) -> list[Paper]:
    """The sample's papers from the days whose text mentions `paper_id` (cheap to ask)."""
    papers: list[Paper] = []
    for day, line in _sample_lines().items():
        if paper_id in line:
            record = json.loads(line)
            papers += parse_entries(record["response"], dt.date.fromisoformat(day)).papers
    return papers


def sample_papers_many(paper_ids: set[str]) -> dict[str, Paper]:
    """The sample's entries of `paper_ids`, by id, reading each sample day once."""
    found: dict[str, Paper] = {}
    for day, line in _sample_lines().items():
        if not paper_ids.difference(found):
            break
        if not paper_ids.intersection(ids_in_json(line)):
            continue
        record = json.loads(line)
        for paper in parse_entries(record["response"], dt.date.fromisoformat(day)).papers:
            if paper.id in paper_ids:
                found.setdefault(paper.id, paper)
    return found


_ID_FIELD = re.compile(r'"id":\s*"([^"]+)"')


def ids_in_json(text: str) -> set[str]:
    """Every `"id": "…"` value in a JSON text: a superset of its papers' ids, found cheaply."""
    return set(_ID_FIELD.findall(text))


def _sample_feed(key: ListKey, record: dict[str, Any]) -> Feed:
    day = dt.date.fromisoformat(record["date"])
    parsed = parse_entries(record["response"], day)
    return Feed(
        key, parsed.papers, FeedState(Source.SAMPLE), skipped=parsed.skipped, resolved_date=day
    )


@functools.cache
def _sample_lines() -> dict[str, str]:
    """The sample's JSON lines by their ISO date, unparsed (each line opens with its date)."""
    from importlib.resources import files

    text = files("papershelf.data.sample").joinpath("daily_papers.jsonl").read_text("utf-8")
    lines: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        match = _SAMPLE_DATE.match(line)
        day = match[1] if match else json.loads(line)["date"]
        lines[day] = line
    return lines
