"""The pages behind one paper — its whole text, discussion and linked repositories — and the
one function the rest of the app calls to open them."""

from __future__ import annotations

from typing import Any

from papershelf.core.model import Paper

PAGES = ("read", "discussion", "linked")


def paper_texts(app: Any) -> Any:
    """A `PaperTexts` sharing the app's response cache (a new one when the feeds have none)."""
    from papershelf.data.paper_texts import PaperTexts

    cache = getattr(app.feeds, "cache", None)
    return PaperTexts(cache=cache if hasattr(cache, "get") else None)


def open_paper_page(app: Any, paper: Paper | None, page: str) -> None:
    """Push the reader (`read`), the discussion or the linked-repositories screen for `paper`."""
    if paper is None:
        app.notify("No paper is highlighted.", markup=False)
        return
    latex = bool(getattr(app, "render_latex", True))
    if page == "read":
        from papershelf.tui.screens.paper_reader import PaperReaderScreen

        app.push_screen(PaperReaderScreen(paper, render_latex=latex))
    elif page == "discussion":
        from papershelf.tui.screens.discussion import DiscussionScreen

        app.push_screen(DiscussionScreen(paper, render_latex=latex))
    elif page == "linked":
        from papershelf.tui.screens.linked_repos import LinkedReposScreen

        app.push_screen(LinkedReposScreen(paper))
    else:
        raise ValueError(f"unknown paper page {page!r}")
