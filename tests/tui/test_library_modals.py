"""Pilot tests of the library's modal editors: tags, note, saved-filter name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, TextArea

from papershelf.tui.dialogs.note_editor import NoteEditor
from papershelf.tui.dialogs.save_filter import SaveFilter
from papershelf.tui.dialogs.tag_editor import TagEditor, TagInput, complete_tag, split_tags

HOSTILE = "[@click=app.quit]x[/] [Re] x[/b]y"

_UNSET = object()


class ModalHost(App[None]):
    """A bare app that opens one modal and records what it dismissed with."""

    def __init__(self, modal: ModalScreen[Any]) -> None:
        super().__init__()
        self.modal = modal
        self.result: Any = _UNSET

    def compose(self) -> ComposeResult:
        yield Label("host")

    def on_mount(self) -> None:
        self.push_screen(self.modal, callback=self._dismissed)

    def _dismissed(self, result: Any) -> None:
        self.result = result


async def _ready(pilot) -> None:
    await pilot.pause()
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


def _tag_list_texts(app: App) -> list[str]:
    tag_list = app.screen.query_one("#tag-list", OptionList)
    return [str(tag_list.get_option_at_index(i).prompt) for i in range(tag_list.option_count)]


# -- tag editor ---------------------------------------------------------------------------


def test_split_tags_cleans_and_drops_empty_pieces():
    assert split_tags(" llm , ,vision\x1b[31m  models ") == ["llm", "vision models"]


def test_complete_tag_is_case_and_accent_insensitive():
    known = ["Transformers", "théorie", "rl"]
    assert complete_tag("tra", known) == "Transformers"
    assert complete_tag("THEO", known) == "théorie"
    assert complete_tag("rl", known) is None  # nothing longer to complete to
    assert complete_tag("", known) is None


async def test_tag_editor_shows_current_tags_and_saves_additions():
    """Typed tags are added with Enter; ctrl+s dismisses with the whole set."""
    app = ModalHost(TagEditor(["llm"], known_tags=["vision"], subject="A paper"))
    async with app.run_test() as pilot:
        await _ready(pilot)
        assert isinstance(app.screen, TagEditor)
        assert app.screen.focused is app.screen.query_one(TagInput)
        await pilot.press(*"agents", "enter")
        assert _tag_list_texts(app) == ["● llm", "● agents"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == frozenset({"llm", "agents"})


async def test_tag_editor_adds_comma_separated_tags_and_ignores_duplicates():
    app = ModalHost(TagEditor(["llm"]))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press(*"LLM, rl,rl", "enter")
        assert _tag_list_texts(app) == ["● llm", "● rl"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == frozenset({"llm", "rl"})


async def test_tag_editor_tab_completes_from_known_tags():
    app = ModalHost(TagEditor([], known_tags=["transformers", "vision"]))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press("t", "r", "tab")
        assert app.screen.query_one(TagInput).value == "transformers"
        await pilot.press("enter", "enter")  # add, then Enter on an empty input saves
        await pilot.pause()
    assert app.result == frozenset({"transformers"})


async def test_tag_editor_shows_ghost_completion():
    app = ModalHost(TagEditor([], known_tags=["transformers"]))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press("t", "r")
        await pilot.pause()
        await pilot.press("right")  # Input accepts the suggestion at its end
        assert app.screen.query_one(TagInput).value == "transformers"


async def test_tag_editor_removes_highlighted_tag_with_delete_and_backspace():
    app = ModalHost(TagEditor(["a", "b", "c"]))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press("shift+tab")  # from the input back to the list
        tag_list = app.screen.query_one("#tag-list", OptionList)
        assert tag_list.has_focus
        await pilot.press("down", "delete")
        assert _tag_list_texts(app) == ["● a", "● c"]
        assert tag_list.highlighted == 1
        await pilot.press("backspace")
        assert _tag_list_texts(app) == ["● a"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == frozenset({"a"})


async def test_tag_editor_removing_last_tag_returns_to_input():
    app = ModalHost(TagEditor(["only"]))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press("shift+tab", "delete")
        assert app.screen.focused is app.screen.query_one(TagInput)
        assert _tag_list_texts(app) == ["(no tags)"]
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == frozenset()


async def test_tag_editor_backspace_in_input_edits_text_not_tags():
    app = ModalHost(TagEditor(["keep"]))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press("x", "y", "backspace")
        assert app.screen.query_one(TagInput).value == "x"
        assert _tag_list_texts(app) == ["● keep"]


async def test_tag_editor_ctrl_s_keeps_text_still_in_input():
    app = ModalHost(TagEditor([]))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press(*"unsent", "ctrl+s")
        await pilot.pause()
    assert app.result == frozenset({"unsent"})


async def test_tag_editor_escape_cancels():
    app = ModalHost(TagEditor(["llm"]))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press(*"new", "enter", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, TagEditor)
    assert app.result is None


async def test_tag_editor_shows_hostile_text_verbatim():
    app = ModalHost(TagEditor([HOSTILE], subject=HOSTILE))
    async with app.run_test() as pilot:
        await _ready(pilot)
        assert _tag_list_texts(app) == [f"● {HOSTILE}"]
        subject = app.screen.query_one("#tag-subject", Label)
        assert str(subject.render()) == HOSTILE
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == frozenset({HOSTILE})


# -- note editor --------------------------------------------------------------------------


async def test_note_editor_saves_multiline_text():
    app = ModalHost(NoteEditor("first line", subject="A paper"))
    async with app.run_test() as pilot:
        await _ready(pilot)
        text_area = app.screen.query_one(TextArea)
        assert text_area.has_focus
        await pilot.press("enter", *"second", "ctrl+s")
        await pilot.pause()
    assert app.result == "first line\nsecond"


async def test_note_editor_escape_cancels():
    app = ModalHost(NoteEditor("keep me"))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press(*"changed", "escape")
        await pilot.pause()
    assert app.result is None


async def test_note_editor_empty_note_saves_as_empty_string():
    app = ModalHost(NoteEditor("  "))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == ""


async def test_note_editor_subject_is_not_markup():
    app = ModalHost(NoteEditor("", subject=HOSTILE))
    async with app.run_test() as pilot:
        await _ready(pilot)
        assert str(app.screen.query_one("#note-subject", Label).render()) == HOSTILE


# -- save filter --------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["enter", "ctrl+s"])
async def test_save_filter_dismisses_with_name(key):
    app = ModalHost(SaveFilter("author:smith llm"))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press(*"  my  llm ", key)
        await pilot.pause()
    assert app.result == "my llm"


async def test_save_filter_refuses_empty_name():
    app = ModalHost(SaveFilter("llm"))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveFilter)
        assert "needs a name" in str(app.screen.query_one("#save-filter-hint", Label).render())
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_save_filter_warns_before_replacing():
    app = ModalHost(SaveFilter("llm", existing_names=["Reading"]))
    async with app.run_test() as pilot:
        await _ready(pilot)
        await pilot.press(*"reading")
        await pilot.pause()
        assert "replaces" in str(app.screen.query_one("#save-filter-hint", Label).render())


async def test_save_filter_shows_query_verbatim():
    app = ModalHost(SaveFilter(HOSTILE))
    async with app.run_test() as pilot:
        await _ready(pilot)
        shown = str(app.screen.query_one("#save-filter-query", Label).render())
        assert shown == f"Query: {HOSTILE}"
        assert isinstance(app.screen.query_one(Input), Input)


# -- snapshot -----------------------------------------------------------------------------


def test_tag_editor_snapshot(snap_compare):
    """The tag editor over the reader: title verbatim, three tags as a list, input focused."""
    assert snap_compare(
        Path(__file__).parent / "tag_editor_snapshot_app.py", terminal_size=(80, 24)
    )


def test_every_dialog_shares_the_base_and_the_border():
    """The eight modals derive from `Dialog` and wear one border style."""
    import inspect

    import papershelf.tui.dialogs as dialogs
    from papershelf.tui.dialogs.base import Dialog

    found = []
    for path in sorted(Path(dialogs.__file__).parent.glob("*.py")):
        module = __import__(f"papershelf.tui.dialogs.{path.stem}", fromlist=["*"])
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Dialog) and cls is not Dialog and cls.__module__ == module.__name__:
                found.append(cls)
                assert "border: round $accent" in cls.DEFAULT_CSS, cls.__name__
                assert "thick" not in cls.DEFAULT_CSS, cls.__name__
    assert len(found) == 10  # the eight modals, the triage dialog and the chooser


async def test_ctrl_o_in_the_note_editor_hands_the_note_to_the_users_editor(monkeypatch):
    """Ctrl+O: the note goes through $EDITOR (the app suspended meanwhile) and comes back."""
    import contextlib
    import sys

    from textual.app import App
    from textual.widgets import TextArea

    from papershelf.tui.dialogs.note_editor import NoteEditor

    script = "import sys; open(sys.argv[1], 'a').write(' and more')"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f'"{sys.executable}" -c "{script}"')
    suspended: list[bool] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(NoteEditor("first thoughts", subject="A paper"))

        @contextlib.contextmanager
        def suspend(self):
            suspended.append(True)
            yield

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert suspended == [True]
        assert app.screen.query_one(TextArea).text == "first thoughts and more"
