"""Text hygiene for untrusted strings: whitespace, control characters and escape sequences."""

from __future__ import annotations

import re
import unicodedata

# CSI / OSC / other ESC sequences (ANSI escapes) that a terminal would act on.
_ANSI_ESCAPE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]             # CSI ... final byte
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)  # OSC ... BEL or ST
    | \x1b[PX^_][^\x1b]*\x1b\\           # DCS / SOS / PM / APC ... ST
    | \x1b[@-Z\\-_]                      # two-byte sequences
    | \x9b[0-?]*[ -/]*[@-~]              # 8-bit CSI
    """,
    re.VERBOSE,
)
# C0 and C1 control characters other than whitespace, plus DEL; and the invisible format
# characters that reorder or hide text in a terminal: bidi embeddings, overrides, isolates and
# marks, zero-width space, word joiner and BOM. ZWNJ (U+200C, needed in Persian), ZWJ (U+200D)
# and VS16 (U+FE0F), which build emoji and words, are kept.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]"
)
_WHITESPACE = re.compile(r"\s+")


def strip_control(text: str) -> str:
    """Remove terminal escape sequences, control and bidi characters (keeps tabs, newlines)."""
    if "\x1b" in text or "\x9b" in text:
        text = _ANSI_ESCAPE.sub("", text)
    return _CONTROL.sub("", text)


def clean_line(text: str) -> str:
    """Make untrusted text safe for one line: no escapes, whitespace collapsed, trimmed."""
    # Fast path: most names and titles are already clean (this runs for every author of
    # every paper read back from the library). Format characters (bidi, zero-width) are not
    # printable, so they always take the slow path.
    if text.isprintable() and "  " not in text and text == text.strip():
        return text
    return _WHITESPACE.sub(" ", strip_control(text)).strip()


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
