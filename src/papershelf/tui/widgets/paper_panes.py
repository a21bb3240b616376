"""The paper panes: list + detail, the selection, the read timer, and every paper action.

Star, tag, note, read marks, opening links, copying and exporting act on the highlighted paper
or the selection, so they live here with the panes that show them (as toolong's `LogView` owns
its panes and their keys). Upward the panes only post messages; the screen decides the list.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Container
from textual.message import Message
from textual.timer import Timer

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
from papershelf.core.lists import ListKey, ListKind
from papershelf.core.model import Paper, merge_detail
from papershelf.core.text import fold
from papershelf.tui.bindings import PANES_BINDINGS
from papershelf.tui.display import display_title, plural
from papershelf.tui.keepup import NEW_MARKER, upvote_history_text
from papershelf.tui.messages import DetailFailed, DetailLoaded
from papershelf.tui.paper_pages import open_link, open_paper_page, paper_texts
from papershelf.tui.widgets.paper_detail import PaperDetail
from papershelf.tui.widgets.paper_list import PaperList

if TYPE_CHECKING:
    from papershelf.data.library import Library
    from papershelf.tui.services import Services

SELECTED_MARK = "✔"
STAR_MARK = "★"
UNREAD_MARK = "•"
CODE_MARK = "●"


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


class PaperPanes(Container):
    """The list pane and the detail pane, and what the keys do to the papers they show."""

    BINDINGS = PANES_BINDINGS

    @dataclass
    class SelectionChanged(Message):
        """Papers were marked or unmarked with Space; the status line shows the count."""

        count: int

    class LibraryEdited(Message):
        """Stars, tags, notes or read marks changed here; a filter on them runs again."""

    @dataclass
    class ListWanted(Message):
        """The panes ask the screen to show another list (related papers, an author's)."""

        key: ListKey

    @dataclass
    class Exported(Message):
        """Papers were written to a file in `folder`; the session remembers it."""

        folder: str

    def __init__(
        self, services: Services, *, export_folder: str | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.services = services
        self.export_folder = export_folder
        """The folder of the last export; the export dialog proposes a file there."""
        self.selection: dict[str, Paper] = {}
        """Papers marked with Space, by id, in the order they were marked."""
        self.details: dict[str, Paper] = {}
        """Papers merged with their fetched detail, by id."""
        self.listed: dict[str, Paper] = {}
        """Every paper of the list loaded (before filtering), by id."""
        self._read_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        settings = self.services.settings
        latex = settings.render_latex
        yield PaperList(id="paper-list", row_markers=self.row_markers, render_latex=latex)
        yield PaperDetail(id="paper-detail", render_latex=latex, date_format=settings.date_format)

    def on_mount(self) -> None:
        keepup = self.services.feeds.keepup
        self.paper_list.rise = lambda paper: keepup.rise(paper.id)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    # --- what the screen hands down -----------------------------------------------------------

    def new_list(self, papers: Sequence[Paper], *, revalidated: bool) -> None:
        """A list arrived; a fresh one forgets the details fetched for the last."""
        if not revalidated:
            self.details.clear()
        self.listed = {}
        for paper in papers:
            self.listed.setdefault(paper.id, paper)

    def show_papers(
        self,
        papers: list[Paper],
        *,
        keep_id: str | None,
        terms: tuple[str, ...],
        fallback: int | None,
    ) -> None:
        self.paper_list.set_papers(papers, keep_id=keep_id, terms=terms, fallback=fallback)

    # --- which papers ---------------------------------------------------------------------

    def highlighted_paper(self) -> Paper | None:
        """The paper under the list cursor, with its fetched detail when there is one."""
        paper = self.paper_list.highlighted_paper
        return None if paper is None else self.details.get(paper.id, paper)

    def selected_papers(self) -> list[Paper]:
        """The papers marked with Space, with their fetched details where known."""
        return [self.details.get(paper_id, paper) for paper_id, paper in self.selection.items()]

    def target_papers(self) -> list[Paper]:
        """What `s`, `t`, `u` and copies act on: the selection, else the highlighted paper."""
        selected = self.selected_papers()
        if selected:
            return selected
        paper = self.highlighted_paper()
        return [paper] if paper is not None else []

    def shown_papers(self) -> list[Paper]:
        """The papers the list shows now (the filter applied), with fetched details."""
        return [self.details.get(p.id, p) for p in self.paper_list.papers]

    def title_of(self, paper: Paper) -> str:
        return display_title(paper, latex=self.services.settings.render_latex)

    # --- library state on screen ----------------------------------------------------------

    def row_markers(self, paper: Paper) -> str:
        """Marker slots at the end of a list row: ✔ selected, ★ starred, • unread, ● code."""
        markers = row_markers_for(paper, self.services.library.view, paper.id in self.selection)
        # A new paper that is still unread shows ✦ in the unread slot: no column moves.
        if self.services.feeds.keepup.is_new(paper.id) and UNREAD_MARK in markers:
            return markers.replace(UNREAD_MARK, NEW_MARKER, 1)
        return markers

    def keepup_changed(self) -> bool:
        """The feeds recorded sightings or counts: redraw markers, rises and the history.

        True when the list shows the rising column (some paper on it rose)."""
        paper_list = self.paper_list
        rises = self.services.feeds.keepup.rises()
        rising = any(rises.get(paper.id, 0) > 0 for paper in paper_list.papers)
        if rising != paper_list.show_rising:
            paper_list.show_rising = rising
        paper_list.refresh_markers()
        self.show_history()
        return rising

    def show_history(self) -> None:
        """The detail pane's upvote sparkline for the paper it shows."""
        paper = self.detail.paper
        keepup = self.services.feeds.keepup
        self.detail.show_history(upvote_history_text(keepup, paper.id) if paper else "")

    def library_changed(self, ids: Iterable[str] | None = None) -> None:
        """Redraw the rows of `ids` (every row when None) and the detail's library facts."""
        paper_list = self.paper_list
        if ids is None:
            paper_list.refresh_markers()
        else:
            self._redraw_rows(paper_list, ids)
        self.show_library_facts()

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

    def show_library_facts(self) -> None:
        """Bring the detail pane's stars, tags and note up to date (reading the note if needed)."""
        paper = self.detail.paper
        if paper is None:
            return
        library = self.services.library
        self.detail.show_library(library.facts(paper.id))
        if library.note_unread(paper.id):
            self.run_worker(
                self._read_note(paper.id), group="note-text", exclusive=True, exit_on_error=False
            )

    async def _read_note(self, paper_id: str) -> None:
        if await self.services.library.read_note(paper_id) is not None:
            self.show_library_facts()

    def _edited(self, view: LibraryView, ids: Iterable[str], *, refilter: bool = True) -> None:
        """Show a change now; only the rows of `ids` are redrawn.

        An explicit change (star, tag, note, `u`, `U`) filters the list again when the filter
        looks at library state, so `is:starred` stays truthful. Automatic read marks do not
        (`refilter=False`): under `is:unread` the paper being read would vanish under the cursor.
        """
        self.services.library.show(view)
        self.library_changed(ids)
        if refilter:
            self.post_message(self.LibraryEdited())

    # --- the highlighted paper and its detail ---------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, message: PaperList.Highlighted) -> None:
        # Not stopped: the screen remembers the highlighted paper for the session.
        paper = message.paper
        merged = self.details.get(paper.id) if paper is not None else None
        self.detail.show_paper(merged or paper)
        self.show_history()
        self.show_library_facts()
        self._start_read_timer(paper)
        if paper is not None and merged is None:
            self._fetch_detail(paper.id)

    @work(group="detail", exclusive=True, exit_on_error=False, description="paper detail")
    async def _fetch_detail(self, paper_id: str) -> None:
        # Debounce: only the paper the cursor rests on is fetched.
        services = self.services
        await asyncio.sleep(services.detail_debounce)
        try:
            detail = await services.feeds.paper(paper_id, offline=services.offline)
        except PapershelfError as error:
            self.post_message(DetailFailed(paper_id, error))
        else:
            self.post_message(DetailLoaded(paper_id, detail))

    @on(DetailLoaded)
    def _detail_loaded(self, message: DetailLoaded) -> None:
        message.stop()
        current = self.paper_list.highlighted_paper
        listed = self.listed.get(message.paper_id)
        if listed is None:
            return
        merged = merge_detail(listed, message.detail)
        if merged.id != listed.id:
            # Stars, tags and row markers key on the listed id; a detail answering under another
            # spelling (a version suffix) must not make the detail pane ask about a different id.
            merged = dataclasses.replace(merged, id=listed.id)
        self.details[message.paper_id] = merged
        if current is not None and current.id == message.paper_id:
            self.detail.show_paper(merged)

    @on(DetailFailed)
    def _detail_failed(self, message: DetailFailed) -> None:
        message.stop()
        current = self.paper_list.highlighted_paper
        if current is not None and current.id == message.paper_id:
            self.detail.show_paper(current, note=f"Full details unavailable: {message.error}")

    @on(PaperList.Selected)
    @on(PaperList.PaneSwitchRequested)
    def _to_detail(self, message: Message) -> None:
        message.stop()
        self.detail.focus()

    @on(PaperDetail.PaneSwitchRequested)
    def _to_list(self, message: PaperDetail.PaneSwitchRequested) -> None:
        # Not stopped: the screen leaves the zoomed layout.
        self.paper_list.focus()

    # --- reading ----------------------------------------------------------------------------

    def _start_read_timer(self, paper: Paper | None) -> None:
        self._stop_read_timer()
        delay = self.services.settings.read_after_seconds
        if paper is None or delay < 0 or not self.services.library.writable:
            return
        if paper.id in self.services.library.view.read:
            return
        paper_id = paper.id
        self._read_timer = self.set_timer(delay, lambda: self._read_time_elapsed(paper_id))

    def _stop_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    def _read_time_elapsed(self, paper_id: str) -> None:
        self._read_timer = None
        if not self._active() or paper_id in self.services.library.view.read:
            return
        paper = self.paper_list.highlighted_paper
        if paper is None or paper.id != paper_id:
            return
        # Typing a filter moves the cursor too; only a paper looked at in the list counts.
        if self.screen.focused not in (None, self.paper_list, self.detail):
            return
        self._set_read([paper], True, done=None, refilter=False)

    def paper_opened(self, paper: Paper) -> None:
        """A paper was opened in the browser (`o`, `p`, `a`, code, project): it counts as read."""
        if paper.id not in self.services.library.view.read and self.services.library.writable:
            self._set_read([paper], True, done=None, refilter=False)

    def _set_read(
        self, papers: Sequence[Paper], read: bool, *, done: str | None, refilter: bool
    ) -> None:
        ids = [paper.id for paper in papers]
        library = self.services.library
        self._edited(with_read(library.view, ids, read), ids, refilter=refilter)
        library.write(lambda store: store.mark_read(ids, read), done)

    # --- which keys are live ----------------------------------------------------------------

    def _active(self) -> bool:
        # The panes' keys stay off while a dialog covers the screen.
        return self.is_attached and self.screen is self.app.screen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self._active():
            # Under a dialog the footer below keeps the list's keys (opening a paper) but not
            # the edits and copies, which would act on papers the dialog hides.
            return action == "open"
        # Escape falls through to other bindings when nothing is selected.
        return not (action == "clear_selection" and not self.selection)

    def _tell(self, message: str, *, title: str = "", severity: str = "information") -> None:
        self.notify(message, title=title, severity=severity, markup=False)  # type: ignore[arg-type]

    def _targets(self) -> list[Paper]:
        """What `s`, `t` and `u` act on, saying so when there is nothing."""
        papers = self.target_papers()
        if not papers:
            self._tell("No paper is highlighted.")
        return papers

    def _can_write(self) -> bool:
        if self.services.library.writable:
            return True
        self._tell(
            self.services.library.problem
            or "The library is not available; changes cannot be saved.",
            title="Library unavailable",
            severity="warning",
        )
        return False

    # --- library actions --------------------------------------------------------------------

    def action_star(self) -> None:
        """Star the highlighted paper or the selection; unstar when all are starred."""
        papers = self._targets()
        if not papers or not self._can_write():
            return
        library = self.services.library
        starred = any(paper.id not in library.view.starred for paper in papers)
        ids = [paper.id for paper in papers]
        self._edited(with_starred(library.view, ids, starred), ids)
        done = None
        if len(papers) > 1:
            done = f"{'Starred' if starred else 'Unstarred'} {plural(len(papers), 'paper')}."
        if starred:
            library.write(lambda store: store.star(papers), done)
            self._keep_texts(ids)
        else:
            library.write(lambda store: store.unstar(ids), done)

    @work(group="keep-texts", exit_on_error=False)
    async def _keep_texts(self, ids: list[str]) -> None:
        """A starred paper's text already in the cache is kept with the library for good."""
        texts = paper_texts(self.services)
        try:
            for paper_id in ids:
                try:
                    await texts.keep_if_known(paper_id)
                except PapershelfError:
                    continue  # an id that cannot be a file name has nothing to keep
        finally:
            await texts.aclose()

    def action_toggle_read(self) -> None:
        """Mark the highlighted paper (or the selection) read; unread when all are read."""
        papers = self._targets()
        if not papers or not self._can_write():
            return
        read = any(paper.id not in self.services.library.view.read for paper in papers)
        done = None
        if len(papers) > 1:
            done = f"Marked {plural(len(papers), 'paper')} {'read' if read else 'unread'}."
        self._set_read(papers, read, done=done, refilter=True)
        self._stop_read_timer()  # an explicit choice wins over the highlight timer

    def action_mark_all_read(self) -> None:
        """Mark every paper the list shows read."""
        if not self._can_write():
            return
        read = self.services.library.view.read
        papers = [p for p in self.paper_list.papers if p.id not in read]
        if not papers:
            self._tell("Every paper shown is already read.")
            return
        done = f"Marked {plural(len(papers), 'paper')} read."
        self._set_read(papers, True, done=done, refilter=True)

    def action_toggle_selection(self) -> None:
        """Mark or unmark the highlighted paper and move to the next one."""
        paper_list = self.paper_list
        paper = paper_list.highlighted_paper
        if paper is None:
            return
        if paper.id in self.selection:
            del self.selection[paper.id]
        else:
            self.selection[paper.id] = paper
        self._redraw_rows(paper_list, [paper.id])
        self.post_message(self.SelectionChanged(len(self.selection)))
        paper_list.move_cursor(paper_list.cursor + 1)

    def action_clear_selection(self) -> None:
        """Unmark every selected paper."""
        if not self.selection:
            return
        self.selection.clear()
        self.paper_list.refresh_markers()
        self.post_message(self.SelectionChanged(0))

    def action_tag(self) -> None:
        """Edit the tags of the highlighted paper, or the tags all selected papers share."""
        from papershelf.tui.dialogs.tag_editor import TagEditor

        papers = self._targets()
        if not papers or not self._can_write():
            return
        library = self.services.library
        ids = [paper.id for paper in papers]
        view = library.view
        before = common_tags(view, ids)
        subject = self.title_of(papers[0]) if len(papers) == 1 else f"{len(papers)} selected papers"

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

        self.app.push_screen(
            TagEditor(before, known_tags=known_tags(view), subject=subject), edited
        )

    def action_note(self) -> None:
        """Edit the highlighted paper's note."""
        paper = self.highlighted_paper()
        if paper is None:
            self._tell("No paper is highlighted.")
            return
        if not self._can_write():
            return
        self.run_worker(self._edit_note(paper), group="note", exclusive=True, exit_on_error=False)

    async def _edit_note(self, paper: Paper) -> None:
        from papershelf.tui.dialogs.note_editor import NoteEditor

        library = self.services.library
        assert library.library is not None
        text = await library.in_thread(library.library.note, paper.id)

        def edited(new_text: str | None) -> None:
            if new_text is None or new_text == text:
                return
            library.remember_note(paper.id, new_text)
            self._edited(with_note(library.view, paper.id, new_text), [])
            done = "Note saved." if new_text else "Note removed."
            library.write(lambda store: store.set_note(paper, new_text), done)

        self.app.push_screen(NoteEditor(text, subject=self.title_of(paper)), edited)

    # --- links ------------------------------------------------------------------------------

    def open_link(self, url: str) -> None:
        """Open `url` in the browser, or copy it when no browser can be shown safely."""
        open_link(self, self.services, url)

    def action_paper_page(self, page: str) -> None:
        """`R`, `D`, `M`: the highlighted paper's whole text, discussion or linked repos."""
        open_paper_page(self, self.services, self.highlighted_paper(), page)

    def action_open(self, which: str) -> None:
        """Open the highlighted paper on Hugging Face, as a PDF or on arXiv."""
        paper = self.paper_list.highlighted_paper
        if paper is None:
            self._tell("No paper is highlighted.")
            return
        url = {"hf": paper.hf_url, "pdf": paper.pdf_url, "arxiv": paper.arxiv_url}[which]
        self.open_link(url)
        self.paper_opened(paper)

    def action_open_extra(self, kind: str) -> None:
        """Open the highlighted paper's code repository or project page (http(s) only)."""
        paper = self.highlighted_paper()
        if paper is None:
            self._tell("No paper is highlighted.")
            return
        url, name = (paper.github, "code") if kind == "code" else (paper.project_page, "project")
        if not url:
            self._tell(f"This paper has no {name} link.")
            return
        self.open_link(url)
        self.paper_opened(paper)

    # --- copying ----------------------------------------------------------------------------

    def copy_format(self, fmt: str) -> None:
        """Copy the target papers as `fmt`: a URL kind, a `cite.FORMATS` name or arXiv BibTeX."""
        from papershelf.tui.copier import text_for, what_was_copied
        from papershelf.tui.dialogs.copy_menu import ARXIV_BIBTEX

        papers = self.target_papers()
        if not papers:
            self._tell("No paper to copy.")
            return
        if fmt == ARXIV_BIBTEX:
            self._copy_arxiv_bibtex(papers)
            return
        self.services.copier.copy(text_for(papers, fmt), what_was_copied(fmt, len(papers)))

    @work(group="bibtex", exclusive=True, exit_on_error=False, description="fetch BibTeX")
    async def _copy_arxiv_bibtex(self, papers: list[Paper]) -> None:
        from papershelf.core import cite
        from papershelf.data.arxiv import fetch_bibtex_entries
        from papershelf.tui.copier import arxiv_bibtex_what

        batch = cite.distinct(papers)
        try:
            results = await fetch_bibtex_entries(batch, offline=self.services.offline)
        except PapershelfError:
            # An id arXiv cannot know (not an arXiv number): every entry is built locally.
            results = [(cite.format_papers(batch, "bibtex"), False)]
        text = "\n\n".join(entry.strip() for entry, _exact in results)
        local = sum(not exact for _entry, exact in results)
        self.services.copier.copy(text, arxiv_bibtex_what(len(batch), local, len(results)))

    def action_copy(self, fmt: str) -> None:
        """Copy the highlighted paper (or the selection) as `fmt`."""
        self.copy_format(fmt)

    def action_copy_menu(self) -> None:
        """Every format, one key each."""
        from papershelf.tui.dialogs.copy_menu import CopyMenu

        papers = self.target_papers()
        if not papers:
            self._tell("No paper to copy.")
            return
        subject = self.title_of(papers[0]) if len(papers) == 1 else f"{len(papers)} papers"

        def chosen(fmt: str | None) -> None:
            if fmt:
                self.copy_format(fmt)

        self.app.push_screen(CopyMenu(subject), chosen)

    def action_show_register(self) -> None:
        """The last copies; Enter copies one again."""
        from papershelf.tui.dialogs.register import RegisterScreen

        copier = self.services.copier

        def chosen(text: str | None) -> None:
            if text:
                copier.copy(text, "text from the register")

        self.app.push_screen(RegisterScreen(copier.clipboard.register), chosen)

    # --- export -----------------------------------------------------------------------------

    @work(group="export", exclusive=True, exit_on_error=False, description="export")
    async def action_export(self) -> None:
        """Ask what to export (starred, a tag, the selection, the shown list), then write it."""
        from papershelf.tui.dialogs.export import ExportScreen, export_start_path

        library = self.services.library
        selection = self.selected_papers()
        shown = self.shown_papers()
        starred, tags = await library.in_thread(library.export_facts)
        counts: dict[str, int | None] = {
            "starred": starred,
            "selection": len(selection),
            "filter": len(shown),
        }
        request = await self.app.push_screen_wait(
            ExportScreen(
                counts,
                tags,
                scope="selection" if selection else None,
                path=export_start_path(self.export_folder),
            )
        )
        if request is None:
            return
        try:
            if request.scope in ("starred", "tag"):
                papers = await library.in_thread(library.papers, request.scope, request.tag)
            else:
                papers = selection if request.scope == "selection" else shown
            if not papers:
                self._tell("There are no papers to export.", title="Export")
                return
            # Deferred: exporting (and its citation formats) is not needed at start-up.
            from papershelf.data.export import export_papers

            report = await asyncio.to_thread(export_papers, papers, request.path, request.fmt)
        except PapershelfError as error:
            self._tell(error.message, title="Export failed", severity="error")
            return
        except OSError as error:
            # The data layer words its own failures; this is one it did not foresee.
            reason = error.strerror or type(error).__name__
            message = f"Could not write {request.path}: {reason}."
            self._tell(message, title="Export failed", severity="error")
            return
        self.export_folder = str(request.path.parent)
        self.post_message(self.Exported(self.export_folder))
        self._tell(report.message, title="Export")

    # --- keeping up ---------------------------------------------------------------------------

    def new_positions(self) -> list[int]:
        """Rows of the papers first seen in this session."""
        keepup = self.services.feeds.keepup
        return [n for n, paper in enumerate(self.paper_list.papers) if keepup.is_new(paper.id)]

    def action_next_new(self) -> None:
        """Move to the next paper first seen in this session (wrapping around)."""
        paper_list = self.paper_list
        positions = self.new_positions()
        if not positions:
            self._tell("No new papers in this list.")
            return
        after = [n for n in positions if n > paper_list.cursor]
        paper_list.move_cursor(after[0] if after else positions[0])

    def _one_paper(self) -> Paper | None:
        paper = self.paper_list.highlighted_paper
        if paper is None:
            self._tell("No paper is highlighted.")
        return paper

    def action_related(self) -> None:
        """Show the papers most like the highlighted one."""
        paper = self._one_paper()
        if paper is not None:
            self.post_message(self.ListWanted(ListKey(ListKind.RELATED, paper.id)))

    def action_author_view(self) -> None:
        """Show every known paper by one of the highlighted paper's authors."""
        from papershelf.core.text import clean_line
        from papershelf.tui.dialogs.pick import PickDialog

        paper = self._one_paper()
        if paper is None:
            return
        names = [clean_line(name) for name in paper.author_names if clean_line(name)]
        if not names:
            self._tell("This paper lists no authors.")
            return

        def chosen(name: str | None) -> None:
            if name:
                self.post_message(self.ListWanted(ListKey(ListKind.AUTHOR, name)))

        if len(names) == 1:
            chosen(names[0])
            return
        self.app.push_screen(PickDialog("Papers by…", [(n, n) for n in names]), chosen)

    def action_triage(self) -> None:
        """Go through the list from the cursor one paper at a time."""
        from papershelf.tui.dialogs.triage import TriageDialog

        paper_list = self.paper_list
        papers = paper_list.papers[paper_list.cursor :]
        if not papers:
            self._tell("No papers to go through.")
            return
        if not self._can_write():
            return

        def open_paper(paper: Paper) -> None:
            self.open_link(paper.hf_url)
            self.paper_opened(paper)

        def stopped(paper_id: str | None) -> None:
            self.library_changed()
            self.post_message(self.LibraryEdited())
            for index, listed in enumerate(paper_list.papers):
                if listed.id == paper_id:
                    paper_list.move_cursor(index)
                    break

        self.app.push_screen(TriageDialog(list(papers), self.services.library, open_paper), stopped)
