"""The library in the reader, as an App mixin: stars, tags, notes, read state, selection, views.

Changes show at once from an optimistic copy of the `LibraryView`; the SQLite writes run in
order on one background thread, and the view read back from the database replaces the copy.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from papershelf.core.errors import PapershelfError
from papershelf.core.listing import ListKey, ListKind
from papershelf.core.model import Paper
from papershelf.core.query import EMPTY_VIEW, LibraryView
from papershelf.tui.display import plural
from papershelf.tui.library_editing import (
    LibraryEditing,
    common_tags,
    known_tags,
    tag_changes,
    with_note,
    with_tags,
)
from papershelf.tui.library_sync import (
    LibrarySync,
    LibraryViewRead,
    LibraryWriteFailed,
    LibraryWritten,
)
from papershelf.tui.widgets.paper_detail import LibraryFacts

if TYPE_CHECKING:
    from papershelf.data.library import Library
    from papershelf.tui.screens.main import MainScreen
    from papershelf.tui.widgets.paper_list import PaperList

__all__ = [
    "LIBRARY_BINDINGS",
    "LibraryActions",
    "LibraryViewRead",
    "LibraryWriteFailed",
    "LibraryWritten",
    "common_tags",
    "known_tags",
    "row_markers_for",
    "tag_changes",
    "with_note",
    "with_read",
    "with_starred",
    "with_tags",
]
"""The tag and note helpers (`library_editing`) and the messages (`library_sync`) stay
importable from here."""

LIBRARY_BINDINGS: list[Binding] = [
    Binding("s", "star", "Star", id="star"),
    Binding("t", "tag", "Tag", id="tag"),
    Binding("n", "note", "Note", show=False, id="note"),
    Binding("u", "toggle_read", "Read/unread", show=False, id="toggle_read"),
    Binding("U", "mark_all_read", "All read", show=False, id="mark_all_read"),
    Binding("space", "toggle_selection", "Select", show=False, id="select"),
    Binding("escape", "clear_selection", "Clear selection", show=False, id="clear_selection"),
    Binding("L", "starred_view", "Starred", id="starred_view"),
    Binding("ctrl+s", "save_filter", "Save filter", show=False, id="save_filter"),
]
"""Library keys (on the App; they act on the main screen only)."""

READ_AFTER_SECONDS = 1.5
"""How long a paper stays highlighted before it counts as read, unless the settings say."""

SELECTED_MARK = "✔"
STAR_MARK = "★"
UNREAD_MARK = "•"
CODE_MARK = "●"

_LIBRARY_ACTIONS = {
    "star",
    "tag",
    "note",
    "toggle_read",
    "mark_all_read",
    "toggle_selection",
    "clear_selection",
    "starred_view",
    "save_filter",
}


def row_markers_for(paper: Paper, view: LibraryView, selected: bool) -> str:
    """Four fixed slots, so columns stay aligned: selected, starred, unread, has code."""
    return "".join(
        (
            SELECTED_MARK if selected else " ",
            STAR_MARK if paper.id in view.starred else " ",
            UNREAD_MARK if paper.id not in view.read else " ",
            CODE_MARK if paper.github else " ",
        )
    )


def with_starred(view: LibraryView, ids: Iterable[str], starred: bool) -> LibraryView:
    """`view` with `ids` starred (or not)."""
    ids = set(ids)
    new = view.starred | ids if starred else view.starred - ids
    return dataclasses.replace(view, starred=frozenset(new))


def with_read(view: LibraryView, ids: Iterable[str], read: bool) -> LibraryView:
    """`view` with `ids` read (or unread)."""
    ids = set(ids)
    new = view.read | ids if read else view.read - ids
    return dataclasses.replace(view, read=frozenset(new))


class LibraryActions(LibraryEditing, LibrarySync):
    """Mixin for the reader app: the library's keys, markers, read tracking and lists.

    Needs on the app: `get_default_screen_instance()`, `state`, `settings`; call
    `init_library(library)` from `__init__`.
    """

    library: Library | None
    """The user's library; None only when papershelf runs without one."""

    def init_library(self, library: Library | None, *, owns_library: bool = False) -> None:
        """Attach the library; `owns_library` closes it when the app ends."""
        self.library = library
        self.library_snapshot: LibraryView = EMPTY_VIEW
        """What rows and filters show: the saved view plus changes still being written."""
        self.selection: dict[str, Paper] = {}
        """Papers marked with Space, by id, in the order they were marked."""
        setting = getattr(getattr(self, "settings", None), "read_after_seconds", None)
        self.read_after_seconds: float = READ_AFTER_SECONDS if setting is None else float(setting)
        """Seconds a paper stays highlighted before it counts as read (negative: never)."""
        self._owns_library = owns_library
        self._library_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="library")
        self._pending_writes = 0
        self._read_timer: Timer | None = None
        self._seen_revision = -1
        self._note_texts: dict[str, str] = {}
        """Note texts read for the detail pane, by paper id (the view only knows who has one)."""

    # --- the hooks the reader calls --------------------------------------------------------

    def row_markers(self, paper: Paper) -> str:
        """Marker slots at the end of a list row: ✔ selected, ★ starred, • unread, ● code."""
        return row_markers_for(paper, self.library_snapshot, paper.id in self.selection)

    def library_view(self) -> LibraryView:
        """The library state `is:`, `tag:` and `has:note` look at; also notices outside changes."""
        self._reread_library()
        return self.library_snapshot

    def selected_papers(self) -> list[Paper]:
        """The papers marked with Space, with their fetched details where known."""
        details = self.state.details  # type: ignore[attr-defined]
        return [details.get(paper_id, paper) for paper_id, paper in self.selection.items()]

    def paper_highlighted(self, paper: Paper | None) -> None:
        """The list cursor rests on `paper`: show its stars, tags and note; count towards read."""
        self.show_library_facts()
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        if paper is None or self.read_after_seconds < 0 or not self._library_writable():
            return
        if paper.id in self.library_snapshot.read:
            return
        paper_id = paper.id
        self._read_timer = self.set_timer(  # type: ignore[attr-defined]
            self.read_after_seconds, lambda: self._read_time_elapsed(paper_id)
        )

    def paper_opened(self, paper: Paper) -> None:
        """A paper was opened in the browser (`o`, `p`, `a`): it counts as read."""
        if paper.id not in self.library_snapshot.read and self._library_writable():
            self._set_read([paper], True, done=None, refilter=False)

    def library_facts(self, paper_id: str) -> LibraryFacts:
        """The stars, tags and note of one paper as the reader shows them now."""
        view = self.library_snapshot
        note = self._note_texts.get(paper_id, "") if paper_id in view.notes else ""
        return LibraryFacts(
            paper_id, paper_id in view.starred, tuple(view.tags.get(paper_id, ())), note
        )

    def show_library_facts(self) -> None:
        """Bring the detail pane's stars, tags and note up to date (reading the note if needed)."""
        screen = self.get_default_screen_instance()  # type: ignore[attr-defined]
        paper = screen.detail.paper if screen is not None else None
        if paper is None:
            return
        screen.detail.show_library(self.library_facts(paper.id))
        wanted = paper.id in self.library_snapshot.notes and paper.id not in self._note_texts
        if wanted and self.library is not None and self.library.available:
            self.run_worker(  # type: ignore[attr-defined]
                self._read_note(paper.id), group="note-text", exclusive=True, exit_on_error=False
            )

    async def _read_note(self, paper_id: str) -> None:
        assert self.library is not None
        try:
            text = await self._in_library_thread(self.library.note, paper_id)
        except PapershelfError:
            return
        self._note_texts[paper_id] = text or ""
        self.show_library_facts()

    # --- mounting --------------------------------------------------------------------------

    def on_mount(self) -> None:
        library = self.library
        if library is None:
            return
        if not library.available:
            self._tell(
                f"{library.problem or 'The library cannot be opened.'} "
                "Stars, tags, notes and read marks are off for this session.",
                title="Library unavailable",
                severity="warning",
            )
            return
        if not library.writable:
            self._tell(
                library.problem or "The library is read-only; changes cannot be saved.",
                title="Library read-only",
                severity="warning",
            )
        self._reread_library()

    def on_unmount(self) -> None:
        # Queued writes finish before the app ends; the user's changes are never dropped.
        self._library_thread.shutdown(wait=True)
        if self._owns_library and self.library is not None:
            self.library.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _LIBRARY_ACTIONS:
            if self._main_screen_active() is None:
                return False
            if action == "clear_selection" and not self.selection:
                return False
        return super().check_action(action, parameters)  # type: ignore[misc]

    # --- actions ---------------------------------------------------------------------------

    def action_star(self) -> None:
        """Star the highlighted paper or the selection; unstar when all are starred."""
        papers = self._targets()
        if not papers or not self._can_write():
            return
        starred = any(paper.id not in self.library_snapshot.starred for paper in papers)
        ids = [paper.id for paper in papers]
        self._update_snapshot(with_starred(self.library_snapshot, ids, starred), ids)
        done = None
        if len(papers) > 1:
            done = f"{'Starred' if starred else 'Unstarred'} {plural(len(papers), 'paper')}."
        if starred:
            self._write(lambda library: library.star(papers), done)
        else:
            self._write(lambda library: library.unstar(ids), done)

    def action_toggle_read(self) -> None:
        """Mark the highlighted paper (or the selection) read; unread when all are read."""
        papers = self._targets()
        if not papers or not self._can_write():
            return
        read = any(paper.id not in self.library_snapshot.read for paper in papers)
        done = None
        if len(papers) > 1:
            done = f"Marked {plural(len(papers), 'paper')} {'read' if read else 'unread'}."
        self._set_read(papers, read, done=done, refilter=True)
        # An explicit choice wins over the highlight timer.
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    def action_mark_all_read(self) -> None:
        """Mark every paper the list shows read."""
        screen = self._main_screen_active()
        if screen is None or not self._can_write():
            return
        papers = [p for p in screen.paper_list.papers if p.id not in self.library_snapshot.read]
        if not papers:
            self._tell("Every paper shown is already read.")
            return
        self._set_read(
            papers, True, done=f"Marked {plural(len(papers), 'paper')} read.", refilter=True
        )

    def action_toggle_selection(self) -> None:
        """Mark or unmark the highlighted paper and move to the next one."""
        screen = self._main_screen_active()
        if screen is None:
            return
        paper_list = screen.paper_list
        paper = paper_list.highlighted_paper
        if paper is None:
            return
        if paper.id in self.selection:
            del self.selection[paper.id]
        else:
            self.selection[paper.id] = paper
        self._redraw_rows(paper_list, [paper.id])
        self._show_selection_count(screen)
        paper_list.move_cursor(paper_list.cursor + 1)

    def action_clear_selection(self) -> None:
        """Unmark every selected paper."""
        screen = self._main_screen_active()
        if screen is None or not self.selection:
            return
        self.selection.clear()
        screen.paper_list.refresh_markers()
        self._show_selection_count(screen)

    def action_starred_view(self) -> None:
        """Show the starred papers, most recently starred first."""
        self.show_library_list(ListKey(ListKind.STARRED))

    def action_tag_view(self, tag: str) -> None:
        """Show the papers carrying `tag`."""
        self.show_library_list(ListKey(ListKind.TAG, tag))

    def show_library_list(self, key: ListKey) -> None:
        """Load a library list (starred or a tag) into the main screen."""
        screen = self.get_default_screen_instance()  # type: ignore[attr-defined]
        if screen is None:
            return
        if self.library is None or not self.library.available:
            self._tell("The library is not available, so there are no starred or tagged papers.")
            return
        screen.load(key)

    # --- helpers ---------------------------------------------------------------------------

    def _update_snapshot(
        self, view: LibraryView, ids: Iterable[str], *, refilter: bool = True
    ) -> None:
        """Show a change now; only the rows of `ids` are redrawn.

        An explicit change (star, tag, note, `u`, `U`) filters the list again when the filter
        looks at library state, so `is:starred` stays truthful. Automatic read marks do not
        (`refilter=False`): under `is:unread` the paper being read would vanish under the cursor.
        """
        self.library_snapshot = view
        screen = self.get_default_screen_instance()  # type: ignore[attr-defined]
        if screen is not None:
            self._redraw_rows(screen.paper_list, ids)
            self.show_library_facts()
            if refilter:
                screen.refilter_for_library()

    @staticmethod
    def _redraw_rows(paper_list: PaperList, ids: Iterable[str]) -> None:
        # A new revision keys every row anew; refreshing only the changed rows keeps it cheap.
        paper_list.library_revision += 1
        wanted = set(ids)
        if not wanted:
            return
        if len(wanted) > paper_list.size.height:
            paper_list.refresh()
            return
        for position, paper in enumerate(paper_list.papers):
            if paper.id in wanted:
                paper_list.refresh_line(position)

    def _set_read(
        self, papers: Sequence[Paper], read: bool, *, done: str | None, refilter: bool
    ) -> None:
        ids = [paper.id for paper in papers]
        self._update_snapshot(with_read(self.library_snapshot, ids, read), ids, refilter=refilter)
        self._write(lambda library: library.mark_read(ids, read), done)

    def _read_time_elapsed(self, paper_id: str) -> None:
        self._read_timer = None
        screen = self._main_screen_active()
        if screen is None or paper_id in self.library_snapshot.read:
            return
        paper = screen.paper_list.highlighted_paper
        if paper is None or paper.id != paper_id:
            return
        # Typing a filter moves the cursor too; only a paper looked at in the list counts.
        if screen.focused not in (None, screen.paper_list, screen.detail):
            return
        self._set_read([paper], True, done=None, refilter=False)

    def _show_selection_count(self, screen: MainScreen) -> None:
        status = screen.status
        count = len(self.selection)
        text = Content(f"{count} selected" if count else "")
        existing = status.query("#status-selection")
        if existing:
            existing.first(Static).update(text)
        elif count:
            status.mount(
                Static(text, id="status-selection", classes="status--count status--selection"),
                after="#status-count",
            )

    def _main_screen_active(self) -> MainScreen | None:
        from papershelf.tui.screens.main import MainScreen

        screen = self.screen  # type: ignore[attr-defined]
        return screen if isinstance(screen, MainScreen) else None

    def _targets(self) -> list[Paper]:
        """What `s`, `t` and `u` act on (`target_papers`), saying so when there is nothing."""
        papers = self.target_papers()
        if not papers:
            self._tell("No paper is highlighted.")
        return papers

    def _library_writable(self) -> bool:
        return self.library is not None and self.library.writable

    def _can_write(self) -> bool:
        if self._library_writable():
            return True
        problem = self.library.problem if self.library is not None else None
        self._tell(
            problem or "The library is not available; changes cannot be saved.",
            title="Library unavailable",
            severity="warning",
        )
        return False

    def _tell(self, message: str, *, title: str = "", severity: str = "information") -> None:
        self.notify(message, title=title, severity=severity, markup=False)  # type: ignore[attr-defined]
