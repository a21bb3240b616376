"""Text hygiene: control characters, escape sequences, whitespace and folding."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
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


# --- the one cleaning function: every class of hostile character -------------------------

from papershelf.core.text import clean_text, to_json  # noqa: E402

HOSTILE_SEQUENCES = {
    "CSI 7-bit": "\x1b[2J",
    "CSI with parameters and intermediates": "\x1b[1;31 q",
    "CSI 8-bit": "\x9b31m",
    "OSC title, BEL": "\x1b]0;PWNED\x07",
    "OSC 52 clipboard, ST": "\x1b]52;c;cHduZWQ=\x1b\\",
    "OSC 8-bit, 8-bit ST": "\x9d0;PWNED\x9c",
    "OSC 8-bit, BEL": "\x9d52;c;eA==\x07",
    "DCS 7-bit": "\x1bPq#0;2;0;0;0\x1b\\",
    "DCS 8-bit": "\x90q#0\x9c",
    "SOS 7-bit": "\x1bXhidden\x1b\\",
    "SOS 8-bit": "\x98hidden\x9c",
    "PM 7-bit": "\x1b^hidden\x1b\\",
    "PM 8-bit": "\x9ehidden\x9c",
    "APC 7-bit": "\x1b_hidden\x1b\\",
    "APC 8-bit": "\x9fhidden\x9c",
    "two-byte ESC": "\x1bc",
    "ESC with intermediate": "\x1b(B",
    "keypad mode": "\x1b=",
}


@pytest.mark.parametrize("sequence", HOSTILE_SEQUENCES.values(), ids=HOSTILE_SEQUENCES.keys())
def test_every_escape_sequence_is_removed_whole(sequence):
    assert clean_text(f"left{sequence}right") == "leftright"
    assert clean_line(f" a {sequence} b ") == "a b"


@pytest.mark.parametrize(
    "unterminated", ["\x1b]0;PWNED", "\x9d52;c;eA==", "\x1bPq", "\x90q", "\x98", "\x9e", "\x9f"]
)
def test_an_unterminated_string_sequence_takes_the_rest_with_it(unterminated):
    """A terminal would swallow everything after it, so nothing after it is kept as text."""
    assert clean_text(f"kept{unterminated} swallowed") == "kept"


@pytest.mark.parametrize("csi", ["\x1b[", "\x1b[31", "\x1b[1;", "\x9b", "\x9b2"])
def test_a_csi_without_its_final_byte_is_removed(csi):
    assert clean_text(f"kept{csi}") == "kept"


def test_osc_ends_at_the_first_terminator():
    assert clean_text("a\x1b]0;t\x07b\x07c") == "ab\x07c".replace("\x07", "")
    assert clean_text("a\x9d0;t\x9cb") == "ab"
    assert clean_text("a\x1b]0;t\x1b\\b") == "ab"


C0_AND_C1 = [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F, *range(0x7F, 0x85), *range(0x86, 0xA0)]


@pytest.mark.parametrize("code", C0_AND_C1)
def test_every_c0_and_c1_control_is_removed(code):
    """At the end of the text, so that no sequence can start with it."""
    assert clean_text(f"a{chr(code)}") == "a"
    assert clean_line(f"a{chr(code)}") == "a"


@pytest.mark.parametrize("code", [c for c in C0_AND_C1 if c not in (0x1B, *range(0x90, 0xA0))])
def test_controls_that_start_no_sequence_keep_what_follows(code):
    assert clean_text(f"a{chr(code)}b") == "ab"


@pytest.mark.parametrize(
    "separator", ["\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
)
def test_line_separators_become_newlines(separator):
    assert clean_text(f"a{separator}b") == "a\nb"
    assert clean_line(f"a{separator}b") == "a b"


def test_tabs_and_newlines_are_kept():
    assert clean_text("a\tb\nc") == "a\tb\nc"


@pytest.mark.parametrize(
    "char",
    [
        "\u061c", "\u180e", "\u200b", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c",
        "\u202d", "\u202e", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\u2066",
        "\u2067", "\u2068", "\u2069", "\ufeff", "\ufff9", "\ufffa", "\ufffb",
        "\U000e0000", "\U000e0001", "\U000e0041", "\U000e007f",
    ],
)  # fmt: skip
def test_bidi_zero_width_and_tag_characters_are_removed(char):
    assert clean_text(f"a{char}b") == "ab"


def test_characters_next_to_the_removed_ranges_are_kept():
    kept = "\u200c\u200d\u2065\u206a\ufe0f\ufff8\ufffc\ufffd\U000e0080\U000e0100 \xa0\xa1"
    assert clean_text(f"a{kept}b") == f"a{kept}b"


@pytest.mark.parametrize("surrogate", ["\ud800", "\udbff", "\udc00", "\udfff", "\udc80"])
def test_lone_surrogates_become_the_replacement_character(surrogate):
    cleaned = clean_text(f"a{surrogate}b")
    assert cleaned == "a\ufffdb"
    cleaned.encode("utf-8")  # no UnicodeEncodeError


def test_clean_text_fast_path_returns_printable_text_unchanged():
    text = "Attention Is All You Need — Ünïcödé 模型 🦙"
    assert clean_text(text) is text
    assert clean_line(text) is text


HOSTILE = st.text(
    alphabet=st.sampled_from(
        [
            *list("ab ;[]0\\\x07\x1b\x9b\x9c\x9d\x90\x98\x9e\x9f\x00\x7f\x85\r\n\t"),
            "\u202e",
            "\u200b",
            "\U000e0041",
            "�",
        ]
    ),
    max_size=40,
)
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)


@given(st.one_of(HOSTILE, st.text(max_size=60)))
def test_cleaned_text_holds_no_control_and_is_stable(text):
    once = clean_text(text)
    assert not _FORBIDDEN.search(once)
    assert clean_text(once) == once
    once.encode("utf-8")
    line = clean_line(text)
    assert not _FORBIDDEN.search(line) and "\n" not in line and "\t" not in line


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), max_size=60
    )
)
def test_printable_text_is_never_changed(text):
    assert clean_text(text) == text


# --- JSON output -----------------------------------------------------------------------------


def test_to_json_escapes_c1_bidi_separators_and_surrogates():
    text = to_json(
        {"t": "a\x9d0;x\x9c\x7f\u202e\u2028\u2029\ufeff\ud800\U000e0041 é 模型"}, indent=1
    )
    assert text.isascii() is False  # readable non-ASCII stays
    assert "é 模型" in text
    for raw in "\x9d\x9c\x7f\u202e\u2028\u2029\ufeff\ud800\U000e0041":
        assert raw not in text
    assert "\\u009d" in text and "\\u202e" in text and "\\u2028" in text and "\\ud800" in text
    assert json.loads(text)["t"].startswith("a\x9d0;x\x9c\x7f\u202e")


@given(
    st.recursive(
        st.text(max_size=20) | st.integers() | st.none(),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=8,
    )
)
def test_to_json_round_trips_and_has_no_raw_control(value):
    text = to_json(value)
    assert json.loads(text) == value
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\ud800-\udfff]", text)


def test_clean_line_collapses_runs_of_spaces_in_printable_text():
    assert clean_line("a  b") == "a b"
    assert clean_line(" a") == "a" and clean_line("a ") == "a"


def test_to_json_indents_when_asked():
    assert to_json([1], indent=1) == "[\n 1\n]"
    assert to_json([1]) == "[1]"
    assert to_json("é") == '"é"'
