"""Render the README screenshots (SVG) from the bundled sample with the app's own exporter.

Usage: python scripts/screenshots.py [OUTPUT_DIR]   (default: screenshots/)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

FIXED_NOW = dt.datetime(2026, 8, 21, 14, 0, tzinfo=dt.UTC)
"""The clock every picture is taken at: the bundled sample's newest day."""

CLOSED_ENDPOINT = "http://127.0.0.1:9"
"""Nothing listens on the discard port, so any stray request fails at once."""

TITLE = "papershelf"
"""The title drawn on the window frame of every SVG."""

WIDE = (120, 35)
NARROW = (80, 24)

STARRED = (2, 0, 5)
"""Sample papers (by position, newest day, most upvoted first) starred, last starred first."""

TAGS: dict[int, tuple[str, ...]] = {
    0: ("agents", "reinforcement-learning"),
    2: ("agents", "benchmarks"),
    5: ("benchmarks",),
    16: ("benchmarks",),
}
"""Sample papers (by position) and their tags; the first paper keeps exactly two."""

READ = (0, 3, 6)
"""Sample papers (by position) already read, so unread markers show on the others only."""


@dataclass(frozen=True, slots=True)
class Shot:
    """One picture: its file, the terminal size, the theme and the keys pressed before it."""

    name: str
    keys: tuple[str, ...] = ()
    size: tuple[int, int] = WIDE
    theme: str = "textual-dark"


SHOTS = (
    Shot("main.svg"),
    Shot("narrow.svg", size=NARROW),
    Shot("filtered.svg", ("slash", *"bench", "enter")),
    # The paper under the cursor has two tags; "ben" shows "benchmarks" as the completion.
    Shot("tag-editor.svg", ("t", *"ben")),
    Shot("copy-menu.svg", ("c",)),
    Shot("help.svg", ("question_mark",)),
    Shot("theme-light.svg", theme="textual-light"),
    Shot("theme-terminal.svg", theme="terminal"),
    # The starred list keeps the paper the cursor was on; `g` shows the newest star on top.
    Shot("starred.svg", ("L", "g")),
)


def prepare_library() -> None:
    """Star, tag and mark read a few sample papers in the (throw-away) library."""
    from papershelf.data.feeds.sample import sample_feed
    from papershelf.data.library import Library

    papers = sample_feed().papers
    library = Library.open()
    try:
        # One call per paper, oldest first, so "most recently starred first" has an order.
        for position in reversed(STARRED):
            library.star([papers[position]])
        for position, tags in TAGS.items():
            library.add_tags([papers[position]], tags)
        library.mark_read([papers[position] for position in READ])
    finally:
        library.close()


async def settle(app, pilot) -> None:
    """Wait until debounce timers have fired and every worker (loads, details) is done."""
    for _ in range(20):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            break
    # The filter and detail debounces are timers, not workers: let them fire, then settle again.
    await pilot.pause(max(app.services.filter_debounce, app.services.detail_debounce) + 0.1)
    for _ in range(20):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return


async def shoot(shot: Shot, output: Path) -> None:
    from textual.widgets import Input

    from papershelf.data.config.schema import Settings
    from papershelf.tui.app import make_app

    Input._toggle_cursor = lambda self: None  # a still cursor, like the snapshot tests
    # A negative delay never marks the highlighted paper read, so every picture shows one state.
    settings = Settings(theme=shot.theme, read_after_seconds=-1)
    app = make_app(settings=settings, offline=True, restore_session=False, clock=lambda: FIXED_NOW)
    async with app.run_test(size=shot.size) as pilot:
        await settle(app, pilot)
        if shot.keys:
            await pilot.press(*shot.keys)
            await settle(app, pilot)
        if app.theme != shot.theme:
            raise RuntimeError(f"{shot.name}: theme {app.theme!r}, not {shot.theme!r}")
        svg = app.export_screenshot(title=TITLE)
    (output / shot.name).write_text(svg, encoding="utf-8")


def main() -> int:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots").resolve()
    output.mkdir(parents=True, exist_ok=True)
    # A throw-away home: the screenshots never read or write the user's cache or session.
    with tempfile.TemporaryDirectory() as home:
        os.environ["PAPERSHELF_HOME"] = home
        os.environ["HF_ENDPOINT"] = CLOSED_ENDPOINT
        os.environ["ARXIV_ENDPOINT"] = CLOSED_ENDPOINT
        prepare_library()
        for shot in SHOTS:
            asyncio.run(shoot(shot, output))
            print(output / shot.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
