"""Text hygiene: control characters, escape sequences, whitespace and folding."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from papershelf.core.text import clean_line, fold, strip_control


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
