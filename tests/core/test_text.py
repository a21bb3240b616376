"""Text hygiene: control characters, escape sequences, whitespace and folding."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from papershelf.core.text import clean_line, fold, plural, strip_control


def _reference_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@given(st.text(max_size=40))
def test_fold_matches_the_reference_definition(text):
    assert fold(text) == _reference_fold(text)


def test_fold_is_case_and_accent_insensitive():
    assert fold("Jürgen MÜLLER") == "jurgen muller"
    assert fold("Straße") == "strasse"


def test_escape_sequences_and_controls_are_stripped():
    assert strip_control("a\x1b[31mred\x1b[0m\x07b") == "aredb"
    assert strip_control("x\x1b]52;c;ZXZpbA==\x07y") == "xy"
    assert clean_line("  two\n  lines\tand\x00 nul ") == "two lines and nul"


@given(st.text(max_size=80))
def test_clean_line_is_idempotent_and_single_line(text):
    once = clean_line(text)
    assert clean_line(once) == once
    assert "\n" not in once and "\x1b" not in once


def test_bidi_and_zero_width_characters_are_stripped():
    hostile = "a\u202eDESREVER\u202c b\u2066x\u2069\u200e\u200f zero\u200bwidth\u2060\ufeff\u061c"
    assert clean_line(hostile) == "aDESREVER bx zerowidth"
    assert strip_control("x\u202ey") == "xy"


def test_joiners_and_variation_selectors_are_kept():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    heart = "\u2764\ufe0f"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert clean_line(f"{family} {heart} {persian}") == f"{family} {heart} {persian}"


def test_format_characters_take_the_slow_path():
    for char in "\u202a\u202e\u2066\u2069\u200e\u200f\u200b\u2060\ufeff":
        assert not char.isprintable()
        assert clean_line(f"a{char}b") == "ab"


def test_plural():
    assert plural(1, "paper") == "1 paper"
    assert plural(0, "paper") == "0 papers"
    assert plural(2, "upvote") == "2 upvotes"
    assert plural(3, "entry", "entries") == "3 entries"
