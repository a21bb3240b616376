"""Exporting papers to files: each format, appending without duplicates, atomic writes."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import bibtexparser
import pytest

from papershelf.core import cite_keys
from papershelf.core.errors import InvalidInput, PapershelfError
from papershelf.core.model import Author, Paper, paper_from_record
from papershelf.data import export
from papershelf.data.export import ExportReport, export_papers


def make_paper(number: int, title: str | None = None, surname: str = "Smith") -> Paper:
    return Paper(
        id=f"2501.{number:05d}",
        title=title or f"Paper number {number} with 100% & $5",
        authors=(Author(f"Jane {surname}"), Author("Ravi Kumar")),
        published=dt.date(2025, 1, 2),
        summary="An abstract.",
        upvotes=number,
    )


PAPERS = [make_paper(1), make_paper(2), make_paper(3)]


def bib_entries(path):
    library = bibtexparser.parse_string(path.read_text("utf-8"))
    assert library.failed_blocks == []
    return library.entries


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("refs.bib", "bibtex"),
        ("refs.ris", "ris"),
        ("notes.md", "card"),
        ("list.txt", "plain"),
        ("papers.json", "json"),
        ("refs.csl.json", "csl-json"),
        ("REFS.BIB", "bibtex"),
    ],
)
def test_format_from_file_name(tmp_path, name, fmt):
    assert export.format_for(tmp_path / name) == fmt


def test_unknown_ending_needs_a_format(tmp_path):
    with pytest.raises(InvalidInput, match="--format"):
        export.format_for(tmp_path / "refs.docx")
    with pytest.raises(InvalidInput):
        export.format_for(tmp_path / "refs.bib", "docx")


def test_bib_file(tmp_path):
    target = tmp_path / "refs.bib"
    report = export_papers(PAPERS, target)
    assert report == ExportReport(3, 0, target, "bibtex")
    assert [entry["eprint"] for entry in bib_entries(target)] == [p.id for p in PAPERS]
    assert target.read_text("utf-8").endswith("}\n")


def test_biblatex_file(tmp_path):
    target = tmp_path / "refs.bib"
    export_papers(PAPERS, target, "biblatex")
    assert {entry.entry_type for entry in bib_entries(target)} == {"online"}


def test_ris_file(tmp_path):
    target = tmp_path / "refs.ris"
    export_papers(PAPERS, target)
    text = target.read_text("utf-8")
    assert text.count("TY  - UNPB") == 3 and text.count("ER  - ") == 3


def test_markdown_file(tmp_path):
    target = tmp_path / "reading.md"
    export_papers(PAPERS, target)
    assert target.read_text("utf-8").count("[Hugging Face](https://huggingface.co/papers/") == 3


def test_json_file_round_trips(tmp_path):
    target = tmp_path / "papers.json"
    export_papers(PAPERS, target)
    records = json.loads(target.read_text("utf-8"))
    assert [paper_from_record(record) for record in records] == PAPERS


def test_csl_json_file(tmp_path):
    target = tmp_path / "refs.json"
    export_papers(PAPERS, target, "csl-json")
    items = json.loads(target.read_text("utf-8"))
    assert [item["number"] for item in items] == [f"arXiv:{p.id}" for p in PAPERS]


def test_append_to_bib_skips_papers_already_there(tmp_path):
    """Entries matched by eprint (any spelling) or by the key of an id-less entry are skipped."""
    target = tmp_path / "refs.bib"
    target.write_text(
        "% my references\n"
        "@article{hand2020written, title={Mine}, year=2020}\n\n"
        '@misc{whatever, eprint = "2501.00001", title = "Kept"}\n\n'
        "@misc{other,\n  eprint={arXiv:2501.00002v3},\n}\n"
        f"@article{{{cite_keys.citekey(PAPERS[2])}, title={{Typed by hand}}}}\n",
        encoding="utf-8",
    )
    original = target.read_text("utf-8")
    papers = [*PAPERS, make_paper(4)]
    report = export_papers(papers, target)
    assert (report.added, report.skipped) == (1, 3)
    assert report.message == f"Exported 1 paper to {target} (3 already there)."
    text = target.read_text("utf-8")
    assert text.startswith(original.rstrip())
    assert [e["eprint"] for e in bib_entries(target) if "eprint" in e][-1] == "2501.00004"


def test_append_twice_adds_nothing_and_leaves_the_file_alone(tmp_path):
    target = tmp_path / "refs.bib"
    export_papers(PAPERS, target)
    before = target.stat().st_mtime_ns, target.read_text("utf-8")
    report = export_papers(PAPERS, target)
    assert (report.added, report.skipped) == (0, 3)
    assert (target.stat().st_mtime_ns, target.read_text("utf-8")) == before


def test_append_never_reuses_a_key_in_the_file(tmp_path):
    """A different paper whose key is taken by an entry with another eprint gets a suffix."""
    target = tmp_path / "refs.bib"
    clash = make_paper(9, title="Scaling Laws")
    key = cite_keys.citekey(clash)
    target.write_text(f"@misc{{{key},\n  eprint={{2401.99999}},\n}}\n", encoding="utf-8")
    assert export_papers([clash], target).added == 1
    assert [entry.key for entry in bib_entries(target)] == [key, f"{key}a"]


def test_append_to_text_formats_matches_ids_in_links(tmp_path):
    target = tmp_path / "list.txt"
    export_papers(PAPERS[:2], target)
    report = export_papers(PAPERS, target)
    assert (report.added, report.skipped) == (1, 2)
    assert len(target.read_text("utf-8").splitlines()) == 3


def test_append_to_json_merges_records(tmp_path):
    target = tmp_path / "papers.json"
    export_papers(PAPERS[:2], target)
    report = export_papers(PAPERS, target)
    assert (report.added, report.skipped) == (1, 2)
    assert [r["id"] for r in json.loads(target.read_text("utf-8"))] == [p.id for p in PAPERS]


def test_append_to_csl_json_merges_items(tmp_path):
    target = tmp_path / "refs.csl.json"
    export_papers(PAPERS[:1], target)
    report = export_papers(PAPERS, target)
    assert (report.added, report.skipped) == (2, 1)
    assert len(json.loads(target.read_text("utf-8"))) == 3


def test_json_file_of_another_shape_is_refused(tmp_path):
    target = tmp_path / "papers.json"
    target.write_text('{"not": "a list"}', encoding="utf-8")
    with pytest.raises(InvalidInput):
        export_papers(PAPERS, target)
    assert target.read_text("utf-8") == '{"not": "a list"}'


def test_overwrite(tmp_path):
    target = tmp_path / "refs.bib"
    target.write_text("@misc{old, eprint={2501.00001}}\n", encoding="utf-8")
    report = export_papers(PAPERS, target, append=False)
    assert (report.added, report.skipped) == (3, 0)
    assert "old" not in target.read_text("utf-8")


def test_write_is_atomic(tmp_path, monkeypatch):
    """If the final rename fails, the old file is intact and no temporary file is left."""
    target = tmp_path / "refs.bib"
    target.write_text("@misc{old, eprint={2401.00001}}\n", encoding="utf-8")

    def failing_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(PapershelfError, match="No space left on device"):
        export_papers(PAPERS, target)
    assert target.read_text("utf-8") == "@misc{old, eprint={2401.00001}}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]


def test_existing_file_keeps_its_permissions(tmp_path):
    """Rewriting a shared 0644 (or a private 0600) .bib keeps its mode."""
    for mode in (0o644, 0o600, 0o664):
        target = tmp_path / f"refs{mode:o}.bib"
        target.write_text("@misc{old, eprint={2401.00001}}\n", encoding="utf-8")
        target.chmod(mode)
        export_papers(PAPERS, target)
        assert stat.S_IMODE(target.stat().st_mode) == mode
        assert "2501.00001" in target.read_text("utf-8")


def test_new_file_honours_the_umask(tmp_path):
    old_umask = os.umask(0o022)
    try:
        export_papers(PAPERS, tmp_path / "new.bib")
        os.umask(0o077)
        export_papers(PAPERS, tmp_path / "private.bib")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "new.bib").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.bib").stat().st_mode) == 0o600


def test_symlinked_file_is_updated_through_the_link(tmp_path):
    """The link stays a link and the file it points to gets the papers."""
    real_dir = tmp_path / "thesis"
    real_dir.mkdir()
    real = real_dir / "refs.bib"
    real.write_text("@misc{old, eprint={2401.00001}}\n", encoding="utf-8")
    real.chmod(0o644)
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    report = export_papers(PAPERS, link)
    assert report.added == 3
    assert link.is_symlink() and link.resolve() == real
    assert "2501.00003" in real.read_text("utf-8") and "old" in real.read_text("utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    assert sorted(p.name for p in real_dir.iterdir()) == ["refs.bib"]


def test_dangling_symlink_creates_its_target(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    real = tmp_path / "elsewhere" / "refs.bib"
    link = tmp_path / "refs.bib"
    link.symlink_to(real)
    export_papers(PAPERS, link)
    assert link.is_symlink() and real.is_file()


def test_missing_folders_are_refused_not_made(tmp_path):
    """A typo in a folder name must not leave a tree of new folders behind."""
    target = tmp_path / "a" / "b" / "refs.ris"
    with pytest.raises(PapershelfError) as caught:
        export_papers(PAPERS, target)
    assert caught.value.message == (
        f"Could not write {target}: the folder {os.path.realpath(tmp_path / 'a' / 'b')} "
        "does not exist "
        "(create it first)."
    )
    assert list(tmp_path.iterdir()) == []


def test_repeated_papers_are_written_once(tmp_path):
    target = tmp_path / "refs.bib"
    assert export_papers([PAPERS[0], PAPERS[0]], target).added == 1


def test_a_folder_is_refused_in_plain_words(tmp_path):
    folder = tmp_path / "refs.bib"
    folder.mkdir()
    for target, fmt in ((tmp_path, "bibtex"), (folder, None)):
        with pytest.raises(InvalidInput, match="is a folder; give a file name") as caught:
            export_papers(PAPERS, target, fmt)
        assert "Errno" not in caught.value.message


def test_unreadable_file_is_reported_without_errno(tmp_path, monkeypatch):
    target = tmp_path / "refs.bib"
    target.write_text("", encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(type(target), "read_text", refuse)
    with pytest.raises(PapershelfError) as caught:
        export_papers(PAPERS, target)
    assert caught.value.message == f"Could not read {target} to append to it: Permission denied."
