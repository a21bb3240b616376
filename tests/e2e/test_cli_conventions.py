"""What scripts rely on: stdout carries data only, documented exit codes, the library in JSON,
bulk edits, completion, `HF_HUB_OFFLINE`, the debug log and `--version`."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import subprocess
import sys

import pytest

import papershelf
from papershelf import cli
from papershelf.cli import main
from papershelf.core.model import parse_entries
from papershelf.data import paths
from papershelf.data.library import Library
from tests.data.hubserver import hub_endpoint, serve_days

DAY = "2026-08-19"


@pytest.fixture
def hub(httpserver, sample_days, monkeypatch):
    """The bundled sample served as HF_ENDPOINT."""
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    return serve_days(httpserver, sample_days)


@pytest.fixture
def day_ids(sample_days) -> list[str]:
    return [paper.id for paper in parse_entries(sample_days[DAY]).papers]


@pytest.fixture(autouse=True)
def no_log_handlers():
    """`--debug` adds a file handler to the papershelf logger; take it away after each test."""
    logger = logging.getLogger("papershelf")
    before = list(logger.handlers)
    yield
    for handler in logger.handlers[:]:
        if handler not in before:
            logger.removeHandler(handler)
            handler.close()
    logger.setLevel(logging.NOTSET)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- streams and exit codes, command by command -----------------------------------------------


@pytest.mark.parametrize(
    ("argv", "out_is_data"),
    [
        (["list", "--offline", "--date", DAY, "--format", "ids"], True),
        (["list", "--offline", "--date", DAY, "--format", "json"], True),
        (["show", "--offline", "--format", "json", "{id}"], True),
        (["cite", "--offline", "{id}"], True),
        (["paths"], True),
        (["paths", "--format", "json"], True),
        (["config"], True),
        (["config", "--format", "json"], True),
        (["library"], True),
        (["library", "--format", "json"], True),
        (["library", "backup", "-"], True),
        (["completion", "bash"], True),
        (["star", "--offline", "{id}"], False),
        (["unstar", "{id}"], False),
        (["tag", "--offline", "{id}", "llm"], False),
        (["tag", "{id}", "{id2}", "--tags", "a,b"], False),
        (["untag", "{id}", "llm"], False),
        (["note", "--offline", "{id}", "a thought"], False),
        (["read-state", "{id}", "--read"], False),
        (["export", "--offline", "{file}", "--ids", "{id}"], False),
    ],
)
def test_successful_commands_write_data_to_stdout_and_talk_on_stderr(
    argv, out_is_data, capsys, day_ids, tmp_path
):
    """Commands that print data print it on stdout; commands that change something print
    nothing on stdout, and say what they did on stderr. All exit 0."""
    values = {"id": day_ids[0], "id2": day_ids[1], "file": str(tmp_path / "out.bib")}
    code, out, err = run(capsys, *(part.format(**values) for part in argv))
    assert code == 0, err
    if out_is_data:
        assert out.strip()
    else:
        assert out == ""
        assert err.strip()
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["list", "--bogus"], 2, "unrecognized arguments"),
        (["star", "not-an-id"], 2, "is not an arXiv id"),
        (["tag", "2601.00001"], 2, "Name the tags"),
        (["read-state", "2601.00001"], 2, "one of the arguments --read --unread is required"),
        (["list", "--date", "not a day"], 2, ""),
        (["list", "--filter", "(oops"], 2, "--filter"),
        (["library", "restore", "{missing}"], 1, "Cannot read the backup"),
        (["list", "--offline", "--date", "2026-08-14"], 3, "Nothing is cached"),
        (["show", "--offline", "2601.00001"], 3, "not cached"),
    ],
)
def test_failures_exit_with_the_documented_code(argv, code, fragment, capsys, tmp_path):
    """2 for bad input, 1 for a missing file or thing, 3 when the network would be needed;
    stdout stays empty and stderr says why."""
    values = {"missing": str(tmp_path / "missing.json")}
    got, out, err = run_or_exit(capsys, [part.format(**values) for part in argv])
    assert got == code
    assert out == ""
    assert fragment in err and "Traceback" not in err


def run_or_exit(capsys, argv: list[str]) -> tuple[int, str, str]:
    """`main`, with argparse's SystemExit turned into its exit code."""
    try:
        code = main(argv)
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_network_failure_exits_3(capsys, monkeypatch):
    from papershelf.data import hub

    monkeypatch.setattr(hub, "RETRY_BUDGET_SECONDS", 0.0)
    code, out, err = run(capsys, "show", "2601.00001")
    assert code == cli.EXIT_NETWORK == 3
    assert out == "" and "Cannot reach Hugging Face" in err


def test_help_documents_exit_codes_and_environment(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for fragment in (
        "exit codes:",
        "2    bad input",
        "3    network",
        "PAPERSHELF_HOME",
        "PAPERSHELF_LOG",
        "HF_HUB_OFFLINE",
        "HF_TOKEN",
        "HF_ENDPOINT",
        "set -g set-clipboard on",
    ):
        assert fragment in out


# --- the library for scripts ------------------------------------------------------------------


def test_list_and_show_json_carry_the_library_state(capsys, day_ids):
    first, second = day_ids[:2]
    with Library.open() as library:
        library.star([first])
        library.add_tags([first], ["llm", "to-read"])
        library.set_note(first, "check the ablation")
        library.mark_read([first])
    code, out, _ = run(capsys, "list", "--offline", "--date", DAY, "--format", "json")
    assert code == 0
    records = {record["id"]: record for record in map(json.loads, out.splitlines())}
    assert records[first]["starred"] is True
    assert records[first]["tags"] == ["llm", "to-read"]
    assert records[first]["note"] == "check the ablation"
    assert records[first]["read"] is True
    assert {k: records[second][k] for k in ("starred", "tags", "note", "read")} == {
        "starred": False,
        "tags": [],
        "note": None,
        "read": False,
    }
    code, out, _ = run(capsys, "show", "--offline", "--format", "json", first)
    record = json.loads(out)
    assert record["starred"] is True and record["note"] == "check the ablation"


def test_tag_and_untag_several_ids(capsys, day_ids):
    first, second, third = day_ids[:3]
    code, out, err = run(capsys, "tag", "--offline", first, second, third, "--tags", "llm,vision")
    assert code == 0 and out == ""
    with Library.open() as library:
        tags = library.view().tags
        assert all(tags[paper_id] == ("llm", "vision") for paper_id in (first, second, third))
    code, _, err = run(capsys, "untag", first, second, "--tags", "vision")
    assert code == 0 and f"{first}: llm" in err
    with Library.open() as library:
        assert library.tags_of(first) == ["llm"] and library.tags_of(third) == ["llm", "vision"]
        assert library.paper(second).title != second  # details were kept with the tag


def test_note_prints_sets_reads_stdin_and_deletes(capsys, monkeypatch, day_ids):
    paper_id = day_ids[0]
    assert run(capsys, "note", paper_id) == (0, "", "")
    code, out, err = run(capsys, "note", "--offline", paper_id, "first thought")
    assert code == 0 and out == "" and "note saved" in err
    assert run(capsys, "note", paper_id)[1] == "first thought\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO("from stdin\nsecond line\n"))
    assert run(capsys, "note", paper_id, "-")[0] == 0
    assert run(capsys, "note", paper_id)[1] == "from stdin\nsecond line\n"
    code, _, err = run(capsys, "note", paper_id, "")
    assert code == 0 and "note deleted" in err
    with Library.open() as library:
        assert library.note(paper_id) == ""


def test_read_state_marks_several_ids(capsys, day_ids):
    code, out, err = run(capsys, "read-state", *day_ids[:3], "--read")
    assert code == 0 and out == "" and "marked read: 3 papers" in err
    with Library.open() as library:
        assert library.read_ids() == set(day_ids[:3])
    run(capsys, "read-state", day_ids[0], "--unread")
    with Library.open() as library:
        assert library.read_ids() == set(day_ids[1:3])


def test_date_phrases_as_the_palette_reads_them(capsys):
    """`--date yesterday` asks for yesterday's list (here: nothing cached offline, so the
    error names the day it understood)."""
    yesterday = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    code, _, err = run(capsys, "list", "--offline", "--date", "yesterday")
    assert code == 3 and yesterday.isoformat() in err


def test_date_phrase_finds_a_sample_day(capsys, monkeypatch, sample_days):
    """`last monday` relative to a fixed today lands on the recorded Monday."""
    from papershelf.core import dates

    monkeypatch.setattr(dates, "today_utc", lambda now=None: dt.date(2026, 8, 21))
    code, out, err = run(capsys, "list", "--offline", "--date", "last monday", "--format", "ids")
    assert code == 0, err
    assert len(out.split()) == len(sample_days["2026-08-17"])


def test_paths_library_and_config_have_json(capsys):
    code, out, _ = run(capsys, "paths", "--format", "json")
    assert code == 0
    locations = json.loads(out)
    assert locations["log"] == str(paths.log_file())
    assert locations["library"] == str(paths.library_file())
    code, out, _ = run(capsys, "library", "--format", "json")
    assert code == 0
    info = json.loads(out)
    assert info["status"] == "ok" and info["starred_papers"] == 0
    code, out, _ = run(capsys, "config", "--format", "json")
    assert code == 0 and json.loads(out)["settings"]["theme"] == "textual-dark"


# --- bulk edits -------------------------------------------------------------------------------


def test_bulk_star_reads_each_cached_list_once(capsys, monkeypatch, sample_days):
    """Starring many papers looks them up in one pass over the cache (it used to read every
    cached list once per paper)."""
    from papershelf.data.cache import ResponseCache

    cache = ResponseCache()
    ids = []
    for day in sorted(sample_days)[:3]:
        cache.put(f"daily:{day}", json.dumps(sample_days[day]).encode())
        ids += [paper.id for paper in parse_entries(sample_days[day]).papers]
    cache.close()
    reads: list[str] = []
    original_get = ResponseCache.get

    def counting_get(self, key):
        reads.append(key)
        return original_get(self, key)

    monkeypatch.setattr(ResponseCache, "get", counting_get)
    code, _, err = run(capsys, "star", "--offline", *ids)
    assert code == 0 and "no details found" not in err
    list_reads = [key for key in reads if key.startswith("daily:")]
    assert sorted(list_reads) == sorted(f"daily:{day}" for day in sorted(sample_days)[:3])
    with Library.open() as library:
        assert library.starred_ids() == set(ids)
        assert all(paper.title != paper.id for paper in library.starred_papers())


# --- conventions ------------------------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_name_the_commands(shell, capsys):
    code, out, _ = run(capsys, "completion", shell)
    assert code == 0
    for command in ("list", "star", "read-state", "completion"):
        assert command in out
    assert "--format" in out


def test_other_commands_never_import_the_completion_or_toml_writer():
    code = (
        "import sys\n"
        "from papershelf.cli import main\n"
        "main(['paths'])\n"
        "main(['config'])\n"
        "assert 'shtab' not in sys.modules, 'shtab'\n"
        "assert 'tomlkit' not in sys.modules, 'tomlkit'\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr


def test_hf_hub_offline_means_offline(capsys, monkeypatch, hub):
    """With HF_HUB_OFFLINE=1 nothing is asked of Hugging Face, as with --offline."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    code, out, err = run(capsys, "list", "--date", DAY, "--format", "ids")
    assert code == 0 and out.split()
    assert "sample" in err
    code, _, err = run(capsys, "show", "2601.00001")
    assert code == 3
    assert hub.requests == []


def test_hf_hub_offline_stops_the_hub_client_too(monkeypatch, hub):
    """The reader has no --offline: the client itself refuses to ask."""
    import asyncio

    from papershelf.core.errors import Offline
    from papershelf.data.hub import HubClient

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    async def ask() -> None:
        client = HubClient()
        try:
            await client.paper("2601.00001")
        finally:
            await client.aclose()

    with pytest.raises(Offline, match="HF_HUB_OFFLINE"):
        asyncio.run(ask())
    assert hub.requests == []


def test_debug_writes_requests_and_cache_decisions_to_the_log(capsys, hub):
    code, _, _ = run(capsys, "--debug", "list", "--date", DAY, "--format", "ids")
    assert code == 0
    code, _, _ = run(capsys, "--debug", "list", "--date", DAY, "--format", "ids")
    text = paths.log_file().read_text(encoding="utf-8")
    assert "GET /api/daily_papers" in text and " ms" in text
    assert f"cache daily:{DAY}: miss" in text
    assert f"cache daily:{DAY}:" in text and "fresh" in text
    assert "papershelf list: exit 0 after" in text


def test_papershelf_log_variable_writes_the_log(capsys, monkeypatch, hub):
    monkeypatch.setenv("PAPERSHELF_LOG", "debug")
    assert run(capsys, "list", "--date", DAY, "--format", "ids")[0] == 0
    assert "GET /api/daily_papers" in paths.log_file().read_text(encoding="utf-8")


def test_no_log_without_asking(capsys, hub):
    assert run(capsys, "list", "--date", DAY, "--format", "ids")[0] == 0
    assert not paths.log_file().exists()


def test_version_prints_before_the_parser_is_built(capsys, monkeypatch):
    def no_parser():
        raise AssertionError("the parser was built")

    monkeypatch.setattr(cli, "build_parser", no_parser)
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"papershelf {papershelf.__version__}\n"


def test_cached_papers_prefers_a_cached_detail_and_leaves_unknown_ids_out():
    """One pass: a cached detail (merged with its list entry), list entries, the sample."""
    from papershelf.data.cache import ResponseCache
    from papershelf.data.feeds import Feeds
    from tests.conftest import FIXTURES

    entry = json.loads((FIXTURES / "daily_entry_2602.23229.json").read_text(encoding="utf-8"))
    detail = dict(entry["paper"], title="The detail's own title")
    cache = ResponseCache()
    cache.put("paper:2602.23229", json.dumps(detail).encode())
    cache.put("daily:2026-03-02", json.dumps([entry]).encode())
    feeds = Feeds(cache=cache)
    found = feeds.cached_papers(["2602.23229", "2601.99999"])
    cache.close()
    assert list(found) == ["2602.23229"]
    assert found["2602.23229"].title == "The detail's own title"
    assert found["2602.23229"].comments == entry["numComments"] == 1  # from the list entry
