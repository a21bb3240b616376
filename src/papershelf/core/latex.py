"""LaTeX-to-Unicode for display: `$\\alpha$-NeRF` reads as `α-NeRF`, plain text stays as it is.

Real titles and abstracts are mostly not LaTeX ("50% of the data", "in $200k", "for 1$:"), so
only recognisable islands are converted: `$…$` spans holding a command, `\\(…\\)`, known
commands with their arguments, accents and escaped specials. Anything unknown is kept verbatim.
"""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from typing import Any

_MAX_SPAN = 300
"""Longest math span or braced argument considered; longer ones are left alone."""

_ESCAPES = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}"}
"""`\\&` and friends: characters the author escaped for LaTeX."""

_SPACES = {" ": " ", ",": " ", ";": " ", ":": " ", "!": ""}
"""LaTeX spacing commands: all become one plain space (or nothing for a negative space)."""

_WORDS = {
    "eg": "e.g.",
    "ie": "i.e.",
    "etc": "etc.",
    "vs": "vs.",
    "etal": "et al.",
    "wrt": "w.r.t.",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "deg": "°",
    "textdegree": "°",
    "textgreater": ">",
    "textless": "<",
    "nobreakdash": "",
    "allowbreak": "",
}
"""Argument-free commands pylatexenc renders as nothing, though their meaning is clear."""

_STYLE_COMMANDS = frozenset(
    {
        "textbf",
        "textit",
        "emph",
        "textsc",
        "texttt",
        "textrm",
        "textsf",
        "textsl",
        "textup",
        "textmd",
        "textnormal",
        "underline",
        "text",
        "mbox",
        "textsuperscript",
    }
)
"""Commands whose one argument is shown as is (converted recursively)."""

_STYLE_SWITCHES = re.compile(r"\{\\(?:it|em|bf|sc|tt|rm|sf|sl|itshape|bfseries|scshape)\s+")
"""Old-style `{\\it words}` groups: the switch goes, the words stay."""

_CONTROL_WORD = re.compile(r"\\([A-Za-z]+)")
_MATH_MARK = re.compile(r"\\[A-Za-z]|[\^_]\{")
"""What tells a `$…$` formula from two prices: a command or a braced script."""
_ACCENT = re.compile(r"""\\(['"`^~=.])(\{\\?[A-Za-z]\}|[A-Za-z])""")
_BRACED_SYMBOL = re.compile(r"\{\\([A-Za-z]+)\}")
_APOSTROPHE_S = re.compile(r"\\'s(?![A-Za-z])")

_SUPERSCRIPTS = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SCRIPT = re.compile(r"([\^_])(?:\{([0-9+\-=()]+)\}|([0-9]))")


def to_unicode(text: str) -> str:
    """`text` with its LaTeX islands shown as Unicode; never raises, never drops plain text."""
    if "\\" not in text and "$" not in text:
        return text
    return _convert(text)


@lru_cache(maxsize=4096)
def _convert(text: str) -> str:
    out: list[str] = []
    position = 0
    length = len(text)
    while position < length:
        special = _next_special(text, position)
        if special < 0:
            out.append(text[position:])
            break
        out.append(text[position:special])
        replacement, position = _island_at(text, special)
        out.append(replacement)
    return "".join(out)


def _next_special(text: str, start: int) -> int:
    """Index of the next `\\`, `$` or `{\\` at or after `start`, or -1."""
    candidates = [text.find("\\", start), text.find("$", start), text.find("{\\", start)]
    found = [index for index in candidates if index >= 0]
    return min(found) if found else -1


def _island_at(text: str, start: int) -> tuple[str, int]:
    """The display form of the island starting at `start` and the index after it.

    When nothing recognisable starts here, the one character is kept and scanning moves on.
    """
    char = text[start]
    if char == "$":
        return _dollar_math(text, start) or (char, start + 1)
    if char == "{":
        return _brace_group(text, start) or (char, start + 1)
    return _backslash(text, start) or (char, start + 1)


def _dollar_math(text: str, start: int) -> tuple[str, int] | None:
    """`$…$` holding a command, e.g. `$\\alpha$`; money such as `$200k` never qualifies."""
    end = _find_unescaped(text, "$", start + 1)
    if end < 0:
        return None
    inner = text[start + 1 : end]
    if not inner or inner[0].isspace() or inner[-1].isspace():
        return None
    if not _MATH_MARK.search(inner):
        return None  # "$5 … $10": two prices, not a formula
    converted = _math(inner)
    return (converted, end + 1) if converted is not None else None


def _find_unescaped(text: str, needle: str, start: int) -> int:
    """Index of `needle` not preceded by a backslash, within `_MAX_SPAN` characters, or -1."""
    limit = min(len(text), start + _MAX_SPAN)
    index = text.find(needle, start, limit)
    while index >= 0 and text[index - 1] == "\\":
        index = text.find(needle, index + 1, limit)
    return index


def _math(inner: str) -> str | None:
    """Math content as text, or None when it holds a command we do not know."""
    for match in _CONTROL_WORD.finditer(inner):
        if not _is_known(match.group(1)):
            return None
    scripted = _SCRIPT.sub(_script, inner)
    converted = _latex_to_text(f"${scripted}$")
    if not converted or not converted.strip() or "$" in converted:
        return None  # a "$" in the output means a command swallowed the closing delimiter
    return converted.strip()


def _script(match: re.Match[str]) -> str:
    digits = match.group(2) or match.group(3)
    table = _SUPERSCRIPTS if match.group(1) == "^" else _SUBSCRIPTS
    return digits.translate(table)


def _brace_group(text: str, start: int) -> tuple[str, int] | None:
    """`{\\Delta}` and `{\\it words}`."""
    symbol = _BRACED_SYMBOL.match(text, start)
    if symbol:
        converted = _symbol(symbol.group(1))
        if converted is not None:
            return converted, symbol.end()
    switch = _STYLE_SWITCHES.match(text, start)
    if switch:
        end = _group_end(text, start)
        if end is not None:
            return _convert(text[switch.end() : end - 1]), end
    return None


def _backslash(text: str, start: int) -> tuple[str, int] | None:
    """Escapes, spacing, accents and commands, each starting with a backslash."""
    if start + 1 >= len(text):
        return None
    following = text[start + 1]
    if following in _ESCAPES:
        return _ESCAPES[following], start + 2
    if following in _SPACES:
        return _SPACES[following], start + 2
    if following == "(":
        return _paren_math(text, start)
    if _APOSTROPHE_S.match(text, start) and start > 0 and text[start - 1].isalpha():
        return "'", start + 2  # "the model\'s": an escaped apostrophe, not an accent
    accent = _ACCENT.match(text, start)
    if accent:
        converted = _latex_to_text(accent.group(0))
        if converted:
            return converted, accent.end()
    if following == "~":
        return "~", start + 2  # "\~8B": a tilde meaning "about"
    word = _CONTROL_WORD.match(text, start)
    if word:
        return _command(text, word)
    return None


def _paren_math(text: str, start: int) -> tuple[str, int] | None:
    """`\\( … \\)` inline math: delimiters are explicit, so any content is converted."""
    end = _find_unescaped_pair(text, start + 2)
    if end < 0:
        return None
    converted = _math(text[start + 2 : end].strip())
    return (converted, end + 2) if converted is not None else None


def _find_unescaped_pair(text: str, start: int) -> int:
    """Index of the `\\)` closing a `\\(`, within `_MAX_SPAN` characters, or -1."""
    return text.find("\\)", start, min(len(text), start + _MAX_SPAN))


def _command(text: str, word: re.Match[str]) -> tuple[str, int] | None:
    """A control word with any braced arguments; unknown commands stay verbatim."""
    name = word.group(1)
    end = word.end()
    if name in _WORDS:
        replacement = _WORDS[name]
        if replacement.endswith(".") and text.startswith(".", end):
            end += 1  # "\etc." is one "etc.", not "etc.."
        return replacement, _skip_empty_group(text, end)
    if name in _STYLE_COMMANDS:
        argument_end = _group_end(text, end)
        if argument_end is None:
            return None
        return _convert(text[end + 1 : argument_end - 1]), argument_end
    if name == "url":
        argument_end = _group_end(text, end)
        if argument_end is None:
            return None
        return text[end + 1 : argument_end - 1], argument_end
    if name == "href":
        return _href(text, end)
    if not _is_known(name):
        return None
    if not text.startswith("{", end):
        converted = _symbol(name)
        return (converted, end) if converted is not None else None
    argument_end = _group_end(text, end)
    if argument_end is None:
        return None
    argument = text[end + 1 : argument_end - 1]
    if len(name) == 1 and len(argument.lstrip("\\")) > 1:
        # An accent over a whole word (`\b{Coupled}`) was meant as emphasis, not as accents.
        return _convert(argument), argument_end
    # Commands such as \frac take several arguments: hand pylatexenc all adjacent groups.
    for _ in range(2):
        following_end = _group_end(text, argument_end)
        if following_end is None:
            break
        argument_end = following_end
    converted = _latex_to_text(text[word.start() : argument_end])
    return (converted, argument_end) if converted else None


def _href(text: str, end: int) -> tuple[str, int] | None:
    """`\\href{url}{label}` shown as `label (url)`."""
    url_end = _group_end(text, end)
    if url_end is None:
        return None
    label_end = _group_end(text, url_end)
    if label_end is None:
        return None
    url = text[end + 1 : url_end - 1]
    label = _convert(text[url_end + 1 : label_end - 1])
    return f"{label} ({url})", label_end


def _skip_empty_group(text: str, end: int) -> int:
    """Past a `{}` that only ends a command name (`\\LaTeX{} is`)."""
    return end + 2 if text.startswith("{}", end) else end


def _group_end(text: str, start: int) -> int | None:
    """Index after the balanced `{…}` starting at `start`, or None."""
    if not text.startswith("{", start):
        return None
    depth = 0
    limit = min(len(text), start + _MAX_SPAN)
    index = start
    while index < limit:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return None


@lru_cache(maxsize=512)
def _symbol(name: str) -> str | None:
    """The text of an argument-free command such as `\\alpha`, or None when it has none."""
    if name in _WORDS:
        return _WORDS[name]
    if not _is_known(name):
        return None
    return _latex_to_text(f"\\{name}") or None


@lru_cache(maxsize=512)
def _is_known(name: str) -> bool:
    """Whether pylatexenc knows how to render `\\name` (custom macros such as `\\method` not)."""
    return _context_db().get_macro_spec(name) is not None


def _latex_to_text(snippet: str) -> str | None:
    """pylatexenc's rendering of `snippet`, or None when it fails on it."""
    try:
        converted = _converter().latex_to_text(snippet)
    except Exception:
        # pylatexenc raises assorted errors (KeyError, IndexError, its own) on odd input;
        # display must go on with the source text.
        return None
    if "%s" in converted and "%s" not in snippet:
        return None  # a command missing its arguments comes back as its raw template
    return converted


@cache
def _converter() -> Any:
    # Deferred: importing pylatexenc costs startup time that a plain listing never needs.
    from pylatexenc.latex2text import LatexNodes2Text

    # Its warnings about odd input would print over the reader's screen; a failed conversion
    # already falls back to the source text.
    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)

    # keep_comments: "%" is a per cent sign in abstracts, never a comment.
    return LatexNodes2Text(keep_comments=True, math_mode="text")


@cache
def _context_db() -> Any:
    from pylatexenc.latex2text import get_default_latex_context_db

    return get_default_latex_context_db()
