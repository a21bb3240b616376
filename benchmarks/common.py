"""Shared parts of the benchmarks: the recorded papers, big synthetic lists, timing and tables."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import gzip
import inspect
import json
import logging
import os
import statistics
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

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


@contextmanager
def replay_hub(days: Mapping[str, list], latest: str) -> Iterator[str]:
    """Serve recorded days as the Papers API on a free local port; yield its base URL.

    The same replay the tests use (`tests/data/hubserver.py` on pytest-httpserver), run in a
    thread of this process, so a `papershelf` started as a subprocess can fill its cache from
    it; `latest` is the newest day served (and the server's today). Stopped on exit.
    """
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))  # `tests` is a package of this checkout
    from pytest_httpserver import HTTPServer

    from tests.data.hubserver import hub_endpoint, serve_days

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request on stderr
    server = HTTPServer(host="127.0.0.1", threaded=True)
    server.start()
    try:
        serve_days(server, days, latest=latest, today=dt.date.fromisoformat(latest))
        yield hub_endpoint(server)
    finally:
        server.clear()
        server.stop()


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


SIZE = (120, 40)
"""Headless screen size for every in-process measurement."""
TERMINAL_SIZE = (120, 35)
"""tmux window size for the start-up measurement."""
FILTER_BEFORE, FILTER_AFTER = "languag", "language"
"""The filter keystroke: the list shows matches of the first text, the key makes the second."""
PAINT_DEADLINE = 60.0
"""Seconds to wait for a repaint before giving up on a measurement."""
CLOSED_ENDPOINT = "http://127.0.0.1:9"
"""Nothing listens on port 9 (discard): every request fails at once, like being offline."""


@dataclass(slots=True)
class Plan:
    """Sizes and repetition counts of one benchmark run."""

    small: int
    large: int
    runs: int
    slow_runs: int
    """Runs of the slow stock-widget figures (setting the large list)."""
    move_runs: int
    terminal_runs: int
    starred: int


FULL = Plan(
    small=10_000, large=100_000, runs=5, slow_runs=3, move_runs=21, terminal_runs=5, starred=5_000
)
QUICK = Plan(
    small=1_000, large=5_000, runs=2, slow_runs=1, move_runs=5, terminal_runs=1, starred=200
)


# --- knowing when a widget's change is on screen -------------------------------------------


class PaintProbe:
    """Notes when a frame holding freshly drawn lines of the watched widgets is complete.

    The compositor calls `widget.render_lines` while it builds a frame and the app calls
    `post_display_hook` once the frame is done (headless too, only the terminal write is
    skipped). A frame counts when the widget drew lines in it and, if a `condition` is set,
    the condition holds when the frame is done (e.g. "the list holds the new day").
    """

    def __init__(self, app: Any, *widgets: Any) -> None:
        self.drew = False
        self.frame_at: float | None = None
        self.condition: Callable[[], bool] | None = None
        for widget in widgets:
            self.watch(widget)
        display_hook = app.post_display_hook

        def probed_display_hook() -> None:
            if self.drew and self.frame_at is None and (self.condition is None or self.condition()):
                self.frame_at = perf_counter()
            self.drew = False
            display_hook()

        app.post_display_hook = probed_display_hook

    def watch(self, widget: Any) -> None:
        """Count lines drawn by `widget` too."""
        render_lines = widget.render_lines

        def probed_render_lines(crop: Any) -> Any:
            self.drew = True
            return render_lines(crop)

        widget.render_lines = probed_render_lines

    def arm(self, condition: Callable[[], bool] | None = None) -> None:
        self.drew = False
        self.frame_at = None
        self.condition = condition


async def until_painted(pilot: Any, probe: PaintProbe) -> float:
    """Drain the message queues and force a frame until the probed widget is on it.

    Textual paints at most 60 times a second from a timer; forcing the frame as soon as the
    queues are empty (what `Pilot.pause` does after its 20 ms idle wait) leaves the timer's
    wait out, so the figure is the work, not the frame clock.
    """
    deadline = perf_counter() + PAINT_DEADLINE
    spins = 0
    while probe.frame_at is None:
        await pilot._wait_for_screen()
        if probe.frame_at is None:
            pilot.app.screen._on_timer_update()
        if probe.frame_at is not None:
            break
        if perf_counter() > deadline:
            raise TimeoutError("the widget never repainted")
        spins += 1
        # A thread worker may still be computing: after a few quick turns, yield the GIL for a
        # while. The reader idles in epoll while its worker reads; a probe that keeps spinning
        # would steal the GIL from that worker and time itself (a 5,000-paper library read took
        # 3x as long under a 1 ms poll). 2 ms is the figure's resolution once it waits on a thread.
        await asyncio.sleep(0 if spins < 5 else 0.002)
    return probe.frame_at


async def time_to_paint(
    pilot: Any,
    probe: PaintProbe,
    action: Callable[[], Any],
    done: Callable[[], bool] | None = None,
) -> float:
    """Seconds from calling `action` until its effect (`done`, if given) is on a finished frame."""
    await settle(pilot)
    probe.arm(done)
    start = perf_counter()
    result = action()
    if inspect.isawaitable(result):
        await result
    return await until_painted(pilot, probe) - start


async def settle(pilot: Any) -> None:
    """Let pending work finish and paint, so the next measurement starts from rest."""
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()
    await pilot._wait_for_screen()


async def wait_until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    """Set-up helper (never timed): let the app run until `condition` holds."""
    deadline = perf_counter() + PAINT_DEADLINE
    while not condition():
        if perf_counter() > deadline:
            raise TimeoutError(f"the app never {what}")
        await pilot._wait_for_screen()
        await asyncio.sleep(0.005)
