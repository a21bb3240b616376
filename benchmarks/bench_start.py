"""Start-up in a real terminal: the reader against a bare Textual app, both in tmux."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from time import perf_counter

from common import (
    CLOSED_ENDPOINT,
    REPO_ROOT,
    TERMINAL_SIZE,
    Figure,
    Plan,
    load_days,
    parse_day,
    replay_hub,
)

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
    with replay_hub(load_days(root), day) as endpoint:
        env["HF_ENDPOINT"] = endpoint
        results = [
            subprocess.run([command, *arguments], env=env, capture_output=True, timeout=120)
            for arguments in (["list"], ["list", "--date", day])
        ]
    if any(result.returncode == 0 for result in results):
        return "cache filled by `papershelf list` from the replayed API"
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
    # Bytecode is written as on a user's machine (the warm-up round compiles it); a shell that
    # says PYTHONDONTWRITEBYTECODE would have every start compile every module again.
    assignments = [f"{name}={value}" for name, value in env.items()]
    shell_command = shlex.join(["env", "-u", "PYTHONDONTWRITEBYTECODE", *assignments, *argv])
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
