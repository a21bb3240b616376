"""Render the README screenshots (SVG) from the bundled sample with the app's own exporter.

Usage: python scripts/screenshots.py [OUTPUT_DIR]   (default: screenshots/)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

FIXED_NOW = dt.datetime(2026, 8, 21, 14, 0, tzinfo=dt.UTC)
SHOTS = {
    "main.svg": (),
    "filtered.svg": ("slash", *"agent", "enter"),
    "help.svg": ("question_mark",),
}
"""File name -> keys pressed before the picture is taken."""


async def settle(app, pilot) -> None:
    for _ in range(20):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in app.workers):
            return


async def shoot(name: str, keys: tuple[str, ...], output: Path) -> None:
    from textual.widgets import Input

    from papershelf.tui.app import make_app

    Input._toggle_cursor = lambda self: None  # a still cursor, like the snapshot tests
    app = make_app(offline=True, restore_session=False, clock=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        if keys:
            await pilot.press(*keys)
            await settle(app, pilot)
        app.save_screenshot(filename=name, path=str(output))


def main() -> int:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots").resolve()
    output.mkdir(parents=True, exist_ok=True)
    # A throw-away home: the screenshots never read or write the user's cache or session.
    with tempfile.TemporaryDirectory() as home:
        os.environ["PAPERSHELF_HOME"] = home
        os.environ["HF_ENDPOINT"] = "http://127.0.0.1:9"
        for name, keys in SHOTS.items():
            asyncio.run(shoot(name, keys, output))
            print(output / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
