"""The tag editor: a modal listing a paper's tags, adding with completion and removing by key."""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from papershelf.core.text import clean_line, fold
from papershelf.tui.dialogs.base import Dialog

TAG_SEPARATOR = ","
"""Several tags can be typed at once, separated by commas."""


def split_tags(text: str) -> list[str]:
    """The tags typed in `text` (comma-separated), cleaned; empty pieces are dropped."""
    return [tag for piece in text.split(TAG_SEPARATOR) if (tag := clean_line(piece))]


def complete_tag(prefix: str, known_tags: Iterable[str]) -> str | None:
    """The first known tag longer than `prefix` that starts with it (ignoring case, accents)."""
    wanted = fold(prefix.strip())
    if not wanted:
        return None
    for tag in known_tags:
        if fold(tag).startswith(wanted) and len(tag) > len(prefix.strip()):
            return tag
    return None


class TagInput(Input):
    """The input of the tag editor: `tab` completes from known tags before moving focus."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False)]

    def __init__(self, known_tags: Iterable[str], **kwargs) -> None:
        self.known_tags = list(known_tags)
        """Existing tags offered as completions, most relevant first."""
        super().__init__(suggester=SuggestFromList(self.known_tags, case_sensitive=False), **kwargs)

    def action_complete(self) -> None:
        completion = complete_tag(self.value, self.known_tags)
        if completion is None:
            self.screen.focus_next()
            return
        self.value = completion
        self.cursor_position = len(completion)


class TagEditor(Dialog[frozenset[str] | None]):
    """Edit a set of tags; dismisses with the new set (`ctrl+s`) or None (`escape`)."""

    DEFAULT_CSS = """
    TagEditor {
        align: center middle;
    }
    TagEditor > #tag-dialog {
        width: 64;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    TagEditor #tag-subject {
        width: 100%;
        color: $text-muted;
        height: auto;
        max-height: 2;
        margin-bottom: 1;
    }
    TagEditor #tag-list {
        height: auto;
        max-height: 10;
        min-height: 3;
    }
    TagEditor #tag-input {
        margin-top: 1;
    }
    TagEditor #tag-help {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
        Binding("delete,backspace", "remove_tag", "Remove tag", show=False),
    ]

    def __init__(
        self,
        tags: Iterable[str],
        *,
        known_tags: Iterable[str] = (),
        subject: str = "",
    ) -> None:
        """`tags`: the current tags; `known_tags`: for completion; `subject`: the paper(s)."""
        super().__init__()
        self.tags: list[str] = []
        """The tags as edited so far, in the order shown."""
        for tag in tags:
            self._add(clean_line(tag))
        self.known_tags = list(dict.fromkeys(clean_line(tag) for tag in known_tags if tag))
        """Existing tags offered as completions."""
        self.subject = clean_line(subject)

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-dialog") as dialog:
            dialog.border_title = "Tags"
            if self.subject:
                yield Label(Content(self.subject), id="tag-subject")
            yield OptionList(id="tag-list", markup=False)
            yield TagInput(self.known_tags, placeholder="add a tag (Tab completes)", id="tag-input")
            yield Label(
                "Enter add · Del remove · Ctrl+S save · Esc cancel", id="tag-help", markup=False
            )

    def on_mount(self) -> None:
        self._refresh_list()
        self.query_one(TagInput).focus()

    def _add(self, tag: str) -> bool:
        if not tag or any(fold(tag) == fold(existing) for existing in self.tags):
            return False
        self.tags.append(tag)
        return True

    def _refresh_list(self, highlight: int = 0) -> None:
        tag_list = self.query_one("#tag-list", OptionList)
        tag_list.clear_options()
        if self.tags:
            tag_list.add_options(Option(Content(f"● {tag}"), id=tag) for tag in self.tags)
            tag_list.highlighted = max(0, min(highlight, len(self.tags) - 1))
        else:
            tag_list.add_option(Option(Content("(no tags)"), disabled=True))

    @on(Input.Submitted, "#tag-input")
    def _tag_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = split_tags(event.value)
        if not typed:
            # Enter on an empty input is the quickest way to finish.
            self.action_save()
            return
        for tag in typed:
            self._add(tag)
        event.input.clear()
        self._refresh_list(highlight=len(self.tags) - 1)

    def action_remove_tag(self) -> None:
        # The input handles its own delete/backspace first; this runs for the tag list.
        if self.query_one("#tag-list", OptionList).has_focus:
            self.remove_highlighted()

    def remove_highlighted(self) -> None:
        """Remove the tag under the list's cursor, keeping the cursor near where it was."""
        tag_list = self.query_one("#tag-list", OptionList)
        index = tag_list.highlighted
        if index is None or not self.tags or index >= len(self.tags):
            return
        del self.tags[index]
        self._refresh_list(highlight=index)
        if not self.tags:
            self.query_one(TagInput).focus()

    def action_save(self) -> None:
        # Text left in the input counts: typing a tag and pressing ctrl+s should keep it.
        tag_input = self.query_one(TagInput)
        for tag in split_tags(tag_input.value):
            self._add(tag)
        self.dismiss(frozenset(self.tags))
