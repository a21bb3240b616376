"""Time the reader's list against Textual's stock widgets, and its start in a real terminal.

    uv run python benchmarks/bench_tui.py [--quick] [--json] [--runs N] [--no-terminal]

Figures are medians; see benchmarks/README.md for what each one measures and how.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import inspect
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

from common import (
    REPO_ROOT,
    Figure,
    distinct_papers,
    format_table,
    load_days,
    parse_day,
    scaled,
    shared_root,
)

from papershelf.core.model import Paper

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


# --- the stock widgets ----------------------------------------------------------------------


class StockList:
    """A stock Textual widget holding one row per paper, driven the way a filter would."""

    name = ""

    def widget(self) -> Any:
        raise NotImplementedError

    def show(self, papers: Sequence[Paper]) -> None:
        raise NotImplementedError

    def move(self) -> None:
        self.control.action_cursor_down()

    control: Any = None


class StockOptionList(StockList):
    """`OptionList` with one `Content` prompt per paper (markup never parsed)."""

    name = "OptionList"

    def widget(self) -> Any:
        from textual.widgets import OptionList

        self.control = OptionList()
        return self.control

    def show(self, papers: Sequence[Paper]) -> None:
        from textual.content import Content
        from textual.widgets.option_list import Option

        self.control.set_options(Option(Content(paper.title), id=paper.id) for paper in papers)
        self.control.highlighted = 0 if papers else None


class StockDataTable(StockList):
    """`DataTable` with one fixed-width column of `rich.text.Text` cells."""

    name = "DataTable"

    def widget(self) -> Any:
        from textual.widgets import DataTable

        self.control = DataTable(cursor_type="row")
        self.control.add_column("Title", width=SIZE[0] - 4, key="title")
        return self.control

    def show(self, papers: Sequence[Paper]) -> None:
        from rich.text import Text

        self.control.clear()
        self.control.add_rows([Text(paper.title, no_wrap=True)] for paper in papers)


def plain_filter(papers: Sequence[Paper], texts: dict[str, str], query: str) -> list[Paper]:
    """What a stock-widget filter does: words AND-ed over precomputed lower-case text."""
    words = query.lower().split()
    return [paper for paper in papers if all(word in texts[paper.id] for word in words)]


def search_texts(papers: Sequence[Paper]) -> dict[str, str]:
    """Lower-case title, abstract and authors of each paper (built once, outside the timing)."""
    return {
        paper.id: f"{paper.title}\n{paper.summary}\n{' '.join(paper.author_names)}".lower()
        for paper in papers
    }


async def bench_stock(
    stock: StockList, day: list[Paper], small: list[Paper], large: list[Paper], plan: Plan
) -> list[Figure]:
    """Set the large list, filter both lists, move the highlight — in one headless app."""
    from textual.app import App, ComposeResult

    class StockApp(App[None]):
        def compose(self) -> ComposeResult:
            yield stock.widget()

    label = stock.name
    # No targets: the stock widgets are the yardstick the reader's list is held against.
    set_large = Figure(f"{label}: set {len(large):,} rows", note=f"{plan.slow_runs} runs (slow)")
    filters = {
        len(small): Figure(f"{label}: filter keystroke, {len(small):,}"),
        len(large): Figure(f"{label}: filter keystroke, {len(large):,}"),
    }
    move = Figure(f"{label}: move highlight one row")
    app = StockApp()
    async with app.run_test(size=SIZE) as pilot:
        probe = PaintProbe(app, stock.control)
        stock.control.focus()
        for _ in range(plan.slow_runs):
            await time_to_paint(pilot, probe, lambda: stock.show(day))
            set_large.runs.append(await time_to_paint(pilot, probe, lambda: stock.show(large)))
        for papers in (small, large):
            texts = search_texts(papers)
            before = plain_filter(papers, texts, FILTER_BEFORE)
            figure = filters[len(papers)]
            runs = plan.runs if papers is small else plan.slow_runs
            for _ in range(runs):
                await time_to_paint(pilot, probe, lambda b=before: stock.show(b))

                def keystroke(papers: list[Paper] = papers, texts: dict = texts) -> None:
                    stock.show(plain_filter(papers, texts, FILTER_AFTER))

                figure.runs.append(await time_to_paint(pilot, probe, keystroke))
            shown = len(plain_filter(papers, texts, FILTER_AFTER))
            figure.note = f"{shown:,} rows shown" + ("" if runs == plan.runs else f"; {runs} runs")
        await time_to_paint(pilot, probe, lambda: stock.show(large))
        for _ in range(plan.move_runs):
            move.runs.append(await time_to_paint(pilot, probe, stock.move))
        move.note = f"in {len(large):,} rows"
    return [set_large, *filters.values(), move]


# --- start-up in a real terminal ------------------------------------------------------------

BARE_APP = '''\
"""The smallest Textual app showing one day's titles: the yardstick for start-up time."""
import json
import sys

from textual.app import App
from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

with open(sys.argv[1], encoding="utf-8") as titles_file:
    TITLES = json.load(titles_file)


class BareApp(App):
    def compose(self):
        yield OptionList(*(Option(Content(title)) for title in TITLES))


BareApp().run()
'''


def sample_dates() -> set[str]:
    """The days of the bundled sample (what the reader shows with nothing cached)."""
    from importlib.resources import files

    text = files("papershelf.data.sample").joinpath("daily_papers.jsonl").read_text("utf-8")
    return {json.loads(line)["date"] for line in text.splitlines() if line.strip()}


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def replay_server(root: Path, today: str):
    """Run the recorded-API replay server on a free port; stop it (by its own pid) at the end.

    `today` is the newest day it serves, so "latest" is that day.
    """
    port = free_port()
    script = root / "tools" / "replay_hub.py"
    server = subprocess.Popen(
        [sys.executable, str(script), "--port", str(port), "--today", today],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{endpoint}/api/daily_papers?limit=1", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the replay server did not start") from None
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def reader_command() -> Path:
    """The installed `papershelf` console script of this checkout's environment."""
    candidates = (
        REPO_ROOT / ".venv" / "bin" / "papershelf",
        Path(sys.executable).parent / "papershelf",
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    found = shutil.which("papershelf")
    if found:
        return Path(found)
    raise FileNotFoundError("the papershelf console script is not installed (run `uv sync`)")


def warm_cache(home: Path, root: Path, day: str) -> str:
    """Fill `home`'s response cache the way a user would: `papershelf list` against a server."""
    env = {**os.environ, "PAPERSHELF_HOME": str(home)}
    command = str(reader_command())
    with replay_server(root, day) as endpoint:
        env["HF_ENDPOINT"] = endpoint
        results = [
            subprocess.run([command, *arguments], env=env, capture_output=True, timeout=120)
            for arguments in (["list"], ["list", "--date", day])
        ]
    if any(result.returncode == 0 for result in results):
        return "cache filled by `papershelf list` from the replay server"
    # The list command is missing or broken: write the newest day straight into the cache.
    from papershelf.data.cache import ResponseCache

    previous = os.environ.get("PAPERSHELF_HOME")
    os.environ["PAPERSHELF_HOME"] = str(home)
    try:
        body = json.dumps(load_days(root)[day]).encode()
        cache = ResponseCache()
        cache.put(f"daily:{day}", body)
        cache.put("latest", body)
        cache.close()
    finally:
        if previous is None:
            os.environ.pop("PAPERSHELF_HOME", None)
        else:
            os.environ["PAPERSHELF_HOME"] = previous
    error_lines = results[0].stderr.decode(errors="replace").strip().splitlines()
    reason = error_lines[-1] if error_lines else f"exit {results[0].returncode}"
    return f"cache written through ResponseCache (`papershelf list` failed: {reason})"


class Tmux:
    """A private tmux server (`tmux -L benchPID-N`) for one program; only it is ever killed.

    Each program gets a server of its own, so a server still shutting down never meets the
    next start. `remain-on-exit` keeps a crashed program's last screen for the report.
    """

    def __init__(self, serial: int, config: Path) -> None:
        self.name = f"bench{os.getpid()}-{serial}"
        self.base = ["tmux", "-L", self.name, "-f", str(config)]

    def start(self, shell_command: str) -> None:
        width, height = TERMINAL_SIZE
        size = ["-x", str(width), "-y", str(height)]
        subprocess.run(
            [*self.base, "new-session", "-d", "-s", "bench", *size, shell_command], check=True
        )

    def capture(self) -> str:
        """The visible pane text."""
        result = subprocess.run(
            [*self.base, "capture-pane", "-p", "-t", "bench"], capture_output=True, text=True
        )
        return result.stdout

    def exited(self) -> bool:
        """True when the program in the pane has ended."""
        result = subprocess.run(
            [*self.base, "display-message", "-p", "-t", "bench", "#{pane_dead}"],
            capture_output=True,
            text=True,
        )
        return result.returncode != 0 or result.stdout.strip() == "1"

    def kill(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True)
        # tmux leaves the socket file of a killed server behind; it is ours, so tidy it.
        socket_dir = Path(os.environ.get("TMUX_TMPDIR") or tempfile.gettempdir())
        (socket_dir / f"tmux-{os.getuid()}" / self.name).unlink(missing_ok=True)


TMUX_CONFIG = "set -g remain-on-exit on\nset -g status off\n"
"""No status line (the program gets all 35 rows) and a dead pane stays readable."""


def markers_of(titles: Sequence[str]) -> list[str]:
    """Text that proves titles are on screen: each title's first 20 characters."""
    return [title[:20] for title in titles if len(title) >= 8]


class StartFailed(RuntimeError):
    """A program exited or showed no titles; carries its last screen."""


def time_terminal_start(
    tmux: Tmux, argv: Sequence[str], env: dict[str, str], markers: Sequence[str]
) -> float:
    """Seconds from starting `argv` in a fresh tmux window until two titles show."""
    shell_command = shlex.join(["env", *(f"{name}={value}" for name, value in env.items()), *argv])
    needed = min(2, len(markers))
    start = perf_counter()
    tmux.start(shell_command)
    try:
        deadline = start + 60
        polls = 0
        while True:
            screen = tmux.capture()
            if sum(marker in screen for marker in markers) >= needed:
                return perf_counter() - start
            polls += 1
            if polls % 25 == 0 and tmux.exited():
                raise StartFailed("exited before showing titles", tmux.capture())
            if perf_counter() > deadline:
                raise StartFailed("no titles appeared within 60 s", screen)
            time.sleep(0.01)
    finally:
        tmux.kill()


def failure_reason(error: StartFailed) -> str:
    """One line: what went wrong and the last non-blank line the program left on screen."""
    message, screen = error.args
    lines = [line.strip() for line in screen.splitlines() if line.strip()]
    return f"{message}: {lines[-1]}" if lines else message


def bench_terminal_start(root: Path, days: dict[str, list], plan: Plan) -> list[Figure]:
    """Figure 1: cold process start to the first painted list, the reader vs a bare app."""
    reader = Figure("start to first list paint (tmux): papershelf")
    bare = Figure("start to first list paint (tmux): bare OptionList")
    ratio = Figure("start ratio papershelf / bare", target=1.5, unit="x")
    figures = [reader, bare, ratio]
    if shutil.which("tmux") is None:
        for figure in figures:
            figure.skipped = "tmux is not installed"
        return figures
    try:
        command = reader_command()
    except FileNotFoundError as error:
        for figure in figures:
            figure.skipped = str(error)
        return figures
    # A day the bundled sample lacks: titles on screen then prove the cache was read.
    sample = sample_dates()
    day = max(date for date in days if date not in sample and days[date])
    titles = [paper.title for paper in parse_day(day, days[day])]
    with tempfile.TemporaryDirectory(prefix="papershelf-bench-") as scratch:
        scratch_dir = Path(scratch)
        home = scratch_dir / "home"
        reader.note = warm_cache(home, root, day)
        titles_file = scratch_dir / "titles.json"
        titles_file.write_text(json.dumps(titles), encoding="utf-8")
        bare_script = scratch_dir / "bare_app.py"
        bare_script.write_text(BARE_APP, encoding="utf-8")
        offline = {
            "PAPERSHELF_HOME": str(home),
            "HF_ENDPOINT": CLOSED_ENDPOINT,
            "ARXIV_ENDPOINT": CLOSED_ENDPOINT,
        }
        programs = [
            (reader, [str(command)], offline),
            (bare, [sys.executable, str(bare_script), str(titles_file)], {}),
        ]
        tmux_config = scratch_dir / "tmux.conf"
        tmux_config.write_text(TMUX_CONFIG, encoding="utf-8")
        markers = markers_of(titles)
        serial = 0
        for run in range(plan.terminal_runs + 1):
            for figure, argv, env in programs:
                if figure.skipped:
                    continue
                serial += 1
                try:
                    seconds = time_terminal_start(Tmux(serial, tmux_config), argv, env, markers)
                except StartFailed as error:
                    figure.skipped = failure_reason(error)
                    continue
                if run:  # the first round only warms the disk cache and bytecode
                    figure.runs.append(seconds)
    if reader.skipped or bare.skipped:
        ratio.skipped = "needs both start-up figures"
    else:
        ratio.runs = [reader.median / bare.median]
        ratio.note = "ratio of the two medians"
    bare.note = f"{len(titles)} titles of {day}"
    return figures


# --- the reader's own list ------------------------------------------------------------------


def reader_filter(papers: Sequence[Paper]) -> Callable[[str], tuple[list[Paper], tuple]]:
    """The reader's filter engine over `papers`: query text -> (shown papers, highlight terms).

    The search index is built once per loaded list, as the reader does when a list arrives.
    """
    from papershelf.tui.filtering import SearchIndex, compile_query

    index = SearchIndex(papers)

    def run(text: str) -> tuple[list[Paper], tuple]:
        query = compile_query(text)
        return query.filter(papers, index), tuple(query.highlight_terms)

    return run


async def bench_paper_list(
    day: list[Paper], small: list[Paper], large: list[Paper], plan: Plan
) -> list[Figure]:
    """Figures 2-4 for `PaperList`, mounted alone in a headless app."""
    from textual.app import App, ComposeResult

    from papershelf.tui.widgets.paper_list import PaperList

    class ListApp(App[None]):
        def compose(self) -> ComposeResult:
            yield PaperList()

    set_large = Figure(f"PaperList: set {len(large):,} papers", target=0.3)
    # The filter engine called in-line, no worker: the app figures below hold the targets.
    filters = {
        len(small): Figure(f"PaperList + filter engine in-line, {len(small):,}"),
        len(large): Figure(f"PaperList + filter engine in-line, {len(large):,}"),
    }
    move = Figure("PaperList: move highlight one row", target=0.016)
    app = ListApp()
    async with app.run_test(size=SIZE) as pilot:
        paper_list = app.query_one(PaperList)
        paper_list.focus()
        probe = PaintProbe(app, paper_list)
        for _ in range(plan.runs):
            await time_to_paint(pilot, probe, lambda: paper_list.set_papers(day))
            set_large.runs.append(
                await time_to_paint(pilot, probe, lambda: paper_list.set_papers(large))
            )
        for papers in (small, large):
            run_filter = reader_filter(papers)
            before, before_terms = run_filter(FILTER_BEFORE)
            figure = filters[len(papers)]

            def keystroke(run_filter=run_filter) -> None:
                shown, terms = run_filter(FILTER_AFTER)
                paper_list.set_papers(shown, terms=terms)

            for _ in range(plan.runs):
                await time_to_paint(
                    pilot,
                    probe,
                    lambda b=before, t=before_terms: paper_list.set_papers(b, terms=t),
                )
                figure.runs.append(await time_to_paint(pilot, probe, keystroke))
            figure.note = f"{len(run_filter(FILTER_AFTER)[0]):,} rows shown"
        await time_to_paint(pilot, probe, lambda: paper_list.set_papers(large))
        for _ in range(plan.move_runs):
            move.runs.append(await time_to_paint(pilot, probe, paper_list.action_cursor_down))
        move.note = f"in {len(large):,} rows"
    return [set_large, *filters.values(), move]


# --- the whole reader: day switch, star, starred view ---------------------------------------


def app_factory() -> Callable[..., Any] | None:
    """`papershelf.tui.app.make_app`, or None while the reader has no app yet."""
    try:
        from papershelf.tui.app import make_app
    except ImportError:
        return None
    return make_app


async def wait_until(pilot: Any, condition: Callable[[], bool], what: str) -> None:
    """Set-up helper (never timed): let the app run until `condition` holds."""
    deadline = perf_counter() + PAINT_DEADLINE
    while not condition():
        if perf_counter() > deadline:
            raise TimeoutError(f"the app never {what}")
        await pilot._wait_for_screen()
        await asyncio.sleep(0.005)


def consecutive_days(days: dict[str, list], count: int) -> list[str]:
    """The newest `count` recorded days with no weekday missing between them, oldest first."""
    from papershelf.core.dates import next_weekday

    dates = sorted(days, reverse=True)
    run = [dates[0]]
    for date in dates[1:]:
        if next_weekday(dt_date(date), 1) == dt_date(run[-1]) and days[date]:
            run.append(date)
            if len(run) == count:
                break
        else:
            run = [date]
    return sorted(run)


def dt_date(text: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(text)


def fill_cache(days: dict[str, list], dates: Sequence[str]) -> None:
    """Write the recorded days into the response cache of `PAPERSHELF_HOME`, fetched now."""
    from papershelf.data.cache import ResponseCache

    cache = ResponseCache()
    try:
        for date in dates:
            cache.put(f"daily:{date}", json.dumps(days[date]).encode())
        # The reader opens on the latest list: make that the newest of these days.
        cache.put("latest", json.dumps(days[dates[-1]]).encode())
    finally:
        cache.close()


async def bench_app(
    days: dict[str, list], small: list[Paper], large: list[Paper], plan: Plan
) -> list[Figure]:
    """Figures 3-5 and the library figures, in the real app: offline, cache warm."""
    filters = {
        len(small): Figure(f"app: filter keystroke, {len(small):,}", target=0.03),
        len(large): Figure(f"app: filter keystroke, {len(large):,}", target=0.15),
    }
    move = Figure("app: move highlight one row (list + detail)", target=0.016)
    switch = Figure("app: switch to a cached day", target=0.05)
    star = Figure("app: star a paper until the star shows")
    starred = Figure(f"app: open starred view ({plan.starred:,} starred)", target=0.1)
    figures = [*filters.values(), move, switch, star, starred]
    make_app = app_factory()
    if make_app is None:
        for figure in figures:
            figure.skipped = "papershelf.tui.app.make_app does not exist yet"
        return figures

    cached_days = consecutive_days(days, 4)
    fill_cache(days, cached_days)
    expected_ids = {date: {p.id for p in parse_day(date, days[date])} for date in cached_days}
    starred.skipped = star_in_library(large[: plan.starred])
    app = make_app(restore_session=False)
    # The detail fetch waits for the cursor to rest; keep it out of the frames being timed.
    app.detail_debounce = 3600
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.state.feed is not None, "loaded its first list")
        screen = app.screen
        paper_list = screen.paper_list
        probe = PaintProbe(app, paper_list)

        def showing(date: str) -> Callable[[], bool]:
            return lambda: {paper.id for paper in paper_list.papers} == expected_ids[date]

        # Figure 5: step back and forth between two cached days (each visited once first).
        newest, previous = cached_days[-1], cached_days[-2]
        await wait_until(pilot, showing(newest), f"showed {newest}")
        for step, date in ((-1, previous), (1, newest)):
            screen.action_step_day(step)
            await wait_until(pilot, showing(date), f"showed {date}")
        for run in range(plan.runs * 2):
            step, date = (-1, previous) if run % 2 == 0 else (1, newest)
            switch.runs.append(
                await time_to_paint(
                    pilot, probe, lambda step=step: screen.action_step_day(step), showing(date)
                )
            )
        switch.note = f"{previous} <-> {newest}, {len(expected_ids[previous])} papers"

        # Figure 3: a big list arrives (as a month view would), then one filter keystroke.
        for papers in (small, large):
            await bench_app_filter(pilot, probe, papers, filters[len(papers)], plan.runs)

        # Figure 4 in the app: the list cursor moves and the detail pane shows the paper.
        detail = screen.detail
        for widget in detail.walk_children(with_self=True):
            probe.watch(widget)

        def detail_follows() -> bool:
            paper = paper_list.highlighted_paper
            return paper is not None and getattr(detail.paper, "id", None) == paper.id

        for _ in range(plan.move_runs):
            move.runs.append(
                await time_to_paint(pilot, probe, paper_list.action_cursor_down, detail_follows)
            )
        move.note = f"in {len(paper_list.papers):,} rows"

        # Library figures: measured once the reader has the actions.
        await bench_star(pilot, probe, star, plan.runs)
        await bench_starred_view(pilot, probe, starred, plan.starred, plan.runs)
    return figures


async def bench_app_filter(
    pilot: Any, probe: PaintProbe, papers: list[Paper], figure: Figure, runs: int
) -> None:
    """Load `papers` as the list on screen, then time the keystroke FILTER_BEFORE -> AFTER.

    The filter runs as the reader runs it (its worker, index in a thread, a message back to
    the screen), minus the typing debounce; the first query also builds the search index,
    which is why only the second one is timed.
    """
    from papershelf.core.lists import Feed, FeedState, ListKey, ListKind, Source
    from papershelf.tui.filtering import compile_query
    from papershelf.tui.messages import FeedLoaded

    app = pilot.app
    screen = app.screen
    paper_list = screen.paper_list
    count = len(papers)
    app.state.request += 1
    feed = Feed(ListKey(ListKind.MONTH, "2026-08"), papers, FeedState(Source.CACHED))
    screen.post_message(FeedLoaded(app.state.request, feed))
    await wait_until(pilot, lambda: len(paper_list.papers) == count, "showed the big list")
    before_terms = tuple(compile_query(FILTER_BEFORE).highlight_terms)
    after_terms = tuple(compile_query(FILTER_AFTER).highlight_terms)

    def type_text(text: str) -> None:
        app.state.filter_text = text
        screen.run_filter(immediate=True)

    for _ in range(runs):
        await time_to_paint(
            pilot,
            probe,
            lambda: type_text(FILTER_BEFORE),
            lambda: paper_list.highlight_terms == before_terms,
        )
        figure.runs.append(
            await time_to_paint(
                pilot,
                probe,
                lambda: type_text(FILTER_AFTER),
                lambda: paper_list.highlight_terms == after_terms,
            )
        )
    figure.note = f"{len(paper_list.papers):,} rows shown; worker, no debounce"
    type_text("")
    await wait_until(pilot, lambda: len(paper_list.papers) == count, "cleared the filter")


# --- library figures: skipped with a message until the reader has the actions -----------------

STAR_ACTIONS = ("toggle_star", "star")
STARRED_VIEW_ACTIONS = ("starred_view", "starred", "show_starred", "view_starred")


def star_in_library(papers: Sequence[Paper]) -> str:
    """Star `papers` in the library of `PAPERSHELF_HOME` before the app opens; "" or why not."""
    try:
        from papershelf.data.library import Library
    except ImportError:
        return "the library does not exist yet"
    try:
        with Library.open() as library:
            library.star(papers)
    except Exception as error:  # a library that changed shape must not stop the other figures
        return f"could not star {len(papers):,} papers: {type(error).__name__}: {error}"
    return ""


async def bench_star(pilot: Any, probe: PaintProbe, figure: Figure, runs: int) -> None:
    """Star the highlighted paper; done when its row, redrawn, carries the star marker."""
    screen = pilot.app.screen
    paper_list = screen.paper_list
    action = find_action(screen, *STAR_ACTIONS)
    if action is None:
        figure.skipped = "the reader has no star action (" + "/".join(STAR_ACTIONS) + ")"
        return

    def starred() -> bool:
        paper = paper_list.highlighted_paper
        return paper is not None and "★" in paper_list.row_markers(paper)

    was_starred = starred()
    while len(figure.runs) < runs:
        if starred():  # unstar first, untimed
            await time_to_paint(pilot, probe, action, lambda: not starred())
        figure.runs.append(await time_to_paint(pilot, probe, action, starred))
    if not was_starred:
        # Leave the library as found: the starred-view figure counts on its starred papers.
        await time_to_paint(pilot, probe, action, lambda: not starred())
    await wait_until(pilot, lambda: not pilot.app._pending_writes, "saved the stars")
    figure.note = "action to the row redrawn with ★"


async def bench_starred_view(
    pilot: Any, probe: PaintProbe, figure: Figure, count: int, runs: int
) -> None:
    """Open the starred view over `count` starred papers; done when the list holds them all."""
    if figure.skipped:
        return
    screen = pilot.app.screen
    paper_list = screen.paper_list
    action = find_action(screen, *STARRED_VIEW_ACTIONS)
    if action is None:
        figure.skipped = "the reader has no starred view (" + "/".join(STARRED_VIEW_ACTIONS) + ")"
        return
    library = getattr(pilot.app, "library", None)
    if library is not None:
        count = len(library.starred_ids())  # what the list must hold, whatever ran before

    def showing_starred() -> bool:
        feed = pilot.app.state.feed
        return (
            feed is not None
            and feed.key.kind.value == "starred"
            and len(paper_list.papers) == count
        )

    for _ in range(runs):
        screen.action_daily_view()  # leave the starred view, untimed
        await wait_until(pilot, lambda: not showing_starred(), "left the starred view")
        figure.runs.append(await time_to_paint(pilot, probe, action, showing_starred))
    figure.note = f"action to the list painted with all {count:,} starred papers"


def find_action(screen: Any, *names: str) -> Callable[..., Any] | None:
    """The first `action_<name>` the main screen or the app has, else None."""
    for owner in (screen, screen.app):
        for name in names:
            action = getattr(owner, f"action_{name}", None)
            if action is not None:
                return action
    return None


# --- running it -----------------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small lists, one or two runs")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5; 2 with --quick)")
    parser.add_argument(
        "--no-terminal", action="store_true", help="skip the start-up figure (needs tmux)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    plan = QUICK if arguments.quick else FULL
    if arguments.runs:
        plan = dataclasses.replace(
            plan,
            runs=arguments.runs,
            slow_runs=min(plan.slow_runs, arguments.runs),
            terminal_runs=arguments.runs,
        )
    started = perf_counter()
    root = shared_root()
    days = load_days(root)
    real = distinct_papers(days)
    small, large = scaled(real, plan.small), scaled(real, plan.large)
    newest = max(days)
    day = parse_day(newest, days[newest])
    # Each in-process app gets a fresh, offline home: nothing here may touch the user's files.
    with tempfile.TemporaryDirectory(prefix="papershelf-bench-") as scratch:
        os.environ["PAPERSHELF_HOME"] = str(Path(scratch) / "home")
        os.environ["HF_ENDPOINT"] = CLOSED_ENDPOINT
        os.environ["ARXIV_ENDPOINT"] = CLOSED_ENDPOINT
        figures: list[Figure] = []
        if not arguments.no_terminal:
            figures += bench_terminal_start(root, days, plan)
        figures += asyncio.run(bench_paper_list(day, small, large, plan))
        figures += asyncio.run(bench_app(days, small, large, plan))
        for stock in (StockOptionList(), StockDataTable()):
            figures += asyncio.run(bench_stock(stock, day, small, large, plan))
    elapsed = perf_counter() - started
    if arguments.json:
        report = {
            "textual": textual_version(),
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "quick": arguments.quick,
            "sizes": {"small": plan.small, "large": plan.large},
            "seconds": round(elapsed, 1),
            "figures": [figure.as_record() for figure in figures],
        }
        print(json.dumps(report, indent=2))
    else:
        print(format_table(figures))
        print(
            f"\nTextual {textual_version()}, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs, {plan.small:,}/{plan.large:,} papers, "
            f"{elapsed:.0f} s in all"
        )
    return 0


def textual_version() -> str:
    from importlib.metadata import version

    return version("textual")


if __name__ == "__main__":
    sys.exit(main())
