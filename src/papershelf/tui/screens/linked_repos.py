"""The models, datasets and Spaces a paper spawned: sortable, each openable on Hugging Face,
with "and N more on Hugging Face" when the API's preview is shorter than the total."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable

from papershelf.core.keymap import LINKED
from papershelf.core.linked_repos import LinkedRepo, LinkedRepos, RepoKind, parse_linked
from papershelf.data.papers.texts import PaperExtras
from papershelf.tui.bindings import bindings_for
from papershelf.tui.screens.paper_extras import PaperExtrasScreen

SORTS = ("downloads", "likes", "name")
"""What `s` cycles through."""


def sort_repos(repos: list[LinkedRepo], by: str) -> list[LinkedRepo]:
    """Kinds stay grouped (models, datasets, Spaces); within a kind, biggest first or by name."""
    order = {kind: position for position, kind in enumerate(RepoKind)}
    if by == "name":
        return sorted(repos, key=lambda r: (order[r.kind], r.id.lower()))
    return sorted(repos, key=lambda r: (order[r.kind], -(getattr(r, by) or 0), r.id.lower()))


def more_line(linked: LinkedRepos) -> str | None:
    """`and 109 more models, 5 more datasets on Hugging Face (m)`, or None."""
    parts = [
        f"{linked.more(kind):,} more {kind.plural if linked.more(kind) != 1 else kind.value}"
        for kind in RepoKind
        if linked.more(kind) > 0
    ]
    if not parts:
        return None
    return "and " + ", ".join(parts) + " on Hugging Face (m opens the paper's page)"


class LinkedReposScreen(PaperExtrasScreen):
    """Linked models, datasets and Spaces of one paper."""

    heading = "Linked models, datasets and Spaces"

    BINDINGS = bindings_for(LINKED)

    DEFAULT_CSS = """
    LinkedReposScreen > DataTable { height: 1fr; background: $surface; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.linked: LinkedRepos | None = None
        self.sort_by = SORTS[0]
        self.rows: list[LinkedRepo] = []

    def compose_content(self) -> ComposeResult:
        table: DataTable = DataTable(cursor_type="row", zebra_stripes=True, id="linked-table")
        table.add_column("Kind", width=8, key="kind")
        table.add_column("Name", width=44, key="name")
        table.add_column("About", width=40, key="about")
        table.add_column("Downloads", width=10, key="downloads")
        table.add_column("Likes", width=7, key="likes")
        yield table

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).focus()

    def show_extras(self, extras: PaperExtras) -> None:
        self.linked = parse_linked(extras.payload)
        self._fill()

    def _fill(self) -> None:
        linked = self.linked
        if linked is None:
            return
        table = self.query_one(DataTable)
        table.clear()
        self.rows = sort_repos(linked.models + linked.datasets + linked.spaces, self.sort_by)
        for repo in self.rows:
            about = repo.pipeline_tag or ""
            if repo.kind is RepoKind.SPACE:
                about = " ".join(part for part in (repo.emoji, repo.description) if part)
            table.add_row(
                Text(repo.kind.value),
                Text(repo.id),
                Text(about),
                Text(f"{repo.downloads:,}" if repo.downloads is not None else "", justify="right"),
                Text(f"{repo.likes:,}" if repo.likes is not None else "", justify="right"),
            )
        status = [linked.summary() if linked.known else "No linked repositories known."]
        more = more_line(linked)
        if more:
            status.append(more)
        if not self.rows and linked.known:
            status[0] = "No models, datasets or Spaces link to this paper yet."
        status.append(f"sorted by {self.sort_by} (s)")
        self.set_status(" · ".join(status))

    def action_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self._fill()

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.rows):
            self.open_link(self.rows[event.cursor_row].url)

    def action_open_page(self) -> None:
        self.open_link(self.paper.hf_url)
