"""Helpers the reader's pilot tests share: a fixed clock, app factories, waiting for quiet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from papershelf.core.errors import NothingCached
from papershelf.core.lists import Feed, FeedState, ListKey, ListKind, Source
from papershelf.core.model import Paper
from papershelf.data.library import Library
from papershelf.tui.app import PapershelfApp, make_app

NOW = dt.datetime(2026, 8, 21, 14, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def reader(**kwargs) -> PapershelfApp:
    """The reader at a fixed time, no session restored, filter and detail applied at once."""
    app = make_app(clock=lambda: NOW, restore_session=False, **kwargs)
    app.services.filter_debounce = 0
    app.services.detail_debounce = 0
    return app


def library_reader(library: Library, *, read_after: float = -1, **kwargs) -> PapershelfApp:
    """The reader on the bundled sample (offline), with a read delay that never fires unless set."""
    app = reader(offline=True, library=library, **kwargs)
    app.services.settings.read_after_seconds = read_after
    return app


class StubFeeds:
    """A fixed list; paper details are never available (the listed record is used)."""

    def __init__(self, papers: list[Paper]) -> None:
        self.papers = papers

    async def load(self, key: ListKey, *, refresh: bool = False, offline: bool = False) -> Feed:
        return Feed(ListKey(ListKind.LATEST), list(self.papers), FeedState(Source.SAMPLE))

    async def revalidate(self, key: ListKey) -> Feed | None:
        return None

    async def step_day(self, day, step, *, offline=False, max_empty=10) -> Feed:
        return await self.load(ListKey(ListKind.LATEST))

    async def paper(self, paper_id: str, *, offline: bool = False) -> Paper:
        raise NothingCached("no detail in tests")

    async def aclose(self) -> None:
        return None


def workers_running(app: PapershelfApp) -> bool:
    return any(worker.is_running for worker in app.workers)


def workers_or_writes_running(app: PapershelfApp) -> bool:
    """Library writes finish in messages after their worker, so they count as busy too."""
    return workers_running(app) or bool(app.services.library.pending_writes)


def screen_or_app_workers_running(app: PapershelfApp) -> bool:
    return workers_running(app) or any(worker.is_running for worker in app.screen.workers)


async def settle(
    app: PapershelfApp,
    pilot,
    *,
    rounds: int = 50,
    busy: Callable[[PapershelfApp], bool] = workers_running,
) -> None:
    """Wait until every worker finished and every message was handled."""
    for _ in range(rounds):
        await pilot.pause()
        if not busy(app):
            await pilot.pause()
            if not workers_running(app):
                return
        await app.workers.wait_for_complete()
    raise AssertionError("workers did not settle")


async def settle_library(app: PapershelfApp, pilot) -> None:
    """`settle`, also waiting for library writes still on their way."""
    await settle(app, pilot, busy=workers_or_writes_running)


async def drain(app: PapershelfApp, pilot, *, rounds: int = 50, strict: bool = True) -> None:
    """Wait for all workers before each look until none runs; `strict` fails if some still do."""
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not workers_running(app):
            return
    if strict:
        raise AssertionError("workers did not settle")


async def settled(pilot) -> None:
    """Snapshot set-up: every worker done, every message handled (never fails by itself)."""
    await drain(pilot.app, pilot, rounds=20, strict=False)


async def until(
    pilot,
    condition: Callable[[], object],
    what: str = "condition",
    *,
    attempts: int = 500,
    delay: float | None = None,
) -> None:
    """Let the app run (pausing `delay` seconds a step) until `condition()` holds."""
    for _ in range(attempts):
        if condition():
            return
        await pilot.pause(delay)
    raise AssertionError(f"never happened: {what}")


def notifications(app: PapershelfApp) -> list[str]:
    return [n.message for n in app._notifications]


def notices(app: PapershelfApp) -> list[tuple[str, str]]:
    return [(n.title, n.message) for n in app._notifications]
