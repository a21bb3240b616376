"""The pages behind one paper — its whole text, discussion and linked repositories — and the
two functions the panes and those pages call: open a page, open a link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from papershelf.core.model import Paper

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from papershelf.data.papers.texts import PaperTexts
    from papershelf.tui.services import Services

PAGES = ("read", "discussion", "linked")


def paper_texts(services: Services) -> PaperTexts:
    """A `PaperTexts` sharing the feeds' response cache (a new one when the feeds have none)."""
    from papershelf.data.papers.texts import PaperTexts

    cache = getattr(services.feeds, "cache", None)
    return PaperTexts(cache=cache if hasattr(cache, "get") else None)


def open_link(node: DOMNode, services: Services, url: str) -> None:
    """Open `url` in the browser, or copy it when no browser can be shown safely."""
    from papershelf.core.links import is_openable
    from papershelf.tui.browser import can_launch_browser

    if not is_openable(url):
        node.notify(f"Not opening {url!r}: only http(s) links are opened.", markup=False)
        return
    if can_launch_browser():
        node.app.open_url(url)
        node.notify(url, title="Opening", markup=False)
    else:
        services.copier.copy(url, f"the link {url}", reason="No browser here", title="Link")


def open_paper_page(node: DOMNode, services: Services, paper: Paper | None, page: str) -> None:
    """Push the reader (`read`), the discussion or the linked-repositories screen for `paper`."""
    if paper is None:
        node.notify("No paper is highlighted.", markup=False)
        return
    if page == "read":
        from papershelf.tui.screens.paper_reader import PaperReaderScreen

        node.app.push_screen(PaperReaderScreen(paper, services))
    elif page == "discussion":
        from papershelf.tui.screens.discussion import DiscussionScreen

        node.app.push_screen(DiscussionScreen(paper, services))
    elif page == "linked":
        from papershelf.tui.screens.linked_repos import LinkedReposScreen

        node.app.push_screen(LinkedReposScreen(paper, services))
    else:
        raise ValueError(f"unknown paper page {page!r}")
