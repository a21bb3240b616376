"""Validation and stepping of Daily Papers dates, ISO weeks and months (pure, no I/O)."""

from __future__ import annotations

import datetime as dt
import re

from papershelf.core.errors import InvalidInput

FIRST_DAY = dt.date(2023, 5, 4)
"""The first day Hugging Face Daily Papers has a list for."""

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def today_utc(now: dt.datetime | None = None) -> dt.date:
    """The current date in UTC: the API rejects any `date=` after it."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).date()


def parse_day(text: str, today: dt.date) -> dt.date:
    """`YYYY-MM-DD` within 2023-05-04 .. today (UTC), else InvalidInput in plain words."""
    match = _DAY.match(text.strip())
    if not match:
        raise InvalidInput(f"'{text}' is not a date; use YYYY-MM-DD, e.g. 2026-08-21.")
    try:
        day = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise InvalidInput(f"'{text}' is not a real calendar date.") from None
    check_day_in_range(day, today)
    return day


def check_day_in_range(day: dt.date, today: dt.date) -> None:
    """Raise InvalidInput when `day` lies outside the Daily Papers history."""
    if day < FIRST_DAY:
        raise InvalidInput(
            f"Daily Papers begin on {FIRST_DAY.isoformat()}; there is no list for {day}."
        )
    if day > today:
        raise InvalidInput(f"{day} is in the future; the newest possible day is {today} (UTC).")


def weeks_in_year(year: int) -> int:
    """52 or 53: the ISO week of 28 December is always the year's last week."""
    return dt.date(year, 12, 28).isocalendar().week


def parse_week(text: str, today: dt.date) -> tuple[int, int]:
    """`YYYY-Www` -> (ISO year, week), validated against the calendar and the history."""
    match = _WEEK.match(text.strip())
    if not match:
        raise InvalidInput(f"'{text}' is not a week; use YYYY-Www, e.g. 2026-W34.")
    year, week = int(match[1]), int(match[2])
    if not 1 <= week <= weeks_in_year(year) or year < 1:
        raise InvalidInput(f"{year} has no week {week}; its weeks are W01..W{weeks_in_year(year)}.")
    days = week_days(year, week)
    if days[-1] < FIRST_DAY:
        raise InvalidInput(f"Daily Papers begin on {FIRST_DAY.isoformat()}; week {text} is before.")
    if days[0] > today:
        raise InvalidInput(f"Week {week_label(year, week)} has not started yet (UTC).")
    return year, week


def week_label(year: int, week: int) -> str:
    """The canonical `YYYY-Www` form."""
    return f"{year:04d}-W{week:02d}"


def week_of(day: dt.date) -> str:
    """The ISO week containing `day`, as `YYYY-Www`."""
    iso = day.isocalendar()
    return week_label(iso.year, iso.week)


def week_days(year: int, week: int) -> list[dt.date]:
    """Monday..Sunday of an ISO week."""
    monday = dt.date.fromisocalendar(year, week, 1)
    return [monday + dt.timedelta(days=offset) for offset in range(7)]


def parse_month(text: str, today: dt.date) -> tuple[int, int]:
    """`YYYY-MM` -> (year, month), validated against the history."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise InvalidInput(f"'{text}' is not a month; use YYYY-MM, e.g. 2026-08.")
    year, month = int(match[1]), int(match[2])
    if (year, month) < (FIRST_DAY.year, FIRST_DAY.month):
        raise InvalidInput(f"Daily Papers begin on {FIRST_DAY.isoformat()}; {text} is before.")
    if (year, month) > (today.year, today.month):
        raise InvalidInput(f"{year:04d}-{month:02d} is in the future (UTC).")
    return year, month


def month_of(day: dt.date) -> str:
    """The month containing `day`, as `YYYY-MM`."""
    return f"{day.year:04d}-{day.month:02d}"


def is_weekend(day: dt.date) -> bool:
    """Saturday or Sunday: Daily Papers lists are empty then."""
    return day.weekday() >= 5


def next_weekday(day: dt.date, step: int) -> dt.date:
    """The nearest Monday..Friday strictly before (`step=-1`) or after (`step=+1`) `day`."""
    if step not in (-1, 1):
        raise ValueError("step must be -1 or +1")
    candidate = day + dt.timedelta(days=step)
    while is_weekend(candidate):
        candidate += dt.timedelta(days=step)
    return candidate
