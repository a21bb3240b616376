"""Saving library changes and reading the library back, off the event loop, as an App mixin."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

from papershelf.core.errors import PapershelfError
from papershelf.core.query import LibraryView

if TYPE_CHECKING:
    from papershelf.data.library import Library


@dataclass
class LibraryWritten(Message):
    """A library change was saved; `view` is the library as it now is."""

    view: LibraryView
    done: str | None
    """What to tell the user, if anything."""


@dataclass
class LibraryWriteFailed(Message):
    """A library change could not be saved; `view` is the library as it still is."""

    view: LibraryView | None
    error: PapershelfError


@dataclass
class LibraryViewRead(Message):
    """The library was read (at start, or to notice changes made by another papershelf)."""

    view: LibraryView
    revision: int


class LibrarySync:
    """Mixin for the reader app: library writes run in order on one thread; reads come back too.

    The state (`library`, `library_snapshot`, `_library_thread`, `_pending_writes`,
    `_seen_revision`, `_note_texts`) is set up by `LibraryActions.init_library`.
    """

    def _write(self, change: Callable[[Library], object], done: str | None) -> None:
        """Run `change` on the library thread (in order); a message reports the outcome."""
        self._pending_writes += 1
        self.run_worker(  # type: ignore[attr-defined]
            self._run_write(change, done), group="library", exit_on_error=False
        )

    async def _run_write(self, change: Callable[[Library], object], done: str | None) -> None:
        library = self.library
        assert library is not None

        def write() -> LibraryView:
            change(library)
            return library.view()

        try:
            view = await self._in_library_thread(write)
        except Exception as caught:
            # Whatever stopped the write, the optimistic view is rolled back and the user told.
            error = (
                caught
                if isinstance(caught, PapershelfError)
                else PapershelfError(f"The change could not be saved: {caught}.", "Not saved")
            )
            try:
                current: LibraryView | None = await self._in_library_thread(library.view)
            except Exception:
                current = None
            self.post_message(LibraryWriteFailed(current, error))  # type: ignore[attr-defined]
        else:
            self.post_message(LibraryWritten(view, done))  # type: ignore[attr-defined]

    async def _in_library_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._library_thread, function, *args)

    def on_library_written(self, message: LibraryWritten) -> None:
        self._pending_writes -= 1
        if self._pending_writes == 0:
            self._adopt(message.view)
        if message.done:
            self._tell(message.done)

    def on_library_write_failed(self, message: LibraryWriteFailed) -> None:
        self._pending_writes -= 1
        if self._pending_writes == 0 and message.view is not None:
            self._adopt(message.view)
        error = message.error
        self._tell(error.message, title="Not saved", severity="error")

    def _reread_library(self) -> None:
        """Read the library in the background; a change made elsewhere then shows."""
        library = self.library
        if library is None or not library.available:
            return
        self.run_worker(  # type: ignore[attr-defined]
            self._read_view(library), group="library-read", exclusive=True, exit_on_error=False
        )

    async def _read_view(self, library: Library) -> None:
        def read() -> tuple[LibraryView, int]:
            view = library.view()
            return view, library.revision

        try:
            view, revision = await self._in_library_thread(read)
        except PapershelfError:
            return
        self.post_message(LibraryViewRead(view, revision))  # type: ignore[attr-defined]

    def on_library_view_read(self, message: LibraryViewRead) -> None:
        if message.revision == self._seen_revision or self._pending_writes:
            return
        self._seen_revision = message.revision
        self._adopt(message.view)

    def _adopt(self, view: LibraryView) -> None:
        """Make the saved `view` what rows show, redrawing only when something differs.

        A difference comes from another papershelf or a failed write, so a filter on library
        state runs again. Changes made here are already in the snapshot (automatic read marks
        included), so their saved view changes nothing and never hides a paper being read.
        """
        if view == self.library_snapshot:
            return
        self.library_snapshot = view
        self._note_texts.clear()  # a note may have been changed by another papershelf
        screen = self.get_default_screen_instance()  # type: ignore[attr-defined]
        if screen is not None:
            screen.paper_list.refresh_markers()
            self.show_library_facts()
            screen.refilter_for_library()
