"""Who, when and which key: author-name splitting, the cited year and arXiv-style citekeys.

Citekeys stay unique within a batch and against keys already taken (`a`, `b`, … suffixes), for
locally built entries and for BibTeX fetched from arXiv alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

from papershelf.core.model import Paper

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
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# `\textbf`, `\'` (accent commands): the command's name is markup, not a word of the key.
_LATEX_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)")
_NOT_KEY = re.compile("[^a-z0-9]")
_ENTRY_HEAD = re.compile(r"^(\s*@\s*\w+\s*\{\s*)([^,\s]*)(\s*,)")


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

    Lower-cased and ASCII only (`[a-z0-9]`), so every BibTeX tool accepts it: accented letters
    are transliterated (`Müller` -> `muller`), LaTeX command names (`\\textbf`) and other
    scripts are left out, e.g. `vaswani2023attentionneed`.
    """
    surname = split_name(paper.authors[0].name)[1] if paper.authors else "unknown"
    year = year_of(paper)
    words = [word for word in paper.title.split(" ") if word.lower() not in STOPWORDS][:4]
    return f"{key_text(surname) or 'unknown'}{year or 'unknown'}{key_text(''.join(words))}"


def key_text(text: str) -> str:
    """`text` reduced to citekey characters: `\\textbf{Über}-Net` -> `ubernet`."""
    text = _LATEX_COMMAND.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_KEY.sub("", text.lower())


def unique_citekeys(papers: Sequence[Paper], taken: Iterable[str] = ()) -> list[str]:
    """Citekeys for `papers` in order; keys repeated in the batch or already `taken` get a, b, …"""
    return distinct_keys([citekey(paper) for paper in papers], taken)


def distinct_keys(keys: Sequence[str], taken: Iterable[str]) -> list[str]:
    """`keys` in order, each one repeated in `keys` or already `taken` given a free suffix.

    Linear: each key remembers the last suffix it tried, since a suffix once taken stays taken.
    """
    used = set(taken)
    counts = Counter(keys)
    shared = {key for key, count in counts.items() if count > 1 or key in used}
    next_suffix: dict[str, int] = {}
    result: list[str] = []
    for key in keys:
        candidate = key
        # A key no one else wanted may still be taken by an earlier key's suffixed form.
        if key in shared or key in used:
            index = next_suffix.get(key, 0)
            candidate = key + suffix(index)
            while candidate in used:
                index += 1
                candidate = key + suffix(index)
            next_suffix[key] = index + 1
        used.add(candidate)
        result.append(candidate)
    return result


def suffix(index: int) -> str:
    """The `index`-th suffix: a, b, …, z, then aa, ab, …, zz, then aaa, … (never runs out)."""
    width = 1
    while index >= len(_LETTERS) ** width:
        index -= len(_LETTERS) ** width
        width += 1
    letters = ""
    for _ in range(width):
        index, digit = divmod(index, len(_LETTERS))
        letters = _LETTERS[digit] + letters
    return letters


def entry_key(entry: str) -> str | None:
    """The citekey of a BibTeX entry's text (`@misc{key,` -> `key`)."""
    match = _ENTRY_HEAD.match(entry)
    return match.group(2) if match else None


def rekey_entry(entry: str, key: str) -> str:
    """The same BibTeX entry under another citekey."""
    return _ENTRY_HEAD.sub(lambda m: f"{m.group(1)}{key}{m.group(3)}", entry, count=1)


def dedupe_entry_keys(entries: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """Entries (e.g. fetched from arXiv) re-keyed so that no two share a citekey.

    Keys are reduced to `[a-z0-9]` too: a fetched entry is as untrusted as any response.
    """
    keys = [entry_key(entry) for entry in entries]
    wanted = [key_text(key or "") or "unknown" for key in keys]
    return [
        entry if new_key == key else rekey_entry(entry, new_key)
        for entry, key, new_key in zip(entries, keys, distinct_keys(wanted, taken), strict=True)
    ]
