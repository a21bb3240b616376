"""What the discussion and linked-repositories screens share: fetching the paper's detail with
its comments (cache first, network on request) and a title and status line around the content."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from papershelf.core.errors import PapershelfError
from papershelf.core.keymap import PAPER_EXTRAS
from papershelf.core.model import Paper
from papershelf.data.papers.texts import PaperExtras
from papershelf.tui.bindings import bindings_for
from papershelf.tui.paper_pages import open_link, paper_texts
from papershelf.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from papershelf.tui.services import Services


@dataclass
class ExtrasArrived(Message):
    extras: PaperExtras


@dataclass
class ExtrasFailed(Message):
    error: PapershelfError


class PaperExtrasScreen(Screen[None]):
    """A screen about one paper fed by `GET /api/papers/{id}?field=comments`."""

    BINDINGS = bindings_for(PAPER_EXTRAS)

    DEFAULT_CSS = """
    PaperExtrasScreen {
        layout: vertical;
        & > .extras--title { height: auto; padding: 0 1; background: $panel; text-style: bold; }
        & > .extras--status { height: auto; padding: 0 1; background: $panel; color: $text-muted; }
    }
    """

    heading = ""

    def __init__(self, paper: Paper, services: Services) -> None:
        super().__init__()
        self.paper = paper
        self.services = services
        self.render_latex = services.settings.render_latex
        self.extras: PaperExtras | None = None
        self._texts: Any = None

    def compose(self) -> ComposeResult:
        from papershelf.tui.display import readable

        title = readable(self.paper.title, latex=self.render_latex)
        yield Static(Content(f"{self.heading} — {title}"), classes="extras--title")
        yield from self.compose_content()
        yield Static(Content("Loading…"), classes="extras--status", id="extras-status")
        yield KeyFooter()

    def compose_content(self) -> ComposeResult:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.load()

    async def on_unmount(self) -> None:
        if self._texts is not None:
            await self._texts.aclose()

    def set_status(self, text: str) -> None:
        self.query_one("#extras-status", Static).update(Content(text))

    @work(group="paper-extras", exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        if self._texts is None:
            self._texts = paper_texts(self.services)
        offline = self.services.offline
        try:
            extras = await self._texts.extras(self.paper.id, offline=offline)
        except PapershelfError as error:
            self.post_message(ExtrasFailed(error))
            return
        self.post_message(ExtrasArrived(extras))

    @on(ExtrasArrived)
    def _arrived(self, message: ExtrasArrived) -> None:
        self.extras = message.extras
        self.show_extras(message.extras)

    @on(ExtrasFailed)
    def _failed(self, message: ExtrasFailed) -> None:
        self.show_failure(message.error)

    def show_extras(self, extras: PaperExtras) -> None:
        raise NotImplementedError

    def show_failure(self, error: PapershelfError) -> None:
        self.set_status(f"{error.title}: {error.message}")

    def action_refresh(self) -> None:
        self.set_status("Loading…")
        self.load()

    def action_close(self) -> None:
        self.dismiss()

    def open_link(self, url: str) -> None:
        open_link(self, self.services, url)
