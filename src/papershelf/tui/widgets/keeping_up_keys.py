"""The panes' keeping-up keys: the next new paper (`N`), related papers (`K`), an author's
papers (`A`) and triage (`X`).

Lists are asked of the screen with `PaperPanes.ListWanted`; triage edits the library through
the writer and tells the screen afterwards, as any other library edit does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from papershelf.core.lists import ListKey, ListKind
from papershelf.core.model import Paper

if TYPE_CHECKING:
    from papershelf.tui.widgets.paper_panes import PaperPanes


class KeepingUpKeys:
    """What `N`, `K`, `A` and `X` do to the papers the panes show."""

    def __init__(self, panes: PaperPanes) -> None:
        self.panes = panes

    def next_new(self) -> None:
        """Move to the next paper first seen in this session (wrapping around)."""
        panes = self.panes
        paper_list = panes.paper_list
        positions = panes.new_positions()
        if not positions:
            panes.tell("No new papers in this list.")
            return
        after = [n for n in positions if n > paper_list.cursor]
        paper_list.move_cursor(after[0] if after else positions[0])

    def _one_paper(self) -> Paper | None:
        paper = self.panes.paper_list.highlighted_paper
        if paper is None:
            self.panes.tell("No paper is highlighted.")
        return paper

    def related(self) -> None:
        """Show the papers most like the highlighted one."""
        paper = self._one_paper()
        if paper is not None:
            self.panes.post_message(self.panes.ListWanted(ListKey(ListKind.RELATED, paper.id)))

    def author_view(self) -> None:
        """Show every known paper by one of the highlighted paper's authors."""
        from papershelf.core.text import clean_line
        from papershelf.tui.dialogs.pick import PickDialog

        panes = self.panes
        paper = self._one_paper()
        if paper is None:
            return
        names = [clean_line(name) for name in paper.author_names if clean_line(name)]
        if not names:
            panes.tell("This paper lists no authors.")
            return

        def chosen(name: str | None) -> None:
            if name:
                panes.post_message(panes.ListWanted(ListKey(ListKind.AUTHOR, name)))

        if len(names) == 1:
            chosen(names[0])
            return
        panes.app.push_screen(PickDialog("Papers by…", [(n, n) for n in names]), chosen)

    def triage(self) -> None:
        """Go through the list from the cursor one paper at a time."""
        from papershelf.tui.dialogs.triage import TriageDialog

        panes = self.panes
        paper_list = panes.paper_list
        papers = paper_list.papers[paper_list.cursor :]
        if not papers:
            panes.tell("No papers to go through.")
            return
        if not panes.edits.can_write():
            return

        def open_paper(paper: Paper) -> None:
            panes.open_link(paper.hf_url)
            panes.paper_opened(paper)

        def stopped(paper_id: str | None) -> None:
            panes.library_changed()
            panes.post_message(panes.LibraryEdited())
            for index, listed in enumerate(paper_list.papers):
                if listed.id == paper_id:
                    paper_list.move_cursor(index)
                    break

        panes.app.push_screen(
            TriageDialog(list(papers), panes.services.library, open_paper), stopped
        )
