"""The help screen's columns and marker legend; the first-run hint."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from papershelf.core.keymap import (
    DISCUSSION,
    KEYS,
    LINKED,
    PAPER_EXTRAS,
    READER,
    READER_TEXT,
    help_rows,
)
from papershelf.tui.app import make_app
from papershelf.tui.dialogs.help import HelpScreen, help_lines
from papershelf.tui.widgets.paper_list import MARKER_LEGEND
from tests.tui.support import NOW, notifications, reader, settle


def test_help_keys_never_run_into_their_description():
    """`PgDn ctrl+d Space` was followed straight by `Page down`."""
    for _, lines in help_lines(help_rows()):
        for line in lines:
            if "detail_page_down" in line.plain:
                assert "PgDn ctrl+d Space  " in line.plain
                assert "SpacePage" not in line.plain


@pytest.mark.parametrize("width", [74, 90])
def test_help_rows_fit_the_dialog_and_keep_each_id_on_its_row(width):
    """A long description wraps in its own column; no id is pushed onto a line alone."""
    sections = help_rows()
    for (_, rows), (_, lines) in zip(sections, help_lines(sections, width), strict=True):
        for (_, _, binding_id), line in zip(rows, lines, strict=True):
            first, *rest = line.plain.split("\n")
            assert first.rstrip().endswith(binding_id)
            assert all(len(text) <= width for text in (first, *rest))
            assert not any(binding_id and binding_id in text for text in rest)


def test_help_lists_the_keys_of_the_paper_screens_in_their_own_sections():
    """The reader, discussion and linked-repositories keys come from the registry, by screen."""
    sections = {title: {row[2] for row in rows} for title, rows in help_rows()}
    wanted = {
        "Paper reader": {s.id for s in KEYS if s.scope in (READER, READER_TEXT)},
        "Discussion": {s.id for s in KEYS if s.scope in (PAPER_EXTRAS, DISCUSSION)},
        "Linked repositories": {s.id for s in KEYS if s.scope in (PAPER_EXTRAS, LINKED)},
    }
    for title, ids in wanted.items():
        assert ids and sections[title] == ids, title
    assert "reader_search" in sections["Paper reader"]
    assert "extras_close" in sections["Discussion"] & sections["Linked repositories"]
    remapped = dict(help_rows({"reader_search": "ctrl+f"}))["Paper reader"]
    assert ("ctrl+f", "Search the paper's text", "reader_search") in remapped


async def test_help_explains_the_row_markers():
    app = reader(offline=True)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(widget.render()) for widget in app.screen.query(Static))
        assert "Row markers" in text
        for mark, meaning in MARKER_LEGEND:
            assert f"{mark}  {meaning}" in text
        for title in ("Paper reader", "Discussion", "Linked repositories"):
            assert title in text
        assert "reader_outline" in text


async def test_first_run_shows_the_marker_hint_once():
    app = make_app(offline=True, clock=lambda: NOW)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await settle(app, pilot)
        assert any("Row markers" in text for text in notifications(app))
    again = make_app(offline=True, clock=lambda: NOW)
    async with again.run_test(size=(120, 35), notifications=True) as pilot:
        await settle(again, pilot)
        assert not any("Row markers" in text for text in notifications(again))


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_footer_always_shows_the_help_key(width):
    """`?` comes first, so the key to every other key fits at any width; at 80 so does `q`."""
    app = reader(offline=True)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(app, pilot)
        footer = app.screen._compositor.render_strips()[-1].text
        assert footer.lstrip().startswith("? Help")
        if width >= 80:
            assert "q Quit" in footer
        assert footer.rstrip().endswith("^p Palette")


async def test_no_toast_draws_over_the_register():
    """`"` right after a copy: the "Copied" toast no longer covers the dialog."""
    from papershelf.tui.dialogs.register import RegisterScreen

    app = reader(offline=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        app.notify("Copied something", markup=False)
        await pilot.pause()
        assert notifications(app)
        await pilot.press("quotation_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert notifications(app) == []
