"""Pilot tests of copying, links and export in the reader (clipboard and browser stubbed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pyperclip
import pytest
from textual.widgets import Input

from papershelf.core.model import Author, Paper
from papershelf.data.clipboard import osc52_sequence
from papershelf.data.config.schema import Settings
from papershelf.tui.app import PapershelfApp
from papershelf.tui.dialogs.copy_menu import CopyMenu
from papershelf.tui.dialogs.export import ExportRequest, ExportScreen
from papershelf.tui.dialogs.register import RegisterScreen
from papershelf.tui.widgets.paper_panes import PaperPanes
from tests.tui import support
from tests.tui.support import StubFeeds, notifications, settle, until

ATTENTION = Paper(
    id="1706.03762",
    title="Attention Is All You Need",
    authors=(Author("Ashish Vaswani"), Author("Noam Shazeer")),
    published=dt.date(2017, 6, 12),
    github="https://github.com/tensorflow/tensor2tensor",
    project_page="https://example.org/attention",
)
LLAMA = Paper(
    id="2407.21783",
    title="The Llama 3 Herd of Models",
    authors=(Author("Abhimanyu Dubey"),),
    published=dt.date(2024, 7, 31),
)
HOSTILE = Paper(
    id="2501.00001",
    title="[/b] [Re] Attention [@click=app.quit]",
    authors=(Author("Mallory"),),
    published=dt.date(2025, 1, 1),
    github="file:///etc/passwd",
    project_page="javascript:alert(1)",
)
PAPERS = [ATTENTION, LLAMA, HOSTILE]


@pytest.fixture
def system_clipboard(monkeypatch) -> list[str]:
    """pyperclip works: what it was given."""
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    return copied


@pytest.fixture
def no_system_clipboard(monkeypatch) -> None:
    """pyperclip finds no clipboard program."""

    def unavailable(text: str) -> None:
        raise pyperclip.PyperclipException("could not find a copy/paste mechanism")

    monkeypatch.setattr(pyperclip, "copy", unavailable)


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """URLs handed to the browser; a display is present so links open."""
    urls: list[str] = []
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(PapershelfApp, "open_url", lambda self, url, new_tab=True: urls.append(url))
    monkeypatch.setattr("webbrowser.open", lambda *args, **kwargs: pytest.fail("real browser"))
    return urls


def reader(papers: list[Paper] = PAPERS, **settings) -> PapershelfApp:
    return support.reader(feeds=StubFeeds(papers), settings=Settings(**settings))


async def ready(app: PapershelfApp, pilot) -> None:
    await settle(app, pilot)
    screen = app.get_default_screen_instance()
    assert screen is not None and screen.paper_list.papers


# --- copy keys ---------------------------------------------------------------------------------


def test_the_paper_panes_own_the_copy_keys():
    """The copy, link and export keys are bindings of the paper panes, by their ids."""
    from papershelf.tui.widgets.paper_panes import PaperPanes

    ids = {binding.id for binding in PaperPanes.BINDINGS}
    assert {
        "copy_hf_url",
        "copy_arxiv_url",
        "copy_bibtex",
        "copy_arxiv_bibtex",
        "copy_menu",
        "open_code",
        "open_project",
        "export",
        "show_register",
    } <= ids


@pytest.mark.parametrize(
    ("key", "expected", "what"),
    [
        ("y", "https://huggingface.co/papers/1706.03762", "Hugging Face URL for 1 paper"),
        ("Y", "https://arxiv.org/abs/1706.03762", "arXiv URL for 1 paper"),
    ],
)
async def test_url_keys_copy_to_system_clipboard(system_clipboard, key, expected, what):
    """`y`/`Y` copy the highlighted paper's link and say how."""
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
    assert system_clipboard == [expected]
    assert f"Copied {what} (system clipboard)" in notifications(app)
    assert app.services.copier.clipboard.register[0].text == expected


async def test_b_copies_a_bibtex_entry(system_clipboard):
    """`b` copies a local BibTeX entry with arXiv's citekey."""
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
    (text,) = system_clipboard
    assert text.startswith("@misc{vaswani2017attentionneed,")
    assert "eprint={1706.03762}" in text.replace(" ", "")
    assert "Copied BibTeX for 1 paper (system clipboard)" in notifications(app)


async def test_multi_paper_copy_uses_the_selection(system_clipboard, monkeypatch):
    """With a selection, copies cover every selected paper."""
    monkeypatch.setattr(PaperPanes, "selected_papers", lambda self: [ATTENTION, LLAMA])
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("b")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
    bibtex, urls = system_clipboard
    assert bibtex.count("@misc{") == 2
    assert "dubey2024llama" in bibtex
    assert urls.splitlines() == [ATTENTION.hf_url, LLAMA.hf_url]
    assert "Copied BibTeX for 2 papers (system clipboard)" in notifications(app)


async def test_pyperclip_failing_falls_back_to_osc52(no_system_clipboard):
    """Without a system clipboard the text goes out as OSC 52: `app.clipboard` holds it."""
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("Y")
        await settle(app, pilot)
        assert app.clipboard == ATTENTION.arxiv_url
    assert "Sent arXiv URL for 1 paper to the terminal (OSC 52)" in notifications(app)


async def test_osc52_passthrough_writes_the_wrapped_sequence(no_system_clipboard, monkeypatch):
    """`clipboard = "osc52-passthrough"` writes the tmux-wrapped sequence raw to the terminal."""
    app = reader(clipboard="osc52-passthrough")
    written: list[str] = []
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        monkeypatch.setattr(app._driver, "write", written.append)
        await pilot.press("y")
        await settle(app, pilot)
        assert app.clipboard == ATTENTION.hf_url
    assert osc52_sequence(ATTENTION.hf_url, passthrough=True) in written
    (note,) = notifications(app)
    assert (
        note.startswith("Sent Hugging Face URL for 1 paper to the terminal (")
        and "passthrough" in note
    )


async def test_oversized_copy_is_refused_but_kept(no_system_clipboard, monkeypatch):
    """Above the OSC 52 limit nothing is sent; the register keeps the text and says so."""
    huge = dataclasses.replace(ATTENTION, summary="x" * 120_000)
    app = reader([huge])
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("r")  # RIS carries the abstract
        await settle(app, pilot)
        assert app.clipboard == ""
    assert app.services.copier.clipboard.register[0].what == "RIS for 1 paper"
    assert any("terminal limit" in note and "Press" in note for note in notifications(app))


async def test_arxiv_bibtex_offline_falls_back_to_local(system_clipboard):
    """`B` with arXiv unreachable copies the local entry and says so."""
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("B")
        await settle(app, pilot)
    (text,) = system_clipboard
    assert text.startswith("@misc{vaswani2017attentionneed,")
    assert any("arXiv unreachable" in note for note in notifications(app))


async def test_arxiv_bibtex_from_arxiv(system_clipboard, httpserver, monkeypatch):
    """`B` fetches arXiv's own entry when arXiv answers."""
    entry = (
        "@misc{vaswani2023attentionneed,\n      title={Attention Is All You Need},\n"
        "      author={Ashish Vaswani},\n      year={2023},\n      eprint={1706.03762},\n"
        "      archivePrefix={arXiv},\n      primaryClass={cs.CL}\n}"
    )
    httpserver.expect_request("/bibtex/1706.03762").respond_with_data(entry)
    monkeypatch.setenv("ARXIV_ENDPOINT", httpserver.url_for("/").rstrip("/"))
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("B")
        await settle(app, pilot)
    (text,) = system_clipboard
    assert "primaryClass={cs.CL}" in text
    assert "Copied arXiv BibTeX for 1 paper (system clipboard)" in notifications(app)


# --- the copy menu and the register -----------------------------------------------------------


async def test_copy_menu_copies_the_chosen_format(system_clipboard):
    """`c` opens the menu; `j` copies CSL-JSON."""
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert isinstance(app.screen, CopyMenu)
        await pilot.press("j")
        await settle(app, pilot)
        assert not isinstance(app.screen, CopyMenu)
    (text,) = system_clipboard
    assert json.loads(text)[0]["title"] == ATTENTION.title
    assert "Copied CSL-JSON for 1 paper (system clipboard)" in notifications(app)


async def test_copy_menu_by_arrows_and_enter(system_clipboard):
    """Arrows and Enter work in the menu too (the third entry is the PDF URL)."""
    app = reader()
    async with app.run_test() as pilot:
        await ready(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("down", "down", "enter")
        await settle(app, pilot)
    assert system_clipboard == [ATTENTION.pdf_url]


async def test_copy_keys_do_nothing_behind_a_modal(system_clipboard):
    """With the copy menu open, app-level copy keys do not fire behind it."""
    app = reader()
    async with app.run_test() as pilot:
        await ready(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        await pilot.press("y")  # not a menu key
        await settle(app, pilot)
        assert isinstance(app.screen, CopyMenu)
    assert system_clipboard == []


async def test_register_lists_copies_newest_first(system_clipboard):
    """`"` shows the last copies; Enter copies the chosen one again."""
    app = reader()
    async with app.run_test() as pilot:
        await ready(app, pilot)
        await pilot.press("y", "Y")
        await settle(app, pilot)
        await pilot.press("quotation_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert app.screen.shown_text == ATTENTION.arxiv_url
        await pilot.press("down", "enter")
        await settle(app, pilot)
    assert system_clipboard == [ATTENTION.hf_url, ATTENTION.arxiv_url, ATTENTION.hf_url]


# --- links -------------------------------------------------------------------------------------


async def test_open_code_and_project(opened):
    """`C` opens the GitHub repository, `P` the project page."""
    app = reader()
    async with app.run_test() as pilot:
        await ready(app, pilot)
        await pilot.press("C", "P")
        await settle(app, pilot)
    assert opened == [ATTENTION.github, ATTENTION.project_page]


async def test_hostile_links_are_refused(opened):
    """A `file:` repository or `javascript:` project page is never opened; the user is told."""
    app = reader([HOSTILE])
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("C", "P")
        await settle(app, pilot)
    assert opened == []
    refusals = [note for note in notifications(app) if "only http(s) links" in note]
    assert len(refusals) == 2
    assert "javascript:alert(1)" in refusals[1]


async def test_missing_project_page_is_reported(opened):
    """A paper without a project page says so."""
    app = reader([LLAMA])
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("P")
        await settle(app, pilot)
    assert opened == []
    assert "This paper has no project link." in notifications(app)


async def test_code_and_project_links_mark_the_paper_read(opened):
    """`C` and `P` count as reading the paper, as `o`, `p` and `a` do."""
    app = reader([ATTENTION, LLAMA])
    # Only opening counts here, not resting on a paper.
    app.services.settings.read_after_seconds = -1
    async with app.run_test() as pilot:
        await ready(app, pilot)
        await pilot.press("C", "j", "P")
        await settle(app, pilot)
        assert app.services.library.library.read_ids() == {ATTENTION.id}
        assert opened == [ATTENTION.github]


async def test_open_without_a_browser_says_so_in_one_toast(no_system_clipboard, monkeypatch):
    """No display: `o` copies the link, and one notification tells both facts."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert notifications(app) == [
            f"No browser here — sent the link {ATTENTION.hf_url} to the terminal (OSC 52)"
        ]
        assert app.clipboard == ATTENTION.hf_url
        assert ATTENTION.id in app.services.library.library.read_ids()


# --- export ------------------------------------------------------------------------------------


async def _export(app: PapershelfApp, pilot, path, fmt: str = "bibtex") -> None:
    await pilot.press("E")
    await until(pilot, lambda: isinstance(app.screen, ExportScreen))
    app.screen.query_one(f"#format-{fmt}").value = True
    await pilot.pause()
    app.screen.query_one("#export-path", Input).value = str(path)
    app.screen.query_one("#scope-filter").value = True
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(app, pilot)


async def test_export_filter_to_bib_then_append_without_duplicates(tmp_path):
    """Exporting the shown papers twice to one .bib adds them once; the toast says so."""
    target = tmp_path / "refs.bib"
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await _export(app, pilot, target)
        first = target.read_text("utf-8")
        await _export(app, pilot, target)
    assert first.count("@misc{") == 3
    assert target.read_text("utf-8").count("@misc{") == 3
    assert f"Exported 3 papers to {target}." in notifications(app)
    assert f"Exported 0 papers to {target} (3 already there)." in notifications(app)


async def test_export_selection_scope_is_preselected(tmp_path, monkeypatch):
    """With a selection, the dialog proposes exporting it."""
    monkeypatch.setattr(PaperPanes, "selected_papers", lambda self: [LLAMA])
    target = tmp_path / "sel.ris"
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await pilot.press("E")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert app.screen.scope == "selection"
        app.screen.query_one("#format-ris").value = True
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    assert target.read_text("utf-8").count("TY  - ") == 1
    assert f"Exported 1 paper to {target}." in notifications(app)


async def test_export_error_is_a_sentence(tmp_path):
    """A path that cannot be written becomes a plain message, not a crash."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", "utf-8")
    app = reader()
    async with app.run_test(notifications=True) as pilot:
        await ready(app, pilot)
        await _export(app, pilot, blocker / "refs.bib")
        assert app.is_running
    assert any("refs.bib" in note for note in notifications(app))


def test_export_request_is_plain_data(tmp_path):
    """The dialog's result carries the path as a Path."""
    assert ExportRequest("filter", "bibtex", tmp_path).path == tmp_path


def test_help_lists_the_copy_keys():
    """The help screen lists every copy binding with its key (`"` shown as itself)."""
    from papershelf.core.keymap import help_rows

    rows = {
        binding_id: keys
        for _title, section in help_rows()
        for keys, _description, binding_id in section
    }
    assert rows["copy_hf_url"] == "y"
    assert rows["copy_arxiv_bibtex"] == "B"
    assert rows["show_register"] == '"'
    assert rows["export"] == "E"
