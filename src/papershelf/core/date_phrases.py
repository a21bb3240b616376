"""Turn what people type for a day (`2026-08-14`, `yesterday`, `last monday`, `3 days ago`)
into a date; pure, so the command palette and tests share one reading of every phrase."""

from __future__ import annotations

import datetime as dt
import re

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""Weekday names in `date.weekday()` order."""

_WEEKDAY_PREFIXES = {name[:3]: index for index, name in enumerate(WEEKDAYS)}
_EXTRA_ABBREVIATIONS = {"tues": 1, "wednes": 2, "thur": 3, "thurs": 3}
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_ISO_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_AGO = re.compile(r"^(\d+|[a-z]+)\s*(d|days?|w|wks?|weeks?)\s+ago$")
_LAST_OR_THIS = re.compile(r"^(last|this|past|previous)\s+([a-z]+)$")
_MAX_DAYS_BACK = 366 * 50
"""Larger offsets are typos, not dates anyone means."""

EXAMPLES = ("2026-08-14", "today", "yesterday", "monday", "last friday", "3 days ago")
"""Phrases the palette suggests."""


def weekday_index(word: str) -> int | None:
    """0 for `monday`/`mon`, … 6 for `sunday`/`sun`; None for anything else."""
    word = word.strip().lower().rstrip(".")
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    if word in _EXTRA_ABBREVIATIONS:
        return _EXTRA_ABBREVIATIONS[word]
    if len(word) == 3:
        return _WEEKDAY_PREFIXES.get(word)
    return None


def parse_date_phrase(text: str, today: dt.date) -> dt.date | None:
    """The day `text` names, counted back from `today`; None when it names no day.

    `monday` is the latest Monday up to and including today; `last monday` (or `previous`,
    `past`) the latest one strictly before today; `this monday` the Monday of today's week.
    The date is not checked against the Daily Papers history: the caller decides what to say.
    """
    phrase = " ".join(text.strip().lower().split())
    if not phrase:
        return None
    if match := _ISO_DAY.match(phrase):
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    if phrase in ("today", "now"):
        return today
    if phrase == "yesterday":
        return today - dt.timedelta(days=1)
    if (weekday := weekday_index(phrase)) is not None:
        return _latest_weekday(today, weekday, include_today=True)
    if match := _LAST_OR_THIS.match(phrase):
        word, name = match[1], match[2]
        weekday = weekday_index(name)
        if weekday is not None:
            if word == "this":
                return today - dt.timedelta(days=today.weekday() - weekday)
            return _latest_weekday(today, weekday, include_today=False)
        if name == "week" and word != "this":
            return today - dt.timedelta(days=7)
        return None
    if match := _AGO.match(phrase):
        count = _count(match[1])
        if count is None:
            return None
        days = count * 7 if match[2].startswith("w") else count
        if days > _MAX_DAYS_BACK:
            return None
        return today - dt.timedelta(days=days)
    return None


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _latest_weekday(today: dt.date, weekday: int, *, include_today: bool) -> dt.date:
    back = (today.weekday() - weekday) % 7
    if back == 0 and not include_today:
        back = 7
    return today - dt.timedelta(days=back)
