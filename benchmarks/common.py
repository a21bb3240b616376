"""Shared parts of the benchmarks: the recorded papers, big synthetic lists, timing and tables."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import os
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from papershelf.core.model import Paper, parse_entries

REPO_ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = Path("data") / "hf" / "daily_papers.jsonl.gz"


def shared_root() -> Path:
    """The shared data directory: `PAPERSHELF_SHARED`, else `shared/` beside the repository."""
    env = os.environ.get("PAPERSHELF_SHARED", "").strip()
    candidates = [Path(env).expanduser()] if env else []
    candidates.append(REPO_ROOT.parent / "shared")
    for candidate in candidates:
        if (candidate / ARCHIVE).is_file():
            return candidate
    raise SystemExit(
        "benchmark data not found: set PAPERSHELF_SHARED to the directory holding "
        f"{ARCHIVE} (tried: {', '.join(str(c) for c in candidates)})"
    )


def load_days(root: Path | None = None) -> dict[str, list]:
    """Every recorded listing day: `YYYY-MM-DD` -> the verbatim `/api/daily_papers` response."""
    path = (root or shared_root()) / ARCHIVE
    days: dict[str, list] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            days[record["date"]] = record["response"]
    return days


def parse_day(date: str, response: list) -> list[Paper]:
    """The papers of one recorded day, parsed the way the app parses them."""
    return parse_entries(response, dt.date.fromisoformat(date)).papers


def distinct_papers(days: dict[str, list]) -> list[Paper]:
    """All recorded papers, newest day first, each id once."""
    seen: set[str] = set()
    papers: list[Paper] = []
    for date in sorted(days, reverse=True):
        for paper in parse_day(date, days[date]):
            if paper.id not in seen:
                seen.add(paper.id)
                papers.append(paper)
    return papers


def scaled(papers: Sequence[Paper], count: int) -> list[Paper]:
    """`count` papers: the real ones, then repeats whose ids get a `.N` suffix (ids stay unique)."""
    if not papers:
        raise ValueError("no papers to scale")
    result = list(papers[:count])
    round_number = 1
    while len(result) < count:
        needed = count - len(result)
        result.extend(
            dataclasses.replace(paper, id=f"{paper.id}.{round_number}") for paper in papers[:needed]
        )
        round_number += 1
    return result


@dataclass(slots=True)
class Figure:
    """One benchmark figure: a name, the runs in seconds and the target it is held against."""

    name: str
    runs: list[float] = field(default_factory=list)
    target: float | None = None
    """Upper bound in seconds, or a ratio when `unit` is `x`."""
    unit: str = "s"
    note: str = ""
    skipped: str = ""
    """Why the figure was not measured (the app lacks a feature, a tool is missing)."""

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs else None

    @property
    def verdict(self) -> str:
        if self.skipped:
            return "skipped"
        if self.median is None or self.target is None:
            return ""
        return "ok" if self.median <= self.target else "OVER"

    def as_record(self) -> dict[str, object]:
        return {
            "name": self.name,
            "median": self.median,
            "runs": self.runs,
            "unit": self.unit,
            "target": self.target,
            "verdict": self.verdict,
            "note": self.note,
            "skipped": self.skipped,
        }


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.2f}x"
    if value < 1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def format_table(figures: Iterable[Figure]) -> str:
    """A plain-text table: figure, median, runs, target, verdict, note."""
    header = ("figure", "median", "runs", "target", "", "note")
    rows = [header]
    for figure in figures:
        target = f"<= {format_value(figure.target, figure.unit)}" if figure.target else ""
        note = f"skipped: {figure.skipped}" if figure.skipped else figure.note
        rows.append(
            (
                figure.name,
                format_value(figure.median, figure.unit),
                str(len(figure.runs)) if figure.runs else "-",
                target,
                figure.verdict if figure.verdict != "skipped" else "",
                note,
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(header) - 1)]
    lines = []
    for index, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append(("  ".join([*cells, row[-1]])).rstrip())
        if index == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def timed(function: Callable[[], object]) -> float:
    """Seconds one call of `function` takes (for pure, non-UI work)."""
    from time import perf_counter

    start = perf_counter()
    function()
    return perf_counter() - start
