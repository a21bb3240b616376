"""`papershelf cite` and `papershelf export` in-process against local servers, plus the script."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import bibtexparser
import pytest

from papershelf.cli import main
from papershelf.core import cite
from papershelf.core.model import parse_entries
from papershelf.data.library import Library
from tests.data.hubserver import hub_endpoint, serve_days

DAY = "2026-08-19"
ARXIV_ENTRY = "@misc{arxivkey2026,\n      title={From arXiv},\n      primaryClass={cs.CL},\n}"


@pytest.fixture
def hub(httpserver, sample_days, monkeypatch):
    """The bundled sample served as HF_ENDPOINT; arXiv's endpoint on the same server."""
    monkeypatch.setenv("HF_ENDPOINT", hub_endpoint(httpserver))
    monkeypatch.setenv("ARXIV_ENDPOINT", hub_endpoint(httpserver))
    return serve_days(httpserver, sample_days)


@pytest.fixture
def day_papers(sample_days):
    return parse_entries(sample_days[DAY]).papers


def parse_bib(text: str) -> list:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return library.entries


def test_cite_prints_bibtex(hub, day_papers, capsys):
    """Ids in any spelling, repeats dropped: one parseable entry per paper, nothing on stderr."""
    first, second = day_papers[:2]
    argv = ["cite", f"arXiv:{first.id}v2", f"https://huggingface.co/papers/{second.id}", first.id]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert [entry["eprint"] for entry in parse_bib(out)] == [first.id, second.id]
    assert out == cite.format_papers([first, second], "bibtex") + "\n"
    assert err == ""


@pytest.mark.parametrize("fmt", list(cite.FORMATS))
def test_cite_every_format(hub, day_papers, capsys, fmt):
    assert main(["cite", day_papers[0].id, "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert out == cite.format_papers([day_papers[0]], fmt) + "\n"
    if fmt == "csl-json":
        assert json.loads(out)[0]["URL"] == day_papers[0].arxiv_url


def test_cite_rejects_a_bad_id(hub, capsys):
    assert main(["cite", "not-an-id"]) == 2
    assert "papershelf: error: 'not-an-id' is not an arXiv id" in capsys.readouterr().err


def test_cite_unknown_paper(hub, capsys):
    assert main(["cite", "2501.99999"]) == 1
    assert capsys.readouterr().err.startswith("papershelf: error: ")


def test_cite_offline_falls_back_to_the_library_snapshot(day_papers, capsys):
    """No network, nothing cached: a starred paper's snapshot still gets cited."""
    paper = day_papers[0]
    with Library.open() as library:
        library.star([paper])
    assert main(["cite", paper.id, "--offline", "--format", "plain"]) == 0
    assert capsys.readouterr().out == cite.plain(paper) + "\n"


def test_cite_authoritative_prints_arxivs_entry(hub, httpserver, day_papers, capsys):
    paper = day_papers[0]
    httpserver.expect_request(f"/bibtex/{paper.id}").respond_with_data(ARXIV_ENTRY)
    assert main(["cite", paper.id, "--authoritative"]) == 0
    out, err = capsys.readouterr()
    assert out == ARXIV_ENTRY + "\n"
    assert err == ""


def test_cite_authoritative_falls_back_and_says_so(hub, httpserver, day_papers, capsys):
    paper = day_papers[0]
    httpserver.expect_request(f"/bibtex/{paper.id}").respond_with_data("", status=503)
    assert main(["cite", paper.id, "--authoritative"]) == 0
    out, err = capsys.readouterr()
    assert out == cite.bibtex(paper) + "\n"
    assert f"arXiv's entry was not available for {paper.id}" in err


def test_authoritative_is_for_bibtex_only(hub, capsys):
    assert main(["cite", "1706.03762", "--authoritative", "--format", "apa"]) == 2
    assert "--authoritative applies to --format bibtex only" in capsys.readouterr().err


def test_export_ids_then_append_skips(hub, day_papers, tmp_path, capsys):
    target = tmp_path / "refs.bib"
    ids = [paper.id for paper in day_papers[:3]]
    assert main(["export", str(target), "--ids", *ids[:2]]) == 0
    assert capsys.readouterr().err == f"Exported 2 papers to {target}.\n"
    assert main(["export", str(target), "--ids", *ids]) == 0
    assert capsys.readouterr().err == f"Exported 1 paper to {target} (2 already there).\n"
    assert [entry["eprint"] for entry in parse_bib(target.read_text("utf-8"))] == ids


def test_export_starred_by_default(day_papers, tmp_path, capsys):
    with Library.open() as library:
        library.star(day_papers[:2])
    target = tmp_path / "starred.ris"
    assert main(["export", str(target)]) == 0
    assert target.read_text("utf-8").count("TY  - ") == 2
    assert "Exported 2 papers" in capsys.readouterr().err


def test_export_tag_with_format(day_papers, tmp_path, capsys):
    with Library.open() as library:
        library.add_tags(day_papers[1:4], ["to-read"])
    target = tmp_path / "reading.json"
    assert main(["export", str(target), "--tag", "to-read", "--format", "csl-json"]) == 0
    items = json.loads(target.read_text("utf-8"))
    assert {item["URL"] for item in items} == {p.arxiv_url for p in day_papers[1:4]}


def test_export_with_nothing_starred(tmp_path, capsys):
    assert main(["export", str(tmp_path / "refs.bib")]) == 1
    assert capsys.readouterr().err == "papershelf: error: No starred papers to export.\n"
    assert not (tmp_path / "refs.bib").exists()


def test_export_unknown_file_type(tmp_path, capsys):
    assert main(["export", str(tmp_path / "refs.docx"), "--ids", "1706.03762"]) == 2
    assert "--format" in capsys.readouterr().err


def test_console_script_cite(hub, day_papers, isolated_home):
    """The real `python -m papershelf cite` against the local server."""
    env = {**os.environ, "PAPERSHELF_HOME": str(isolated_home)}
    result = subprocess.run(
        [sys.executable, "-m", "papershelf", "cite", day_papers[0].id, "--format", "markdown"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == cite.markdown_link(day_papers[0]) + "\n"
