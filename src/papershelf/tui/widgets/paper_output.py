"""The panes' ways out of the reader: open links and pages, copy citations, export to a file.

Each acts on the highlighted paper or the selection the panes hold; network and disk work runs
in workers started on the panes, and outcomes are told in notifications.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING

from papershelf.core.errors import PapershelfError
from papershelf.core.model import Paper
from papershelf.tui.paper_pages import open_link, open_paper_page

if TYPE_CHECKING:
    from papershelf.tui.widgets.paper_panes import PaperPanes


class PaperOutput:
    """Opening, copying and exporting the papers the panes show."""

    def __init__(self, panes: PaperPanes) -> None:
        self.panes = panes

    # --- links ------------------------------------------------------------------------------

    def open_link(self, url: str) -> None:
        """Open `url` in the browser, or copy it when no browser can be shown safely."""
        open_link(self.panes, self.panes.services, url)

    def paper_page(self, page: str) -> None:
        """The highlighted paper's whole text, discussion or linked repositories."""
        panes = self.panes
        open_paper_page(panes, panes.services, panes.highlighted_paper(), page)

    def open(self, which: str) -> None:
        """Open the highlighted paper on Hugging Face, as a PDF or on arXiv."""
        panes = self.panes
        paper = panes.paper_list.highlighted_paper
        if paper is None:
            panes.tell("No paper is highlighted.")
            return
        url = {"hf": paper.hf_url, "pdf": paper.pdf_url, "arxiv": paper.arxiv_url}[which]
        self.open_link(url)
        panes.edits.paper_opened(paper)

    def open_extra(self, kind: str) -> None:
        """Open the highlighted paper's code repository or project page (http(s) only)."""
        panes = self.panes
        paper = panes.highlighted_paper()
        if paper is None:
            panes.tell("No paper is highlighted.")
            return
        url, name = (paper.github, "code") if kind == "code" else (paper.project_page, "project")
        if not url:
            panes.tell(f"This paper has no {name} link.")
            return
        self.open_link(url)
        panes.edits.paper_opened(paper)

    # --- copying ----------------------------------------------------------------------------

    def copy_format(self, fmt: str) -> None:
        """Copy the target papers as `fmt`: a URL kind, a `cite.FORMATS` name or arXiv BibTeX."""
        from papershelf.core.cite import ARXIV_BIBTEX
        from papershelf.tui.copier import text_for, what_was_copied

        panes = self.panes
        papers = panes.target_papers()
        if not papers:
            panes.tell("No paper to copy.")
            return
        if fmt == ARXIV_BIBTEX:
            panes.run_worker(
                partial(self._copy_arxiv_bibtex, papers),
                group="bibtex",
                exclusive=True,
                exit_on_error=False,
                description="fetch BibTeX",
            )
            return
        panes.services.copier.copy(text_for(papers, fmt), what_was_copied(fmt, len(papers)))

    async def _copy_arxiv_bibtex(self, papers: list[Paper]) -> None:
        from papershelf.core import cite
        from papershelf.data.arxiv import fetch_bibtex_entries
        from papershelf.tui.copier import arxiv_bibtex_what

        services = self.panes.services
        batch = cite.distinct(papers)
        try:
            results = await fetch_bibtex_entries(batch, offline=services.offline)
        except PapershelfError:
            # An id arXiv cannot know (not an arXiv number): every entry is built locally.
            results = [(cite.format_papers(batch, "bibtex"), False)]
        text = "\n\n".join(entry.strip() for entry, _exact in results)
        local = sum(not exact for _entry, exact in results)
        services.copier.copy(text, arxiv_bibtex_what(len(batch), local, len(results)))

    def copy_menu(self) -> None:
        """Every format, one key each."""
        from papershelf.tui.dialogs.copy_menu import CopyMenu

        panes = self.panes
        papers = panes.target_papers()
        if not papers:
            panes.tell("No paper to copy.")
            return
        subject = panes.title_of(papers[0]) if len(papers) == 1 else f"{len(papers)} papers"

        def chosen(fmt: str | None) -> None:
            if fmt:
                self.copy_format(fmt)

        panes.app.push_screen(CopyMenu(subject), chosen)

    def show_register(self) -> None:
        """The last copies; Enter copies one again."""
        from papershelf.tui.dialogs.register import RegisterScreen

        copier = self.panes.services.copier

        def chosen(text: str | None) -> None:
            if text:
                copier.copy(text, "text from the register")

        self.panes.app.push_screen(RegisterScreen(copier.clipboard.register), chosen)

    # --- export -----------------------------------------------------------------------------

    def export(self) -> None:
        """Ask what to export (starred, a tag, the selection, the shown list), then write it."""
        # A worker: the dialog is awaited with `push_screen_wait`.
        self.panes.run_worker(
            self._export,
            group="export",
            exclusive=True,
            exit_on_error=False,
            description="export",
        )

    async def _export(self) -> None:
        from papershelf.tui.dialogs.export import ExportScreen, export_start_path

        panes = self.panes
        library = panes.services.library
        selection = panes.selected_papers()
        shown = panes.shown_papers()
        starred, tags = await library.in_thread(library.export_facts)
        counts: dict[str, int | None] = {
            "starred": starred,
            "selection": len(selection),
            "filter": len(shown),
        }
        request = await panes.app.push_screen_wait(
            ExportScreen(
                counts,
                tags,
                scope="selection" if selection else None,
                path=export_start_path(panes.export_folder),
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
                panes.tell("There are no papers to export.", title="Export")
                return
            # Deferred: exporting (and its citation formats) is not needed at start-up.
            from papershelf.data.export import export_papers

            report = await asyncio.to_thread(export_papers, papers, request.path, request.fmt)
        except PapershelfError as error:
            panes.tell(error.message, title="Export failed", severity="error")
            return
        except OSError as error:
            # The data layer words its own failures; this is one it did not foresee.
            reason = error.strerror or type(error).__name__
            message = f"Could not write {request.path}: {reason}."
            panes.tell(message, title="Export failed", severity="error")
            return
        panes.export_folder = str(request.path.parent)
        panes.post_message(panes.Exported(panes.export_folder))
        panes.tell(report.message, title="Export")
