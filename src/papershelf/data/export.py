"""Writing papers to a file (.bib, .ris, .md, .txt, .json, CSL-JSON), appending without duplicates.

A regular file is written through a temporary file and `os.replace`, so a kill never leaves
half a file; a FIFO or a device is written straight through, and `-` is standard output.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from papershelf.core import cite, cite_keys
from papershelf.core.errors import InvalidInput, PapershelfError
from papershelf.core.links import normalize_paper_id
from papershelf.core.model import Paper
from papershelf.core.text import to_json
from papershelf.data.atomic import STDOUT_NAME, is_special_file, write_user_file

EXPORT_FORMATS: dict[str, str] = {
    **{name: spec.label for name, spec in cite.FORMATS.items()},
    "json": "papershelf JSON",
}
"""Formats a file can hold, by name: the citation formats plus papershelf's own JSON records."""
EXTENSIONS: dict[str, str] = {
    ".bib": "bibtex",
    ".ris": "ris",
    ".md": "card",
    ".markdown": "card",
    ".txt": "plain",
    ".csl.json": "csl-json",
    ".json": "json",
}
"""The format chosen for a file name ending, when none is given (longest ending first)."""

_BIB_FORMATS = ("bibtex", "biblatex")
_JSON_FORMATS = ("json", "csl-json")
# `@misc{key,` (or `@misc(key,`); @comment, @string and @preamble carry no key.
_BIB_ENTRY = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s{}()]+)\s*,")
_BIB_EPRINT = re.compile(r"\beprint\s*=\s*[{\"]\s*(?:arxiv:)?([^}\"\s]+)", re.IGNORECASE)
_RIS_KEY = re.compile(r"^ID  - (.+?)\s*$", re.MULTILINE)
_MENTIONED_ID = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|huggingface\.co/papers/|hf\.co/papers/|arXiv[:.])"
    r"(\d{4}\.\d{4,5})",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What an export did."""

    added: int
    """Papers written."""
    skipped: int
    """Papers already in the file (appending), left out."""
    path: Path
    fmt: str = "bibtex"
    """The format name written."""

    @property
    def message(self) -> str:
        """One sentence for the user: `Exported 3 papers to refs.bib (2 already there).`"""
        noun = "paper" if self.added == 1 else "papers"
        text = f"Exported {self.added} {noun} to {self.path}"
        if self.skipped:
            text += f" ({self.skipped} already there)"
        return text + "."


@dataclass(slots=True)
class _Existing:
    """What a file being appended to already holds."""

    text: str = ""
    ids: frozenset[str] = frozenset()
    keys: frozenset[str] = frozenset()
    """Citekeys of every entry."""
    keys_without_id: frozenset[str] = frozenset()
    """Citekeys of entries with no arXiv id (hand-written ones): a match means the same paper."""
    records: list[Any] | None = None
    """The parsed array of a JSON file."""


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format to write: `fmt` when given, else the one the file name's ending implies."""
    _refuse_folder(path)
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            names = ", ".join(EXPORT_FORMATS)
            raise InvalidInput(f"Unknown export format '{fmt}'; choose one of {names}.")
        return fmt
    name = path.name.lower()
    for ending, name_format in EXTENSIONS.items():
        if name.endswith(ending):
            return name_format
    endings = ", ".join(EXTENSIONS)
    raise InvalidInput(f"Cannot tell the format of '{path.name}'; use {endings} or --format.")


def export_papers(
    papers: Iterable[Paper], path: Path | str, fmt: str | None = None, append: bool = True
) -> ExportReport:
    """Write `papers` to `path`; when appending, papers already in the file are skipped.

    A paper is already in a file when its arXiv id is (BibTeX `eprint`, a link, a record id),
    or, in BibTeX, when its citekey names an entry without an id. New citekeys never reuse one
    in the file.
    """
    target = Path(path).expanduser()
    name = format_for(target, fmt)  # also refuses a folder
    batch = cite.distinct(papers)
    # A FIFO, a device or stdout is written, never read back: reading would block or consume.
    special = is_special_file(target)
    existing = _read_existing(target, name) if append and not special else _Existing()
    new = [paper for paper in batch if not _already_there(paper, existing)]
    skipped = len(batch) - len(new)
    if append and not new and target.exists():
        return ExportReport(0, skipped, target, name)
    text = _render(new, name, existing)
    try:
        write_user_file(target, text)
    except OSError as error:
        raise PapershelfError(
            f"Could not write {target}: {_reason(error)}.", "Export failed"
        ) from error
    return ExportReport(len(new), skipped, target, name)


def _refuse_folder(path: Path) -> None:
    if str(path) != STDOUT_NAME and Path(path).expanduser().is_dir():
        raise InvalidInput(
            f"{path} is a folder; give a file name inside it, such as {Path(path) / 'refs.bib'}."
        )


def _reason(error: OSError) -> str:
    """The plain words of an OS error (`Permission denied`), without `[Errno 13]`."""
    return error.strerror or type(error).__name__


def _already_there(paper: Paper, existing: _Existing) -> bool:
    if paper.id in existing.ids:
        return True
    return cite_keys.citekey(paper) in existing.keys_without_id


def _render(papers: list[Paper], fmt: str, existing: _Existing) -> str:
    if fmt in _JSON_FORMATS:
        records = list(existing.records or [])
        if fmt == "json":
            records += [paper.to_record() for paper in papers]
        else:
            keys = cite_keys.unique_citekeys(papers, existing.keys)
            records += [cite.csl_item(p, k) for p, k in zip(papers, keys, strict=True)]
        return to_json(records, indent=2) + "\n"
    block = cite.format_papers(papers, fmt, taken_keys=existing.keys)
    head = existing.text.rstrip()
    if not head:
        return block + "\n"
    separator = "\n" if fmt in ("apa", "markdown", "plain") else "\n\n"
    return head + separator + block + "\n"


def _read_existing(path: Path, fmt: str) -> _Existing:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return _Existing()
    except OSError as error:
        raise PapershelfError(
            f"Could not read {path} to append to it: {_reason(error)}.", "Export failed"
        ) from error
    except UnicodeDecodeError as error:
        raise PapershelfError(
            f"Could not read {path} to append to it: it is not UTF-8 text.", "Export failed"
        ) from error
    if fmt in _JSON_FORMATS:
        return _existing_json(path, text)
    if fmt in _BIB_FORMATS:
        return _existing_bib(text)
    keys = frozenset(_RIS_KEY.findall(text)) if fmt == "ris" else frozenset()
    return _Existing(text, frozenset(_MENTIONED_ID.findall(text)), keys)


def _existing_bib(text: str) -> _Existing:
    """Keys and eprints of a .bib file, by a forgiving scan (no BibTeX parser at run time)."""
    ids: set[str] = set()
    keys: set[str] = set()
    keys_without_id: set[str] = set()
    heads = [m for m in _BIB_ENTRY.finditer(text) if m.group(1).lower() != "comment"]
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        body = text[head.end() : end]
        key = head.group(2)
        keys.add(key)
        eprint = _BIB_EPRINT.search(body)
        paper_id = normalize_paper_id(eprint.group(1)) if eprint else None
        mentioned = _MENTIONED_ID.search(body)
        paper_id = paper_id or (mentioned.group(1) if mentioned else None)
        if paper_id:
            ids.add(paper_id)
        else:
            keys_without_id.add(key)
    return _Existing(text, frozenset(ids), frozenset(keys), frozenset(keys_without_id))


def _existing_json(path: Path, text: str) -> _Existing:
    if not text.strip():
        return _Existing(records=[])
    try:
        records = json.loads(text)
    except json.JSONDecodeError:
        records = None
    if not isinstance(records, list):
        raise InvalidInput(
            f"{path} is not a JSON array of papers; export to a new file or overwrite it."
        )
    ids: set[str] = set()
    keys: set[str] = set()
    for record in records:
        if not isinstance(record, dict):
            continue
        if isinstance(record.get("id"), str):
            keys.add(record["id"])
        for value in (record.get("id"), record.get("number"), record.get("URL")):
            paper_id = normalize_paper_id(value) if isinstance(value, str) else None
            found = _MENTIONED_ID.search(value) if isinstance(value, str) else None
            if paper_id or found:
                ids.add(paper_id or found.group(1))  # type: ignore[union-attr]
    return _Existing(text, frozenset(ids), frozenset(keys), records=records)
