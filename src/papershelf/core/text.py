"""Text hygiene for untrusted strings: the one cleaning function, whitespace, JSON and folding.

Everything that enters from the network, a backup, the library database or a config file goes
through `clean_text` (or `clean_line`, which also collapses whitespace) before it is stored or
shown, so no string can move the cursor, retitle the terminal, write the clipboard (OSC 52),
reorder or hide text, or fail to encode.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

# Escape sequences a terminal acts on, in their 7-bit (ESC …) and 8-bit (C1) forms. A string
# sequence (OSC, DCS, SOS, PM, APC) runs to BEL or ST; when the terminator is missing the
# terminal would swallow the rest, so we drop the rest too. A CSI may lack its final byte.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?                         # CSI, 7- or 8-bit
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*  # OSC DCS SOS PM APC ...
      (?:\x07|\x1b\\|\x9c)?                                    # ... ended by BEL or ST
    | \x1b[ -/]*[0-~]                                          # any other ESC sequence
    """,
    re.VERBOSE,
)
# Vertical separators become newlines (they separate lines, so they must not glue words).
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Left over after the sequences: C0 controls but tab and newline, DEL and C1; the invisible
# format characters that reorder or hide text (bidi marks, embeddings, overrides, isolates;
# zero-width space, word joiner, invisible operators, BOM, Mongolian vowel separator,
# interlinear annotation) and the Unicode tag characters. ZWNJ (U+200C, needed in Persian),
# ZWJ (U+200D) and VS16 (U+FE0F), which build emoji and words, are kept.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f"
    "\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_WHITESPACE = re.compile(r"\s+")
# What JSON output spells as `\uXXXX`: json.dumps(ensure_ascii=False) writes C1 controls, DEL,
# line separators, format characters and lone surrogates raw.
_JSON_RAW = re.compile(
    "[\x7f-\x9f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)


def clean_text(text: str) -> str:
    """THE cleaning of untrusted text: no escape sequence, control or invisible character.

    Keeps tabs and newlines (notes and abstracts have lines); CR, VT, FF and the Unicode line
    separators become newlines; a lone UTF-16 surrogate, which cannot be encoded, becomes
    U+FFFD.
    """
    if text.isprintable():
        return text  # fast path: no control, format, surrogate or line-break character
    text = _SURROGATE.sub("\ufffd", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_BREAKS.sub("\n", text)
    return _INVISIBLE.sub("", text)


strip_control = clean_text
"""The former name of `clean_text`."""


def clean_line(text: str) -> str:
    """Make untrusted text safe for one line: cleaned, whitespace collapsed, trimmed."""
    if text.isprintable() and "  " not in text and text == text.strip():
        return text  # fast path: most names and titles are already clean
    return _WHITESPACE.sub(" ", clean_text(text)).strip()


def to_json(value: Any, indent: int | None = None) -> str:
    """`json.dumps` for output a terminal may show: every control character escaped.

    Non-ASCII text stays readable; only what a terminal could act on (C1 controls, DEL, bidi
    and other format characters, line separators, lone surrogates) is written as `\\uXXXX`.
    These never occur outside strings in JSON, so escaping them anywhere is exact.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of `text`, for matching (`Müller` -> `muller`)."""
    if text.isascii():
        return text.lower()  # casefold and NFKD add nothing to lower() on ASCII
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    if decomposed.isascii():
        return decomposed
    # Look at each distinct character once rather than at every character.
    marks = {ord(ch): None for ch in set(decomposed) if unicodedata.combining(ch)}
    return decomposed.translate(marks) if marks else decomposed


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    """`1 paper`, `2 papers`, `0 papers`; `plural_noun` for irregular words."""
    word = noun if count == 1 else (plural_noun or f"{noun}s")
    return f"{count} {word}"
