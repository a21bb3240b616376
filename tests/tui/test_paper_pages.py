"""Pilot tests of a paper's own pages: the whole text, its discussion and linked repositories."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList, Static
from werkzeug import Response

from papershelf.core.paper_body import Style
from papershelf.data import paths
from papershelf.data.library import Library
from papershelf.tui.commands import reader_commands
from papershelf.tui.screens.discussion import DiscussionScreen, _styled, comment_lines
from papershelf.tui.screens.linked_repos import LinkedReposScreen
from papershelf.tui.screens.paper_reader import PaperReaderScreen
from papershelf.tui.widgets.paper_body import PaperBodyView
from papershelf.tui.widgets.paper_detail import PaperDetail
from papershelf.tui.widgets.paper_list import PaperList
from tests.core.test_discussion import HOSTILE, comment
from tests.data.hubserver import hub_endpoint, serve_days
from tests.tui.support import TODAY, reader, settle, until

PAPERS = Path(__file__).parents[1] / "fixtures" / "papers"
EXCERPT = (PAPERS / "2604.26654_excerpt.md").read_bytes()
SIZE = (120, 36)


class Pages:
    """What the local hub answers for `/papers/{id}.md`, and what it was asked."""

    def __init__(self) -> None:
        self.body = EXCERPT
        self.status = 200
        self.headers: dict[str, str] = {}
        self.requests: list[str] = []

    def handle(self, request):
        self.requests.append(request.path)
        return Response(
            self.body, status=self.status, headers=self.headers, content_type="text/markdown"
        )


def detail_with_extras(paper_id: str) -> dict:
    return {
        "id": paper_id,
        "title": "A paper with a discussion",
        "authors": [{"_id": "a" * 24, "name": "Ada Lovelace", "hidden": False}],
        "publishedAt": "2026-08-14T00:00:00.000Z",
        "summary": "Abstract.",
        "upvotes": 5,
        "submittedOnDailyBy": {"_id": "b" * 24, "user": "submitter-jane", "fullname": "Jane"},
        "organization": {"_id": "c" * 24, "name": "acme", "fullname": "ACME Research"},
        "linkedModels": [
            {"id": "acme/small", "downloads": 10, "likes": 50, "pipeline_tag": "text-generation"},
            {"id": "acme/big", "downloads": 900, "likes": 5, "pipeline_tag": "robotics"},
        ],
        "numTotalModels": 12,
        "linkedDatasets": [{"id": "acme/data", "downloads": 77, "likes": 1}],
        "numTotalDatasets": 1,
        "linkedSpaces": [
            {"id": "acme/demo", "emoji": "🚀", "shortDescription": "Try it [b]now[/b]"}
        ],
        "numTotalSpaces": 3,
        "comments": [
            comment("c1", "Great paper!", reactions=[("fire", 3)]),
            comment("c2", "Thanks, glad you liked it", parent="c1", author="bob"),
            comment("c3", "spam spam", hidden=True, reason="Spam", author="spammer"),
            comment("c4", "Similar papers recommended", author="librarian-bot"),
            comment("c5", HOSTILE, author="mallory"),
        ],
    }


@pytest.fixture
def pages(httpserver, sample_days, monkeypatch):
    """The sample days, a whole text for every paper and a detail with comments and repos."""
    replay = serve_days(httpserver, sample_days, latest=TODAY.isoformat(), today=TODAY)
    for entries in sample_days.values():
        for entry in entries:
            paper_id = entry["paper"]["id"]
            replay.papers[paper_id] = detail_with_extras(paper_id)
    served = Pages()
    httpserver.expect_request(re.compile(r"^/papers/[^/]+\.md$")).respond_with_handler(
        served.handle
    )
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    return served


async def open_reader(app, pilot) -> tuple[PaperReaderScreen, PaperBodyView]:
    await settle(app, pilot)
    await pilot.press("R")
    await until(pilot, lambda: isinstance(app.screen, PaperReaderScreen), "reader open")
    screen = app.screen
    assert isinstance(screen, PaperReaderScreen)
    view = screen.query_one(PaperBodyView)
    await until(pilot, lambda: view.body is not None or screen.error is not None, "text")
    await settle(app, pilot)
    await pilot.pause()
    return screen, view


def visible_text(view: PaperBodyView) -> str:
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


async def test_reader_opens_with_the_outline(pages):
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_reader(app, pilot)
        assert "Evolutionary Feature Selection" in visible_text(view)
        assert pages.requests == [f"/papers/{screen.paper.id}.md"]
        await pilot.press("t")
        side = screen.query_one("#reader-side", OptionList)
        assert side.has_class("-shown") and side.has_focus
        labels = [str(side.get_option_at_index(i).prompt) for i in range(side.option_count)]
        assert [label.strip() for label in labels] == [
            "Abstract",
            "I Introduction",
            "II JASTAP",
            "II-B Model Description",
            "IV Using JASTAP NN model for Pattern Classification",
            "References",
        ]
        side.highlighted = 5
        await pilot.press("enter")
        await pilot.pause()
        assert view.has_focus
        assert view.lines[view.cursor].text == "References"
        assert view.top_line > 0
        await pilot.press("q")
        await until(pilot, lambda: not isinstance(app.screen, PaperReaderScreen), "closed")


async def test_search_finds_highlights_and_steps(pages):
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_reader(app, pilot)
        await pilot.press("slash", *"jastap", "enter")
        await pilot.pause()
        assert len(view.matches) >= 4
        first = view.matches[view.match_index]
        assert view.cursor == first.line
        strip = view.render_line(view.cursor - view.top_line)
        highlighted = [seg.text for seg in strip if seg.style and seg.style.bgcolor]
        assert any(text.lower() == "jastap" for text in highlighted)
        await pilot.press("n")
        assert view.match_index == 1
        await pilot.press("N", "N")
        assert view.match_index == len(view.matches) - 1
        assert "match" in screen.position_text()


async def test_missing_text_is_explained_with_links(pages):
    pages.status = 404
    pages.body = b'{"error":"Paper not found"}'
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_reader(app, pilot)
        assert view.body is None
        assert "has no text for paper" in view.message
        assert f"https://arxiv.org/pdf/{screen.paper.id}" in view.message
        # The message wraps whole over the first lines: every word, in order.
        shown = " ".join(visible_text(view).split())
        assert " ".join(view.message.split()) in shown
        assert "Press p for the PDF" in shown


async def test_rate_limited_text_is_held_back_and_retried(pages):
    pages.status = 429
    pages.headers = {"RateLimit": '"pages";r=0;t=60'}
    pages.body = b'{"error":"Too many requests"}'
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        _screen, view = await open_reader(app, pilot)
        assert "held back by the rate limit, retry in 61 s" in view.message
        assert len(pages.requests) == 1
        pages.status, pages.headers, pages.body = 200, {}, EXCERPT
        await pilot.press("r")
        await until(pilot, lambda: view.body is not None, "text after retry")
        assert len(pages.requests) == 2


async def test_a_text_read_once_is_there_offline(pages):
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(app, pilot)
    offline = reader(offline=True)
    async with offline.run_test(size=SIZE) as pilot:
        screen, view = await open_reader(offline, pilot)
        assert view.body is not None
        assert "from the cache" in screen.position_text()
    assert len(pages.requests) == 1


async def test_a_starred_papers_text_survives_a_wiped_cache(pages):
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        paper_id = app.screen.query_one(PaperList).highlighted_paper.id
    with Library.open() as library:
        library.star([paper_id])
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(app, pilot)
    shutil.rmtree(paths.cache_dir())
    offline = reader(offline=True)
    async with offline.run_test(size=SIZE) as pilot:
        screen, view = await open_reader(offline, pilot)
        assert screen.paper.id == paper_id
        assert view.body is not None and view.body.title.startswith("Evolutionary")
        assert "kept offline" in screen.position_text()


async def test_starring_keeps_a_text_already_in_the_cache(pages):
    from papershelf.data.papers.kept_bodies import KeptBodies

    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, _view = await open_reader(app, pilot)
        paper_id = screen.paper.id
        assert not KeptBodies().has(paper_id)  # read while not starred: only cached
        await pilot.press("q")
        await until(pilot, lambda: not isinstance(app.screen, PaperReaderScreen), "closed")
        await pilot.press("s")
        await until(pilot, lambda: KeptBodies().has(paper_id), "text kept on starring")
    shutil.rmtree(paths.cache_dir())
    offline = reader(offline=True)
    async with offline.run_test(size=SIZE) as pilot:
        screen, _view = await open_reader(offline, pilot)
        assert screen.paper.id == paper_id
        assert "kept offline" in screen.position_text()
    assert len(pages.requests) == 1


async def test_position_is_remembered_per_paper(pages):
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_reader(app, pilot)
        await pilot.press("t")
        side = screen.query_one("#reader-side", OptionList)
        side.highlighted = 3
        await pilot.press("enter", "q")
        await until(pilot, lambda: not isinstance(app.screen, PaperReaderScreen), "closed")
        await settle(app, pilot)
        screen, view = await open_reader(app, pilot)
        assert view.lines[view.top_line].text == "II-B Model Description"


async def test_copy_a_passage_with_the_citation(pages):
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_reader(app, pilot)
        view.go_to_line(0)
        await pilot.press("v", "j", "y")
        await settle(app, pilot)
        copied = app.clipboard
        assert copied.startswith("Evolutionary Feature Selection for Spiking Neural Network")
        citation = copied.split("\n\n— ", 1)[1]
        assert screen.paper.arxiv_url in citation
        assert view.selection_start is None


async def test_citation_jumps_to_its_reference_and_back(pages):
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        _screen, view = await open_reader(app, pilot)
        line = next(i for i, line in enumerate(view.lines) if "prediction[1]" in line.text)
        view.go_to_line(line)
        await pilot.press("enter")
        assert view.lines[view.cursor].text.startswith("[1] Mitchell")
        await pilot.press("backspace")
        assert view.cursor == line


async def test_figures_are_listed_and_open_in_the_browser(pages, monkeypatch):
    opened: list[str] = []
    monkeypatch.setenv("BROWSER", "true")
    monkeypatch.setattr(type(reader()), "open_url", lambda self, url, **kw: opened.append(url))
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await open_reader(app, pilot)
        await pilot.press("f")
        side = screen.query_one("#reader-side", OptionList)
        assert str(side.get_option_at_index(0).prompt).startswith("Figure 3: Example of encoding")
        side.highlighted = 0
        await pilot.press("enter")
        assert view.lines[view.cursor].text.startswith("▣ Figure 3")
        await pilot.press("o")
        assert opened == ["https://arxiv.org/html/2604.26654v1/x3.png"]


async def test_discussion_nests_replies_and_shows_hostile_text_literally(pages):
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("D")
        await until(pilot, lambda: isinstance(app.screen, DiscussionScreen), "discussion")
        screen = app.screen
        await until(pilot, lambda: screen.discussion is not None, "comments")
        text = str(screen.query_one("#discussion-text", Static).render())
        lines = text.splitlines()
        alice = lines.index(next(line for line in lines if line.startswith("alice")))
        assert "🔥 3" in lines[alice]
        assert any(line.startswith("│ bob") for line in lines)
        assert "│   Thanks, glad you liked it" in lines
        assert "▸ Hidden comment by spammer (Spam) — h shows it" in lines
        assert "spam spam" not in text
        assert any(line.startswith("librarian-bot [bot]") for line in lines)
        # Markdown is laid out (math as Unicode, an HTML tag dropped) but markup stays text.
        assert "  [@click=app.quit]x[/] [b]bold?[/b] α" in lines
        await pilot.press("h")
        text = str(screen.query_one("#discussion-text", Static).render())
        assert "spam spam" in text
        assert app.is_running


def test_comment_markdown_is_laid_out_with_styles_and_link_addresses():
    text = (
        "Compare with **Table 2**, see [our code](https://github.com/a/b) and `x = 1`.\n\n"
        "- one\n- two\n\n> quoted [site](ftp://example.org/x)"
    )
    lines = comment_lines(text, 60)
    shown = [line.text for line in lines]
    assert shown[0] == "Compare with Table 2, see our code (https://github.com/a/b)"
    assert shown[1] == "and x = 1."
    assert shown[3:5] == ["• one", "• two"]
    assert shown[6] == "│ quoted site"  # an address that could never be opened is not shown
    styles = {(line.text[m.start : m.end], m.style) for line in lines for m in line.marks}
    assert {("Table 2", Style.STRONG), ("our code", Style.LINK), ("x = 1", Style.CODE)} <= styles
    assert comment_lines("", 60)[0].text == "(empty)"
    rendered = _styled(lines[0])
    assert rendered.plain == shown[0]
    assert any("bold" in str(span.style) for span in rendered.spans)


async def test_linked_panel_sorts_and_opens_items_with_the_browser(pages, tmp_path, monkeypatch):
    import webbrowser

    record = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{record}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(script))
    # webbrowser reads $BROWSER once, when it first registers browsers.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("M")
        await until(pilot, lambda: isinstance(app.screen, LinkedReposScreen), "linked")
        screen = app.screen
        await until(pilot, lambda: screen.rows, "rows")
        assert [r.id for r in screen.rows] == ["acme/big", "acme/small", "acme/data", "acme/demo"]
        status = str(screen.query_one("#extras-status", Static).render())
        assert "12 models · 1 dataset · 3 Spaces" in status
        assert "and 10 more models, 2 more Spaces on Hugging Face" in status
        await pilot.press("s")
        assert [r.id for r in screen.rows][:2] == ["acme/small", "acme/big"]  # by likes
        table = screen.query_one(DataTable)
        assert str(table.get_row_at(3)[2]) == "🚀 Try it [b]now[/b]"
        await pilot.press("enter")
        await until(pilot, record.exists, "browser started", delay=0.05)
        assert record.read_text().strip() == "https://huggingface.co/acme/small"


async def test_detail_pane_shows_linked_counts_submitter_and_organization(pages):
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        detail = app.screen.query_one(PaperDetail)
        await until(pilot, lambda: detail.paper is not None and detail.paper.linked, "detail")
        text = "\n".join(str(widget.render()) for widget in detail.query(Static) if widget.display)
        assert "Linked 12 models · 1 dataset · 3 Spaces" in text
        assert "Submitted by submitter-jane" in text
        assert "ACME Research" in text


def test_palette_offers_the_paper_pages():
    titles = {command.title for command in reader_commands()}
    assert {"Read the paper", "Discussion", "Linked models, datasets and Spaces"} <= titles


async def test_every_shared_paper_opens(pages, shared_dir):
    folder = shared_dir / "data" / "hf" / "papers-md"
    # Every file is parsed and laid out in tests/core; here one of HF's and one with tables.
    chosen = ("nomi181472", "htaken")
    for path in sorted(p for p in folder.glob("*.md") if p.name.startswith(chosen)):
        pages.body = path.read_bytes()
        shutil.rmtree(paths.cache_dir(), ignore_errors=True)
        app = reader()
        async with app.run_test(size=(100, 30)) as pilot:
            _screen, view = await open_reader(app, pilot)
            assert view.body is not None, path.name
            assert view.body.sections, path.name
            assert len(view.lines) > 20, path.name


async def test_search_results_show_hugging_faces_title_highlights():
    from textual.app import App

    from papershelf.core.model import Paper

    class ListApp(App[None]):
        def compose(self):
            yield PaperList()

    app = ListApp()
    async with app.run_test(size=(100, 6)) as pilot:
        paper_list = app.query_one(PaperList)
        paper = Paper(id="2407.21783", title="The Llama 3 Herd of Models", highlights=("Llama 3",))
        paper_list.set_papers([paper, Paper(id="2407.00001", title="Llama 3 elsewhere")])
        await pilot.pause()
        # The cursor row has a background of its own; look at the second (plain) row.
        paper_list.move_cursor(1)
        await pilot.pause()
        strip = paper_list.render_line(0)
        marked = "".join(seg.text for seg in strip if seg.style and seg.style.underline)
        assert marked == "Llama 3"


async def test_paper_text_that_looks_like_markup_is_shown_literally():
    from textual.app import App

    from papershelf.core.body_layout import layout
    from papershelf.core.paper_body import parse_paper

    class BodyApp(App[None]):
        def compose(self):
            yield PaperBodyView()

    hostile = "[@click=app.quit]x[/] and [b]bold[/b] and [$primary]y[/]"
    body = parse_paper(f"# T\n\n{hostile}\n")
    app = BodyApp()
    async with app.run_test(size=(100, 8)) as pilot:
        view = app.query_one(PaperBodyView)
        view.show(body, layout(body, 90))
        await pilot.pause()
        shown = [view.render_line(y).text.strip() for y in range(view.size.height)]
        assert shown[:3] == ["T", "", hostile]
        await pilot.click(PaperBodyView, offset=(3, 2))
        assert view.cursor == 2
        assert app.is_running


async def test_the_paper_rewraps_when_the_pane_narrows(pages):
    from papershelf.core.text_width import cell_width

    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        _screen, view = await open_reader(app, pilot)
        wide = len(view.lines)
        await pilot.resize_terminal(70, 30)
        await until(pilot, lambda: view.paper_layout.width == view.text_width, "re-wrapped")
        assert len(view.lines) > wide
        assert all(cell_width(line.text) <= view.text_width for line in view.lines)


async def test_a_burst_of_keys_after_slash_lands_in_the_search_field(pages):
    """`/jastap` arriving in one burst is typed into the search; `t` opens no outline."""
    from textual import events
    from textual.widgets import Input

    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        screen, _view = await open_reader(app, pilot)
        for char in "/jastap":
            app.post_message(events.Key("slash" if char == "/" else char, char))
        await settle(app, pilot)
        search = screen.query_one("#reader-search", Input)
        assert search.value == "jastap"
        assert search.has_focus
        assert not screen.query_one("#reader-side").has_class("-shown")


async def test_a_cached_text_opens_without_waiting_for_a_worker(pages, monkeypatch):
    """A text read before is read on opening: no worker stands between it and the frame."""
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await open_reader(app, pilot)  # fetched and cached
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, PaperReaderScreen), "back")
        # The worker that fetches a text (from a thread or the network) now never runs.
        monkeypatch.setattr(PaperReaderScreen, "load_text", lambda self, refresh=False: None)
        await pilot.press("R")
        await until(pilot, lambda: isinstance(app.screen, PaperReaderScreen), "reader again")
        again = app.screen.query_one(PaperBodyView)
        await until(pilot, lambda: again.body is not None, "the cached text")
        assert "Evolutionary Feature Selection" in again.body.title


async def test_opening_a_screen_rebuilds_its_footer_keys_once(pages, monkeypatch):
    """Textual's footer rebuilds every key on each bindings change; opening a screen sends
    several in one moment (five rebuilds before), and they must cost one rebuild a frame."""
    from textual.widgets import Footer

    rebuilds: list[str] = []
    original = Footer.recompose

    async def counted(self):
        rebuilds.append(type(self.screen).__name__)
        return await original(self)

    monkeypatch.setattr(Footer, "recompose", counted)
    app = reader()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        rebuilds.clear()
        await open_reader(app, pilot)
        await settle(app, pilot)
        assert rebuilds.count("PaperReaderScreen") <= 2  # the opening, then the text's arrival
        footer_keys = app.screen.query("FooterKey")
        assert any("Back" in str(key.render()) for key in footer_keys)
