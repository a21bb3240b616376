"""The library's editing dialogs, as an App mixin: tags, notes and saved filters."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from textual.screen import ModalScreen

from papershelf.core.model import Paper
from papershelf.core.query import LibraryView
from papershelf.core.text import fold
from papershelf.tui.display import plural
from papershelf.tui.targets import PaperTargets

if TYPE_CHECKING:
    from papershelf.data.library import Library


def with_note(view: LibraryView, paper_id: str, text: str) -> LibraryView:
    """`view` knowing whether `paper_id` has a note."""
    notes = view.notes | {paper_id} if text.strip() else view.notes - {paper_id}
    return dataclasses.replace(view, notes=frozenset(notes))


def with_tags(
    view: LibraryView, ids: Iterable[str], added: Iterable[str], removed: Iterable[str]
) -> LibraryView:
    """`view` with tags `added` to and `removed` from every paper in `ids`."""
    added, removed_keys = list(added), {fold(tag) for tag in removed}
    tags = {paper_id: list(names) for paper_id, names in view.tags.items()}
    for paper_id in ids:
        names = [name for name in tags.get(paper_id, []) if fold(name) not in removed_keys]
        known = {fold(name) for name in names}
        names += [tag for tag in added if fold(tag) not in known]
        tags[paper_id] = sorted(names, key=fold)
    return LibraryView.create(view.starred, view.read, view.notes, tags)


def common_tags(view: LibraryView, ids: Sequence[str]) -> list[str]:
    """The tags every paper in `ids` carries, in the first paper's order."""
    if not ids:
        return []
    first = list(view.tags.get(ids[0], ()))
    shared = {fold(tag) for tag in first}
    for paper_id in ids[1:]:
        shared &= {fold(tag) for tag in view.tags.get(paper_id, ())}
    return [tag for tag in first if fold(tag) in shared]


def known_tags(view: LibraryView) -> list[str]:
    """Every tag in the library, most used first, for completion."""
    spelled: dict[str, str] = {}
    for names in view.tags.values():
        for name in names:
            spelled.setdefault(fold(name), name)
    return sorted(
        spelled.values(), key=lambda tag: (-len(view.by_tag.get(fold(tag), ())), fold(tag))
    )


def tag_changes(before: Iterable[str], after: Iterable[str]) -> tuple[list[str], list[str]]:
    """(added, removed) between two tag sets, comparing case- and accent-insensitively."""
    before, after = list(before), list(after)
    before_keys, after_keys = {fold(t) for t in before}, {fold(t) for t in after}
    added = [tag for tag in after if fold(tag) not in before_keys]
    removed = [tag for tag in before if fold(tag) not in after_keys]
    return added, removed


class LibraryEditing(PaperTargets):
    """Mixin for the reader app: the `t`, `n` and ctrl+s dialogs and applying a saved filter.

    The library plumbing (`library`, `library_snapshot`, `_targets`, `_can_write`, `_write`,
    `_update_snapshot`, `_in_library_thread`, `_tell`) comes from `LibraryActions`.
    """

    def action_tag(self) -> None:
        """Edit the tags of the highlighted paper, or the tags all selected papers share."""
        from papershelf.tui.screens.tag_editor import TagEditor

        papers = self._targets()
        if not papers or not self._can_write():
            return
        ids = [paper.id for paper in papers]
        view = self.library_snapshot
        before = common_tags(view, ids)
        subject = self.title_of(papers[0]) if len(papers) == 1 else f"{len(papers)} selected papers"

        def edited(after: frozenset[str] | None) -> None:
            if after is None:
                return
            added, removed = tag_changes(before, sorted(after, key=fold))
            if not added and not removed:
                return
            self._update_snapshot(with_tags(self.library_snapshot, ids, added, removed), ids)
            done = None
            if len(papers) > 1:
                done = f"Tags changed on {plural(len(papers), 'paper')}."

            def change(library: Library) -> None:
                if added:
                    library.add_tags(papers, added)
                if removed:
                    library.remove_tags(ids, removed)

            self._write(change, done)

        self.push_screen(  # type: ignore[attr-defined]
            TagEditor(before, known_tags=known_tags(view), subject=subject), edited
        )

    def action_note(self) -> None:
        """Edit the highlighted paper's note."""
        paper = self.highlighted_paper()
        if paper is None:
            self._tell("No paper is highlighted.")
            return
        if not self._can_write():
            return
        self.run_worker(  # type: ignore[attr-defined]
            self._edit_note(paper), group="note", exclusive=True, exit_on_error=False
        )

    async def _edit_note(self, paper: Paper) -> None:
        from papershelf.tui.screens.note_editor import NoteEditor

        assert self.library is not None
        text = await self._in_library_thread(self.library.note, paper.id)

        def edited(new_text: str | None) -> None:
            if new_text is None or new_text == text:
                return
            self._note_texts[paper.id] = new_text
            self._update_snapshot(with_note(self.library_snapshot, paper.id, new_text), [])
            done = "Note saved." if new_text else "Note removed."
            self._write(lambda library: library.set_note(paper, new_text), done)

        self.push_screen(NoteEditor(text, subject=self.title_of(paper)), edited)  # type: ignore[attr-defined]

    def action_save_filter(self) -> None:
        """Save the filter bar's query under a name (listed in the command palette)."""
        from papershelf.tui.screens.save_filter import SaveFilter

        text = self.state.filter_text.strip()  # type: ignore[attr-defined]
        if not text:
            self._tell("Type a filter first (/), then save it with ctrl+s.")
            return
        if not self._can_write():
            return
        self.run_worker(  # type: ignore[attr-defined]
            self._save_filter(text, SaveFilter), group="note", exclusive=True, exit_on_error=False
        )

    async def _save_filter(self, text: str, dialog: Callable[..., ModalScreen[str | None]]) -> None:
        assert self.library is not None
        saved = await self._in_library_thread(self.library.saved_filters)
        existing = [name for name, _query in saved]

        def named(name: str | None) -> None:
            if name:
                self._write(
                    lambda library: library.save_filter(name, text), f"Saved filter “{name}”."
                )

        self.push_screen(dialog(text, existing_names=existing), named)  # type: ignore[attr-defined]

    def delete_saved_filter(self, name: str) -> None:
        """Forget a saved filter (palette: "Delete filter: …")."""
        if self._can_write():
            self._write(lambda library: library.delete_filter(name), f"Deleted filter “{name}”.")

    def rename_saved_filter(self, name: str, query: str) -> None:
        """Ask a new name for a saved filter (palette: "Rename filter: …")."""
        from papershelf.tui.screens.save_filter import SaveFilter

        if not self._can_write():
            return

        def named(new_name: str | None) -> None:
            if new_name and new_name != name:
                self._write(
                    lambda library: library.rename_filter(name, new_name),
                    f"Renamed filter “{name}” to “{new_name}”.",
                )

        self.push_screen(SaveFilter(query, initial_name=name), named)  # type: ignore[attr-defined]

    def apply_saved_filter(self, query: str) -> None:
        """Put a saved query in the filter bar (it applies as if typed)."""
        screen = self.get_default_screen_instance()  # type: ignore[attr-defined]
        if screen is not None:
            screen.filter_bar.set_text(query)
            screen.paper_list.focus()
