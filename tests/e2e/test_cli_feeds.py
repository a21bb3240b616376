"""`papershelf list`, `show` and `paths` run in-process, plus the real console script once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from papershelf.cli import main
from papershelf.core.model import parse_entries
from papershelf.data.paths import all_paths
from tests.data.hubserver import hub_endpoint, serve_days

NEWEST = "2026-08-21"


@pytest.fixture
def hub(httpserver, sample_days, monkeypatch):
    """The recorded sample days served locally as HF_ENDPOINT."""
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    return serve_days(httpserver, sample_days)


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


LIBRARY_FIELDS = {"starred": False, "tags": [], "note": None, "read": False}
"""What `--format json` adds to each record for a paper the library does not hold."""


def records(response: list) -> list[dict]:
    return [paper.to_record() | LIBRARY_FIELDS for paper in parse_entries(response).papers]


def test_list_json_equals_recorded_day(hub, sample_days, capsys):
    """`list --date D --format json` is the recorded day, paper for paper, stdout data only."""
    assert main(["list", "--date", "2026-08-19", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json_lines(out) == records(sample_days["2026-08-19"])
    assert err == ""


def test_list_default_is_latest_day(hub, sample_days, capsys):
    assert main(["list", "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    assert json_lines(out) == records(sample_days[NEWEST])


def test_list_json_has_the_documented_keys(hub, capsys):
    main(["list", "--format", "json"])
    first = json_lines(capsys.readouterr().out)[0]
    expected = {
        "id", "title", "authors", "summary", "published", "daily_date", "upvotes", "comments",
        "github", "github_stars", "project_page", "ai_summary", "keywords", "organization",
        "hf_url", "arxiv_url", "pdf_url",
    }  # fmt: skip
    assert expected <= first.keys()


def test_list_ids_and_cached_label_on_stderr(hub, sample_days, capsys):
    """A second run is served from the cache; the label goes to stderr, ids to stdout."""
    main(["list", "--format", "ids"])
    capsys.readouterr()
    assert main(["list", "--format", "ids"]) == 0
    out, err = capsys.readouterr()
    assert out.split() == [r["id"] for r in records(sample_days[NEWEST])]
    assert "cached" in err
    assert len(hub.requests) == 1


def test_list_table_is_literal_text(httpserver, sample_days, monkeypatch, capsys):
    """Markup-like titles are printed as they are."""
    entries = json.loads(json.dumps(sample_days[NEWEST]))
    entries[0]["paper"]["title"] = "GPT-[n] and [bold]o-[n][/bold] Models"
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    serve_days(httpserver, {**sample_days, NEWEST: entries})
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["list"]) == 0
    out, err = capsys.readouterr()
    assert "GPT-[n] and [bold]o-[n][/bold] Models" in out
    assert "Latest · Fri 2026-08-21" in err


def test_list_offline_empty_cache_prints_sample(capsys, sample_days):
    assert main(["list", "--offline", "--format", "ids"]) == 0
    out, err = capsys.readouterr()
    assert out.split() == [r["id"] for r in records(sample_days[max(sample_days)])]
    assert "sample" in err


def test_list_specific_day_offline_with_nothing_cached_fails(capsys):
    assert main(["list", "--offline", "--date", "2026-08-14"]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("papershelf: error: Nothing is cached for 2026-08-14")
    assert "Traceback" not in err


def test_list_a_sample_day_offline_with_nothing_cached(capsys, sample_days):
    """The bundled sample is browsable by day without a network or a cache."""
    assert main(["list", "--offline", "--date", "2026-08-20", "--format", "ids"]) == 0
    out, err = capsys.readouterr()
    assert len(out.split()) == len(sample_days["2026-08-20"])
    assert "Daily · Thu 2026-08-20" in err and "sample" in err


@pytest.mark.parametrize(
    ("argv", "code", "fragment"),
    [
        (["list", "--date", "2026-02-30"], 2, "not a real calendar date"),
        (["list", "--date", "2999-01-01"], 2, "in the future"),
        (["list", "--week", "2026-W60"], 2, "no week 60"),
        (["list", "--month", "1999-01"], 2, "begin on 2023-05-04"),
        (["show", "not-a-paper"], 2, "is not an arXiv id"),
    ],
)
def test_bad_input_is_one_sentence_on_stderr(argv, code, fragment, capsys):
    assert main(argv) == code
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and fragment in err


def test_list_network_down_for_a_day_fails_plainly(capsys, monkeypatch):
    """HF_ENDPOINT points at a closed port (conftest): a plain error, exit 3 (network)."""
    from papershelf.data import hub

    monkeypatch.setattr(hub, "RETRY_BUDGET_SECONDS", 0.0)  # fail at once instead of backing off
    assert main(["list", "--date", "2026-08-14"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("papershelf: error: Cannot reach Hugging Face")


def test_list_network_down_for_a_sample_day_shows_the_sample(capsys, monkeypatch):
    from papershelf.data import hub

    monkeypatch.setattr(hub, "RETRY_BUDGET_SECONDS", 0.0)
    assert main(["list", "--date", "2026-08-19", "--format", "ids"]) == 0
    out, err = capsys.readouterr()
    assert out.split() and "sample" in err and "Cannot reach Hugging Face" in err


def test_show_json_and_text(hub, sample_days, capsys):
    paper_id = sample_days[NEWEST][0]["paper"]["id"]
    assert main(["show", f"https://huggingface.co/papers/{paper_id}", "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["id"] == paper_id
    assert main(["show", f"arXiv:{paper_id}v2"]) == 0
    text = capsys.readouterr().out
    assert text.startswith(record["title"])
    assert f"arXiv: https://arxiv.org/abs/{paper_id}" in text


def test_show_unknown_paper(hub, capsys):
    assert main(["show", "2401.99999"]) == 1
    assert "2401.99999" in capsys.readouterr().err


def test_paths(capsys):
    assert main(["paths"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"{name}: {path}" for name, path in all_paths().items()]


def test_console_script_offline_ids(isolated_home):
    """The real `python -m papershelf` prints the bundled sample's ids with an empty cache."""
    env = {**os.environ, "PAPERSHELF_HOME": str(isolated_home)}
    result = subprocess.run(
        [sys.executable, "-m", "papershelf", "list", "--offline", "--format", "ids"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    ids = result.stdout.split()
    assert len(ids) >= 10 and all(len(i) >= 9 for i in ids)
    assert "sample" in result.stderr


def test_show_merges_the_listed_entry(hub, sample_days, capsys):
    """The detail lacks comments and thumbnail; the day's list (cached by `list`) has them."""
    entry = next(e for e in sample_days["2026-08-19"] if e.get("numComments"))
    assert main(["list", "--date", "2026-08-19", "--format", "ids"]) == 0
    capsys.readouterr()
    assert main(["show", entry["paper"]["id"], "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["comments"] == entry["numComments"]
    assert record["thumbnail"] == entry["thumbnail"]


def test_show_falls_back_to_the_listed_entry_with_a_note(hub, sample_days, capsys):
    entry = sample_days["2026-08-19"][0]
    paper_id = entry["paper"]["id"]
    assert main(["list", "--date", "2026-08-19", "--format", "ids"]) == 0
    capsys.readouterr()
    hub.papers[paper_id] = None  # the detail now answers with something unusable
    hub.days.pop("2026-08-19")  # ... or 404s
    hub.papers.pop(paper_id)
    assert main(["show", paper_id]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(parse_entries([entry]).papers[0].title)
    assert "papershelf: note: Hugging Face does not know paper" in err
    assert "as listed" in err


def test_show_offline_uses_the_sample(capsys, sample_days):
    entry = sample_days["2026-08-18"][0]
    assert main(["show", entry["paper"]["id"], "--offline"]) == 0
    out, err = capsys.readouterr()
    assert "featured 2026-08-18" in out
    assert "papershelf: note:" in err and "offline" in err


def test_show_uses_singular_counts(hub, sample_days, capsys):
    entry = json.loads(json.dumps(sample_days[NEWEST][0]))
    entry["paper"]["id"] = "2608.99991"
    entry["paper"]["upvotes"] = 1
    entry["numComments"] = 1
    hub.days[NEWEST] = [entry, *hub.days[NEWEST]]
    assert main(["list", "--date", NEWEST, "--format", "ids"]) == 0
    capsys.readouterr()
    assert main(["show", "2608.99991"]) == 0
    assert " · 1 upvote · 1 comment\n" in capsys.readouterr().out


def test_show_accepts_old_style_ids(hub, sample_days, capsys):
    """`list` prints old-style ids such as cs/0101001; `show` takes them back."""
    entry = json.loads(json.dumps(sample_days[NEWEST][0]))
    entry["paper"]["id"] = "cs/0101001"
    hub.days[NEWEST] = [entry, *hub.days[NEWEST]]
    assert main(["list", "--date", NEWEST, "--format", "ids"]) == 0
    assert "cs/0101001" in capsys.readouterr().out.split()
    assert main(["show", "cs/0101001", "--offline", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["id"] == "cs/0101001"
    assert "not an arXiv id" not in err


def test_list_help_says_json_lines(capsys):
    with pytest.raises(SystemExit):
        main(["list", "--help"])
    assert "JSON Lines (one object per line)" in " ".join(capsys.readouterr().out.split())
