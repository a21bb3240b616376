"""Pilot tests of the library in the reader: stars, tags, notes, read state, selection, views."""

from __future__ import annotations

from textual.command import CommandList
from textual.widgets import Static, TextArea

from papershelf.core.library_view import tag_changes, with_tags
from papershelf.core.lists import ListKind
from papershelf.data.library import Library
from papershelf.tui.app import PapershelfApp, make_app
from papershelf.tui.commands import library_entries
from papershelf.tui.dialogs.note_editor import NoteEditor
from papershelf.tui.dialogs.save_filter import SaveFilter
from papershelf.tui.dialogs.tag_editor import TagEditor
from papershelf.tui.widgets.filter_bar import FilterBar
from papershelf.tui.widgets.paper_list import PaperList
from papershelf.tui.widgets.paper_panes import row_markers_for
from papershelf.tui.widgets.status import StatusLine
from tests.tui.support import library_reader, notifications, settle_library, until


def paper_list(app: PapershelfApp) -> PaperList:
    return app.get_default_screen_instance().query_one(PaperList)


def row_text(app: PapershelfApp, index: int) -> str:
    widget = paper_list(app)
    return widget.render_line(index - widget.scroll_offset.y).text


# -- pure helpers ---------------------------------------------------------------------------


def test_row_markers_have_fixed_slots():
    from papershelf.core.library_view import LibraryView
    from papershelf.core.model import Paper

    paper = Paper(id="1", title="t", github="https://github.com/x/y")
    view = LibraryView.create(starred=["1"])
    assert row_markers_for(paper, view, selected=True) == "✔★•●"
    read = LibraryView.create(read=["1"])
    assert row_markers_for(Paper(id="1", title="t"), read, selected=False) == "    "


def test_tag_changes_and_with_tags_ignore_case():
    from papershelf.core.library_view import LibraryView

    assert tag_changes(["LLM", "rl"], ["llm", "vision"]) == (["vision"], ["rl"])
    view = with_tags(LibraryView.create(tags={"1": ["rl"]}), ["1", "2"], ["vision"], ["RL"])
    assert view.tags == {"1": ("vision",), "2": ("vision",)}
    assert view.by_tag["vision"] == frozenset({"1", "2"})


# -- stars ----------------------------------------------------------------------------------


async def test_s_stars_the_highlighted_paper_at_once_and_saves_it(library):
    """`s` shows ★ on the next render (before the write finishes) and the star is saved."""
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        first = paper_list(app).papers[0]
        assert "★" not in row_text(app, 0)
        await pilot.press("s")
        assert "★" in row_text(app, 0)  # optimistic: no wait for SQLite
        await settle_library(app, pilot)
        assert library.is_starred(first.id)
        assert "★" in row_text(app, 0)
        await pilot.press("s")
        await settle_library(app, pilot)
        assert not library.is_starred(first.id)
        assert "★" not in row_text(app, 0)


async def test_starred_view_lists_newest_star_first_and_works_offline(library):
    """`L` shows the starred papers from the library's snapshots, most recent star first."""
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        papers = paper_list(app).papers
        await pilot.press("s", "j", "j", "s")
        await settle_library(app, pilot)
        await pilot.press("L")
        await settle_library(app, pilot)
        shown = paper_list(app).papers
        assert [p.id for p in shown] == [papers[2].id, papers[0].id]
        assert shown[0].title == papers[2].title
        assert app.main.state.feed.key.kind is ListKind.STARRED
        status = app.get_default_screen_instance().query_one(StatusLine)
        assert status.label == "Starred"
        assert status.source == "library"


# -- tags -----------------------------------------------------------------------------------


async def test_t_opens_tag_editor_and_saves_tags(library):
    """`t` opens the tag editor on the paper; the tags typed there are saved with it."""
    library.add_tags(["0000.00000"], ["existing"])  # completion source
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        first = paper_list(app).papers[0]
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        assert "existing" in app.screen.query_one("TagInput").known_tags
        await pilot.press(*"to read", "enter", "e", "x", "tab", "enter", "ctrl+s")
        await settle_library(app, pilot)
        assert not isinstance(app.screen, TagEditor)
        assert library.tags_of(first.id) == ["existing", "to-read"]


async def test_tag_view_lists_the_papers_with_a_tag(library):
    """A tag view (as the command palette opens it) lists the tagged papers."""
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        second = paper_list(app).papers[1]
        library.add_tags([second], ["survey"])
        app.main.action_tag_view("SURVEY")
        await settle_library(app, pilot)
        assert [p.id for p in paper_list(app).papers] == [second.id]
        assert app.main.state.feed.key.kind is ListKind.TAG


async def test_palette_lists_starred_tags_and_saved_filters(library):
    """The command palette offers the starred list, each tag and each saved filter."""
    library.add_tags(["1234.56789"], ["x[/b]y"])
    library.save_filter("Popular", "upvotes:>=10")
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        labels = [entry.label for entry in library_entries(app.main)]
        assert labels == [
            "Starred papers",
            "Tag: x[/b]y (1)",
            "Filter: Popular — upvotes:>=10",
            "Rename filter: Popular…",
            "Delete filter: Popular",
        ]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"popular")
        await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        await pilot.press("enter")
        await settle_library(app, pilot)
        filter_bar = app.get_default_screen_instance().query_one(FilterBar)
        assert filter_bar.text == "upvotes:>=10"
        assert all(p.upvotes >= 10 for p in paper_list(app).papers)


# -- notes ----------------------------------------------------------------------------------


async def test_n_edits_a_multiline_note(library):
    """`n` opens the note editor with the saved note; ctrl+s saves the edited text."""
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        first = paper_list(app).papers[0]
        library.set_note(first, "line one")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "line one"
        await pilot.press("enter", *"line two", "ctrl+s")
        await settle_library(app, pilot)
        assert library.note(first.id) == "line one\nline two"
        assert first.id in app.services.library.view.notes


# -- read state -----------------------------------------------------------------------------


async def test_paper_becomes_read_after_staying_highlighted(library):
    """A paper highlighted for the read delay is marked read; the unread mark goes away."""
    app = library_reader(library, read_after=0.01)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        first = paper_list(app).papers[0]
        await until(pilot, lambda: first.id in library.read_ids())
        await settle_library(app, pilot)
        assert "•" not in row_text(app, 0)
        assert "•" in row_text(app, 1)


async def test_moving_on_before_the_delay_leaves_a_paper_unread(library):
    """Only the paper the cursor rests on becomes read."""
    app = library_reader(library, read_after=30)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        first = paper_list(app).papers[0]
        await pilot.press("j")
        app.services.settings.read_after_seconds = 0.01
        await pilot.press("j")
        third = paper_list(app).papers[2]
        await until(pilot, lambda: third.id in library.read_ids())
        assert first.id not in library.read_ids()


async def test_u_toggles_read_and_U_marks_all_shown_read(library):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        papers = paper_list(app).papers
        assert "•" in row_text(app, 0)
        await pilot.press("u")
        assert "•" not in row_text(app, 0)
        await settle_library(app, pilot)
        assert papers[0].id in library.read_ids()
        await pilot.press("u")
        await settle_library(app, pilot)
        assert papers[0].id not in library.read_ids()
        await pilot.press("U")
        await settle_library(app, pilot)
        assert library.read_ids() >= {p.id for p in papers}
        assert "Marked" in notifications(app)[-1]


async def test_opening_a_paper_marks_it_read(library, monkeypatch):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        monkeypatch.setattr(app.main.panes, "open_link", lambda url: None)
        await settle_library(app, pilot)
        first = paper_list(app).papers[0]
        await pilot.press("o")
        await settle_library(app, pilot)
        assert first.id in library.read_ids()


# -- selection ------------------------------------------------------------------------------


async def test_space_selects_and_bulk_actions_act_on_the_selection(library):
    """Space marks papers (✔ and a count); s, u and t then act on all of them."""
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        papers = paper_list(app).papers
        await pilot.press("space", "space")
        assert list(app.main.panes.selection) == [papers[0].id, papers[1].id]
        assert paper_list(app).cursor == 2
        assert "✔" in row_text(app, 0) and "✔" not in row_text(app, 2)
        count = app.get_default_screen_instance().query_one("#status-selection", Static)
        assert str(count.render()) == "2 selected"
        await pilot.press("s", "u")
        await settle_library(app, pilot)
        assert library.starred_ids() == {papers[0].id, papers[1].id}
        assert {papers[0].id, papers[1].id} <= library.read_ids()
        assert papers[2].id not in library.read_ids()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TagEditor)
        await pilot.press(*"batch", "ctrl+s")
        await settle_library(app, pilot)
        assert library.tags_of(papers[0].id) == library.tags_of(papers[1].id) == ["batch"]
        await pilot.press("escape")
        assert not app.main.panes.selection
        assert str(count.render()) == ""


# -- filters --------------------------------------------------------------------------------


async def test_query_language_uses_library_state(library):
    """`is:starred` in the filter bar narrows the list to starred papers."""
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        papers = paper_list(app).papers
        await pilot.press("j", "s")
        await settle_library(app, pilot)
        await pilot.press("slash", *"is:starred")
        await settle_library(app, pilot)
        assert [p.id for p in paper_list(app).papers] == [papers[1].id]


async def test_malformed_query_points_at_the_mistake_and_keeps_the_list(library):
    """An unclosed quote is explained at its position; the last valid result stays."""
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        total = len(paper_list(app).papers)
        filter_bar = app.get_default_screen_instance().query_one(FilterBar)
        filter_bar.set_text('title:"dif')
        await settle_library(app, pilot)
        assert filter_bar.has_class("-error")
        message = str(filter_bar.query_one("#filter-message", Static).render())
        assert "at 7" in message
        assert len(paper_list(app).papers) == total


async def test_ctrl_s_saves_the_filter_under_a_name(library):
    """ctrl+s asks a name and saves the current query; it persists in the library."""
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        await pilot.press("slash", *"upvotes:>=5", "enter")
        await settle_library(app, pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SaveFilter))
        await pilot.pause()
        await pilot.press(*"five up", "enter")
        await settle_library(app, pilot)
    assert library.saved_filters() == [("five up", "upvotes:>=5")]


async def test_ctrl_s_inside_the_note_editor_saves_the_note_not_a_filter(library):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        app.get_default_screen_instance().query_one(FilterBar).set_text("rl")
        await settle_library(app, pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.press(*"hi", "ctrl+s")
        await settle_library(app, pilot)
        assert not isinstance(app.screen, SaveFilter)
    assert library.saved_filters() == []


# -- an unusable library --------------------------------------------------------------------


async def test_unusable_library_is_reported_and_the_reader_keeps_running(tmp_path):
    """A file that is not a library: a notification says so; reading works, `s` explains."""
    broken = tmp_path / "library.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    library = Library.open(broken)
    assert not library.available
    app = library_reader(library)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle_library(app, pilot)
        assert any("Stars, tags" in text for text in notifications(app))
        assert paper_list(app).papers
        await pilot.press("s")
        await settle_library(app, pilot)
        assert "★" not in row_text(app, 0)
        assert len(notifications(app)) >= 2
    assert broken.read_bytes().startswith(b"this is not a database")


def test_read_delay_comes_from_the_settings(library):
    from papershelf.data.config.schema import Settings

    app = make_app(settings=Settings(read_after_seconds=7), restore_session=False, library=library)
    assert app.services.settings.read_after_seconds == 7
