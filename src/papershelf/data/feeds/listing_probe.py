"""The papers of one listing for `[`/`]` stepping, offline included (no Textual)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from papershelf.core.errors import NothingCached
from papershelf.core.lists import ListKey, ListKind
from papershelf.core.model import Paper
from papershelf.core.stepping import key_for, weekdays_in


async def listing_papers(
    feeds: Any, key: ListKey, *, offline: bool, today: dt.date
) -> list[Paper] | None:
    """The papers of `key` (None when it cannot be had).

    Offline, a week or month may be uncached while some of its days are: those days answer.
    """
    try:
        return (await feeds.load(key, offline=offline)).papers
    except NothingCached:
        if key.kind is ListKind.DAILY:
            return None
    papers: list[Paper] = []
    for day in weekdays_in(key, today):
        day_papers = await listing_papers(
            feeds, key_for(ListKind.DAILY, day), offline=offline, today=today
        )
        papers.extend(day_papers or ())
    return papers
