"""The export dialog proposes the folder of the last export, in this run and the next."""

from __future__ import annotations

from textual.widgets import Input

from papershelf.tui.app import make_app, state_from_session
from papershelf.tui.screens.export import DEFAULT_PATH, ExportScreen, export_start_path
from tests.tui.support import NOW, StubFeeds, notifications, settle, until
from tests.tui.test_copy_ui import PAPERS, Settings


def reader_with_session():
    app = make_app(feeds=StubFeeds(PAPERS), settings=Settings(), clock=lambda: NOW)
    app.filter_debounce = 0
    app.detail_debounce = 0
    return app


async def proposed_path(app, pilot) -> str:
    await pilot.press("E")
    await until(pilot, lambda: isinstance(app.screen, ExportScreen))
    return app.screen.query_one("#export-path", Input).value


async def test_the_dialog_proposes_the_last_export_folder_after_a_restart(tmp_path):
    folder = tmp_path / "thesis"
    folder.mkdir()
    first = reader_with_session()
    async with first.run_test(notifications=True) as pilot:
        await settle(first, pilot)
        assert await proposed_path(first, pilot) == DEFAULT_PATH
        first.screen.query_one("#export-path", Input).value = str(folder / "refs.bib")
        first.screen.query_one("#scope-filter").value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(first, pilot)
        assert f"Exported 3 papers to {folder / 'refs.bib'}." in notifications(first)
        # Within the run: the next export starts in that folder.
        assert await proposed_path(first, pilot) == str(folder / "papershelf-export.bib")
        await pilot.press("escape")
    second = reader_with_session()  # the session saved on quitting is restored
    async with second.run_test() as pilot:
        await settle(second, pilot)
        assert await proposed_path(second, pilot) == str(folder / "papershelf-export.bib")


def test_a_stored_folder_that_is_gone_or_garbled_is_not_proposed(tmp_path):
    assert export_start_path(str(tmp_path / "gone")) == DEFAULT_PATH
    assert export_start_path(None) == DEFAULT_PATH
    assert state_from_session({"export_folder": "/tmp\x1b]0;PWNED\x07"}).export_folder is None
    assert state_from_session({"export_folder": ["/tmp"]}).export_folder is None
    assert state_from_session({"export_folder": str(tmp_path)}).export_folder == str(tmp_path)
