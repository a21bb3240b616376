"""Snapshots of the reader's key screens, built from the bundled sample (label `sample`)."""

from __future__ import annotations

from pathlib import Path

from tests.tui.support import settled

SNAPSHOT_APP = Path(__file__).parent / "snapshot_app.py"


def test_main_screen_wide(snap_compare):
    """120x35: status line, list and detail side by side, the first paper highlighted."""
    assert snap_compare(SNAPSHOT_APP, terminal_size=(120, 35), run_before=settled)


def test_main_screen_narrow_stacked(snap_compare):
    """80x24: the list above the detail."""
    assert snap_compare(SNAPSHOT_APP, terminal_size=(80, 24), run_before=settled)


def test_help_screen(snap_compare):
    """The help modal lists every binding with its id."""

    async def open_help(pilot) -> None:
        await settled(pilot)
        await pilot.press("question_mark")
        await settled(pilot)

    assert snap_compare(SNAPSHOT_APP, terminal_size=(120, 35), run_before=open_help)


def test_filtered_list(snap_compare):
    """Typing `agent` narrows the list, highlights the word and updates the counts."""

    async def filter_agent(pilot) -> None:
        await settled(pilot)
        await pilot.press("slash", *"agent", "enter")
        await settled(pilot)

    assert snap_compare(SNAPSHOT_APP, terminal_size=(120, 35), run_before=filter_agent)
