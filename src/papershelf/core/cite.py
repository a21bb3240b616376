"""Citations built locally from a Paper: BibTeX, BibLaTeX, APA, Markdown, plain text, RIS, CSL-JSON.

Nothing here needs the network; arXiv's own BibTeX (exact year, primary class) is fetched by
`papershelf.data.arxiv` and only re-keyed here.

Names, years and citekeys come from `papershelf.core.cite_keys` (import them from there).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from papershelf.core.cite_keys import (
    citekey,
    split_name,
    unique_citekeys,
    year_of,
)
from papershelf.core.links import arxiv_doi, doi_url, is_openable
from papershelf.core.model import Paper
from papershelf.core.text import to_json

__all__ = [
    "APA_MAX_AUTHORS",
    "ARXIV_BIBTEX",
    "COPY_FORMATS",
    "FORMATS",
    "PLAIN_MAX_AUTHORS",
    "URL_FORMATS",
    "CopyFormat",
    "apa",
    "biblatex",
    "bibtex",
    "csl_item",
    "csl_json",
    "describe",
    "distinct",
    "format_label",
    "format_papers",
    "latex_escape",
    "latex_unescape",
    "markdown_card",
    "markdown_link",
    "plain",
    "plain_title",
    "ris",
]


@dataclass(frozen=True, slots=True)
class CopyFormat:
    """One thing a paper can be copied as: a link, a citation built here, or arXiv's BibTeX."""

    id: str
    """The name the copy menu dismisses with, `--format` takes and `copy('…')` actions carry."""
    key: str
    """The single key that picks it inside the copy menu."""
    label: str
    """Its one name, in the menu, the palette and messages (`Copied BibTeX for 3 papers`)."""
    extension: str | None = None
    """The usual file extension of a citation format; None for links and arXiv's BibTeX."""

    @property
    def is_citation(self) -> bool:
        """Built locally by `format_papers` (not a link, not fetched from arXiv)."""
        return self.extension is not None


ARXIV_BIBTEX = "arxiv_bibtex"
"""The authoritative BibTeX fetched from arXiv (falls back to the local entry offline)."""

COPY_FORMATS: tuple[CopyFormat, ...] = (
    CopyFormat("hf_url", "u", "Hugging Face URL"),
    CopyFormat("arxiv_url", "a", "arXiv URL"),
    CopyFormat("pdf_url", "p", "PDF URL"),
    CopyFormat("bibtex", "b", "BibTeX", "bib"),
    CopyFormat(ARXIV_BIBTEX, "B", "BibTeX from arXiv"),
    CopyFormat("biblatex", "l", "BibLaTeX", "bib"),
    CopyFormat("apa", "A", "APA reference", "txt"),
    CopyFormat("markdown", "m", "Markdown link", "md"),
    CopyFormat("card", "c", "Markdown card", "md"),
    CopyFormat("plain", "t", "plain text", "txt"),
    CopyFormat("ris", "r", "RIS", "ris"),
    CopyFormat("csl-json", "j", "CSL-JSON", "json"),
)
"""Every copy format, in copy-menu order: the one table of their ids, keys and names."""

URL_FORMATS: tuple[str, ...] = ("hf_url", "arxiv_url", "pdf_url")
"""Ids that copy a link (each a `Paper` attribute of that name) rather than a citation."""

FORMATS: dict[str, CopyFormat] = {f.id: f for f in COPY_FORMATS if f.is_citation}
"""The citation formats built here, by id, in menu order (`cite --format`, files, palette)."""


def format_label(format_id: str) -> str:
    """The name of a copy format id (the id itself when unknown)."""
    return next((f.label for f in COPY_FORMATS if f.id == format_id), format_id)


_LATEX_SPECIALS = {
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
}
# Inside kept math only these would break LaTeX (`%` even hides the rest of the line).
_MATH_SPECIAL = re.compile(r"(?<!\\)([&%#])")
# BibTeX counts every brace, escaped or not, so an unmatched one becomes a brace-free command.
_BRACE_WORDS = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_LATEX_UNESCAPES = {
    r"\&": "&",
    r"\%": "%",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
    r"\^{}": "^",
    "\\ ": " ",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textbackslash{}": "\\",
    r"\{": "{",
    r"\}": "}",
}
_LATEX_UNESCAPE = re.compile("|".join(re.escape(k) for k in _LATEX_UNESCAPES))
_AND_WORD = re.compile(r"\band\b", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
PLAIN_MAX_AUTHORS = 5
"""Plain text lists at most this many authors, then `et al.`."""
APA_MAX_AUTHORS = 20
"""APA 7 lists up to 20 authors; longer lists keep 19, an ellipsis and the last."""


# --- LaTeX ----------------------------------------------------------------------------------


def latex_escape(text: str) -> str:
    """Make text safe inside a BibTeX field and for LaTeX, leaving existing LaTeX alone.

    Bare `& % $ # _` are escaped; `\\&`, `\\$`, other backslash sequences and balanced braces
    stay as they are; unmatched braces become `\\textbraceleft{}` / `\\textbraceright{}`, since
    BibTeX rejects an unbalanced field. A `$…$` span holding math (a command, `^` or `_`) is kept
    as math (`$\\alpha$-NeRF`); a lone `$` is money (`$200k` -> `\\$200k`). A `^` outside math
    would stop LaTeX ("Missing $ inserted"), so it becomes `\\^{}`, which prints a caret
    (`X^{2}` -> `X\\^{}{2}`). Accents stay UTF-8.
    """
    # Every field is one line: a line break followed by `@` would start a new entry.
    text = " ".join(text.split())
    pieces: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            if index + 1 == len(text):
                pieces.append(r"\textbackslash{}")
            elif text[index + 1] in _BRACE_WORDS:
                # BibTeX counts `\{` as a brace and bibtexparser does not: spell it out.
                pieces.append(_BRACE_WORDS[text[index + 1]])
            elif text[index + 1] == "\\":
                # A forced line break reads as a space in a title; kept, bibtexparser would
                # take its second backslash as escaping a following brace.
                pieces.append(" ")
            else:
                pieces.append(text[index : index + 2])  # already LaTeX: `\&`, `\ `, `\alpha`
            index += 2
            continue
        if char == "$":
            end = _math_end(text, index)
            if end is not None:
                pieces.append(_MATH_SPECIAL.sub(r"\\\1", text[index:end]))
                index = end
                continue
        pieces.append(_LATEX_SPECIALS.get(char, char))
        index += 1
    return _balance_braces(pieces)


def _math_end(text: str, start: int) -> int | None:
    """The end of the `$…$` math span opening at `start`, or None when it is not math.

    Math means a closing `$`, something mathematical inside (a command, `^` or `_`) and braces
    balanced within the span, so the span can be passed to LaTeX untouched.
    """
    index = start + 1
    depth = 0
    mathematical = False
    while index < len(text):
        char = text[index]
        if char == "\\":
            if text[index + 1 : index + 2] in ("{", "}", "\\"):
                return None  # an escaped brace counts for BibTeX, not for bibtexparser
            if index + 1 < len(text) and text[index + 1].isalpha():
                mathematical = True
            index += 2
            continue
        if char == "$":
            if index == start + 1 or not mathematical or depth != 0:
                return None
            return index + 1
        if char in "^_":
            mathematical = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return None
        index += 1
    return None


def _balance_braces(pieces: list[str]) -> str:
    """Replace the pieces holding an unmatched `{` or `}` by their brace-free commands."""
    open_pieces: list[int] = []
    unmatched: list[int] = []
    for position, piece in enumerate(pieces):
        if piece == "{":
            open_pieces.append(position)
        elif piece == "}":
            if open_pieces:
                open_pieces.pop()
            else:
                unmatched.append(position)
    for position in (*unmatched, *open_pieces):
        pieces[position] = _BRACE_WORDS[pieces[position][-1]]
    return "".join(pieces)


def latex_unescape(text: str) -> str:
    """Undo the escapes `latex_escape` adds (and the same ones found in the data)."""
    return _LATEX_UNESCAPE.sub(lambda match: _LATEX_UNESCAPES[match.group(0)], text)


def plain_title(paper: Paper) -> str:
    """The title as plain text, for formats that are not LaTeX (`Prefill \\& Decode` -> `&`)."""
    return latex_unescape(paper.title)


def _bib_name(name: str) -> str:
    """One author for a BibTeX `author` list; braces keep a name containing `and` whole."""
    escaped = latex_escape(name)
    return f"{{{escaped}}}" if _AND_WORD.search(name) else escaped


def _bib_authors(paper: Paper) -> str:
    return " and ".join(_bib_name(name) for name in paper.author_names)


# --- BibTeX family ----------------------------------------------------------------------------


def bibtex(paper: Paper, key: str | None = None, primary_class: str | None = None) -> str:
    """An `@misc` entry in arXiv's layout, safe for LaTeX; title in double braces."""
    lines = [
        f"@misc{{{key or citekey(paper)},",
        f"      title={{{{{latex_escape(paper.title)}}}}},",
    ]
    if paper.authors:
        lines.append(f"      author={{{_bib_authors(paper)}}},")
    year = year_of(paper)
    if year:
        lines.append(f"      year={{{year}}},")
    lines += [f"      eprint={{{latex_escape(paper.id)}}},", "      archivePrefix={arXiv},"]
    if primary_class:
        lines.append(f"      primaryClass={{{latex_escape(primary_class)}}},")
    lines += [f"      url={{{latex_escape(paper.arxiv_url)}}},", "}"]
    return "\n".join(lines)


def biblatex(paper: Paper, key: str | None = None, primary_class: str | None = None) -> str:
    """A BibLaTeX `@online` entry with `eprinttype = {arXiv}`."""
    fields = [("title", f"{{{latex_escape(paper.title)}}}")]
    if paper.authors:
        fields.append(("author", _bib_authors(paper)))
    if paper.published:
        fields.append(("date", paper.published.isoformat()))
    elif year_of(paper):
        fields.append(("date", str(year_of(paper))))
    # An id or class that is not in arXiv's form (a Paper built by hand) must not leave its
    # field: escaping balances every brace. Real ids and URLs pass unchanged.
    fields += [("eprinttype", "arXiv"), ("eprint", latex_escape(paper.id))]
    if primary_class:
        fields.append(("eprintclass", latex_escape(primary_class)))
    fields += [("doi", latex_escape(arxiv_doi(paper.id))), ("url", latex_escape(paper.arxiv_url))]
    body = "\n".join(f"  {name} = {{{value}}}," for name, value in fields)
    return f"@online{{{key or citekey(paper)},\n{body}\n}}"


# --- reference text ---------------------------------------------------------------------------


def _initials(given: str) -> str:
    """`Aidan N.` -> `A. N.`; `Jean-Luc` -> `J.-L.`."""
    parts = []
    for word in given.split():
        hyphenated = [piece for piece in word.split("-") if piece]
        letters = [next((c for c in piece if c.isalpha()), "") for piece in hyphenated]
        initials = "-".join(f"{letter.upper()}." for letter in letters if letter)
        if initials:
            parts.append(initials)
    return " ".join(parts)


def _apa_name(name: str) -> str:
    given, family = split_name(name)
    initials = _initials(given)
    return f"{family}, {initials}" if initials else family


def _apa_authors(names: Sequence[str]) -> str:
    formatted = [_apa_name(name) for name in names]
    if len(formatted) == 1:
        return formatted[0]
    if len(formatted) > APA_MAX_AUTHORS:
        return ", ".join(formatted[: APA_MAX_AUTHORS - 1]) + ", . . . " + formatted[-1]
    return ", ".join(formatted[:-1]) + ", & " + formatted[-1]


def _end_sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def apa(paper: Paper) -> str:
    """An APA 7 reference for an arXiv preprint (plain text, DOI link)."""
    year = year_of(paper)
    dated = f"({year if year else 'n.d.'})."
    titled = f"{plain_title(paper)} (arXiv:{paper.id})."
    source = f"arXiv. {doi_url(paper.id)}"
    if not paper.authors:
        # APA moves the title into the author position when there is no author.
        return f"{titled} {dated} {source}"
    return f"{_end_sentence(_apa_authors(paper.author_names))} {dated} {titled} {source}"


def _markdown_text(text: str) -> str:
    """Literal Markdown text on one line: no link, emphasis, code, raw HTML or new block."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _markdown_url(url: str) -> str:
    """A link target that cannot end early or carry HTML: brackets, parentheses, quotes,
    angle brackets, spaces and non-ASCII are percent-encoded (real URLs pass unchanged)."""
    return quote(url, safe=":/?#@!$&*+,;=%~")


def markdown_link(paper: Paper) -> str:
    """`[Title](arXiv URL)`."""
    return f"[{_markdown_text(plain_title(paper))}]({_markdown_url(paper.arxiv_url)})"


def markdown_card(paper: Paper) -> str:
    """Title linked to Hugging Face, the one-line AI summary, upvotes and the paper's links."""
    heading = f"**[{_markdown_text(plain_title(paper))}]({_markdown_url(paper.hf_url)})**"
    year = year_of(paper)
    facts = [f"{paper.upvotes} upvote{'s' if paper.upvotes != 1 else ''}"]
    if year:
        facts.insert(0, str(year))
    if paper.authors:
        facts.insert(0, _markdown_text(_short_authors(paper.author_names, 3)))
    lines = [heading, "", " · ".join(facts)]
    if paper.ai_summary:
        lines += ["", f"> {_markdown_text(paper.ai_summary)}"]
    links = [
        f"[Hugging Face]({_markdown_url(paper.hf_url)})",
        f"[arXiv]({_markdown_url(paper.arxiv_url)})",
    ]
    if paper.github and is_openable(paper.github):
        links.append(f"[Code]({_markdown_url(paper.github)})")
    if paper.project_page and is_openable(paper.project_page):
        links.append(f"[Project page]({_markdown_url(paper.project_page)})")
    lines += ["", " · ".join(links)]
    return "\n".join(lines)


def _short_authors(names: Sequence[str], limit: int) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + " et al."


def plain(paper: Paper) -> str:
    """One line: authors, title, year, arXiv URL."""
    parts = []
    if paper.authors:
        parts.append(_end_sentence(_short_authors(paper.author_names, PLAIN_MAX_AUTHORS)))
    parts.append(_end_sentence(plain_title(paper)))
    year = year_of(paper)
    if year:
        parts.append(f"{year}.")
    parts.append(paper.arxiv_url)
    return " ".join(parts)


# --- machine formats --------------------------------------------------------------------------


def ris(paper: Paper, key: str | None = None) -> str:
    """A RIS record (`TY  - UNPB` … `ER  - `) for reference managers."""
    tags: list[tuple[str, str]] = [("TY", "UNPB"), ("ID", key or citekey(paper))]
    tags.append(("TI", plain_title(paper)))
    for name in paper.author_names:
        given, family = split_name(name)
        tags.append(("AU", f"{family}, {given}" if given else family))
    year = year_of(paper)
    if year:
        tags.append(("PY", str(year)))
    if paper.published:
        tags.append(("DA", paper.published.strftime("%Y/%m/%d/")))
    if paper.summary:
        tags.append(("AB", paper.summary))
    tags += [("KW", keyword) for keyword in paper.keywords]
    tags += [
        ("PB", "arXiv"),
        ("DO", arxiv_doi(paper.id)),
        ("UR", paper.arxiv_url),
        ("M3", f"arXiv:{paper.id}"),
        ("ER", ""),
    ]
    # Values are single lines already (model.py collapses whitespace); RIS is line-based.
    return "\n".join(f"{tag}  - {' '.join(value.split())}" for tag, value in tags)


def csl_item(paper: Paper, key: str | None = None) -> dict[str, Any]:
    """One CSL-JSON item (the citeproc data model) for Zotero, Pandoc and friends."""
    item: dict[str, Any] = {
        "id": key or citekey(paper),
        "type": "article",
        "title": plain_title(paper),
        "author": [_csl_name(name) for name in paper.author_names],
        "publisher": "arXiv",
        "number": f"arXiv:{paper.id}",
        "DOI": arxiv_doi(paper.id),
        "URL": paper.arxiv_url,
    }
    if paper.published:
        date = paper.published
        item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    elif year_of(paper):
        item["issued"] = {"date-parts": [[year_of(paper)]]}
    if paper.summary:
        item["abstract"] = paper.summary
    if paper.keywords:
        item["keyword"] = ", ".join(paper.keywords)
    return item


def _csl_name(name: str) -> dict[str, str]:
    given, family = split_name(name)
    return {"family": family, "given": given} if given else {"literal": family}


def csl_json(papers: Sequence[Paper]) -> str:
    """A CSL-JSON array of `papers` with unique ids."""
    items = [csl_item(p, k) for p, k in zip(papers, unique_citekeys(papers), strict=True)]
    return to_json(items, indent=2)


# --- many papers at once ----------------------------------------------------------------------

_KEYED: dict[str, Callable[..., str]] = {"bibtex": bibtex, "biblatex": biblatex, "ris": ris}
_LINES: dict[str, Callable[[Paper], str]] = {
    "apa": apa,
    "markdown": markdown_link,
    "plain": plain,
}


def distinct(papers: Iterable[Paper]) -> list[Paper]:
    """Papers in order with repeated ids dropped."""
    seen: set[str] = set()
    unique = []
    for paper in papers:
        if paper.id not in seen:
            seen.add(paper.id)
            unique.append(paper)
    return unique


def format_papers(papers: Iterable[Paper], fmt: str, taken_keys: Iterable[str] = ()) -> str:
    """All `papers` in format `fmt` (a `FORMATS` name), without a trailing newline.

    Entries (BibTeX, BibLaTeX, RIS, cards) are separated by a blank line, reference lines
    (APA, Markdown, plain) by a newline; CSL-JSON is one array. Citekeys are unique within the
    batch and avoid `taken_keys` (keys already in a file being appended to).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown citation format {fmt!r}")
    batch = distinct(papers)
    if fmt == "csl-json":
        return csl_json(batch)
    if fmt == "card":
        return "\n\n".join(markdown_card(paper) for paper in batch)
    if fmt in _LINES:
        return "\n".join(_LINES[fmt](paper) for paper in batch)
    keys = unique_citekeys(batch, taken_keys)
    render = _KEYED[fmt]
    return "\n\n".join(render(paper, key) for paper, key in zip(batch, keys, strict=True))


def describe(fmt: str, count: int) -> str:
    """What a copy or export holds, for messages: `BibTeX for 3 papers`."""
    return f"{format_label(fmt)} for {count} paper{'s' if count != 1 else ''}"
