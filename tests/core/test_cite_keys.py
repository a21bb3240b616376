"""Citekeys, names and years: ASCII keys, arXiv's rule, linear de-duplication."""

from __future__ import annotations

import datetime as dt
import re
import time

from hypothesis import given
from hypothesis import strategies as st

from papershelf.core.cite_keys import (
    STOPWORDS,
    citekey,
    dedupe_entry_keys,
    distinct_keys,
    entry_key,
    key_text,
    rekey_entry,
    split_name,
    suffix,
    unique_citekeys,
    year_of,
)
from papershelf.core.model import Author, Paper

_KEY = re.compile(r"[a-z0-9]+")


def paper(title: str = "Attention Is All You Need", *names: str, year: int | None = 2017) -> Paper:
    return Paper(
        id="1706.03762",
        title=title,
        authors=tuple(Author(name) for name in (names or ("Ashish Vaswani",))),
        published=dt.date(year, 6, 12) if year else None,
    )


# --- the key ---------------------------------------------------------------------------------


def test_arxiv_rule_surname_year_and_four_non_stop_words():
    assert citekey(paper()) == "vaswani2017attentionneed"
    long = paper("Deep Residual Learning for Image Recognition Today", "Kaiming He")
    assert citekey(long) == "he2017deepresiduallearningimage"


def test_stop_words_are_compared_case_insensitively():
    assert citekey(paper("The Attention OF Models", "A B")) == "b2017attentionmodels"
    assert "the" in STOPWORDS and "of" in STOPWORDS and "attention" not in STOPWORDS


def test_accents_are_transliterated_and_other_scripts_dropped():
    assert citekey(paper("Über Modelle", "Jörg van der Müller", year=2024)) == (
        "vandermuller2024ubermodelle"
    )
    assert citekey(paper("模型 Scaling", "王 小明", year=2024)) == "unknown2024scaling"
    assert citekey(paper("Ærø Straße", "Zoë Ñúñez")) == "nunez2017rstrae"  # Æ, ø, ß: no ASCII form


def test_latex_command_names_are_not_key_words():
    assert citekey(paper(r"\textbf{Bold} \emph{Claims}", "A Smith")) == "smith2017boldclaims"
    assert citekey(paper(r"G\"odel \'Etude", r"Kurt G\"odel")) == "godel2017godeletude"
    assert key_text(r"\alpha\beta-Nets") == "nets"
    assert key_text("\\") == ""


def test_missing_author_year_or_title_words():
    bare = Paper(id="2501.00001", title="Solo")
    assert citekey(bare) == "unknownunknownsolo"
    assert citekey(paper("The Of", "Ann Lee", year=None)) == "leeunknown"
    assert citekey(Paper(id="2501.00001", title="X", authors=(Author("!!!"),))) == (
        "unknownunknownx"
    )


def test_year_falls_back_to_the_daily_date():
    featured = Paper(id="2501.00001", title="T", daily_date=dt.date(2025, 1, 2))
    assert year_of(featured) == 2025
    assert year_of(Paper(id="2501.00001", title="T")) is None
    both = Paper(id="2501.00001", title="T", published=dt.date(2024, 12, 31),
                 daily_date=dt.date(2025, 1, 2))  # fmt: skip
    assert year_of(both) == 2024


@given(st.text(max_size=40), st.text(max_size=20))
def test_keys_are_always_ascii_letters_and_digits(title, name):
    key = citekey(Paper(id="2501.00001", title=title or "x", authors=(Author(name or "x"),)))
    assert _KEY.fullmatch(key)


@given(st.text(max_size=30))
def test_key_text_is_lower_case_ascii_and_idempotent(text):
    once = key_text(text)
    assert once == "" or _KEY.fullmatch(once)
    assert key_text(once) == once


# --- names -----------------------------------------------------------------------------------


def test_split_name():
    assert split_name("Aidan N. Gomez") == ("Aidan N.", "Gomez")
    assert split_name("Ludwig van Beethoven") == ("Ludwig", "van Beethoven")
    assert split_name("Jörg van der Müller") == ("Jörg", "van der Müller")
    assert split_name("Di Wang") == ("Di", "Wang")
    assert split_name("Martin Luther King Jr.") == ("Martin Luther", "King")
    assert split_name("John Smith, III") == ("John", "Smith,")
    assert split_name("Plato") == ("", "Plato")
    assert split_name("   ") == ("", "")
    assert split_name("van Gogh") == ("van", "Gogh")


# --- de-duplication --------------------------------------------------------------------------


def test_suffixes_run_a_to_z_then_two_letters_then_three():
    assert [suffix(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702, 703)] == [
        "a", "b", "z", "aa", "ab", "az", "ba", "zz", "aaa", "aab",
    ]  # fmt: skip


def test_repeated_and_taken_keys_get_free_suffixes():
    assert distinct_keys(["k", "k", "j"], ()) == ["ka", "kb", "j"]
    assert distinct_keys(["k"], ["k"]) == ["ka"]
    assert distinct_keys(["k", "k"], ["ka"]) == ["kb", "kc"]
    assert distinct_keys(["j"], ["k"]) == ["j"]
    assert distinct_keys([], ["k"]) == []


def test_a_key_taken_by_an_earlier_suffixed_key_is_suffixed_too():
    keys = distinct_keys(["a", "a", "b", "aa", "a"], ["ab"])
    assert keys == ["aa", "ac", "b", "aaa", "ad"]
    assert len(set(keys)) == len(keys)


def test_unique_citekeys_for_papers():
    first = paper()
    assert unique_citekeys([first, first, paper("Other Title")]) == [
        "vaswani2017attentionneeda",
        "vaswani2017attentionneedb",
        "vaswani2017title",  # "other" is a stop word
    ]
    assert unique_citekeys([first], ["vaswani2017attentionneed"]) == ["vaswani2017attentionneeda"]


@given(
    st.lists(st.sampled_from(["a", "aa", "ab", "b", "ba", "k"]), max_size=40),
    st.lists(st.sampled_from(["a", "aa", "ab", "aab", "k", "ka"]), max_size=5),
)
def test_distinct_keys_are_unique_and_keep_their_stem(keys, taken):
    result = distinct_keys(keys, taken)
    assert len(result) == len(keys)
    assert len(set(result)) == len(result)
    assert not set(result) & set(taken)
    for key, new in zip(keys, result, strict=True):
        assert new.startswith(key)
        assert new == key or keys.count(key) > 1 or key in taken or key in result[: len(result)]


def _dedupe_seconds(count: int) -> float:
    keys = [f"smith{n % (count // 4)}" for n in range(count)] + ["same"] * (count // 4)
    started = time.perf_counter()
    result = distinct_keys(keys, [f"smith{n}" for n in range(10)])
    elapsed = time.perf_counter() - started
    assert len(set(result)) == len(result)
    return elapsed


def test_de_duplication_is_linear():
    """8x the keys take about 8x the time (the quadratic version took 64x: 2.75 s for 20,000).

    Best of three of each size, compared as a ratio, so a busy machine does not decide it.
    """
    small = min(_dedupe_seconds(2_500) for _ in range(3))
    large = min(_dedupe_seconds(20_000) for _ in range(3))
    assert large / small < 24


# --- fetched entries -------------------------------------------------------------------------


ENTRY = "@misc{smith2024x,\n  title={X},\n}"


def test_entry_key_and_rekey():
    assert entry_key(ENTRY) == "smith2024x"
    assert entry_key("  @ misc { k1 ,\n}") == "k1"
    assert entry_key("not an entry") is None
    assert rekey_entry(ENTRY, "new") == "@misc{new,\n  title={X},\n}"
    assert rekey_entry("@misc{a,\n}\n@misc{a,\n}", "b") == "@misc{b,\n}\n@misc{a,\n}"


def test_dedupe_entry_keys_makes_fetched_keys_ascii_and_unique():
    first, second = dedupe_entry_keys([ENTRY, ENTRY])
    assert entry_key(first) == "smith2024xa" and entry_key(second) == "smith2024xb"
    accented = "@misc{müller2024über,\n  title={X},\n}"
    assert entry_key(dedupe_entry_keys([accented])[0]) == "muller2024uber"
    assert entry_key(dedupe_entry_keys(["@misc{,\n}"])[0]) == "unknown"
    assert dedupe_entry_keys(["no entry"]) == ["no entry"]
    assert dedupe_entry_keys([ENTRY], ["smith2024x"]) == ["@misc{smith2024xa,\n  title={X},\n}"]
    assert dedupe_entry_keys([ENTRY]) == [ENTRY]  # a clean, free key is left as it is


def test_name_suffix_rules():
    assert split_name("Jr.") == ("", "Jr.")  # a lone suffix word is a name
    assert split_name("Smith Jr") == ("", "Smith")
    assert split_name("John Smith Jr.,") == ("John", "Smith")
    assert split_name("Anna Maria van Berg") == ("Anna Maria", "van Berg")


def test_title_words_follow_arxivs_split_on_single_spaces():
    """arXiv splits on " ": an empty word between two spaces counts as one of the four."""
    assert citekey(paper("Alpha  Beta Gamma Delta", "A Lee")) == "lee2017alphabetagamma"


def test_key_text_keeps_only_letters_and_digits():
    assert key_text("a_b-c.d:e 9") == "abcde9"


def test_a_doubled_backslash_is_a_line_break_not_a_command():
    assert key_text(r"\\alpha") == "alpha"
    assert citekey(paper("When Models Fail", "A Lee")) == "lee2017modelsfail"
