"""The paper panes: list + detail, the selection, the detail fetch, and every paper action.

Star, tag, note, read marks, opening links, copying and exporting act on the highlighted paper
or the selection, so their keys live here with the panes that show them (as toolong's `LogView`
owns its panes and their keys); the work is done by helpers the panes own: `library_edits`
(stars, tags, notes, read marks, the read timer), `paper_output` (links, copies, export) and
`keeping_up_keys` (`N`, `K`, `A`, `X`). Upward the panes only post messages; the screen decides
the list.
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

from papershelf.core.errors import PapershelfError
from papershelf.core.library_view import LibraryView
from papershelf.core.lists import ListKey
from papershelf.core.model import Paper, merge_detail
from papershelf.tui.bindings import PANES_BINDINGS
from papershelf.tui.display import display_title
from papershelf.tui.keepup import NEW_MARKER, upvote_history_text
from papershelf.tui.messages import DetailFailed, DetailLoaded
from papershelf.tui.widgets.keeping_up_keys import KeepingUpKeys
from papershelf.tui.widgets.library_edits import LibraryEdits
from papershelf.tui.widgets.paper_detail import PaperDetail
from papershelf.tui.widgets.paper_list import PaperList
from papershelf.tui.widgets.paper_output import PaperOutput

if TYPE_CHECKING:
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
        self.edits = LibraryEdits(self)
        """Stars, tags, notes and read marks (and the read timer)."""
        self.output = PaperOutput(self)
        """Opening links and pages, copying, exporting."""
        self.keeping_up = KeepingUpKeys(self)
        """The next new paper, related papers, an author's papers, triage."""

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

    # --- the highlighted paper and its detail ---------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, message: PaperList.Highlighted) -> None:
        # Not stopped: the screen remembers the highlighted paper for the session.
        paper = message.paper
        merged = self.details.get(paper.id) if paper is not None else None
        self.detail.show_paper(merged or paper)
        self.show_history()
        self.show_library_facts()
        self.edits.start_read_timer(paper)
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

    def paper_opened(self, paper: Paper) -> None:
        """A paper was opened in the browser (`o`, `p`, `a`, code, project): it counts as read."""
        self.edits.paper_opened(paper)

    # --- which keys are live ----------------------------------------------------------------

    def active(self) -> bool:
        """Whether the panes' keys are live (no dialog covers the screen)."""
        # The panes' keys stay off while a dialog covers the screen.
        return self.is_attached and self.screen is self.app.screen

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.active():
            # Under a dialog the footer below keeps the list's keys (opening a paper) but not
            # the edits and copies, which would act on papers the dialog hides.
            return action == "open"
        # Escape falls through to other bindings when nothing is selected.
        return not (action == "clear_selection" and not self.selection)

    def tell(self, message: str, *, title: str = "", severity: str = "information") -> None:
        """Notify in plain text (never markup: messages may quote titles)."""
        self.notify(message, title=title, severity=severity, markup=False)  # type: ignore[arg-type]

    # --- library actions (`library_edits.py`) ------------------------------------------------

    def action_star(self) -> None:
        """Star the highlighted paper or the selection; unstar when all are starred."""
        self.edits.star()

    def action_toggle_read(self) -> None:
        """Mark the highlighted paper (or the selection) read; unread when all are read."""
        self.edits.toggle_read()

    def action_mark_all_read(self) -> None:
        """Mark every paper the list shows read."""
        self.edits.mark_all_read()

    def action_tag(self) -> None:
        """Edit the tags of the highlighted paper, or the tags all selected papers share."""
        self.edits.tag()

    def action_note(self) -> None:
        """Edit the highlighted paper's note."""
        self.edits.note()

    # --- the selection ------------------------------------------------------------------------

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

    # --- links, copies, exports (`paper_output.py`) ----------------------------------------

    def open_link(self, url: str) -> None:
        """Open `url` in the browser, or copy it when no browser can be shown safely."""
        self.output.open_link(url)

    def action_paper_page(self, page: str) -> None:
        """`R`, `D`, `M`: the highlighted paper's whole text, discussion or linked repos."""
        self.output.paper_page(page)

    def action_open(self, which: str) -> None:
        """Open the highlighted paper on Hugging Face, as a PDF or on arXiv."""
        self.output.open(which)

    def action_open_extra(self, kind: str) -> None:
        """Open the highlighted paper's code repository or project page (http(s) only)."""
        self.output.open_extra(kind)

    def copy_format(self, fmt: str) -> None:
        """Copy the target papers as `fmt`: a URL kind, a `cite.FORMATS` name or arXiv BibTeX."""
        self.output.copy_format(fmt)

    def action_copy(self, fmt: str) -> None:
        """Copy the highlighted paper (or the selection) as `fmt`."""
        self.output.copy_format(fmt)

    def action_copy_menu(self) -> None:
        """Every format, one key each."""
        self.output.copy_menu()

    def action_show_register(self) -> None:
        """The last copies; Enter copies one again."""
        self.output.show_register()

    def action_export(self) -> None:
        """Ask what to export (starred, a tag, the selection, the shown list), then write it."""
        self.output.export()

    # --- keeping up ---------------------------------------------------------------------------

    def new_positions(self) -> list[int]:
        """Rows of the papers first seen in this session."""
        keepup = self.services.feeds.keepup
        return [n for n, paper in enumerate(self.paper_list.papers) if keepup.is_new(paper.id)]

    def action_next_new(self) -> None:
        """Move to the next paper first seen in this session (wrapping around)."""
        self.keeping_up.next_new()

    def action_related(self) -> None:
        """Show the papers most like the highlighted one."""
        self.keeping_up.related()

    def action_author_view(self) -> None:
        """Show every known paper by one of the highlighted paper's authors."""
        self.keeping_up.author_view()

    def action_triage(self) -> None:
        """Go through the list from the cursor one paper at a time."""
        self.keeping_up.triage()
