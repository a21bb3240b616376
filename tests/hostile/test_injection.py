"""Hostile responses, backups and library rows: nothing reaches the terminal as code.

A local server serves one day whose papers carry escape sequences (OSC 0 title, OSC 52
clipboard, CSI clear screen, 8-bit C1 forms), bidi and zero-width characters, Unicode tags, a
lone surrogate, and ids that try to break out of a citation. Every command and the reader must
show them as harmless text; every output format must keep them inside their fields.
"""

from __future__ import annotations

import copy
import json
import re
import sqlite3

import bibtexparser
import pytest

from papershelf.cli import main
from papershelf.core import cite
from papershelf.core.model import Author, Paper
from papershelf.data.library import Library
from papershelf.data.paths import library_file
from tests.data.hubserver import hub_endpoint, serve_days

DAY = "2026-08-21"
OSC_TITLE = "\x1b]0;PWNED\x07"
OSC_CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"
HOSTILE_GITHUB = f"https://github.com/evil/repo{OSC_TITLE}{OSC_CLIPBOARD}"
HOSTILE_PAGE = "https://evil.example/\x1b[2J"
# What must never be in anything shown or written: C0 controls but tab and newline, DEL, C1,
# bidi/zero-width/format characters, Unicode tags and lone surrogates.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)
GOOD_ID = "2608.10001"
SURROGATE_ID = "2608.10002"


def hostile_entries(template: dict) -> list[dict]:
    """Two usable hostile papers and two whose ids must be refused."""

    def entry(paper_id: str, **fields) -> dict:
        made = copy.deepcopy(template)
        made["paper"].update(id=paper_id, **fields)
        made.pop("title", None)
        return made

    return [
        entry(
            GOOD_ID,
            title=f"Hostile {OSC_TITLE}title\x9d0;T\x9c with \u202eRTL\u202c and tags\U000e0041",
            summary=f"Abstract\x1b[31m red\x1b[0m {OSC_CLIPBOARD} \x9b2J end\x1bP1;2q\x1b\\",
            ai_summary="AI \u200bsummary\x07 \x90dcs\x9c",
            githubRepo=HOSTILE_GITHUB,
            projectPage=HOSTILE_PAGE,
            ai_keywords=["kw\x1b[1m", "\ud800"],
            authors=[{"name": f"Eve {OSC_TITLE}Mallory", "hidden": False}],
        ),
        entry(
            SURROGATE_ID,
            title="Lone \ud800 surrogate \udfff title",
            summary="\udc80 in the abstract",
            authors=[{"name": "Sur\ud83dogate", "hidden": False}],
            githubRepo="https://github.com/a/b\x00",
            projectPage="javascript://x",
        ),
        entry("a},note={INJ", title="Injected id"),
        entry("cs/../../0101001", title="Path-like id"),
    ]


@pytest.fixture
def hostile_hub(httpserver, sample_days, monkeypatch):
    template = sample_days[max(sample_days)][0]
    days = {DAY: hostile_entries(template)}
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    return serve_days(httpserver, days, latest=DAY)


def assert_clean(text: str, where: str, *, payload: bool = False) -> None:
    """No control or invisible character, and encodable (no lone surrogate).

    Unless `payload` is allowed (a message quoting a refused value as escaped text), the
    sequences' payloads are gone too.
    """
    match = FORBIDDEN.search(text)
    assert match is None, f"{where}: {match.group(0)!r} at {match.start()} in {text!r}"
    text.encode("utf-8")
    if not payload:
        assert "PWNED" not in text and "cHduZWQ" not in text, where


def run_streams(capsys, *argv: str) -> tuple[str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert_clean(out, f"stdout of {argv}")
    assert_clean(err, f"stderr of {argv}")
    return out, err


def run(capsys, *argv: str) -> str:
    return run_streams(capsys, *argv)[0]


# --- the list and the paper, through the CLI -------------------------------------------------


@pytest.mark.parametrize("fmt", ["table", "json", "ids"])
def test_list_shows_hostile_papers_as_text(hostile_hub, capsys, fmt):
    out = run(capsys, "list", "--date", DAY, "--format", fmt)
    assert GOOD_ID in out and SURROGATE_ID in out
    assert "INJ" not in out and "../" not in out  # entries with such ids are skipped


def test_list_json_has_no_raw_control_and_drops_invalid_links(hostile_hub, capsys):
    out = run(capsys, "list", "--date", DAY, "--format", "json")
    records = {record["id"]: record for record in map(json.loads, out.splitlines())}
    hostile = records[GOOD_ID]
    assert hostile["github"] is None and hostile["project_page"] is None
    assert hostile["title"] == "Hostile title with RTL and tags"
    assert records[SURROGATE_ID]["title"] == "Lone \ufffd surrogate \ufffd title"
    assert records[SURROGATE_ID]["github"] is None  # a NUL in a URL drops it


@pytest.mark.parametrize("fmt", ["text", "json"])
@pytest.mark.parametrize("paper_id", [GOOD_ID, SURROGATE_ID])
def test_show_prints_no_escape(hostile_hub, capsys, fmt, paper_id):
    out = run(capsys, "show", paper_id, "--format", fmt)
    assert "GitHub:" not in out and "Project page:" not in out


@pytest.mark.parametrize("fmt", list(cite.FORMATS))
def test_cite_every_format_prints_no_escape(hostile_hub, capsys, fmt):
    out = run(capsys, "cite", GOOD_ID, SURROGATE_ID, "--format", fmt)
    assert "evil" not in out and "javascript" not in out


def test_star_and_list_starred_of_hostile_papers(hostile_hub, capsys):
    run(capsys, "list", "--date", DAY)  # cache the day so that star keeps the snapshots
    _, said = run_streams(capsys, "star", GOOD_ID, SURROGATE_ID)  # confirmations: stderr
    assert GOOD_ID in said and SURROGATE_ID in said
    for fmt in ("table", "json", "ids"):
        out = run(capsys, "list", "--starred", "--format", fmt)
        assert GOOD_ID in out and SURROGATE_ID in out
    with Library.open() as library:
        assert library.starred_ids() == {GOOD_ID, SURROGATE_ID}


# --- what the library database holds ---------------------------------------------------------


DIRTY_ID = f"2608.10003{OSC_TITLE}"


def test_dirty_rows_from_an_older_version_are_shown_clean(capsys, tmp_path):
    """Rows written before cleaning existed (or by hand) are cleaned on the way out."""
    with Library.open() as library:
        library.star(["2608.10004"])
    snapshot = {
        "id": "2608.10004",
        "title": f"Snapshot {OSC_TITLE}title",
        "github": HOSTILE_GITHUB,
        "project_page": "javascript://x",
        "authors": [f"A {OSC_CLIPBOARD}B"],
        "summary": "\x9d0;x\x9c",
    }
    connection = sqlite3.connect(library_file())
    with connection:
        connection.execute(
            "INSERT INTO papers (id, record, updated_at) VALUES (?, ?, ?)",
            ("2608.10004", json.dumps(snapshot), "2026-08-21T00:00:00+00:00"),
        )
        connection.execute("INSERT INTO stars VALUES (?, ?)", (DIRTY_ID, "2026-08-21"))
        connection.execute(
            "INSERT INTO notes VALUES (?, ?, ?)", ("2608.10004", f"note {OSC_CLIPBOARD}", "2026")
        )
        connection.execute(
            "INSERT INTO tags (id, tag, tag_key, added_at) VALUES (?, ?, ?, ?)",
            ("2608.10004", f"tag{OSC_TITLE}", "tag", "2026"),
        )
    connection.close()
    for fmt in ("table", "json", "ids"):
        out = run(capsys, "list", "--starred", "--format", fmt)
        assert "2608.10004" in out and "2608.10003" in out
    with Library.open() as library:
        assert_clean(library.note("2608.10004"), "note")
        assert library.note("2608.10004") == "note "
        view = library.view()
        assert_clean(repr(sorted(view.starred)) + repr(view.tags), "view")
        assert library.all_tags() == [("tag", 1)]
        kept = library.paper("2608.10004")
        assert kept is not None and kept.github is None and kept.project_page is None
        assert kept.title == "Snapshot title"


# --- restoring a backup ----------------------------------------------------------------------


def backup(**sections) -> dict:
    return {"format": "papershelf-library-backup", "version": 1, **sections}


def test_restore_skips_and_reports_invalid_entries(tmp_path, capsys):
    data = backup(
        stars=[
            {"id": "2608.10005", "starred_at": "2026-08-21T10:00:00+00:00"},
            {"id": "1" * 5_000_000, "starred_at": "2026-08-21T10:00:00+00:00"},
            {"id": "../../etc/passwd", "starred_at": "2026-08-21T10:00:00+00:00"},
            {"id": "cs/../../0101001", "starred_at": "2026-08-21T10:00:00+00:00"},
            {"id": DIRTY_ID, "starred_at": "2026-08-21T10:00:00+00:00"},
            {"id": "2608.10006", "starred_at": "yesterday"},
            {"id": "2608.10007", "starred_at": "2026-02-30T00:00:00"},
            {"id": "2608.10008", "starred_at": "9" * 100},
        ],
        notes=[{"id": "2608.10005", "text": f"n{OSC_CLIPBOARD}ote", "updated_at": "2026-08-21"}],
        tags=[{"id": "2608.10005", "tag": f"t{OSC_TITLE}ag", "added_at": "2026-08-21"}],
        filters=[{"name": f"f{OSC_TITLE}", "query": "upvotes:>=1", "saved_at": "2026-08-21"}],
        papers=[
            {
                "id": "2608.10005",
                "updated_at": "2026-08-21",
                "record": {"id": "2608.10005", "title": f"T{OSC_TITLE}", "github": HOSTILE_GITHUB},
            },
            {"id": "2608.10009", "updated_at": "2026-08-21", "record": {"id": "2608.10001"}},
        ],
    )
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(data), "utf-8")
    code = main(["library", "restore", str(path)])
    out, err = capsys.readouterr()
    assert code == 0
    assert_clean(out, "restore stdout")
    assert_clean(err, "restore stderr", payload=True)
    assert "\\x1b]0;PWNED" in err  # the refused id is quoted as escaped text
    assert "skipped 8 invalid entries" in err
    assert len(err) < 2_000  # a 5 MB id is never echoed
    with Library.open() as library:
        assert library.starred_ids() == {"2608.10005"}
        assert library.note("2608.10005") == "note"
        assert library.tags_of("2608.10005") == ["tag"]
        assert library.saved_filters() == [("f", "upvotes:>=1")]
        kept = library.paper("2608.10005")
        assert kept is not None and kept.title == "T" and kept.github is None


@pytest.mark.parametrize("payload", [b"\xff\xfe{not utf-8", b'{"format": "\xe9"}'])
def test_restore_of_a_non_utf8_file_is_a_clear_message(tmp_path, capsys, payload):
    path = tmp_path / "backup.json"
    path.write_bytes(payload)
    code = main(["library", "restore", str(path)])
    _out, err = capsys.readouterr()
    assert code != 0
    assert "not UTF-8" in err and "Traceback" not in err


# --- citations and exports keep data inside its field ----------------------------------------


INJECTED = Paper(
    id="a},note={INJ",
    title="Set {a\\} notation } and {",
    authors=(Author("Eve ]](javascript:alert(1)) <img src=x onerror=alert(1)>"),),
    ai_summary="<script>alert(1)</script> [c](javascript:alert(1))",
    github="https://github.com/a/b)[c](javascript:alert(1)",
    project_page="javascript://x",
    summary="line one\nTY  - JOUR\nER  - ",
    keywords=("kw\nER  - ",),
)


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_bibtex_id_injection_adds_no_field(fmt):
    text = cite.format_papers([INJECTED], fmt)
    library = bibtexparser.parse_string(text)
    assert len(library.entries) == 1 and not library.failed_blocks
    fields = set(library.entries[0].fields_dict)
    assert "note" not in fields
    assert fields <= {"title", "author", "year", "eprint", "archivePrefix", "url",
                      "date", "eprinttype", "doi"}  # fmt: skip


def _rendered(markdown: str) -> tuple[list[str], list[str]]:
    """(link targets, raw HTML) of `markdown` as a CommonMark parser reads it."""
    from markdown_it import MarkdownIt

    hrefs: list[str] = []
    html: list[str] = []
    for token in MarkdownIt("commonmark").parse(markdown):
        for child in [token, *(token.children or [])]:
            if child.type == "link_open":
                hrefs.append(str(child.attrs["href"]))
            elif child.type in ("html_inline", "html_block"):
                html.append(child.content)
    return hrefs, html


@pytest.mark.parametrize("fmt", ["markdown", "card"])
def test_markdown_has_no_live_link_or_html(fmt):
    text = cite.format_papers([INJECTED], fmt)
    hrefs, html = _rendered(text)
    assert html == []
    allowed = ("https://arxiv.org/", "https://huggingface.co/", "https://github.com/a/b%29")
    assert hrefs and all(h.startswith(allowed) for h in hrefs), hrefs
    assert "javascript://x" not in text  # refused as a link


def test_ris_keeps_one_field_a_line():
    text = cite.format_papers([INJECTED], "ris")
    lines = text.splitlines()
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines), lines
    assert [line for line in lines if line.startswith("ER  -")] == ["ER  - "]


def test_csl_json_is_json():
    text = cite.format_papers([INJECTED, INJECTED], "csl-json")
    items = json.loads(text)
    assert len(items) == 1 and items[0]["title"] == "Set {a} notation } and {"


# --- the reader ------------------------------------------------------------------------------


async def test_reader_detail_pane_of_hostile_papers_holds_no_control(hostile_hub, tmp_path):
    from textual.widgets import Static

    from papershelf.tui.widgets.paper_detail import PaperDetail
    from papershelf.tui.widgets.paper_list import PaperList
    from tests.tui.support import reader, settle, until

    with Library.open(tmp_path / "library.sqlite") as library:
        app = reader(library=library)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = app.get_default_screen_instance()
            paper_list = screen.query_one(PaperList)
            await until(pilot, lambda: len(paper_list.papers) == 2, "the two usable papers")
            seen = set()
            for _ in range(2):
                await settle(app, pilot)
                detail = screen.query_one(PaperDetail)
                shown = "\n".join(str(s.render()) for s in detail.query(Static) if s.display)
                assert_clean(shown, "detail pane")
                for y in range(2):
                    assert_clean(paper_list.render_line(y).text, "list row")
                seen.update(i for i in (GOOD_ID, SURROGATE_ID) if i in shown)
                assert "Code" not in shown and "Project" not in shown  # invalid links dropped
                await pilot.press("j")
            assert seen == {GOOD_ID, SURROGATE_ID}
