"""A paper's discussion: each comment with author, date and reactions, replies nested under
their parent, hidden comments collapsed with their reason, bots marked. A comment's Markdown
is laid out the way the paper reader lays out a paper (emphasis, code, lists, quotes; a
link's address after its text), always as literal text (Content, never markup)."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from papershelf.core.body_layout import Line, layout
from papershelf.core.discussion import Comment, Discussion, parse_discussion
from papershelf.core.errors import PapershelfError
from papershelf.core.keymap import DISCUSSION
from papershelf.core.latex import to_unicode
from papershelf.core.links import is_openable
from papershelf.core.paper_body import Run, Style, parse_paper
from papershelf.data.papers.texts import PaperExtras
from papershelf.tui.bindings import bindings_for
from papershelf.tui.display import plural
from papershelf.tui.screens.paper_extras import PaperExtrasScreen

INDENT = "│ "
MARK_STYLES = {
    Style.STRONG: "bold",
    Style.EMPHASIS: "italic",
    Style.CODE: "reverse",
    Style.LINK: "underline",
    Style.CITATION: "underline",
    Style.MATH: "italic",
}
"""How each Markdown style shows in a comment (the terminal's own attributes, any theme)."""


def render_discussion(
    discussion: Discussion, *, show_hidden: bool = False, width: int = 80
) -> Content:
    """The whole thread as one block of styled, literal text, wrapped to `width` cells."""
    if not discussion.comments:
        return Content("No comments yet.").stylize("italic")
    parts: list[Content] = []
    for comment in discussion.comments:
        _render(comment, 0, show_hidden, width, parts)
    return Content("\n").join(parts)


def _render(
    comment: Comment, depth: int, show_hidden: bool, width: int, parts: list[Content]
) -> None:
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
        for line in comment_lines(comment.text, width - len(body_indent)):
            parts.append(Content(body_indent).append(_styled(line)))
    parts.append(Content(indent))
    for reply in comment.replies:
        _render(reply, depth + 1, show_hidden, width, parts)


def comment_lines(text: str, width: int) -> list[Line]:
    """A comment's Markdown as lines of `width` cells; "(empty)" for a comment with no text."""
    body = parse_paper(text)
    if not body.blocks:
        return [Line("(empty)", -1)]
    body.title = ""  # a comment's first heading is part of the comment, not its title
    body.blocks = [replace(block, runs=_with_addresses(block.runs)) for block in body.blocks]
    return layout(body, width, to_unicode).lines


def _with_addresses(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Each link followed by its address, unless the text already is the address."""
    shown: list[Run] = []
    for run in runs:
        shown.append(run)
        target = run.target
        if run.style is Style.LINK and target and is_openable(target) and target != run.text:
            shown.append(Run(f" ({target})"))
    return tuple(shown)


def _styled(line: Line) -> Content:
    content = Content(line.text)
    for mark in line.marks:
        style = MARK_STYLES.get(mark.style)
        if style:
            content = content.stylize(style, mark.start, mark.end)
    return content


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
        scroll = self.query_one("#discussion-scroll", VerticalScroll)
        width = scroll.scrollable_content_region.width or self.size.width - 4
        self.query_one("#discussion-text", Static).update(
            render_discussion(discussion, show_hidden=self.show_hidden, width=width)
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

    def on_resize(self) -> None:
        self._redraw()  # comments are wrapped to the width, with their indents kept

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self._redraw()

    def action_open_page(self) -> None:
        self.open_link(self.paper.hf_url)


def _count_hidden(comments: list[Comment]) -> int:
    return sum(comment.hidden + _count_hidden(comment.replies) for comment in comments)
