"""Which papers a key acts on, as an App mixin shared by the library and copy actions."""

from __future__ import annotations

from papershelf.core.model import Paper
from papershelf.tui.display import display_title


class PaperTargets:
    """The highlighted paper and the selection, with fetched details where known.

    Needs on the app: `get_default_screen_instance()` and `state.details`; the library mixin
    provides the Space selection (`selected_papers`) and overrides `paper_opened`.
    """

    def highlighted_paper(self) -> Paper | None:
        """The paper under the list cursor, with its fetched detail when there is one."""
        screen = self.get_default_screen_instance()  # type: ignore[attr-defined]
        if screen is None:
            return None
        paper = screen.paper_list.highlighted_paper
        if paper is None:
            return None
        return self.state.details.get(paper.id, paper)  # type: ignore[attr-defined]

    def title_of(self, paper: Paper) -> str:
        """`paper`'s title as the reader shows it (LaTeX as Unicode when `render_latex` is on)."""
        return display_title(paper, latex=getattr(self, "render_latex", True))

    def selected_papers(self) -> list[Paper]:
        """The papers marked with Space (none without a library)."""
        return []

    def target_papers(self) -> list[Paper]:
        """What `s`, `t`, `u` and copies act on: the selection, else the highlighted paper."""
        selected = self.selected_papers()
        if selected:
            return selected
        paper = self.highlighted_paper()
        return [paper] if paper is not None else []

    def paper_opened(self, paper: Paper) -> None:
        """A paper's page, PDF, code or project was opened (the library counts it as read)."""
