"""The installed `papershelf` in a real pseudo-terminal, read back through a terminal emulator.

The reader runs against a local server replaying the bundled sample days, with its own home,
no display and no clipboard program, so a copy must fall back to OSC 52 on the terminal.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from papershelf.core.links import hf_url
from tests.data.hubserver import hub_endpoint, serve_days

pyte = pytest.importorskip("pyte")
ptyprocess = pytest.importorskip("ptyprocess")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

COLUMNS, LINES = 120, 35
"""Wide enough for the list and the detail side by side."""
LIST_COLUMNS = 70
"""The list pane's columns at 120 wide (the detail starts after its border)."""
WAIT_SECONDS = 15.0
"""Longest wait for any one thing to show; the whole test takes a few seconds."""
POLL_SECONDS = 0.05
NEWEST_DAY = "2026-08-21"
DAY_BEFORE = "2026-08-20"


def papershelf_command() -> list[str]:
    """The installed console script, else the module run by this interpreter."""
    beside_python = Path(sys.executable).with_name("papershelf")
    if beside_python.is_file():
        return [str(beside_python)]
    script = shutil.which("papershelf")
    return [script] if script else [sys.executable, "-m", "papershelf"]


class Terminal:
    """A running reader: its pseudo-terminal, the screen it drew and every raw byte it wrote."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = ptyprocess.PtyProcess.spawn(
            papershelf_command(), env=env, dimensions=(LINES, COLUMNS)
        )
        self.screen = pyte.Screen(COLUMNS, LINES)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()

    def pump(self, timeout: float) -> None:
        """Read whatever the reader wrote within `timeout` seconds into the screen."""
        ready, _, _ = select.select([self.process.fd], [], [], timeout)
        if not ready:
            return
        try:
            data = os.read(self.process.fd, 1 << 16)
        except OSError:
            # EIO: the reader exited and the terminal closed.
            return
        self.raw.extend(data)
        self.stream.feed(data)

    def line(self, y: int) -> str:
        return self.screen.display[y]

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        """Poll until `condition()` holds; fail with the screen when it does not in time."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} after {WAIT_SECONDS} s; screen:\n{self.text()}")
            self.pump(POLL_SECONDS)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.process.write(key.encode())

    def wait_for_exit(self) -> int:
        deadline = time.monotonic() + WAIT_SECONDS
        while self.process.isalive():
            if time.monotonic() > deadline:
                raise AssertionError(f"the reader did not quit; screen:\n{self.text()}")
            self.pump(POLL_SECONDS)
        self.process.wait()
        return self.process.exitstatus

    def close(self) -> None:
        if self.process.isalive():
            self.process.terminate(force=True)

    # --- what the screen shows ----------------------------------------------------------------

    def status(self) -> str:
        return self.line(0)

    def loaded_count(self) -> int:
        """How many papers the status line says the list has (`40 papers`, `12 of 40 papers`)."""
        match = re.search(r"(?:\d[\d,]* of )?(\d[\d,]*) papers?\b", self.status())
        return int(match[1].replace(",", "")) if match else 0

    def list_rows(self) -> list[int]:
        """Screen lines holding a paper row (each starts with the upvote arrow)."""
        return [y for y in range(LINES) if self.line(y)[:LIST_COLUMNS].lstrip().startswith("▲")]

    def cursor_row(self) -> int | None:
        """The list line drawn in a background no other row has: the highlighted paper."""
        rows = self.list_rows()
        if len(rows) < 2:
            return rows[0] if rows else None
        backgrounds = {y: self.screen.buffer[y][1].bg for y in rows}
        counts: dict[str, int] = {}
        for background in backgrounds.values():
            counts[background] = counts.get(background, 0) + 1
        odd = [y for y, background in backgrounds.items() if counts[background] == 1]
        return odd[0] if len(odd) == 1 else None

    def cursor_index(self) -> int | None:
        """Position of the highlighted row in the list (0 = first)."""
        row = self.cursor_row()
        return None if row is None else self.list_rows().index(row)

    def cursor_text(self) -> str:
        row = self.cursor_row()
        return "" if row is None else self.line(row)[:LIST_COLUMNS]

    def detail_paper_id(self) -> str | None:
        """The arXiv id the detail pane shows for the highlighted paper."""
        match = re.search(r"arXiv id (\S+)", self.text())
        return match[1] if match else None


@pytest.fixture
def reader_env(tmp_path, httpserver, sample_days) -> dict[str, str]:
    """A home of its own, the replay server, no display and no clipboard program on PATH."""
    serve_days(httpserver, sample_days)
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    return {
        "PAPERSHELF_HOME": str(tmp_path / "papershelf"),
        "HOME": str(tmp_path),
        "HF_ENDPOINT": hub_endpoint(httpserver),
        "ARXIV_ENDPOINT": "http://127.0.0.1:9",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": str(empty_bin),
    }


def start(env: dict[str, str]) -> Terminal:
    return Terminal(env)


def test_read_filter_star_restart_and_copy_in_a_real_terminal(reader_env):
    """Navigate, filter, switch day, star, quit; restart shows the star; `y` sends OSC 52."""
    terminal = start(reader_env)
    try:
        terminal.wait_for(
            lambda: NEWEST_DAY in terminal.status() and terminal.loaded_count() > 2,
            "list of the newest day",
        )
        total = terminal.loaded_count()
        terminal.wait_for(lambda: len(terminal.list_rows()) == total, "every paper drawn")
        terminal.wait_for(lambda: terminal.cursor_index() == 0, "cursor on the first paper")

        terminal.press("j", "j")
        terminal.wait_for(lambda: terminal.cursor_index() == 2, "cursor two rows down (j j)")
        terminal.press("k")
        terminal.wait_for(lambda: terminal.cursor_index() == 1, "cursor one row up (k)")

        terminal.press("/", *"agent", "\r")
        counted = re.compile(rf"(\d+) of {total}\b")
        terminal.wait_for(lambda: counted.search(terminal.text()) is not None, "filter count")
        shown = int(counted.search(terminal.text())[1])
        assert 0 < shown < total
        terminal.wait_for(lambda: len(terminal.list_rows()) == shown, "filtered rows")

        terminal.press("/", "\x1b")
        terminal.wait_for(lambda: len(terminal.list_rows()) == total, "filter cleared")

        first_row_before = terminal.line(terminal.list_rows()[0])
        terminal.press("[")
        terminal.wait_for(lambda: DAY_BEFORE in terminal.status(), "the day before ([)")
        # The status line may be drawn a frame before the rows: wait for the new day's rows.
        terminal.wait_for(
            lambda: (
                terminal.list_rows() and terminal.line(terminal.list_rows()[0]) != first_row_before
            ),
            "the day before's papers drawn",
        )
        terminal.wait_for(lambda: terminal.cursor_index() is not None, "a highlighted paper")
        terminal.press("j")
        terminal.wait_for(lambda: terminal.cursor_index() == 1, "cursor on the second paper")
        starred_title = terminal.cursor_text().split("▲", 1)[1][5:40]

        terminal.press("s")
        terminal.wait_for(lambda: "★" in terminal.cursor_text(), "star marker on the row")
        terminal.press("q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.close()

    terminal = start(reader_env)
    try:
        terminal.wait_for(
            lambda: DAY_BEFORE in terminal.status() and "★" in terminal.cursor_text(),
            "the restored day with the starred paper highlighted",
        )
        assert starred_title in terminal.cursor_text()
        terminal.wait_for(lambda: terminal.detail_paper_id() is not None, "the paper's id")
        paper_id = terminal.detail_paper_id()
        assert paper_id is not None

        terminal.press("y")
        payload = base64.b64encode(hf_url(paper_id).encode()).decode("ascii")
        expected = f"\x1b]52;c;{payload}".encode()
        terminal.wait_for(lambda: expected in terminal.raw, "OSC 52 copy of the paper's URL")
        terminal.press("q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.close()


OSC_TITLE = "\x1b]0;PWNED\x07"
OSC_CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"


def test_hostile_urls_never_reach_the_terminal(tmp_path, httpserver, sample_days):
    """A paper whose URL fields carry OSC 0 (title) and OSC 52 (clipboard) is shown and
    highlighted; the raw bytes the terminal receives hold neither sequence nor its payload."""
    day = max(sample_days)
    entries = json.loads(json.dumps(sample_days[day]))
    hostile = entries[0]["paper"]
    hostile["githubRepo"] = f"https://github.com/evil/repo{OSC_TITLE}{OSC_CLIPBOARD}"
    hostile["projectPage"] = f"https://evil.example/{OSC_CLIPBOARD}\x1b[2J"
    hostile["title"] = f"Hostile {OSC_TITLE}paper\x9d0;C1\x9c"
    hostile["upvotes"] = 10**6  # first in the list, so it is highlighted at start
    serve_days(httpserver, {day: entries}, latest=day)
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    env = {
        "PAPERSHELF_HOME": str(tmp_path / "papershelf"),
        "HOME": str(tmp_path),
        "HF_ENDPOINT": hub_endpoint(httpserver),
        "ARXIV_ENDPOINT": "http://127.0.0.1:9",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": str(empty_bin),
    }
    terminal = start(env)
    try:
        terminal.wait_for(lambda: "Hostile paper" in terminal.text(), "the hostile paper")
        terminal.wait_for(lambda: terminal.detail_paper_id() is not None, "its detail")
        terminal.press("j", "k")  # highlight it again: the detail is drawn once more
        terminal.wait_for(lambda: terminal.cursor_index() == 0, "cursor back on it")
        terminal.pump(0.5)
        terminal.press("q")
        assert terminal.wait_for_exit() == 0
    finally:
        terminal.close()
    raw = bytes(terminal.raw)
    for forbidden in (b"\x1b]0;", b"\x1b]52;", b"PWNED", b"cHduZWQ", b"\xc2\x9d", b"\xc2\x9c"):
        assert forbidden not in raw, forbidden
    assert b"evil" not in raw  # invalid links are left out, not repaired
