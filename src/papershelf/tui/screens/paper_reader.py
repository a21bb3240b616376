"""The reader screen: a paper's whole text with an outline, figures, search and copy.

The text is fetched only when this screen opens (kept -> cached -> network). The first
screenful is parsed at once from the head of the text so it paints immediately; the whole
paper is parsed and laid out in a thread and swapped in at the same place.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from papershelf.core.body_layout import Layout, layout
from papershelf.core.errors import PapershelfError
from papershelf.core.keymap import READER
from papershelf.core.model import Paper
from papershelf.core.paper_body import BlockKind, PaperBody, Style, parse_paper
from papershelf.data.papers.texts import NoPaperText, PaperText
from papershelf.tui.bindings import bindings_for
from papershelf.tui.display import readable
from papershelf.tui.paper_pages import open_link, paper_texts
from papershelf.tui.widgets.key_footer import KeyFooter
from papershelf.tui.widgets.paper_body import PaperBodyView

if TYPE_CHECKING:
    from papershelf.tui.services import Services

HEAD_CHARS = 4_000
"""How much of the text is parsed before the first paint (more than a screenful)."""
WHOLE_AFTER_SECONDS = 0.15
"""Pause between painting the opening and parsing the whole paper in a thread."""

READER_BINDINGS = bindings_for(READER)


def _yield_to_the_screen() -> None:
    """Between pieces of work in a thread: let the event loop take the GIL and paint."""
    time.sleep(0.001)


@dataclass
class TextArrived(Message):
    text: PaperText
    saved_block: int | None


@dataclass
class TextFailed(Message):
    error: PapershelfError


@dataclass
class PaperLaidOut(Message):
    body: PaperBody
    layout: Layout


class PaperReaderScreen(Screen[None]):
    """One paper, read here."""

    BINDINGS = READER_BINDINGS

    DEFAULT_CSS = """
    PaperReaderScreen {
        layout: vertical;
        & > #reader-title { height: auto; padding: 0 1; background: $panel; text-style: bold; }
        & > Horizontal { height: 1fr; }
        & #reader-side { width: 36; display: none; border-right: solid $panel-lighten-2; }
        & #reader-side.-shown { display: block; }
        & > #reader-search { display: none; }
        & > #reader-search.-shown { display: block; }
        & > #reader-status { height: 1; width: 1fr; padding: 0 1; background: $panel; }
        & > #reader-status { color: $text-muted; }
    }
    """

    def __init__(self, paper: Paper, services: Services) -> None:
        super().__init__()
        self.paper = paper
        self.services = services
        self.render_latex = services.settings.render_latex
        self.source: str | None = None
        self.side_mode: str | None = None
        """`outline` or `figures` while the side list is shown."""
        self.back_stack: list[int] = []
        self.error: PapershelfError | None = None
        self._texts: Any = None
        self._saved_block: int | None = None
        self._view: PaperBodyView | None = None
        self._status_text = ""

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(Content(self._title()), id="reader-title")
        with Horizontal():
            yield OptionList(id="reader-side", markup=False)
            yield PaperBodyView(transform=self._transform, id="reader-body")
        yield Input(placeholder="Search the paper", id="reader-search")
        yield Static(Content("Loading…"), id="reader-status")
        yield KeyFooter()

    def _title(self) -> str:
        return readable(self.paper.title, latex=self.render_latex)

    def _transform(self, text: str) -> str:
        return readable(text, latex=self.render_latex)

    @property
    def view(self) -> PaperBodyView:
        if self._view is None:
            self._view = self.query_one(PaperBodyView)
        return self._view

    def on_mount(self) -> None:
        self.view.focus()
        # A kept or cached text is read here, not in a thread: the read takes about a
        # millisecond, while a thread's answer waits its turn behind the screen being mounted
        # (measured 40-250 ms), and the first frame should already hold the opening.
        _starred, saved, local = self._read_local(refresh=False)
        if local is not None:
            self.post_message(TextArrived(local, saved))
        else:
            self.load_text()

    async def on_unmount(self) -> None:
        block = self.view.top_block()
        if block is not None and self.view.body is not None:
            from papershelf.data.papers.reading_positions import save_position

            self.app.run_worker(
                partial(save_position, self.paper.id, block),
                thread=True,
                group="reader-position",
                exit_on_error=False,
            )
        if self._texts is not None:
            await self._texts.aclose()

    # --- loading ----------------------------------------------------------------------

    @work(group="reader-text", exclusive=True, exit_on_error=False)
    async def load_text(self, refresh: bool = False) -> None:
        texts = self._paper_texts()
        offline = self.services.offline
        # One trip to a thread for everything on disk: each trip costs a scheduling delay.
        starred, saved, local = await asyncio.to_thread(self._read_local, refresh)
        text = local
        if text is None:
            try:
                text = await texts.text(
                    self.paper.id, offline=offline, keep=starred, refresh=refresh
                )
            except PapershelfError as error:
                self.post_message(TextFailed(error))
                return
        self.post_message(TextArrived(text, saved))

    def _paper_texts(self) -> Any:
        """Where this paper's text comes from (made on first use, closed on unmount)."""
        if self._texts is None:
            self._texts = paper_texts(self.services)
        return self._texts

    def _read_local(self, refresh: bool) -> tuple[bool, int | None, PaperText | None]:
        """Starred?, the remembered position, and the kept or cached text. Blocks."""
        from papershelf.data.papers.reading_positions import position_of

        starred = self.paper.id in self.services.library.view.starred
        local = None if refresh else self._paper_texts().local_text(self.paper.id, keep=starred)
        return starred, position_of(self.paper.id), local

    @on(TextFailed)
    def _failed(self, message: TextFailed) -> None:
        self.error = message.error
        words = message.error.message
        if isinstance(message.error, NoPaperText):
            words += " Press p for the PDF or a for arXiv."
        elif "rate limit" in words:
            words += " Press r to try again."
        self.view.show_message(words)
        self._set_status(message.error.title)

    @on(TextArrived)
    def _arrived(self, message: TextArrived) -> None:
        self.error = None
        self.source = message.text.source
        self._saved_block = message.saved_block
        markdown = message.text.markdown
        view = self.view
        if len(markdown) > HEAD_CHARS * 1.5:
            # Paint the opening now (where the reader left off, when that is in it); the
            # whole paper follows from a thread once this frame is on screen.
            head = parse_paper(markdown, limit=HEAD_CHARS)
            saved = message.saved_block
            keep = saved if saved is not None and saved < len(head.blocks) - 1 else None
            view.show(head, layout(head, view.text_width, self._transform), keep_block=keep)
            if keep is not None:
                self._saved_block = None
            # A thread parsing the rest would compete with painting for the interpreter, so
            # it starts once the opening is on screen.
            self.set_timer(
                WHOLE_AFTER_SECONDS, partial(self.lay_out_whole, markdown, view.text_width)
            )
        else:
            self.lay_out_whole(markdown, view.text_width)

    @work(thread=True, group="reader-layout", exclusive=True, exit_on_error=False)
    def lay_out_whole(self, markdown: str, width: int) -> None:
        body = parse_paper(markdown, pause=_yield_to_the_screen)
        result = layout(body, width, self._transform, pause=_yield_to_the_screen)
        self.post_message(PaperLaidOut(body, result))

    @on(PaperLaidOut)
    def _laid_out(self, message: PaperLaidOut) -> None:
        view = self.view
        keep = view.top_block() if view.body is not None else None
        if keep == 0 or keep is None:
            keep = self._saved_block
        cursor = view.cursor
        view.show(message.body, message.layout, keep_block=keep)
        if keep is None:
            view.go_to_line(min(cursor, len(view.lines) - 1))
        self._saved_block = None
        if message.layout.width != view.text_width:
            view.relayout()  # the pane was resized while the paper was being laid out
        if self.side_mode is not None:
            self._fill_side(self.side_mode)

    # --- position line ----------------------------------------------------------------

    @on(PaperBodyView.Moved)
    def _moved(self, message: PaperBodyView.Moved) -> None:
        self._set_status()

    def position_text(self) -> str:
        view = self.view
        if view.body is None or view.paper_layout is None:
            return ""
        total = max(len(view.lines), 1)
        bottom = min(view.top_line + view.scrollable_content_region.height, total)
        percent = round(100 * bottom / total)
        section = view.paper_layout.section_at(view.top_line)
        name = view.body.sections[section].title if section is not None else "Beginning"
        parts = [name, f"{percent}%"]
        if view.selection_start is not None:
            first, last = view.selected_range()
            parts.append(f"{last - first + 1} lines selected (y copies)")
        if view.matches:
            parts.append(f"match {view.match_index + 1}/{len(view.matches)}")
        if self.source == "kept":
            parts.append("kept offline")
        elif self.source == "cached":
            parts.append("from the cache")
        return " · ".join(parts)

    def _set_status(self, extra: str | None = None) -> None:
        text = extra or self.position_text()
        if text == self._status_text:
            return
        self._status_text = text
        # One line of fixed height: no layout pass on every scroll step.
        self.query_one("#reader-status", Static).update(Content(text), layout=False)

    # --- search -----------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#reader-search", Input)
        search.add_class("-shown")
        search.focus()
        self.view.forward_keys_to = search

    @on(Input.Submitted, "#reader-search")
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        found = self.view.find(event.value)
        search = self.query_one("#reader-search", Input)
        search.remove_class("-shown")
        self.view.forward_keys_to = None
        self.view.focus()
        if not found and event.value.strip():
            self.notify(f"Not found: {event.value.strip()}", markup=False)
        self._set_status()

    def action_next_match(self, step: int) -> None:
        self.view.next_match(step)

    # --- outline and figures ----------------------------------------------------------

    def action_outline(self) -> None:
        self._toggle_side("outline")

    def action_figures(self) -> None:
        self._toggle_side("figures")

    def _toggle_side(self, mode: str) -> None:
        side = self.query_one("#reader-side", OptionList)
        if self.side_mode == mode:
            self.side_mode = None
            side.remove_class("-shown")
            self.view.focus()
            return
        self.side_mode = mode
        self._fill_side(mode)
        side.add_class("-shown")
        side.focus()

    def _fill_side(self, mode: str) -> None:
        side = self.query_one("#reader-side", OptionList)
        body = self.view.body
        options: list[Option] = []
        if body is not None and mode == "outline":
            # Indent by rank among the levels used (HF's abstract is a level-6 heading).
            levels = sorted({s.level for s in body.sections if s.title.lower() != "abstract"})
            rank = {level: position for position, level in enumerate(levels)}
            for index, section in enumerate(body.sections):
                depth = 0 if section.title.lower() == "abstract" else rank[section.level]
                indent = "  " * min(depth, 4)
                options.append(Option(Content(indent + section.title), id=f"s{index}"))
        elif body is not None:
            for index, figure in enumerate(body.figures):
                caption = readable(figure.caption, latex=self.render_latex)
                link = "" if figure.openable else " (no link)"
                label = f"{figure.label}{link}: {caption}" if caption else figure.label + link
                if len(label) > 90:
                    label = label[:89] + "…"
                options.append(Option(Content(label), id=f"f{index}"))
        if not options:
            empty = "No sections" if mode == "outline" else "No figures"
            options.append(Option(Content(empty), id="none", disabled=True))
        side.set_options(options)
        side.highlighted = 0 if options and not options[0].disabled else None

    @on(OptionList.OptionSelected, "#reader-side")
    def _side_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        view = self.view
        option_id = event.option.id or ""
        if view.paper_layout is None or not option_id[1:].isdigit():
            return
        index = int(option_id[1:])
        laid = view.paper_layout
        lines = laid.section_lines if option_id[0] == "s" else laid.figure_lines
        if index < len(lines):
            view.go_to_line(lines[index], top=True)
        view.focus()

    def action_section(self, step: int) -> None:
        view = self.view
        if view.paper_layout is None or not view.paper_layout.section_lines:
            return
        starts = view.paper_layout.section_lines
        current = view.cursor
        if step > 0:
            target = next((line for line in starts if line > current), None)
        else:
            target = next((line for line in reversed(starts) if line < current), None)
        if target is not None:
            view.go_to_line(target, top=True)

    # --- links, figures, citations ----------------------------------------------------

    def _line_targets(self) -> tuple[str | None, str | None]:
        """(figure or link URL, citation label) on the cursor line."""
        view = self.view
        body = view.body
        lines = view.lines
        if body is None or not lines:
            return None, None
        line = lines[view.cursor]
        if line.block >= 0 and line.kind in (BlockKind.FIGURE, BlockKind.CAPTION):
            figure_index = body.blocks[line.block].figure
            if figure_index is not None:
                return body.figures[figure_index].url, None
        citation = next((m for m in line.marks if m.style is Style.CITATION), None)
        link = next((m for m in line.marks if m.target), None)
        label = line.text[citation.start : citation.end] if citation else None
        return (link.target if link else None), label

    def action_open_line(self) -> None:
        url, _label = self._line_targets()
        if url is None:
            self.notify("Nothing to open on this line.", markup=False)
            return
        open_link(self, self.services, url)

    def action_follow(self) -> None:
        """Enter: a citation jumps to its reference (backspace returns); a link opens."""
        view = self.view
        url, label = self._line_targets()
        body = view.body
        laid = view.paper_layout
        if label and body is not None and label in body.references and laid is not None:
            self.back_stack.append(view.cursor)
            block = body.references[label]
            view.go_to_line(laid.line_of_block(block))
            self.notify(body.blocks[block].text[:300], title=f"[{label}]", markup=False)
            return
        if url is not None:
            open_link(self, self.services, url)

    def action_back(self) -> None:
        if self.back_stack:
            self.view.go_to_line(self.back_stack.pop())

    # --- selection and copy -----------------------------------------------------------

    def action_select(self) -> None:
        self.view.toggle_selection()
        self._set_status()

    def action_copy_passage(self) -> None:
        from papershelf.core.cite import plain

        view = self.view
        passage = view.selected_text().strip()
        if not passage:
            self.notify("Nothing to copy here.", markup=False)
            return
        text = f"{passage}\n\n— {plain(self.paper)}"
        if view.selection_start is not None:
            view.toggle_selection()
        self.services.copier.copy(text, "the passage with its citation")
        self._set_status()

    # --- elsewhere --------------------------------------------------------------------

    def action_open_pdf(self) -> None:
        open_link(self, self.services, self.paper.pdf_url)

    def action_open_arxiv(self) -> None:
        open_link(self, self.services, self.paper.arxiv_url)

    def action_retry(self) -> None:
        if self.error is not None:
            self.view.show_message("Loading the paper…")
            self.load_text(refresh=True)

    def action_discussion(self) -> None:
        from papershelf.tui.paper_pages import open_paper_page

        open_paper_page(self, self.services, self.paper, "discussion")

    def action_linked(self) -> None:
        from papershelf.tui.paper_pages import open_paper_page

        open_paper_page(self, self.services, self.paper, "linked")

    def action_close(self) -> None:
        side = self.query_one("#reader-side", OptionList)
        search = self.query_one("#reader-search", Input)
        if search.has_class("-shown"):
            search.remove_class("-shown")
            self.view.forward_keys_to = None
            self.view.focus()
            return
        if self.side_mode is not None and side.has_focus:
            self._toggle_side(self.side_mode)
            return
        if self.view.selection_start is not None:
            self.view.toggle_selection()
            self._set_status()
            return
        self.dismiss()
