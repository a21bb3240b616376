"""Quick triage: one paper at a time with its full abstract, one key per decision, `u` undoes.

Every decision goes through the library writer service (the same optimistic view and the one
write thread as `s`, `t` and `u` in the list), so nothing is lost on a kill. Leaving returns
the id of the paper triage stopped on; the list moves its cursor there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from papershelf.core.library_view import with_read, with_starred, with_tags
from papershelf.core.model import Paper
from papershelf.core.text import clean_line, plural
from papershelf.tui.bindings import bindings_for
from papershelf.tui.dialogs.base import Dialog

if TYPE_CHECKING:
    from papershelf.tui.library_writer import LibraryWriter

LATER_TAG = "later"
"""The tag `l` puts on a paper to come back to."""


@dataclass(frozen=True, slots=True)
class Decision:
    """What a key did to one paper, and what was true before, so `u` can put it back."""

    position: int
    kind: str
    was_starred: bool
    was_read: bool
    had_later: bool


class TriageDialog(Dialog[str | None]):
    """Go through `papers` one at a time."""

    BINDINGS = bindings_for("triage")

    DEFAULT_CSS = """
    TriageDialog {
        & > Vertical {
            width: 100; max-width: 100%; height: 90%;
            border: round $accent; background: $surface; padding: 0 1;
        }
        & .triage--progress { color: $text-muted; }
        & .triage--title { text-style: bold; margin: 1 0 0 0; }
        & .triage--meta { color: $text-muted; }
        & .triage--state { color: $warning; }
        & VerticalScroll { height: 1fr; margin: 1 0 0 0; }
        & .triage--keys { color: $text-muted; }
    }
    """

    def __init__(
        self, papers: list[Paper], library: LibraryWriter, open_paper: Callable[[Paper], None]
    ) -> None:
        super().__init__()
        self.papers = papers
        self.library = library
        """The library writer: its view says what is starred, its thread writes each decision."""
        self.open_paper = open_paper
        """Opens a paper in the browser the way `o` in the list does (and marks it read)."""
        self.position = 0
        self.decisions: list[Decision] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("Triage")
            yield Static(classes="triage--progress", id="triage-progress")
            yield Static(classes="triage--title", id="triage-title")
            yield Static(classes="triage--meta", id="triage-meta")
            yield Static(classes="triage--state", id="triage-state")
            with VerticalScroll():
                yield Static(id="triage-abstract")
            yield Static(
                Content("s star · x skip (read) · l later · o open · u undo · q done"),
                classes="triage--keys",
            )

    def on_mount(self) -> None:
        self._show()

    # --- showing -----------------------------------------------------------------------------

    @property
    def current(self) -> Paper | None:
        return self.papers[self.position] if self.position < len(self.papers) else None

    def _set(self, widget_id: str, text: str) -> None:
        self.query_one(f"#{widget_id}", Static).update(Content(text))

    def _show(self) -> None:
        paper = self.current
        done = len(self.decisions)
        total = len(self.papers)
        if paper is None:
            self._set("triage-progress", f"Done · {plural(total, 'paper')} gone through")
            for widget_id in ("triage-title", "triage-meta", "triage-state", "triage-abstract"):
                self._set(widget_id, "")
            self._set("triage-title", "Nothing left. u undoes the last decision, q returns.")
            return
        self._set("triage-progress", f"{self.position + 1} of {total} · {done} decided")
        self._set("triage-title", clean_line(paper.title))
        authors = ", ".join(clean_line(n) for n in paper.author_names[:8])
        more = len(paper.author_names) - 8
        meta = f"▲ {paper.upvotes} · 💬 {paper.comments}"
        if authors:
            meta = f"{authors}{f' +{more}' if more > 0 else ''} · {meta}"
        self._set("triage-meta", meta)
        view = self.library.view
        facts = []
        if paper.id in view.starred:
            facts.append("★ starred")
        if paper.id in view.read:
            facts.append("read")
        if LATER_TAG in view.tags.get(paper.id, ()):
            facts.append(f"tagged {LATER_TAG}")
        self._set("triage-state", " · ".join(facts))
        parts = []
        if paper.ai_summary:
            parts.append(f"AI summary: {clean_line(paper.ai_summary)}")
        parts.append(paper.summary or "(no abstract)")
        self._set("triage-abstract", "\n\n".join(parts))
        self.query_one(VerticalScroll).scroll_home(animate=False)

    # --- deciding ----------------------------------------------------------------------------

    def action_decide(self, kind: str) -> None:
        paper = self.current
        if paper is None:
            return
        if not self.library.writable:
            self.notify(self.library.problem or "The library is not available.", markup=False)
            return
        view = self.library.view
        decision = Decision(
            self.position,
            kind,
            paper.id in view.starred,
            paper.id in view.read,
            LATER_TAG in view.tags.get(paper.id, ()),
        )
        self._apply(paper, decision, undo=False)
        self.decisions.append(decision)
        self.position += 1
        self._show()

    def action_undo(self) -> None:
        if not self.decisions:
            self.notify("Nothing to undo.", markup=False)
            return
        decision = self.decisions.pop()
        self.position = decision.position
        self._apply(self.papers[decision.position], decision, undo=True)
        self._show()

    def _apply(self, paper: Paper, decision: Decision, *, undo: bool) -> None:
        library = self.library
        ids = [paper.id]
        if decision.kind == "star" and not decision.was_starred:
            starred = not undo
            library.show(with_starred(library.view, ids, starred))
            if starred:
                library.write(lambda store: store.star([paper]), None)
            else:
                library.write(lambda store: store.unstar(ids), None)
        if decision.kind == "later" and not decision.had_later:
            if undo:
                library.show(with_tags(library.view, ids, [], [LATER_TAG]))
                library.write(lambda store: store.remove_tags(ids, [LATER_TAG]), None)
            else:
                library.show(with_tags(library.view, ids, [LATER_TAG], []))
                library.write(lambda store: store.add_tags([paper], [LATER_TAG]), None)
        if decision.kind in ("star", "skip") and not decision.was_read:
            read = not undo
            library.show(with_read(library.view, ids, read))
            library.write(lambda store: store.mark_read(ids, read), None)

    def action_open(self) -> None:
        paper = self.current
        if paper is not None:
            self.open_paper(paper)

    def action_leave(self) -> None:
        stopped = self.current or (self.papers[-1] if self.papers else None)
        self.dismiss(stopped.id if stopped is not None else None)
