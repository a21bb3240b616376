"""The panes' library edits: star, tag, note and read marks (by key or by the read timer).

Each edit shows at once through the library writer's optimistic view, redraws only the rows it
touched, and is saved on the writer's thread; an explicit edit asks the screen (by message) to
filter again when the filter looks at the library.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from papershelf.core.errors import PapershelfError
from papershelf.core.library_view import (
    LibraryView,
    common_tags,
    known_tags,
    tag_changes,
    with_note,
    with_read,
    with_starred,
    with_tags,
)
from papershelf.core.model import Paper
from papershelf.core.text import fold
from papershelf.tui.display import plural
from papershelf.tui.paper_pages import paper_texts

if TYPE_CHECKING:
    from textual.timer import Timer

    from papershelf.data.library import Library
    from papershelf.tui.library_writer import LibraryWriter
    from papershelf.tui.widgets.paper_panes import PaperPanes


class LibraryEdits:
    """Stars, tags, notes and read marks of the highlighted paper or the selection."""

    def __init__(self, panes: PaperPanes) -> None:
        self.panes = panes
        self._read_timer: Timer | None = None

    @property
    def _library(self) -> LibraryWriter:
        return self.panes.services.library

    def can_write(self) -> bool:
        """True when the library takes changes; else the user is told why not."""
        library = self._library
        if library.writable:
            return True
        self.panes.tell(
            library.problem or "The library is not available; changes cannot be saved.",
            title="Library unavailable",
            severity="warning",
        )
        return False

    def _targets(self) -> list[Paper]:
        """What `s`, `t` and `u` act on, saying so when there is nothing."""
        papers = self.panes.target_papers()
        if not papers:
            self.panes.tell("No paper is highlighted.")
        return papers

    def _edited(self, view: LibraryView, ids: Iterable[str], *, refilter: bool = True) -> None:
        """Show a change now; only the rows of `ids` are redrawn.

        An explicit change (star, tag, note, `u`, `U`) filters the list again when the filter
        looks at library state, so `is:starred` stays truthful. Automatic read marks do not
        (`refilter=False`): under `is:unread` the paper being read would vanish under the cursor.
        """
        panes = self.panes
        self._library.show(view)
        panes.library_changed(ids)
        if refilter:
            panes.post_message(panes.LibraryEdited())

    # --- stars ------------------------------------------------------------------------------

    def star(self) -> None:
        """Star the highlighted paper or the selection; unstar when all are starred."""
        papers = self._targets()
        if not papers or not self.can_write():
            return
        library = self._library
        starred = any(paper.id not in library.view.starred for paper in papers)
        ids = [paper.id for paper in papers]
        self._edited(with_starred(library.view, ids, starred), ids)
        done = None
        if len(papers) > 1:
            done = f"{'Starred' if starred else 'Unstarred'} {plural(len(papers), 'paper')}."
        if starred:
            library.write(lambda store: store.star(papers), done)
            self.panes.run_worker(
                partial(self._keep_texts, ids), group="keep-texts", exit_on_error=False
            )
        else:
            library.write(lambda store: store.unstar(ids), done)

    async def _keep_texts(self, ids: list[str]) -> None:
        """A starred paper's text already in the cache is kept with the library for good."""
        texts = paper_texts(self.panes.services)
        try:
            for paper_id in ids:
                try:
                    await texts.keep_if_known(paper_id)
                except PapershelfError:
                    continue  # an id that cannot be a file name has nothing to keep
        finally:
            await texts.aclose()

    # --- read marks -------------------------------------------------------------------------

    def start_read_timer(self, paper: Paper | None) -> None:
        """The cursor rests on `paper`: after the configured delay it counts as read."""
        self.stop_read_timer()
        delay = self.panes.services.settings.read_after_seconds
        library = self._library
        if paper is None or delay < 0 or not library.writable:
            return
        if paper.id in library.view.read:
            return
        paper_id = paper.id
        self._read_timer = self.panes.set_timer(delay, lambda: self._read_time_elapsed(paper_id))

    def stop_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    def _read_time_elapsed(self, paper_id: str) -> None:
        self._read_timer = None
        panes = self.panes
        if not panes.active() or paper_id in self._library.view.read:
            return
        paper = panes.paper_list.highlighted_paper
        if paper is None or paper.id != paper_id:
            return
        # Typing a filter moves the cursor too; only a paper looked at in the list counts.
        if panes.screen.focused not in (None, panes.paper_list, panes.detail):
            return
        self._set_read([paper], True, done=None, refilter=False)

    def paper_opened(self, paper: Paper) -> None:
        """A paper was opened in the browser (`o`, `p`, `a`, code, project): it counts as read."""
        library = self._library
        if paper.id not in library.view.read and library.writable:
            self._set_read([paper], True, done=None, refilter=False)

    def _set_read(
        self, papers: Sequence[Paper], read: bool, *, done: str | None, refilter: bool
    ) -> None:
        ids = [paper.id for paper in papers]
        library = self._library
        self._edited(with_read(library.view, ids, read), ids, refilter=refilter)
        library.write(lambda store: store.mark_read(ids, read), done)

    def toggle_read(self) -> None:
        """Mark the highlighted paper (or the selection) read; unread when all are read."""
        papers = self._targets()
        if not papers or not self.can_write():
            return
        read = any(paper.id not in self._library.view.read for paper in papers)
        done = None
        if len(papers) > 1:
            done = f"Marked {plural(len(papers), 'paper')} {'read' if read else 'unread'}."
        self._set_read(papers, read, done=done, refilter=True)
        self.stop_read_timer()  # an explicit choice wins over the highlight timer

    def mark_all_read(self) -> None:
        """Mark every paper the list shows read."""
        if not self.can_write():
            return
        read = self._library.view.read
        papers = [p for p in self.panes.paper_list.papers if p.id not in read]
        if not papers:
            self.panes.tell("Every paper shown is already read.")
            return
        done = f"Marked {plural(len(papers), 'paper')} read."
        self._set_read(papers, True, done=done, refilter=True)

    # --- tags and notes ---------------------------------------------------------------------

    def tag(self) -> None:
        """Edit the tags of the highlighted paper, or the tags all selected papers share."""
        from papershelf.tui.dialogs.tag_editor import TagEditor

        papers = self._targets()
        if not papers or not self.can_write():
            return
        panes = self.panes
        library = self._library
        ids = [paper.id for paper in papers]
        view = library.view
        before = common_tags(view, ids)
        subject = (
            panes.title_of(papers[0]) if len(papers) == 1 else f"{len(papers)} selected papers"
        )

        def edited(after: frozenset[str] | None) -> None:
            if after is None:
                return
            added, removed = tag_changes(before, sorted(after, key=fold))
            if not added and not removed:
                return
            self._edited(with_tags(library.view, ids, added, removed), ids)
            done = f"Tags changed on {plural(len(papers), 'paper')}." if len(papers) > 1 else None

            def change(store: Library) -> None:
                if added:
                    store.add_tags(papers, added)
                if removed:
                    store.remove_tags(ids, removed)

            library.write(change, done)

        panes.app.push_screen(
            TagEditor(before, known_tags=known_tags(view), subject=subject), edited
        )

    def note(self) -> None:
        """Edit the highlighted paper's note."""
        panes = self.panes
        paper = panes.highlighted_paper()
        if paper is None:
            panes.tell("No paper is highlighted.")
            return
        if not self.can_write():
            return
        panes.run_worker(self._edit_note(paper), group="note", exclusive=True, exit_on_error=False)

    async def _edit_note(self, paper: Paper) -> None:
        from papershelf.tui.dialogs.note_editor import NoteEditor

        library = self._library
        assert library.library is not None
        text = await library.in_thread(library.library.note, paper.id)

        def edited(new_text: str | None) -> None:
            if new_text is None or new_text == text:
                return
            library.remember_note(paper.id, new_text)
            self._edited(with_note(library.view, paper.id, new_text), [])
            done = "Note saved." if new_text else "Note removed."
            library.write(lambda store: store.set_note(paper, new_text), done)

        self.panes.app.push_screen(NoteEditor(text, subject=self.panes.title_of(paper)), edited)
