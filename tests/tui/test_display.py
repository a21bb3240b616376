"""Pilot tests of how the reader words things: LaTeX titles, counts, edges of the calendar."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, Label, OptionList, Static

from papershelf.core.keymap import help_rows
from papershelf.core.model import Author, Paper
from papershelf.data.clipboard import Clipboard
from papershelf.data.config.schema import Settings
from papershelf.tui.app import PapershelfApp
from papershelf.tui.copier import program_name, shorten_command
from papershelf.tui.dialogs.copy_menu import CopyMenu
from papershelf.tui.dialogs.export import ExportScreen
from papershelf.tui.dialogs.note_editor import NoteEditor
from papershelf.tui.dialogs.register import RegisterScreen
from papershelf.tui.dialogs.tag_editor import TagEditor
from papershelf.tui.display import display_title, readable
from papershelf.tui.widgets.paper_list import PaperList
from papershelf.tui.widgets.status import StatusLine, describe_count
from tests.tui import support
from tests.tui.support import StubFeeds, drain, notices, notifications, settle, until
from tests.tui.test_copy_ui import LLAMA, ready

LATEX_TITLE = r"$\alpha$-NeRF: \textsc{Fast} Prefill \& Decode"
SHOWN_TITLE = "α-NeRF: Fast Prefill & Decode"
LATEX = Paper(
    id="2611.00006",
    title=LATEX_TITLE,
    authors=(Author("Alice Smith"),),
    upvotes=1,
    comments=1,
    published=dt.date(2026, 8, 20),
)


def reader(papers: list[Paper], **settings) -> PapershelfApp:
    return support.reader(feeds=StubFeeds(papers), settings=Settings(**settings))


def row_text(app: PapershelfApp, index: int) -> str:
    paper_list = app.get_default_screen_instance().query_one(PaperList)
    return paper_list.render_line(index - paper_list.scroll_offset.y).text


def shown(app: PapershelfApp, selector: str) -> str:
    return str(app.get_default_screen_instance().query_one(selector, Static).render())


# --- LaTeX reads the same everywhere a title is shown -----------------------------------------


def test_display_title_converts_only_when_asked():
    assert display_title(LATEX) == SHOWN_TITLE
    assert display_title(LATEX, latex=False) == LATEX_TITLE
    assert readable("Plain words, 50% of $200k") == "Plain words, 50% of $200k"


async def test_latex_title_reads_as_unicode_in_rows_detail_and_dialogs():
    app = reader([LATEX, LLAMA])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert SHOWN_TITLE in row_text(app, 0)
        assert shown(app, "#detail-title") == SHOWN_TITLE
        for key, dialog, subject in (
            ("t", TagEditor, "#tag-subject"),
            ("c", CopyMenu, "#copy-menu-subject"),
            ("n", NoteEditor, "#note-subject"),
        ):
            await pilot.press(key)
            await until(pilot, lambda dialog=dialog: isinstance(app.screen, dialog))
            await pilot.pause()
            assert str(app.screen.query_one(subject, Label).render()) == SHOWN_TITLE
            await pilot.press("escape")
            await until(pilot, lambda dialog=dialog: not isinstance(app.screen, dialog))


async def test_latex_stays_raw_when_the_setting_is_off():
    app = reader([LATEX], render_latex=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        assert r"$\alpha$-NeRF: \textsc{Fast}" in row_text(app, 0)
        assert shown(app, "#detail-title") == LATEX_TITLE


# --- counts are worded correctly ------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown_count", "loaded", "text"),
    [
        (0, 0, "0 papers"),
        (1, 1, "1 paper"),
        (17, 17, "17 papers"),
        (3, 17, "3 of 17 papers"),
        (0, 1, "0 of 1 paper"),
        (1200, 1500, "1,200 of 1,500 papers"),
    ],
)
def test_status_count_words(shown_count, loaded, text):
    assert describe_count(shown_count, loaded) == text


async def test_one_paper_one_upvote_one_comment_read_in_the_singular():
    app = reader([LATEX])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(app, pilot)
        status = app.get_default_screen_instance().query_one(StatusLine)
        assert str(status.query_one("#status-count", Static).render()) == "1 paper"
        assert shown(app, "#detail-meta").splitlines()[0] == "▲ 1 upvote · 1 comment"


# --- help and toasts ------------------------------------------------------------------------


def test_help_names_the_palette_like_every_other_key():
    rows = {
        binding_id: description
        for _title, section in help_rows()
        for _keys, description, binding_id in section
    }
    assert rows["command_palette"] == "Command palette"
    lower = [d for d in rows.values() if d and not d[:1].isupper() and not d.startswith("arXiv")]
    assert lower == []


def test_a_clipboard_command_is_named_by_its_program():
    assert program_name("/usr/local/bin/wl-copy --type text/plain") == "wl-copy"
    assert program_name("'my copy' -x") == "my copy"
    clipboard = Clipboard("command", "/usr/bin/xclip -selection clipboard")
    message = "Copied BibTeX for 1 paper (command /usr/bin/xclip -selection clipboard)"
    assert shorten_command(message, clipboard) == "Copied BibTeX for 1 paper (xclip)"


async def test_copy_toast_names_the_clipboard_program_only():
    command = f"{sys.executable} -c 'import sys; sys.stdin.read()'"
    app = reader([LATEX], clipboard="command", clipboard_command=command)
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("y")
        await until(pilot, lambda: bool(notifications(app)))
    program = Path(sys.executable).name
    assert notifications(app) == [f"Copied Hugging Face URL for 1 paper ({program})"]


async def test_register_entries_stay_on_one_line_at_80_columns():
    app = reader([LATEX])
    app.services.copier.clipboard.system_copy = lambda text: None
    async with app.run_test(size=(80, 30)) as pilot:
        await ready(app, pilot)
        await pilot.press("b", "B")
        await settle(app, pilot)
        await pilot.press("quotation_mark")
        await until(pilot, lambda: isinstance(app.screen, RegisterScreen))
        await pilot.pause()
        entries = app.screen.query_one("#register-entries", OptionList)
        assert entries.option_count == 2
        assert entries.virtual_size.height == 2  # one line each, ellipsised


# --- the newest day, week and month ---------------------------------------------------------


@pytest.mark.parametrize(
    ("view_key", "step_key", "message"),
    [
        (None, "right_square_bracket", "Already at the newest day."),
        (None, "right_curly_bracket", "Already at the newest day."),
        ("w", "right_curly_bracket", "Already at the newest week."),
        ("m", "right_curly_bracket", "Already at the newest month."),
    ],
)
async def test_stepping_past_the_newest_list_is_a_calm_note(hub, view_key, step_key, message):
    app = support.reader()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await drain(app, pilot)
        if view_key:
            await pilot.press(view_key)
            await drain(app, pilot)
        request = app.main.state.request
        await pilot.press(step_key)
        await drain(app, pilot)
        assert app.main.state.request == request  # nothing was asked of the network
    titles = [(title, text) for title, text in notices(app) if text == message]
    assert titles == [("Nothing newer", message)]
    assert all(title != "Invalid input" for title, _text in notices(app))


# --- export paths ---------------------------------------------------------------------------


async def _open_export(app: PapershelfApp, pilot, path_text: str) -> None:
    await pilot.press("E")
    await until(pilot, lambda: isinstance(app.screen, ExportScreen))
    app.screen.query_one("#export-path", Input).value = path_text
    app.screen.query_one("#scope-filter").value = True
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_export_expands_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = reader([LATEX, LLAMA])
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await _open_export(app, pilot, "~/refs.bib")
        await until(pilot, lambda: (tmp_path / "refs.bib").exists() and bool(notifications(app)))
    assert (tmp_path / "refs.bib").read_text("utf-8").count("@misc{") == 2
    assert not (tmp_path / "~").exists()


async def test_export_to_a_folder_says_so_in_the_dialog(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    app = reader([LATEX])
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await _open_export(app, pilot, str(folder))
        assert isinstance(app.screen, ExportScreen)
        error = str(app.screen.query_one("#export-error", Label).render())
        assert error.startswith(f"{folder} is a folder; type a file name")
        await pilot.press("escape")
        await settle(app, pilot)
    assert list(folder.iterdir()) == []
