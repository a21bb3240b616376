"""Whether a text names a key the reader can bind, in Textual's spelling (`s`, `ctrl+s`, `f5`,
`pagedown`, `question_mark`); pure, so `papershelf config` checks `[keys]` without Textual."""

from __future__ import annotations

import itertools
import re
import unicodedata

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
NAMED_KEYS = frozenset(
    {
        "escape", "enter", "return", "tab", "space", "backspace", "delete", "insert",
        "home", "end", "pageup", "pagedown", "up", "down", "left", "right", "newline",
        # Textual's short names for some characters (its own replacements of Unicode names).
        "slash", "backslash", "at", "minus", "plus", "underscore",
        *(f"f{number}" for number in range(1, 25)),
    }
)  # fmt: skip
"""Keys named by a word, besides the characters named by their Unicode name."""
_CHARACTER_NAME = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
_MAX_NAME_WORDS = 8
"""Longer than any character name a key could carry; bounds the spellings tried."""


def is_key_name(text: str) -> bool:
    """True when `text` is one key: a printable character, a named key or a character's
    Unicode name in lower case with `_` (`question_mark`), after modifiers such as `ctrl+`."""
    if len(text) == 1:
        return _is_key_character(text)
    *modifiers, base = text.split("+")
    if any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    if len(set(modifiers)) != len(modifiers):
        return False
    if len(base) == 1:
        return _is_key_character(base)
    return base in NAMED_KEYS or _names_a_character(base)


def _is_key_character(character: str) -> bool:
    return character.isprintable() and not character.isspace() and character != ","


def _names_a_character(name: str) -> bool:
    """`full_stop` -> FULL STOP; `less_than_sign` -> LESS-THAN SIGN (a `_` may stand for `-`)."""
    if not _CHARACTER_NAME.fullmatch(name):
        return False
    words = name.upper().split("_")
    if len(words) > _MAX_NAME_WORDS:
        return False
    for joints in itertools.product(" -", repeat=len(words) - 1):
        spelled = words[0] + "".join(
            joint + word for joint, word in zip(joints, words[1:], strict=True)
        )
        try:
            unicodedata.lookup(spelled)
        except KeyError:
            continue
        return True
    return False
