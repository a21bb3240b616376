"""Stepping to the previous/next listing with papers, and the d/w/m views of the date looked at."""

from __future__ import annotations

import datetime as dt

import pytest

from papershelf.core.listing import ListKey, ListKind
from papershelf.core.model import Paper
from papershelf.core.stepping import find_listing, period_of, view_key, weekdays_in

TODAY = dt.date(2026, 8, 21)


class Archive:
    """Papers on some days; answers week and month listings as the API does, counting asks."""

    def __init__(self, days: list[dt.date]) -> None:
        self.days = days
        self.asked: list[ListKey] = []

    async def fetch(self, key: ListKey) -> list[Paper]:
        self.asked.append(key)
        assert key.kind in (ListKind.WEEK, ListKind.MONTH), "never a day at a time"
        first, last = period_of(key)
        return [
            Paper(id=f"2601.{index:05d}", title="p", daily_date=day)
            for index, day in enumerate(self.days)
            if first <= day <= last
        ]


async def step(archive: Archive, kind: ListKind, start: dt.date, direction: int, **kwargs):
    progress: list[ListKey] = []
    found = await find_listing(
        kind,
        start,
        direction,
        today=TODAY,
        fetch=archive.fetch,
        progress=progress.append,
        **kwargs,
    )
    assert progress == archive.asked  # every ask is reported while it runs
    return found


async def test_the_previous_day_in_the_same_week_takes_one_request():
    archive = Archive([dt.date(2026, 8, 18), dt.date(2026, 8, 20), dt.date(2026, 8, 21)])
    found = await step(archive, ListKind.DAILY, dt.date(2026, 8, 21), -1)
    assert found == ListKey(ListKind.DAILY, "2026-08-20")
    assert archive.asked == [ListKey(ListKind.WEEK, "2026-W34")]


async def test_a_gap_of_months_is_crossed_a_month_at_a_time():
    """Nothing between 2026-03-02 and 2026-08-17: two empty weeks, then months."""
    archive = Archive([dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 8, 17)])
    found = await step(archive, ListKind.DAILY, dt.date(2026, 8, 17), -1)
    assert found == ListKey(ListKind.DAILY, "2026-03-03")
    assert len(archive.asked) <= 8
    assert archive.asked[:3] == [
        ListKey(ListKind.WEEK, "2026-W33"),
        ListKey(ListKind.WEEK, "2026-W32"),
        ListKey(ListKind.MONTH, "2026-08"),
    ]
    assert archive.asked[-1] == ListKey(ListKind.MONTH, "2026-03")


async def test_forward_across_a_gap():
    archive = Archive([dt.date(2025, 12, 19), dt.date(2026, 1, 12), dt.date(2026, 1, 13)])
    found = await step(archive, ListKind.DAILY, dt.date(2025, 12, 19), 1)
    assert found == ListKey(ListKind.DAILY, "2026-01-12")


async def test_week_view_steps_to_the_previous_week_with_papers():
    archive = Archive([dt.date(2026, 6, 10), dt.date(2026, 8, 18)])
    found = await step(archive, ListKind.WEEK, dt.date(2026, 8, 17), -1)
    assert found == ListKey(ListKind.WEEK, "2026-W24")


async def test_month_view_steps_by_months():
    archive = Archive([dt.date(2025, 11, 3), dt.date(2026, 8, 18)])
    found = await step(archive, ListKind.MONTH, dt.date(2026, 8, 1), -1)
    assert found == ListKey(ListKind.MONTH, "2025-11")
    assert all(key.kind is ListKind.MONTH for key in archive.asked)


async def test_nothing_older_or_newer_gives_none():
    archive = Archive([dt.date(2026, 8, 18)])
    assert await step(archive, ListKind.DAILY, dt.date(2026, 8, 18), 1) is None
    archive = Archive([dt.date(2023, 5, 5)])
    assert await step(archive, ListKind.DAILY, dt.date(2023, 5, 5), -1) is None
    assert len(archive.asked) == 1


async def test_week_53_is_asked_as_months():
    """The API rejects `week=2026-W53`; the stepper asks for December and January instead."""
    archive = Archive([dt.date(2026, 12, 29)])
    found = await find_listing(
        ListKind.DAILY,
        dt.date(2027, 1, 5),
        -1,
        today=dt.date(2027, 1, 6),
        fetch=archive.fetch,
    )
    assert found == ListKey(ListKind.DAILY, "2026-12-29")
    assert all(not key.value.endswith("W53") for key in archive.asked)


async def test_a_listing_that_cannot_be_had_counts_as_empty():
    async def nothing(key: ListKey) -> None:
        return None

    found = await find_listing(ListKind.DAILY, dt.date(2023, 6, 1), -1, today=TODAY, fetch=nothing)
    assert found is None


async def test_step_must_be_one():
    with pytest.raises(ValueError):
        await find_listing(ListKind.DAILY, TODAY, 2, today=TODAY, fetch=Archive([]).fetch)


@pytest.mark.parametrize(
    ("kind", "anchor", "expected"),
    [
        (ListKind.DAILY, dt.date(2026, 7, 6), ListKey(ListKind.DAILY, "2026-07-06")),
        (ListKind.DAILY, dt.date(2026, 8, 21), ListKey(ListKind.LATEST)),
        (ListKind.DAILY, None, ListKey(ListKind.LATEST)),
        (ListKind.WEEK, dt.date(2026, 7, 6), ListKey(ListKind.WEEK, "2026-W28")),
        (ListKind.MONTH, dt.date(2026, 7, 6), ListKey(ListKind.MONTH, "2026-07")),
        (ListKind.WEEK, None, ListKey(ListKind.WEEK, "2026-W34")),
    ],
)
def test_view_keys_keep_the_date_looked_at(kind, anchor, expected):
    assert view_key(kind, anchor, latest_day=dt.date(2026, 8, 21), today=TODAY) == expected


def test_periods():
    assert period_of(ListKey(ListKind.WEEK, "2026-W28")) == (
        dt.date(2026, 7, 6),
        dt.date(2026, 7, 12),
    )
    assert period_of(ListKey(ListKind.MONTH, "2026-12")) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )


def test_weekdays_in_a_week_up_to_today():
    days = weekdays_in(ListKey(ListKind.WEEK, "2026-W34"), dt.date(2026, 8, 19))
    assert days == [dt.date(2026, 8, 17), dt.date(2026, 8, 18), dt.date(2026, 8, 19)]
