"""The library writer: the one thread that touches SQLite, and the view the reader shows.

A change shows at once from an optimistic copy of the `LibraryView`; the write runs in order
on the library's own thread, and the view read back from the database then replaces the copy.
Outcomes arrive as messages (`LibraryWritten`, `LibraryWriteFailed`, `LibraryViewRead`) posted
to the screen the writer is attached to; its handlers call `written`, `write_failed`, `view_read`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from papershelf.core.errors import PapershelfError
from papershelf.core.library_view import EMPTY_VIEW, LibraryView
from papershelf.tui.messages import LibraryViewRead, LibraryWriteFailed, LibraryWritten
from papershelf.tui.widgets.paper_detail import LibraryFacts

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from papershelf.core.model import Paper
    from papershelf.data.library import Library


class LibraryWriter:
    """Owns the library connection's thread, the optimistic view and the note texts read."""

    def __init__(self, library: Library | None, *, owns_library: bool = False) -> None:
        self.library = library
        """The user's library; None only when papershelf runs without one."""
        self.view: LibraryView = EMPTY_VIEW
        """What rows and filters show: the saved view plus changes still being written."""
        self.pending_writes = 0
        """Writes queued or running; the saved view is adopted only when none is left."""
        self._owns_library = owns_library
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="library")
        self._seen_revision = -1
        self._note_texts: dict[str, str] = {}
        self._node: DOMNode | None = None

    # --- what the library can do ----------------------------------------------------------

    @property
    def available(self) -> bool:
        return self.library is not None and self.library.available

    @property
    def writable(self) -> bool:
        return self.library is not None and self.library.writable

    @property
    def problem(self) -> str | None:
        return self.library.problem if self.library is not None else None

    def attach(self, node: DOMNode) -> None:
        """Run workers on `node` and post outcomes to it (the main screen)."""
        self._node = node

    def close(self) -> None:
        """Let queued writes finish (the user's changes are never dropped), then close."""
        self._thread.shutdown(wait=True)
        if self._owns_library and self.library is not None:
            self.library.close()

    async def in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        """Run `function` on the library's thread, so SQLite is used by one thread at a time."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, function, *args)

    # --- changing ---------------------------------------------------------------------------

    def show(self, view: LibraryView) -> None:
        """Show a change now, before it is saved."""
        self.view = view

    def write(self, change: Callable[[Library], object], done: str | None) -> None:
        """Run `change` on the library thread (in order); a message reports the outcome."""
        assert self._node is not None, "attach the writer to a screen first"
        self.pending_writes += 1
        self._node.run_worker(self._run_write(change, done), group="library", exit_on_error=False)

    async def _run_write(self, change: Callable[[Library], object], done: str | None) -> None:
        library = self.library
        assert library is not None and self._node is not None

        def write() -> LibraryView:
            change(library)
            return library.view()

        try:
            view = await self.in_thread(write)
        except Exception as caught:
            # Whatever stopped the write, the optimistic view is rolled back and the user told.
            error = (
                caught
                if isinstance(caught, PapershelfError)
                else PapershelfError(f"The change could not be saved: {caught}.", "Not saved")
            )
            try:
                current: LibraryView | None = await self.in_thread(library.view)
            except Exception:
                current = None
            self._node.post_message(LibraryWriteFailed(current, error))
        else:
            self._node.post_message(LibraryWritten(view, done))

    def written(self, message: LibraryWritten) -> bool:
        """A write was saved; True when the view shown changed."""
        self.pending_writes -= 1
        return self.pending_writes == 0 and self.adopt(message.view)

    def write_failed(self, message: LibraryWriteFailed) -> bool:
        """A write failed; True when the view shown changed (back to what is saved)."""
        self.pending_writes -= 1
        return self.pending_writes == 0 and message.view is not None and self.adopt(message.view)

    # --- reading ----------------------------------------------------------------------------

    def reread(self) -> None:
        """Read the library in the background; a change made elsewhere then shows."""
        library = self.library
        if library is None or not library.available or self._node is None:
            return
        self._node.run_worker(
            self._read_view(library), group="library-read", exclusive=True, exit_on_error=False
        )

    async def _read_view(self, library: Library) -> None:
        def read() -> tuple[LibraryView, int]:
            return library.view(), library.revision

        try:
            view, revision = await self.in_thread(read)
        except PapershelfError:
            return
        assert self._node is not None
        self._node.post_message(LibraryViewRead(view, revision))

    def view_read(self, message: LibraryViewRead) -> bool:
        """The library was read; True when the view shown changed."""
        if message.revision == self._seen_revision or self.pending_writes:
            return False
        self._seen_revision = message.revision
        return self.adopt(message.view)

    def adopt(self, view: LibraryView) -> bool:
        """Make the saved `view` what rows show; True when something differs.

        A difference comes from another papershelf or a failed write. Changes made here are
        already in the view (automatic read marks included), so their saved view changes nothing.
        """
        if view == self.view:
            return False
        self.view = view
        self._note_texts.clear()  # a note may have been changed by another papershelf
        return True

    def current_view(self) -> LibraryView:
        """The view filters look at; also starts noticing changes made elsewhere."""
        self.reread()
        return self.view

    # --- one paper --------------------------------------------------------------------------

    def facts(self, paper_id: str) -> LibraryFacts:
        """The stars, tags and note of one paper as the reader shows them now."""
        view = self.view
        note = self._note_texts.get(paper_id, "") if paper_id in view.notes else ""
        return LibraryFacts(
            paper_id, paper_id in view.starred, tuple(view.tags.get(paper_id, ())), note
        )

    def note_unread(self, paper_id: str) -> bool:
        """True when `paper_id` has a note whose text was not read yet."""
        return self.available and paper_id in self.view.notes and paper_id not in self._note_texts

    async def read_note(self, paper_id: str) -> str | None:
        """The note's text (remembered for the detail pane); None when it cannot be read."""
        assert self.library is not None
        try:
            text = await self.in_thread(self.library.note, paper_id)
        except PapershelfError:
            return None
        self._note_texts[paper_id] = text or ""
        return text or ""

    def remember_note(self, paper_id: str, text: str) -> None:
        self._note_texts[paper_id] = text

    def export_facts(self) -> tuple[int, list[str]]:
        """How many papers are starred, and the library's tags. Blocks (SQLite)."""
        if self.library is None:
            return 0, []
        try:
            starred = len(self.library.starred_ids())
            return starred, sorted(tag for tag, _n in self.library.all_tags())
        except PapershelfError:
            return 0, []

    def papers(self, scope: str, tag: str | None) -> list[Paper]:
        """The starred papers, or those with `tag`. Blocks (SQLite)."""
        if self.library is None:
            raise PapershelfError("The library is not available.", "Export failed")
        if scope == "starred":
            return list(self.library.starred_papers())
        return list(self.library.tagged_papers(tag or ""))
