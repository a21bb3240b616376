"""A paper's discussion: each comment with author, date and reactions, replies nested under
their parent, hidden comments collapsed with their reason, bots marked. Comment text is
shown literally (Content, never markup)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from papershelf.core.discussion import Comment, Discussion, parse_discussion
from papershelf.core.errors import PapershelfError
from papershelf.core.keymap import DISCUSSION
from papershelf.data.papers.texts import PaperExtras
from papershelf.tui.bindings import bindings_for
from papershelf.tui.display import plural
from papershelf.tui.screens.paper_extras import PaperExtrasScreen

INDENT = "│ "


def render_discussion(discussion: Discussion, *, show_hidden: bool = False) -> Content:
    """The whole thread as one block of styled, literal text."""
    if not discussion.comments:
        return Content("No comments yet.").stylize("italic")
    parts: list[Content] = []
    for comment in discussion.comments:
        _render(comment, 0, show_hidden, parts)
    return Content("\n").join(parts)


def _render(comment: Comment, depth: int, show_hidden: bool, parts: list[Content]) -> None:
    indent = INDENT * depth
    if comment.hidden and not show_hidden:
        reason = f" ({comment.hidden_reason})" if comment.hidden_reason else ""
        parts.append(
            Content.assemble(
                indent, (f"▸ Hidden comment by {comment.author}{reason} — h shows it", "dim italic")
            )
        )
    else:
        header = [indent, (comment.author, "bold")]
        if comment.bot:
            header.append((" [bot]", "dim"))
        if comment.author_fullname and comment.author_fullname != comment.author:
            header.append((f" ({comment.author_fullname})", "dim"))
        if comment.created is not None:
            header.append((f" · {comment.created.strftime('%Y-%m-%d %H:%M')}", "dim"))
        if comment.edited:
            header.append((" · edited", "dim"))
        if comment.hidden:
            reason = f": {comment.hidden_reason}" if comment.hidden_reason else ""
            header.append((f" · hidden{reason}", "dim italic"))
        if comment.reactions:
            reactions = (f"{reaction.emoji} {reaction.count}" for reaction in comment.reactions)
            header.append("  " + "  ".join(reactions))
        parts.append(Content.assemble(*header))
        body_indent = indent + "  "
        for line in (comment.text or "(empty)").splitlines() or [""]:
            parts.append(Content(body_indent + line))
    parts.append(Content(indent))
    for reply in comment.replies:
        _render(reply, depth + 1, show_hidden, parts)


class DiscussionScreen(PaperExtrasScreen):
    """The comments of one paper."""

    heading = "Discussion"

    BINDINGS = bindings_for(DISCUSSION)

    DEFAULT_CSS = """
    DiscussionScreen > VerticalScroll { height: 1fr; padding: 0 1; background: $surface; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.discussion: Discussion | None = None
        self.show_hidden = False

    def compose_content(self) -> ComposeResult:
        with VerticalScroll(id="discussion-scroll"):
            yield Static(Content("Loading the discussion…"), id="discussion-text")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#discussion-scroll").focus()

    def show_extras(self, extras: PaperExtras) -> None:
        self.discussion = parse_discussion(extras.payload)
        self._redraw()

    def _redraw(self) -> None:
        discussion = self.discussion
        if discussion is None:
            return
        self.query_one("#discussion-text", Static).update(
            render_discussion(discussion, show_hidden=self.show_hidden)
        )
        hidden = _count_hidden(discussion.comments)
        status = plural(discussion.total, "comment")
        if hidden:
            status += f" · {hidden} hidden ({'h hides' if self.show_hidden else 'h shows'})"
        if self.extras is not None and self.extras.source == "cached":
            status += " · from the cache"
        self.set_status(status + " · o opens it on Hugging Face")

    def show_failure(self, error: PapershelfError) -> None:
        self.query_one("#discussion-text", Static).update(Content(error.message))
        super().show_failure(error)

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self._redraw()

    def action_open_page(self) -> None:
        self.open_link(self.paper.hf_url)


def _count_hidden(comments: list[Comment]) -> int:
    return sum(comment.hidden + _count_hidden(comment.replies) for comment in comments)
