"""How many terminal cells a string takes (wide East Asian characters take two)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def cell_width(text: str) -> int:
    """Terminal cells of `text`: ASCII is one per character; wide and full-width take two."""
    if text.isascii():
        return len(text)
    return sum(_char_width(char) for char in text)


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
