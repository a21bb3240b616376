"""The detail pane: everything known about the highlighted paper, scrollable.

All paper text is shown as `Content` (never markup); LaTeX in titles and abstracts reads as
Unicode through `tui.display` when `render_latex` is on.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from papershelf.core.model import Paper
from papershelf.core.url_wrap import wrap_url
from papershelf.tui.bindings import DETAIL_BINDINGS
from papershelf.tui.display import display_title, plural, readable


@dataclass(frozen=True, slots=True)
class LibraryFacts:
    """What the library knows about one paper, for the detail pane."""

    paper_id: str
    starred: bool = False
    tags: tuple[str, ...] = ()
    note: str = ""
    """The user's note ("" when there is none, or while it is being read)."""


def describe_library(facts: LibraryFacts) -> Content | None:
    """`★ Starred · Tags: llm, to-read`, or None when the paper is neither starred nor tagged."""
    parts = []
    if facts.starred:
        parts.append(Content("★ Starred"))
    if facts.tags:
        parts.append(_field("Tags", ", ".join(facts.tags)))
    return Content(" · ").join(parts) if parts else None


def _field(label: str, value: str) -> Content:
    return Content.assemble((f"{label} ", "bold"), value)


def link_field(label: str, value: str, width: int) -> Content:
    """`Project https://…` with the URL wrapped after `/` to fit `width` columns."""
    lines = wrap_url(value, width, first_width=width - len(label) - 1)
    head = _field(label, lines[0]) if lines[0] else Content.assemble((label, "bold"))
    return Content("\n").join([head, *(Content(line) for line in lines[1:])])


def describe_github(paper: Paper) -> str | None:
    """`owner/repo ★ 1,234` or the raw URL."""
    if not paper.github:
        return None
    name = paper.github_repo or paper.github
    if paper.github_stars is not None:
        return f"{name}  ★ {paper.github_stars:,}"
    return name


def describe_linked(counts: tuple[int, int, int]) -> str:
    """`12 models · 1 dataset · 3 Spaces` (M lists them)."""
    models, datasets, spaces = counts
    return (
        f"{plural(models, 'model')} · {plural(datasets, 'dataset')} · "
        f"{spaces:,} {'Space' if spaces == 1 else 'Spaces'}"
    )


class PaperDetail(VerticalScroll, can_focus=True):
    """Title, authors, organisation, dates, counts, links, AI summary, keywords, abstract."""

    BINDINGS = DETAIL_BINDINGS

    DEFAULT_CSS = """
    PaperDetail {
        padding: 0 1;
        background: $surface;
        scrollbar-size-vertical: 1;
        & > Static { width: 1fr; height: auto; }
        & > .detail--title { text-style: bold; color: $text; margin-bottom: 1; }
        & > .detail--authors { color: $text; }
        & > .detail--organization { color: $text-muted; }
        & > .detail--meta { color: $text-muted; margin-top: 1; }
        & > .detail--links { color: $text-muted; }
        & > .detail--heading { text-style: bold; color: $accent; margin-top: 1; }
        & > .detail--keywords { color: $secondary; margin-top: 1; }
        & > .detail--library { color: $text-warning; margin-top: 1; }
        & > .detail--user-note { color: $text; }
        & > .detail--note { color: $text-muted; text-style: italic; margin-top: 1; }
        & > .detail--empty { color: $text-muted; text-style: italic; }
    }
    """

    @dataclass
    class PaneSwitchRequested(Message):
        """Tab or Esc in the detail pane: the screen moves focus back to the list."""

        paper_detail: PaperDetail

        @property
        def control(self) -> PaperDetail:
            return self.paper_detail

    def __init__(
        self,
        *,
        render_latex: bool = True,
        date_format: str = "%Y-%m-%d",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(name=name, id=id, classes=classes)
        self.render_latex = render_latex
        """Show LaTeX in the title, AI summary and abstract as Unicode."""
        self.date_format = date_format
        """strftime format of the arXiv and Daily dates."""
        self.paper: Paper | None = None
        """The paper shown."""
        self.note: str | None = None
        """A plain-words remark under the paper (e.g. why details are missing)."""
        self.library_facts: LibraryFacts | None = None
        self.history_text = ""
        """The upvote history line of the paper shown (the panes know the history)."""
        """Stars, tags and note of the paper shown (ignored when they are another paper's)."""

    def compose(self) -> ComposeResult:
        yield Static(Content("No paper selected."), classes="detail--empty", id="detail-empty")
        yield Static(classes="detail--title", id="detail-title")
        yield Static(classes="detail--authors", id="detail-authors")
        yield Static(classes="detail--organization", id="detail-organization")
        yield Static(classes="detail--meta", id="detail-meta")
        yield Static(classes="detail--meta", id="detail-history")
        yield Static(classes="detail--links", id="detail-links")
        yield Static(classes="detail--library", id="detail-library")
        yield Static(Content("Note"), classes="detail--heading", id="detail-user-note-heading")
        yield Static(classes="detail--user-note", id="detail-user-note")
        yield Static(Content("AI summary"), classes="detail--heading", id="detail-ai-heading")
        yield Static(classes="detail--ai-summary", id="detail-ai-summary")
        yield Static(classes="detail--keywords", id="detail-keywords")
        yield Static(Content("Abstract"), classes="detail--heading", id="detail-abstract-heading")
        yield Static(classes="detail--abstract", id="detail-abstract")
        yield Static(classes="detail--note", id="detail-note")

    def on_mount(self) -> None:
        self._render_paper()
        self.show_history(self.history_text)

    def show_paper(self, paper: Paper | None, *, note: str | None = None) -> None:
        """Show `paper` (or the empty state); scroll to the top when it is a different paper."""
        if paper is self.paper and note == self.note and paper is not None:
            return  # e.g. a filter kept the cursor on this paper: nothing to redraw
        same_paper = self.paper is not None and paper is not None and self.paper.id == paper.id
        self.paper = paper
        self.note = note
        if self.is_mounted:
            self._render_paper()
            if not same_paper:
                self.scroll_home(animate=False)

    def show_history(self, text: str) -> None:
        """The upvote sparkline under the counts (`Upvotes ▁▃█ 12→40`); "" hides it."""
        self.history_text = text
        if self.is_mounted:
            self._set("detail-history", Content(text) if text and self.paper else None)

    def show_library(self, facts: LibraryFacts | None) -> None:
        """Show the library's stars, tags and note for the paper these facts are about."""
        if facts == self.library_facts:
            return
        self.library_facts = facts
        if self.is_mounted:
            self._render_library()

    def _render_library(self) -> None:
        facts = self.library_facts
        if self.paper is None or facts is None or facts.paper_id != self.paper.id:
            facts = None
        self._set("detail-library", describe_library(facts) if facts else None)
        note = facts.note.strip() if facts else ""
        self._set("detail-user-note-heading", Content("Note") if note else None)
        self._set("detail-user-note", Content(facts.note.rstrip()) if facts and note else None)

    def _set(self, widget_id: str, content: Content | None) -> None:
        widget = self.query_one(f"#{widget_id}", Static)
        widget.display = content is not None
        if content is not None:
            widget.update(content)

    def _render_paper(self) -> None:
        paper = self.paper
        self.query_one("#detail-empty").display = paper is None
        if paper is None:
            for widget_id in (
                "detail-title",
                "detail-authors",
                "detail-organization",
                "detail-meta",
                "detail-history",
                "detail-links",
                "detail-library",
                "detail-user-note-heading",
                "detail-user-note",
                "detail-ai-heading",
                "detail-ai-summary",
                "detail-keywords",
                "detail-abstract-heading",
                "detail-abstract",
            ):
                self._set(widget_id, None)
            self._set("detail-note", Content(self.note) if self.note else None)
            return

        title = display_title(paper, latex=self.render_latex)
        if paper.withdrawn:
            title = f"{title}  (withdrawn)"
        self._set("detail-title", Content(title))
        authors = ", ".join(paper.author_names)
        self._set("detail-authors", Content(authors) if authors else None)
        self._set(
            "detail-organization", Content(paper.organization) if paper.organization else None
        )

        counts = f"▲ {plural(paper.upvotes, 'upvote')} · {plural(paper.comments, 'comment')}"
        meta_lines = [Content(counts)]
        dates = []
        if paper.published:
            dates.append(_field("arXiv", paper.published.strftime(self.date_format)))
        if paper.daily_date:
            dates.append(_field("Daily", paper.daily_date.strftime(self.date_format)))
        if dates:
            meta_lines.append(Content(" · ").join(dates))
        meta_lines.append(_field("arXiv id", paper.id))
        if paper.submitted_by:
            meta_lines.append(_field("Submitted by", paper.submitted_by))
        if paper.linked is not None:
            meta_lines.append(_field("Linked", describe_linked(paper.linked)))
        self._set("detail-meta", Content("\n").join(meta_lines))

        self._render_links()
        self._render_library()

        latex = self.render_latex
        ai_summary = readable(paper.ai_summary, latex=latex) if paper.ai_summary else None
        self._set("detail-ai-heading", Content("AI summary") if ai_summary else None)
        self._set("detail-ai-summary", Content(ai_summary) if ai_summary else None)
        keywords = " · ".join(paper.keywords)
        self._set("detail-keywords", Content(keywords) if keywords else None)
        abstract = readable(paper.summary, latex=latex) if paper.summary else None
        self._set("detail-abstract-heading", Content("Abstract") if abstract else None)
        self._set("detail-abstract", Content(abstract) if abstract else None)
        self._set("detail-note", Content(self.note) if self.note else None)

    def on_resize(self) -> None:
        self._render_links()

    def _render_links(self) -> None:
        # Laid out for the pane's width, so a URL breaks after a `/`, never inside a word.
        paper = self.paper
        if paper is None:
            return
        width = self.scrollable_content_region.width or 10_000
        links = []
        github = describe_github(paper)
        if github:
            links.append(link_field("Code", github, width))
        if paper.project_page:
            links.append(link_field("Project", paper.project_page, width))
        self._set("detail-links", Content("\n").join(links) if links else None)

    def action_switch_pane(self) -> None:
        self.post_message(self.PaneSwitchRequested(self))
