"""The copy menu: every link and citation format, one key each; dismisses with the format id."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from papershelf.tui.bindings import bindings_for
from papershelf.tui.dialogs.base import Dialog


@dataclass(frozen=True, slots=True)
class CopyChoice:
    """One entry of the copy menu."""

    key: str
    """The single key that picks it inside the menu."""
    format_id: str
    """What the menu dismisses with: a URL kind or a `core.cite.FORMATS` name."""
    label: str
    """What the menu shows."""


URL_FORMATS = ("hf_url", "arxiv_url", "pdf_url")
"""Format ids that copy a link rather than a citation."""

ARXIV_BIBTEX = "arxiv_bibtex"
"""The authoritative BibTeX fetched from arXiv (falls back to the local entry offline)."""

COPY_CHOICES: tuple[CopyChoice, ...] = (
    CopyChoice("u", "hf_url", "Hugging Face URL"),
    CopyChoice("a", "arxiv_url", "arXiv URL"),
    CopyChoice("p", "pdf_url", "PDF URL"),
    CopyChoice("b", "bibtex", "BibTeX"),
    CopyChoice("B", ARXIV_BIBTEX, "BibTeX from arXiv"),
    CopyChoice("l", "biblatex", "BibLaTeX"),
    CopyChoice("A", "apa", "APA"),
    CopyChoice("m", "markdown", "Markdown link"),
    CopyChoice("c", "card", "Markdown card"),
    CopyChoice("t", "plain", "Plain text"),
    CopyChoice("r", "ris", "RIS"),
    CopyChoice("j", "csl-json", "CSL-JSON"),
)
"""Every format, in menu order."""


def choice_label(format_id: str) -> str:
    """The human name of a format id (the id itself when unknown)."""
    for choice in COPY_CHOICES:
        if choice.format_id == format_id:
            return choice.label
    return format_id


class CopyMenu(Dialog[str | None]):
    """Pick what to copy: press a format's key, or move with the arrows and press Enter."""

    DEFAULT_CSS = """
    CopyMenu {
        align: center middle;
    }
    CopyMenu > Vertical {
        width: 44;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    CopyMenu #copy-menu-subject {
        color: $text-muted;
        width: 100%;
        margin-bottom: 1;
    }
    CopyMenu OptionList {
        height: auto;
        max-height: 16;
        border: none;
        padding: 0;
    }
    """

    BINDINGS = [
        *bindings_for("copy_menu"),
        *(
            Binding(choice.key, f"choose('{choice.format_id}')", choice.label, show=False)
            for choice in COPY_CHOICES
        ),
    ]

    def __init__(self, subject: str = "", choices: tuple[CopyChoice, ...] = COPY_CHOICES) -> None:
        """`subject` names what is copied, e.g. a paper title or "3 papers" (shown literally)."""
        super().__init__()
        self.subject = subject
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Copy"
            if self.subject:
                yield Label(self.subject, id="copy-menu-subject", markup=False)
            yield OptionList(
                *(
                    Option(
                        Content.assemble((f" {choice.key} ", "bold reverse"), " ", choice.label),
                        id=choice.format_id,
                    )
                    for choice in self.choices
                ),
                id="copy-menu-options",
                compact=True,
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self, format_id: str) -> None:
        """Dismiss with `format_id` (a key was pressed)."""
        if any(choice.format_id == format_id for choice in self.choices):
            self.dismiss(format_id)
