"""The main screen's detail pane handling: the highlighted paper and its fetched detail."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import TYPE_CHECKING

from textual import on, work
from textual.screen import Screen

from papershelf.core.errors import PapershelfError
from papershelf.core.model import Paper, merge_detail
from papershelf.tui.messages import DetailFailed, DetailLoaded
from papershelf.tui.widgets.paper_detail import PaperDetail
from papershelf.tui.widgets.paper_list import PaperList

if TYPE_CHECKING:
    from papershelf.tui.app import PapershelfApp


class MainDetail(Screen[None]):
    """The detail half of `MainScreen`; a Screen base only so Textual registers its handlers.

    The widgets (`paper_list`, `detail`) come from `MainScreen`.
    """

    app: PapershelfApp  # type: ignore[assignment]
    paper_list: PaperList
    detail: PaperDetail

    @on(PaperList.Highlighted)
    def _highlighted(self, message: PaperList.Highlighted) -> None:
        message.stop()
        paper = message.paper
        self.app.state.highlighted_id = paper.id if paper is not None else None
        merged = self.app.state.details.get(paper.id) if paper is not None else None
        self.detail.show_paper(merged or paper)
        # After the detail pane moved on: the library adds this paper's stars, tags and note.
        self.app.paper_highlighted(paper)
        if paper is not None and merged is None:
            self._fetch_detail(paper.id)

    @work(group="detail", exclusive=True, exit_on_error=False, description="paper detail")
    async def _fetch_detail(self, paper_id: str) -> None:
        # Debounce: only the paper the cursor rests on is fetched.
        await asyncio.sleep(self.app.detail_debounce)
        try:
            detail = await self.app.feeds.paper(paper_id, offline=self.app.offline)
        except PapershelfError as error:
            self.post_message(DetailFailed(paper_id, error))
        else:
            self.post_message(DetailLoaded(paper_id, detail))

    @on(DetailLoaded)
    def _detail_loaded(self, message: DetailLoaded) -> None:
        message.stop()
        current = self.paper_list.highlighted_paper
        listed = self._listed(message.paper_id)
        if listed is None:
            return
        merged = merge_detail(listed, message.detail)
        if merged.id != listed.id:
            # Stars, tags and row markers key on the listed id; a detail answering under another
            # spelling (a version suffix) must not make the detail pane ask about a different id.
            merged = dataclasses.replace(merged, id=listed.id)
        self.app.state.details[message.paper_id] = merged
        if current is not None and current.id == message.paper_id:
            self.detail.show_paper(merged)

    @on(DetailFailed)
    def _detail_failed(self, message: DetailFailed) -> None:
        message.stop()
        current = self.paper_list.highlighted_paper
        if current is not None and current.id == message.paper_id:
            self.detail.show_paper(current, note=f"Full details unavailable: {message.error}")

    def _listed(self, paper_id: str) -> Paper | None:
        feed = self.app.state.feed
        if feed is None:
            return None
        for paper in feed.papers:
            if paper.id == paper_id:
                return paper
        return None

    @on(PaperList.Selected)
    def _selected(self, message: PaperList.Selected) -> None:
        message.stop()
        self.detail.focus()

    @on(PaperList.PaneSwitchRequested)
    def _to_detail(self, message: PaperList.PaneSwitchRequested) -> None:
        message.stop()
        self.detail.focus()

    @on(PaperDetail.PaneSwitchRequested)
    def _to_list(self, message: PaperDetail.PaneSwitchRequested) -> None:
        message.stop()
        if self.has_class("-zoom"):
            self.remove_class("-zoom")
        self.paper_list.focus()
