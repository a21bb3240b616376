"""Citations built locally from a Paper: BibTeX, BibLaTeX, APA, Markdown, plain text, RIS, CSL-JSON.

Nothing here needs the network; arXiv's own BibTeX (exact year, primary class) is fetched by
`papershelf.data.arxiv` and only re-keyed here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from papershelf.core.links import arxiv_doi, doi_url, is_openable
from papershelf.core.model import Paper

FORMATS: dict[str, tuple[str, str]] = {
    "bibtex": ("BibTeX", "bib"),
    "biblatex": ("BibLaTeX", "bib"),
    "apa": ("APA reference", "txt"),
    "markdown": ("Markdown link", "md"),
    "card": ("Markdown card", "md"),
    "plain": ("plain text", "txt"),
    "ris": ("RIS", "ris"),
    "csl-json": ("CSL-JSON", "json"),
}
"""Citation formats by name: (label for messages, usual file extension), in menu order."""

# arXiv's STOPWORDS (arxiv-browse browse/formatting/cite.py); the citekey rule skips them.
_STOPWORDS_TEXT = """
a about above across after afterwards again against all almost alone along already also although
always am among amongst amoungst amount an and another any anyhow anyone anything anyway
anywhere are around as at back be became because become becomes becoming been before beforehand
behind being below beside besides between beyond bill both bottom but by call can cannot cant co
con could couldnt cry de describe detail do done down due during each eg eight either eleven
else elsewhere empty enough etc even ever every everyone everything everywhere except few
fifteen fify fill find fire first five for former formerly forty found four from front full
further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers
herself him himself his how however hundred ie if in inc indeed interest into is it its itself
keep last latter latterly least less ltd made many may me meanwhile might mill mine more
moreover most mostly move much must my myself name namely neither never nevertheless next nine
no nobody none noone nor not nothing now nowhere of off often on once one only onto or other
others otherwise our ours ourselves out over own part per perhaps please put rather re same see
seem seemed seeming seems serious several she should show side since sincere six sixty so some
somehow someone something sometime sometimes somewhere still such system take ten than that the
their them themselves then thence there thereafter thereby therefore therein thereupon these
they thickv thin third this those though three through throughout thru thus to together too top
toward towards twelve twenty two un under until up upon us very via was we well were what
whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
whether which while whither who whoever whole whom whose why will with within without would yet
you your yours yourself yourselves
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Lower-case surname particles ("van der Berg"); capitalised ones ("Di Wang") are given names.
_PARTICLES = frozenset(
    ["van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "ter", "dem"]
)
_SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"])
_LATEX_SPECIALS = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_"}
# BibTeX counts every brace, escaped or not, so an unmatched one becomes a brace-free command.
_BRACE_WORDS = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
_LATEX_UNESCAPES = {
    r"\&": "&",
    r"\%": "%",
    r"\$": "$",
    r"\#": "#",
    r"\_": "_",
    "\\ ": " ",
    r"\textbraceleft{}": "{",
    r"\textbraceright{}": "}",
    r"\textbackslash{}": "\\",
}
_LATEX_UNESCAPE = re.compile("|".join(re.escape(k) for k in _LATEX_UNESCAPES))
_AND_WORD = re.compile(r"\band\b", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_ENTRY_HEAD = re.compile(r"^(\s*@\s*\w+\s*\{\s*)([^,\s]*)(\s*,)")
PLAIN_MAX_AUTHORS = 5
"""Plain text lists at most this many authors, then `et al.`."""
APA_MAX_AUTHORS = 20
"""APA 7 lists up to 20 authors; longer lists keep 19, an ellipsis and the last."""


# --- names, years, keys -------------------------------------------------------------------


def split_name(name: str) -> tuple[str, str]:
    """`Aidan N. Gomez` -> (`Aidan N.`, `Gomez`); `Ludwig van Beethoven` keeps `van` in the surname.

    A single word (a mononym or a team name) is all surname.
    """
    words = name.split()
    if not words:
        return "", ""
    end = len(words)
    if end > 1 and words[-1].lower().rstrip(",") in _SUFFIXES:
        end -= 1
    start = end - 1
    while start > 1 and words[start - 1] in _PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:end])


def year_of(paper: Paper) -> int | None:
    """The year cited offline: the arXiv publication year (arXiv's own entry may say later)."""
    if paper.published:
        return paper.published.year
    return paper.daily_date.year if paper.daily_date else None


def citekey(paper: Paper) -> str:
    """arXiv's citekey rule: surname + year + first four non-stop-words of the title.

    Lower-cased, keeping only `str.isalnum()` characters, e.g. `vaswani2023attentionneed`.
    """
    surname = split_name(paper.authors[0].name)[1] if paper.authors else "unknown"
    year = year_of(paper)
    words = [word for word in paper.title.split(" ") if word.lower() not in STOPWORDS][:4]
    raw = f"{surname or 'unknown'}{year or 'unknown'}{''.join(words)}"
    return "".join(ch for ch in raw if ch.isalnum()).lower()


def unique_citekeys(papers: Sequence[Paper], taken: Iterable[str] = ()) -> list[str]:
    """Citekeys for `papers` in order; keys repeated in the batch or already `taken` get a, b, …"""
    base_keys = [citekey(paper) for paper in papers]
    used = set(taken)
    shared = {key for key in base_keys if base_keys.count(key) > 1 or key in used}
    keys: list[str] = []
    for key in base_keys:
        candidate = key
        if key in shared:
            candidate = next(k for k in _suffixed(key) if k not in used)
        used.add(candidate)
        keys.append(candidate)
    return keys


def _suffixed(key: str) -> Iterable[str]:
    """`key` + a, b, …, z, then aa, ab, … (never runs out)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    width = 1
    while True:
        for index in range(len(letters) ** width):
            suffix = ""
            for _ in range(width):
                index, digit = divmod(index, len(letters))
                suffix = letters[digit] + suffix
            yield key + suffix
        width += 1


# --- LaTeX ----------------------------------------------------------------------------------


def latex_escape(text: str) -> str:
    """Make text safe inside a BibTeX field and for LaTeX, leaving existing LaTeX alone.

    Bare `& % $ # _` are escaped; `\\&`, `\\$`, other backslash sequences and balanced braces
    (`X^{2}`) stay as they are; unmatched braces become `\\textbraceleft{}` /
    `\\textbraceright{}`, since BibTeX rejects an unbalanced field. Accents stay UTF-8.
    """
    pieces: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            if index + 1 == len(text):
                pieces.append(r"\textbackslash{}")
            else:
                pieces.append(text[index : index + 2])  # already LaTeX: `\&`, `\ `, `\alpha`
            index += 2
            continue
        pieces.append(_LATEX_SPECIALS.get(char, char))
        index += 1
    return _balance_braces(pieces)


def _balance_braces(pieces: list[str]) -> str:
    """Replace the pieces holding an unmatched `{` or `}` by their brace-free commands."""
    open_pieces: list[int] = []
    unmatched: list[int] = []
    for position, piece in enumerate(pieces):
        brace = piece[-1]
        if brace == "{" and piece in ("{", "\\{"):
            open_pieces.append(position)
        elif brace == "}" and piece in ("}", "\\}"):
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
    lines += [f"      eprint={{{paper.id}}},", "      archivePrefix={arXiv},"]
    if primary_class:
        lines.append(f"      primaryClass={{{primary_class}}},")
    lines += [f"      url={{{paper.arxiv_url}}},", "}"]
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
    fields += [("eprinttype", "arXiv"), ("eprint", paper.id)]
    if primary_class:
        fields.append(("eprintclass", primary_class))
    fields += [("doi", arxiv_doi(paper.id)), ("url", paper.arxiv_url)]
    body = "\n".join(f"  {name} = {{{value}}}," for name, value in fields)
    return f"@online{{{key or citekey(paper)},\n{body}\n}}"


def entry_key(entry: str) -> str | None:
    """The citekey of a BibTeX entry's text (`@misc{key,` -> `key`)."""
    match = _ENTRY_HEAD.match(entry)
    return match.group(2) if match else None


def rekey_entry(entry: str, key: str) -> str:
    """The same BibTeX entry under another citekey."""
    return _ENTRY_HEAD.sub(lambda m: f"{m.group(1)}{key}{m.group(3)}", entry, count=1)


def dedupe_entry_keys(entries: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """Entries (e.g. fetched from arXiv) re-keyed so that no two share a citekey."""
    keys = [entry_key(entry) or "unknown" for entry in entries]
    used = set(taken)
    shared = {key for key in keys if keys.count(key) > 1 or key in used}
    result: list[str] = []
    for key, entry in zip(keys, entries, strict=True):
        if key in shared:
            new_key = next(k for k in _suffixed(key) if k not in used)
            entry = rekey_entry(entry, new_key)
            key = new_key
        used.add(key)
        result.append(entry)
    return result


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
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_link(paper: Paper) -> str:
    """`[Title](arXiv URL)`."""
    return f"[{_markdown_text(plain_title(paper))}]({paper.arxiv_url})"


def markdown_card(paper: Paper) -> str:
    """Title linked to Hugging Face, the one-line AI summary, upvotes and the paper's links."""
    heading = f"**[{_markdown_text(plain_title(paper))}]({paper.hf_url})**"
    year = year_of(paper)
    facts = [f"{paper.upvotes} upvote{'s' if paper.upvotes != 1 else ''}"]
    if year:
        facts.insert(0, str(year))
    if paper.authors:
        facts.insert(0, _markdown_text(_short_authors(paper.author_names, 3)))
    lines = [heading, "", " · ".join(facts)]
    if paper.ai_summary:
        lines += ["", f"> {_markdown_text(paper.ai_summary)}"]
    links = [f"[Hugging Face]({paper.hf_url})", f"[arXiv]({paper.arxiv_url})"]
    if paper.github and is_openable(paper.github):
        links.append(f"[Code]({paper.github})")
    if paper.project_page and is_openable(paper.project_page):
        links.append(f"[Project page]({paper.project_page})")
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
    return json.dumps(items, ensure_ascii=False, indent=2)


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
    label = FORMATS[fmt][0] if fmt in FORMATS else fmt
    return f"{label} for {count} paper{'s' if count != 1 else ''}"
