"""The day phrases the command palette understands, counted from a fixed today."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papershelf.core.date_phrases import EXAMPLES, parse_date_phrase, weekday_index

TODAY = dt.date(2026, 8, 21)
"""A Friday."""


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2026-08-14", dt.date(2026, 8, 14)),
        ("2026/8/4", dt.date(2026, 8, 4)),
        ("  2026-08-14 ", dt.date(2026, 8, 14)),
        ("today", TODAY),
        ("Yesterday", dt.date(2026, 8, 20)),
        ("friday", TODAY),
        ("monday", dt.date(2026, 8, 17)),
        ("Mon", dt.date(2026, 8, 17)),
        ("thurs", dt.date(2026, 8, 20)),
        ("saturday", dt.date(2026, 8, 15)),
        ("last friday", dt.date(2026, 8, 14)),
        ("last monday", dt.date(2026, 8, 17)),
        ("previous  wed", dt.date(2026, 8, 19)),
        ("this monday", dt.date(2026, 8, 17)),
        ("this sunday", dt.date(2026, 8, 23)),
        ("last week", dt.date(2026, 8, 14)),
        ("3 days ago", dt.date(2026, 8, 18)),
        ("1 day ago", dt.date(2026, 8, 20)),
        ("a day ago", dt.date(2026, 8, 20)),
        ("two weeks ago", dt.date(2026, 8, 7)),
        ("10d ago", dt.date(2026, 8, 11)),
        ("0 days ago", TODAY),
    ],
)
def test_phrases_name_days(phrase, expected):
    """Each supported phrase names the expected day."""
    assert parse_date_phrase(phrase, TODAY) == expected


@pytest.mark.parametrize(
    "phrase",
    [
        "",
        "   ",
        "agents",
        "2026-02-30",
        "2026-13-01",
        "last",
        "last year",
        "3 fortnights ago",
        "many days ago",
        "99999999 days ago",
        "mo",
        "[/b]",
    ],
)
def test_other_text_names_no_day(phrase):
    """Text that is not a day phrase gives None, never an error."""
    assert parse_date_phrase(phrase, TODAY) is None


def test_every_suggested_example_parses():
    """The examples the palette shows are all understood."""
    assert all(parse_date_phrase(example, TODAY) is not None for example in EXAMPLES)


def test_weekday_index_knows_names_and_abbreviations():
    """Full names and three-letter abbreviations map to `date.weekday()` numbers."""
    assert weekday_index("monday") == 0
    assert weekday_index("sun") == 6
    assert weekday_index("tues") == 1
    assert weekday_index("moon") is None


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
)
def test_weekday_phrases_are_within_a_week_back(today, name):
    """`<weekday>` is 0..6 days back and `last <weekday>` 1..7 days back, on that weekday."""
    plain = parse_date_phrase(name, today)
    last = parse_date_phrase(f"last {name}", today)
    assert plain is not None and last is not None
    assert 0 <= (today - plain).days <= 6
    assert 1 <= (today - last).days <= 7
    assert plain.weekday() == last.weekday() == weekday_index(name)


@given(st.text(max_size=30))
def test_arbitrary_text_never_raises(text):
    """Whatever is typed into the palette, parsing returns a date or None."""
    result = parse_date_phrase(text, TODAY)
    assert result is None or isinstance(result, dt.date)
