"""Pilot tests of the reader: loading, navigation, filtering, views, errors, links."""

from __future__ import annotations

import copy

from textual.widgets import Static

from papershelf.tui.app import PapershelfApp, make_app
from papershelf.tui.dialogs.help import HelpScreen
from papershelf.tui.dialogs.search import SearchPrompt
from papershelf.tui.widgets.filter_bar import FilterBar
from papershelf.tui.widgets.paper_detail import PaperDetail
from papershelf.tui.widgets.paper_list import PaperList
from papershelf.tui.widgets.status import StatusLine
from tests.data.hubserver import hub_endpoint, serve_days
from tests.tui.support import NOW, TODAY, notifications, reader, screen_or_app_workers_running
from tests.tui.support import settle as _settle

HOSTILE_TITLE = "[/b] [Re] Attention [@click=app.quit]"


async def settle(app: PapershelfApp, pilot) -> None:
    """Workers of the screen on top count too (a search prompt's, say)."""
    await _settle(app, pilot, rounds=20, busy=screen_or_app_workers_running)


def parts(app: PapershelfApp) -> tuple[StatusLine, PaperList, PaperDetail, FilterBar]:
    screen = app.get_default_screen_instance()
    assert screen is not None
    return (
        screen.query_one(StatusLine),
        screen.query_one(PaperList),
        screen.query_one(PaperDetail),
        screen.query_one(FilterBar),
    )


def row_text(paper_list: PaperList, y: int) -> str:
    return paper_list.render_line(y).text


async def test_start_shows_the_latest_day_live(hub):
    """The newest day loads from the server; the status line names it, counts it, says live."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        status, paper_list, detail, _ = parts(app)
        assert status.label == "Daily · Fri 2026-08-21"
        assert status.source == "live"
        assert status.shown == status.loaded == len(paper_list.papers) > 0
        assert detail.paper is not None and detail.paper.id == paper_list.papers[0].id


async def test_navigation_moves_highlight_and_detail_follows(hub):
    """j/k, G/g and PageDown move the cursor; the detail pane shows the highlighted paper."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        _, paper_list, detail, _ = parts(app)
        await pilot.press("j", "j", "k")
        await settle(app, pilot)
        assert paper_list.cursor == 1
        assert detail.paper.id == paper_list.papers[1].id
        await pilot.press("G")
        await settle(app, pilot)
        assert paper_list.cursor == len(paper_list.papers) - 1
        assert detail.paper.id == paper_list.papers[-1].id
        await pilot.press("g")
        assert paper_list.cursor == 0
        await pilot.press("pagedown")
        assert paper_list.cursor > 1


async def test_detail_is_fetched_for_the_highlighted_paper_and_merged(hub):
    """The paper's detail is fetched once, in the background, and merged into the pane."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        _, paper_list, detail, _ = parts(app)
        first = paper_list.papers[0]
        assert hub.count(f"/api/papers/{first.id}") == 1
        assert detail.paper.id == first.id
        assert detail.paper.comments == first.comments  # kept from the listing
        assert first.id in app.main.panes.details


async def test_brackets_step_days_and_keep_the_list_at_the_end(hub):
    """`[` goes to the previous day with papers, `]` back; past the newest day it says so."""
    app = reader()
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await settle(app, pilot)
        status, paper_list, _, _ = parts(app)
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert status.label == "Daily · Thu 2026-08-20"
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert status.label == "Daily · Fri 2026-08-21"
        shown = list(paper_list.papers)
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert status.label == "Daily · Fri 2026-08-21"
        assert paper_list.papers == shown
        assert "Already at the newest day." in notifications(app)


async def test_typing_in_the_filter_narrows_the_list_and_escape_clears(hub):
    """Typing narrows the list and the count; Esc empties the filter and returns to the list."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        status, paper_list, _, filter_bar = parts(app)
        loaded = len(paper_list.papers)
        word = paper_list.papers[3].title.split()[0].rstrip(":").lower()
        await pilot.press("slash", *word)
        await settle(app, pilot)
        assert filter_bar.text == word
        assert 0 < len(paper_list.papers) < loaded
        assert status.shown == len(paper_list.papers) and status.loaded == loaded
        assert all(word in p.title.lower() + p.summary.lower() for p in paper_list.papers)
        assert paper_list.highlight_terms
        await pilot.press("escape")
        await settle(app, pilot)
        assert filter_bar.text == ""
        assert len(paper_list.papers) == loaded
        assert app.focused is paper_list


async def test_letters_type_into_the_filter_instead_of_running_bindings(hub):
    """Single-letter bindings (q, w, j) type into the filter bar."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        status, _, _, filter_bar = parts(app)
        await pilot.press("slash", "q", "w", "j")
        await settle(app, pilot)
        assert filter_bar.text == "qwj"
        assert app.is_running and status.label.startswith("Daily")
        await pilot.press("enter")
        assert isinstance(app.focused, PaperList)
        assert filter_bar.text == "qwj"


async def test_a_bad_filter_keeps_the_last_result_and_points_at_the_error(hub):
    """A query that does not parse is reported in the bar; the last valid result stays."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        _, paper_list, _, filter_bar = parts(app)
        word = paper_list.papers[0].title.split()[0].rstrip(":").lower()
        await pilot.press("slash", *word)
        await settle(app, pilot)
        narrowed = list(paper_list.papers)
        await pilot.press("space", "quotation_mark")
        await settle(app, pilot)
        assert paper_list.papers == narrowed
        assert filter_bar.has_class("-error")
        message = filter_bar.query_one("#filter-message", Static).render()
        assert "at " in str(message)


async def test_view_keys_switch_lists(hub):
    """w, m, T and S switch to week, month, trending and remote search; d goes back to daily."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        status, paper_list, _, _ = parts(app)
        await pilot.press("w")
        await settle(app, pilot)
        assert status.label == "Week 2026-W34"
        await pilot.press("m")
        await settle(app, pilot)
        assert status.label == "Month 2026-08"
        await pilot.press("T")
        await settle(app, pilot)
        assert status.label == "Trending"
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(app.screen, SearchPrompt)
        await pilot.press(*"llama", "enter")
        await settle(app, pilot)
        assert status.label == 'Search: "llama"'
        assert hub.count("/api/papers/search", q="llama") == 1
        await pilot.press("d")
        await settle(app, pilot)
        assert status.label == "Daily · Fri 2026-08-21"
        assert paper_list.papers


async def test_escape_closes_the_search_prompt_without_searching(hub):
    """Esc closes the modal first; nothing is searched."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("S", "q", "escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, SearchPrompt)
        assert app.is_running
        assert hub.count("/api/papers/search") == 0


async def test_offline_start_shows_the_sample():
    """With no network and nothing cached, the bundled sample is shown and labelled."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        status, paper_list, _, _ = parts(app)
        assert status.source == "sample"
        assert status.label.startswith("Daily · ")
        assert paper_list.papers


async def test_an_http_error_keeps_the_last_list_and_notifies(hub, httpserver):
    """A failing request leaves the list on screen and tells the user in plain words."""
    app = reader()
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await settle(app, pilot)
        status, paper_list, _, _ = parts(app)
        shown = list(paper_list.papers)
        httpserver.clear()
        httpserver.expect_request("/api/daily_papers").respond_with_json(
            {"error": "broken"}, status=400
        )
        await pilot.press("w")
        await settle(app, pilot)
        assert paper_list.papers == shown
        assert status.label == "Daily · Fri 2026-08-21"
        assert not status.loading
        assert notifications(app)


async def test_a_hostile_title_renders_literally(httpserver, sample_days, monkeypatch):
    """Markup in a title is shown as text in the list, detail and notifications."""
    days = copy.deepcopy(sample_days)
    newest = max(days)
    days[newest][0]["paper"]["title"] = HOSTILE_TITLE
    days[newest][0]["title"] = HOSTILE_TITLE
    serve_days(httpserver, days, latest=newest, today=TODAY)
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    app = reader()
    async with app.run_test(size=(160, 35), notifications=True) as pilot:
        await settle(app, pilot)
        _, paper_list, detail, _ = parts(app)
        hostile = next(p for p in paper_list.papers if p.title == HOSTILE_TITLE)
        paper_list.move_cursor(paper_list.papers.index(hostile))
        await settle(app, pilot)
        row = row_text(paper_list, paper_list.papers.index(hostile))
        assert HOSTILE_TITLE in row
        title = detail.query_one("#detail-title", Static)
        assert str(title.render()).startswith(HOSTILE_TITLE)
        app.notify(HOSTILE_TITLE, markup=False)
        await pilot.click(PaperList, offset=(10, paper_list.papers.index(hostile)))
        await settle(app, pilot)
        assert app.is_running


async def test_tab_and_enter_switch_between_list_and_detail(hub):
    """Tab moves focus list <-> detail only; Enter in the list focuses the detail."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        _, paper_list, detail, _ = parts(app)
        assert app.focused is paper_list
        await pilot.press("tab")
        assert app.focused is detail
        await pilot.press("tab")
        assert app.focused is paper_list
        await pilot.press("shift+tab")
        assert app.focused is detail
        await pilot.press("escape")
        assert app.focused is paper_list
        await pilot.press("enter")
        assert app.focused is detail


async def test_help_lists_bindings_and_q_closes_it_first(hub):
    """? opens the help; q closes it before it would quit the app."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        for binding_id in ("prev_day", "next_day", "week_view", "open_pdf", "cursor_down"):
            assert binding_id in text
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.is_running


async def test_open_copies_the_link_when_no_browser_can_show(hub, monkeypatch):
    """Without a display or $BROWSER, `o` copies the HF URL instead of starting a browser."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    opened: list[str] = []
    monkeypatch.setattr(PapershelfApp, "open_url", lambda self, url, **kw: opened.append(url))
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        _, paper_list, _, _ = parts(app)
        await pilot.press("o")
        await settle(app, pilot)  # the copy runs in a thread worker
        assert app.clipboard == paper_list.papers[0].hf_url
        assert opened == []
        monkeypatch.setenv("BROWSER", "true")
        await pilot.press("p")
        assert opened == [paper_list.papers[0].pdf_url]


async def test_zoom_and_narrow_layout(hub):
    """Below 120 columns the panes stack; z shows the detail full width."""
    app = reader()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        _, paper_list, detail, _ = parts(app)
        assert screen.has_class("-narrow")
        assert paper_list.region.y < detail.region.y
        await pilot.press("z")
        await pilot.pause()
        assert not paper_list.display or paper_list.region.height == 0
        assert app.focused is detail
        await pilot.resize_terminal(130, 35)
        await pilot.pause()
        assert not screen.has_class("-narrow")


async def test_reopening_restores_view_filter_and_paper(hub):
    """Quitting saves the view, date, filter and highlighted paper; the next start restores them."""
    app = make_app(clock=lambda: NOW)
    app.services.filter_debounce = app.services.detail_debounce = 0
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        await pilot.press("slash", *"a", "enter", "j")
        await settle(app, pilot)
        _, paper_list, _, _ = parts(app)
        chosen = paper_list.highlighted_paper.id
    again = make_app(clock=lambda: NOW)
    again.services.filter_debounce = again.services.detail_debounce = 0
    async with again.run_test(size=(120, 35)) as pilot:
        await settle(again, pilot)
        status, paper_list, _, filter_bar = parts(again)
        assert status.label == "Daily · Thu 2026-08-20"
        assert filter_bar.text == "a"
        assert paper_list.highlighted_paper.id == chosen


async def test_the_newest_day_reopens_as_the_latest(hub):
    """A session closed on the newest day asks for the latest list again, not that date."""
    app = make_app(clock=lambda: NOW)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
    hub.requests.clear()
    again = make_app(clock=lambda: NOW)
    assert again.main.state.key.kind.value == "latest"


async def test_a_burst_of_keys_after_slash_lands_in_the_filter(hub):
    """`/agent` arriving in one burst types `agent`; `a` and `g` do not run list bindings."""
    from textual import events

    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(app, pilot)
        _, paper_list, _, filter_bar = parts(app)
        paper_list.move_cursor(2)
        for char in "/agent":
            app.post_message(events.Key("slash" if char == "/" else char, char))
        await settle(app, pilot)
        assert filter_bar.text == "agent"
        assert app.clipboard == ""
