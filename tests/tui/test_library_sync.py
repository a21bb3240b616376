"""Pilot tests of the library kept in step with the reader: detail pane, filters, sessions."""

from __future__ import annotations

import pytest
from rich.style import Style
from textual.widgets import Static

from papershelf.core.lists import ListKind
from papershelf.core.query import compile_query
from papershelf.data.library import Library
from papershelf.data.session import save_session
from papershelf.tui.app import PapershelfApp, make_app
from papershelf.tui.dialogs.note_editor import NoteEditor
from papershelf.tui.dialogs.tag_editor import TagEditor
from papershelf.tui.filtering import depends_on_library, narrows, plain_words
from papershelf.tui.reader_state import state_from_session
from papershelf.tui.widgets.paper_list import MARKER_CLASSES
from tests.tui.support import NOW, library_reader, settle_library, until
from tests.tui.test_library_ui import paper_list


def detail_text(app: PapershelfApp, widget_id: str) -> str | None:
    """The plain text of one part of the detail pane, or None while it is hidden."""
    widget = app.get_default_screen_instance().query_one(f"#{widget_id}", Static)
    return str(widget.render()) if widget.display else None


async def type_filter(app: PapershelfApp, pilot, text: str) -> None:
    screen = app.get_default_screen_instance()
    screen.filter_bar.set_text(text)
    await settle_library(app, pilot)


# -- the detail pane shows stars, tags and the note --------------------------------------------


async def test_detail_shows_star_tags_and_note_and_follows_changes(library):
    app = library_reader(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle_library(app, pilot)
        assert detail_text(app, "detail-library") is None
        await pilot.press("s")
        assert detail_text(app, "detail-library") == "★ Starred"
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TagEditor))
        await pilot.press(*"survey", "ctrl+s")
        await settle_library(app, pilot)
        assert detail_text(app, "detail-library") == "★ Starred · Tags survey"
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NoteEditor))
        await pilot.pause()
        await pilot.press(*"read [b]twice[/b]", "ctrl+s")
        await settle_library(app, pilot)
        assert detail_text(app, "detail-user-note-heading") == "Note"
        assert detail_text(app, "detail-user-note") == "read [b]twice[/b]"
        await pilot.press("j")
        await settle_library(app, pilot)
        assert detail_text(app, "detail-library") is None
        assert detail_text(app, "detail-user-note") is None
        await pilot.press("k", "s")
        await settle_library(app, pilot)
        assert detail_text(app, "detail-library") == "Tags survey"
        assert detail_text(app, "detail-user-note") == "read [b]twice[/b]"


async def test_detail_reads_a_saved_note_of_the_highlighted_paper(library):
    app = library_reader(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle_library(app, pilot)
        second = paper_list(app).papers[1]
    library.set_note(second, "first line\nsecond line")
    app = library_reader(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle_library(app, pilot)
        await pilot.press("j")
        await until(pilot, lambda: detail_text(app, "detail-user-note") is not None)
        assert detail_text(app, "detail-user-note") == "first line\nsecond line"


# -- filters on library state stay truthful -----------------------------------------------------


async def test_unstarring_under_is_starred_refilters_and_keeps_the_cursor_row(library):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        papers = paper_list(app).papers
        library.star(papers[:3])
        await type_filter(app, pilot, "is:starred")
        assert [p.id for p in paper_list(app).papers] == [p.id for p in papers[:3]]
        await pilot.press("j", "s")  # unstar the second starred paper
        await settle_library(app, pilot)
        assert [p.id for p in paper_list(app).papers] == [papers[0].id, papers[2].id]
        assert paper_list(app).highlighted_paper.id == papers[2].id
        await pilot.press("k", "t")  # tag the first: still starred, so it stays
        await until(pilot, lambda: isinstance(app.screen, TagEditor))
        await pilot.press(*"x", "ctrl+s")
        await settle_library(app, pilot)
        assert paper_list(app).highlighted_paper.id == papers[0].id


async def test_automatic_read_keeps_the_paper_under_is_unread_but_u_refilters(library):
    """Resting on a paper marks it read without hiding it; `u` is explicit and re-filters."""
    app = library_reader(library, read_after=0.01)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        await type_filter(app, pilot, "is:unread")
        shown = [p.id for p in paper_list(app).papers]
        first = shown[0]
        await until(pilot, lambda: first in library.read_ids())
        await settle_library(app, pilot)
        app.services.settings.read_after_seconds = -1
        assert [p.id for p in paper_list(app).papers] == shown
        assert paper_list(app).highlighted_paper.id == first
        await pilot.press("j", "u")  # the second paper, marked read on purpose
        await settle_library(app, pilot)
        # An explicit change makes the list truthful again: both read papers leave it.
        assert [p.id for p in paper_list(app).papers] == shown[2:]
        assert paper_list(app).highlighted_paper.id == shown[2]


async def test_a_plain_filter_is_not_rerun_by_library_changes(library, monkeypatch):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        await type_filter(app, pilot, "model")
        screen = app.get_default_screen_instance()
        runs = []
        monkeypatch.setattr(screen, "run_filter", lambda **kwargs: runs.append(kwargs))
        await pilot.press("s", "u")
        await settle_library(app, pilot)
        assert runs == []


# -- typing a longer query filters the previous result -------------------------------------------


def test_plain_words_and_narrowing():
    assert plain_words("Languag  Model") == ("languag", "model")
    for text in ("is:starred", '"world model"', "a OR b", "-survey", "(a b)", "", "sort:title"):
        assert plain_words(text) is None
    assert narrows("languag", "language")
    assert narrows("video", "video diffusion")
    assert narrows("video diff", "diffusion video")
    assert not narrows("language", "languag")
    assert not narrows("video", "video OR audio")
    assert not narrows("video", "video -audio")
    assert depends_on_library("x -is:read") and depends_on_library("(tag:llm)")
    assert depends_on_library("HAS:note") and not depends_on_library("has:code this")


async def test_narrowed_filter_matches_a_filter_of_the_whole_list(library):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        everything = list(app.main.state.feed.papers)
        for text in ("m", "mo", "mod", "model", "model la", "model lan", "mode", "la"):
            await type_filter(app, pilot, text)
            expected = compile_query(text).filter(everything)
            assert [p.id for p in paper_list(app).papers] == [p.id for p in expected], text


# -- sessions reopen the starred and tag views ----------------------------------------------------


def test_session_state_keeps_library_views():
    assert state_from_session({"view": "starred"}).key.kind is ListKind.STARRED
    tag = state_from_session({"view": "tag", "value": "to-read"}).key
    assert (tag.kind, tag.value) == (ListKind.TAG, "to-read")
    assert state_from_session({"view": "tag", "value": " "}).key.kind is ListKind.LATEST


@pytest.mark.parametrize(
    ("session", "kind", "value"),
    [
        ({"view": "starred", "value": None}, ListKind.STARRED, ""),
        ({"view": "tag", "value": "survey"}, ListKind.TAG, "survey"),
    ],
)
async def test_restored_session_opens_the_library_view(library, session, kind, value):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        second = paper_list(app).papers[1]
    library.star([second])
    library.add_tags([second], ["survey"])
    save_session({**session, "paper_id": second.id})
    app = make_app(clock=lambda: NOW, offline=True, library=library)
    app.services.settings.read_after_seconds = -1
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        assert (app.main.state.feed.key.kind, app.main.state.feed.key.value) == (kind, value)
        assert [p.id for p in paper_list(app).papers] == [second.id]
        saved = app.main.state.to_session()
        assert (saved["view"], saved["value"]) == (kind.value, value)


async def test_restored_library_view_without_a_library_opens_the_latest_list(tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    with Library.open(blocked / "library.sqlite") as unusable:
        save_session({"view": "starred"})
        app = make_app(clock=lambda: NOW, offline=True, library=unusable)
        assert app.main.state.key.kind is ListKind.LATEST


# -- the selection mark has its own colour ----------------------------------------------------


async def test_selection_mark_uses_its_component_class(library):
    app = library_reader(library)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle_library(app, pilot)
        # Space marks row 0 and moves the cursor on: row 0 shows the mark's own colour (on the
        # cursor row every cell takes the cursor's colours).
        await pilot.press("space")
        widget = paper_list(app)
        assert widget.cursor == 1
        expected = widget.get_component_rich_style("paper-list--selected", partial=True)
        segments = list(widget.render_line(0))
        mark = next(segment for segment in segments if segment.text == "✔")
        assert MARKER_CLASSES["✔"] == "paper-list--selected"
        assert isinstance(mark.style, Style) and mark.style.color == expected.color
        star = widget.get_component_rich_style("paper-list--star", partial=True)
        assert expected.color != star.color


@pytest.mark.parametrize("query", ["model", "is:unread", "has:note OR -has:note"])
async def test_star_and_tag_under_an_active_filter_show_in_the_detail_pane(library, query):
    """Both changes show at once and stay when the cursor leaves and comes back."""
    app = library_reader(library)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle_library(app, pilot)
        await type_filter(app, pilot, query)
        await pilot.press("j", "s", "t")  # no pause: the refilter races the dialog
        await until(pilot, lambda: isinstance(app.screen, TagEditor))
        await pilot.press(*"survey", "ctrl+s")
        await settle_library(app, pilot)
        paper = paper_list(app).highlighted_paper
        assert library.is_starred(paper.id) and library.tags_of(paper.id) == ["survey"]
        assert detail_text(app, "detail-library") == "★ Starred · Tags survey"
        await pilot.press("j", "k")
        await settle_library(app, pilot)
        assert paper_list(app).highlighted_paper.id == paper.id
        assert detail_text(app, "detail-library") == "★ Starred · Tags survey"
