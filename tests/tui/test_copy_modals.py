"""The copy menu, export dialog and copy register, each driven in a tiny host app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, RadioSet, Select, TextArea

from papershelf.core.cite import COPY_FORMATS
from papershelf.tui.dialogs.copy_menu import CopyMenu
from papershelf.tui.dialogs.export import DEFAULT_PATH, ExportRequest, ExportScreen
from papershelf.tui.dialogs.register import RegisterScreen

_UNSET = object()


class Host(App[None]):
    """Pushes one modal on mount and keeps what it dismissed with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.modal = screen
        self.result: Any = _UNSET

    def on_mount(self) -> None:
        self.push_screen(self.modal, callback=self._done)

    def _done(self, value: Any) -> None:
        self.result = value


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


# --- copy menu ----------------------------------------------------------------------------


@pytest.mark.parametrize("choice", COPY_FORMATS, ids=lambda c: c.id)
async def test_copy_menu_key_dismisses_with_format(choice):
    """Each format's own key picks it, upper-case keys included."""
    app = Host(CopyMenu("A paper"))
    async with app.run_test() as pilot:
        await _settle(pilot)
        await pilot.press(choice.key)
        await _settle(pilot)
    assert app.result == choice.id


def test_copy_menu_keys_are_unique():
    """No two formats share a key."""
    keys = [choice.key for choice in COPY_FORMATS]
    assert len(keys) == len(set(keys))


async def test_copy_menu_entries_are_the_format_table():
    """The menu shows exactly `core.cite.COPY_FORMATS`: same ids, keys and names, same order."""
    app = Host(CopyMenu())
    async with app.run_test() as pilot:
        await _settle(pilot)
        options = app.screen.query_one(OptionList)
        shown = [
            (option.id, str(option.prompt))
            for option in (options.get_option_at_index(i) for i in range(options.option_count))
        ]
        keys = {
            binding.key: binding.action
            for binding in type(app.screen).BINDINGS
            if binding.action.startswith("choose(")
        }
    assert shown == [(spec.id, f" {spec.key}  {spec.label}") for spec in COPY_FORMATS]
    assert keys == {spec.key: f"choose('{spec.id}')" for spec in COPY_FORMATS}


async def test_copy_menu_arrows_and_enter():
    """Arrows move through the list and Enter picks the highlighted format."""
    app = Host(CopyMenu())
    async with app.run_test() as pilot:
        await _settle(pilot)
        await pilot.press("down", "down", "down", "enter")
        await _settle(pilot)
    assert app.result == COPY_FORMATS[3].id


async def test_copy_menu_escape_cancels():
    """Esc closes the menu without a format."""
    app = Host(CopyMenu())
    async with app.run_test() as pilot:
        await _settle(pilot)
        await pilot.press("escape")
        await _settle(pilot)
    assert app.result is None


async def test_copy_menu_subject_is_literal():
    """A hostile title in the subject line is shown as text, never parsed as markup."""
    hostile = "[/b] [Re] Attention [@click=app.quit]x[/]"
    app = Host(CopyMenu(hostile))
    async with app.run_test() as pilot:
        await _settle(pilot)
        label = app.screen.query_one("#copy-menu-subject", Label)
        assert str(label.render()) == hostile
        assert app.screen.query_one(OptionList).option_count == len(COPY_FORMATS)


# --- export dialog -------------------------------------------------------------------------


COUNTS = {"starred": 4, "selection": 0, "filter": 12}


async def test_export_defaults_submit_with_enter(tmp_path):
    """The first non-empty scope and BibTeX are preselected; Enter in the path exports."""
    app = Host(ExportScreen(COUNTS, tags=["llm", "vision"]))
    async with app.run_test() as pilot:
        await _settle(pilot)
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value == DEFAULT_PATH
        path_input.value = str(tmp_path / "out.bib")
        path_input.focus()
        await pilot.press("enter")
        await _settle(pilot)
    assert app.result == ExportRequest(scope="starred", fmt="bibtex", path=tmp_path / "out.bib")


async def test_export_expands_home(monkeypatch, tmp_path):
    """`~` in the path means the user's home directory."""
    monkeypatch.setenv("HOME", str(tmp_path))
    app = Host(ExportScreen(COUNTS))
    async with app.run_test() as pilot:
        await _settle(pilot)
        await pilot.press("ctrl+s")
        await _settle(pilot)
    assert isinstance(app.result, ExportRequest)
    assert app.result.path == tmp_path / "papershelf-export.bib"


async def test_export_format_changes_proposed_extension():
    """Choosing RIS turns the proposed `.bib` into `.ris` while the user has not typed."""
    app = Host(ExportScreen(COUNTS))
    async with app.run_test() as pilot:
        await _settle(pilot)
        app.screen.query_one("#format-ris").value = True
        await _settle(pilot)
        assert app.screen.query_one("#export-path", Input).value == "~/papershelf-export.ris"
        app.screen.query_one("#format-csl-json").value = True
        await _settle(pilot)
        assert app.screen.query_one("#export-path", Input).value == "~/papershelf-export.json"
        await pilot.press("ctrl+s")
        await _settle(pilot)
    assert app.result.fmt == "csl-json"


async def test_export_typed_path_is_kept_when_format_changes(tmp_path):
    """A path the user typed is never rewritten."""
    app = Host(ExportScreen(COUNTS))
    async with app.run_test() as pilot:
        await _settle(pilot)
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "mine.txt")
        app.screen.query_one("#format-card").value = True
        await _settle(pilot)
        assert app.screen.query_one("#export-path", Input).value == str(tmp_path / "mine.txt")
        await pilot.press("ctrl+s")
        await _settle(pilot)
    assert app.result == ExportRequest(scope="starred", fmt="card", path=tmp_path / "mine.txt")


async def test_export_by_keyboard_picks_filter_scope(tmp_path):
    """Arrows and Enter in the scope list choose "the papers shown"; empty scopes are skipped."""
    app = Host(ExportScreen(COUNTS, scope="starred"))
    async with app.run_test() as pilot:
        await _settle(pilot)
        assert app.screen.query_one("#scope-selection").disabled
        assert isinstance(app.focused, RadioSet)
        await pilot.press("down", "enter")
        await _settle(pilot)
        await pilot.press("ctrl+s")
        await _settle(pilot)
    assert app.result.scope == "filter"


async def test_export_tag_scope_uses_chosen_tag():
    """The tag scope enables the tag picker and the request carries the tag."""
    app = Host(ExportScreen(COUNTS, tags=["llm", "vision"], scope="tag"))
    async with app.run_test() as pilot:
        await _settle(pilot)
        tag_select = app.screen.query_one("#export-tag", Select)
        assert tag_select.display
        tag_select.value = "vision"
        await pilot.press("ctrl+s")
        await _settle(pilot)
    assert app.result.scope == "tag"
    assert app.result.tag == "vision"


async def test_export_empty_path_is_refused():
    """Without a path the dialog stays open and says what is missing."""
    app = Host(ExportScreen(COUNTS))
    async with app.run_test() as pilot:
        await _settle(pilot)
        app.screen.query_one("#export-path", Input).value = "  "
        await pilot.press("ctrl+s")
        await _settle(pilot)
        assert app.result is _UNSET
        assert "file" in str(app.screen.query_one("#export-error", Label).render())
        await pilot.press("escape")
        await _settle(pilot)
    assert app.result is None


# --- register ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    what: str
    text: str
    when: dt.datetime


ENTRIES = [
    Entry(
        "BibTeX", "@misc{vaswani2023attention,\n  title={{Attention}}\n}", dt.datetime(2026, 1, 2)
    ),
    Entry("HF URL", "https://huggingface.co/papers/1706.03762", dt.datetime(2026, 1, 1)),
]


async def test_register_shows_newest_and_follows_highlight():
    """The newest copy is shown first, read-only; moving down shows the older one."""
    app = Host(RegisterScreen(ENTRIES))
    async with app.run_test() as pilot:
        await _settle(pilot)
        text_area = app.screen.query_one(TextArea)
        assert text_area.read_only
        assert text_area.text == ENTRIES[0].text
        await pilot.press("down")
        await _settle(pilot)
        assert text_area.text == ENTRIES[1].text
        await pilot.press("escape")
        await _settle(pilot)
    assert app.result is None


async def test_register_enter_copies_again():
    """Enter on an entry dismisses with its text."""
    app = Host(RegisterScreen(ENTRIES))
    async with app.run_test() as pilot:
        await _settle(pilot)
        await pilot.press("down", "enter")
        await _settle(pilot)
    assert app.result == ENTRIES[1].text


async def test_register_text_can_be_selected():
    """The text area allows selecting (the last resort when no clipboard works)."""
    app = Host(RegisterScreen(ENTRIES))
    async with app.run_test() as pilot:
        await _settle(pilot)
        text_area = app.screen.query_one(TextArea)
        text_area.focus()
        text_area.select_all()
        assert text_area.selected_text == ENTRIES[0].text


async def test_register_empty():
    """With nothing copied the register says so."""
    app = Host(RegisterScreen([]))
    async with app.run_test() as pilot:
        await _settle(pilot)
        assert app.screen.query_one("#register-empty", Label)
        await pilot.press("escape")
        await _settle(pilot)
    assert app.result is None


def test_export_request_path_type():
    """Requests carry a Path, not the typed string."""
    request = ExportRequest("filter", "ris", Path("x.ris"))
    assert request.tag is None
