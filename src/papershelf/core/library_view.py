"""The library state a filter looks at (`is:`, `has:note`, `tag:`), as an immutable snapshot."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from papershelf.core.text import fold


@dataclass(frozen=True, slots=True)
class LibraryView:
    """A snapshot of the library state that `is:`, `has:note` and `tag:` look at.

    Build with `LibraryView.create(...)`; `Library.view()` returns one, cached per revision.
    """

    starred: frozenset[str] = frozenset()
    """Ids of starred papers."""
    read: frozenset[str] = frozenset()
    """Ids of papers marked read."""
    notes: frozenset[str] = frozenset()
    """Ids of papers with a non-empty note."""
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Paper id -> its tag names (display case), for showing tags in rows."""
    by_tag: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Folded tag name -> ids of papers carrying it, for `tag:`."""
    new: frozenset[str] = frozenset()
    """Ids of papers first seen in this session, for `is:new`."""
    rising: Mapping[str, int] = field(default_factory=dict)
    """Paper id -> upvotes gained since the last look, for `rising:` and `sort:rising`."""

    @classmethod
    def create(
        cls,
        starred: Iterable[str] = (),
        read: Iterable[str] = (),
        notes: Iterable[str] = (),
        tags: Mapping[str, Iterable[str]] | None = None,
    ) -> LibraryView:
        """A view from plain collections; `tags` maps paper id -> tag names."""
        paper_tags = {paper_id: tuple(names) for paper_id, names in (tags or {}).items()}
        by_tag: dict[str, set[str]] = {}
        for paper_id, names in paper_tags.items():
            for name in names:
                by_tag.setdefault(fold(name), set()).add(paper_id)
        return cls(
            starred=frozenset(starred),
            read=frozenset(read),
            notes=frozenset(notes),
            tags={k: v for k, v in paper_tags.items() if v},
            by_tag={k: frozenset(v) for k, v in by_tag.items()},
        )


EMPTY_VIEW = LibraryView()
"""No stars, tags, notes or read papers."""


# --- pure edits: the optimistic view the reader shows while a change is being saved ----------


def with_starred(view: LibraryView, ids: Iterable[str], starred: bool) -> LibraryView:
    """`view` with `ids` starred (or not)."""
    ids = set(ids)
    new = view.starred | ids if starred else view.starred - ids
    return replace(view, starred=frozenset(new))


def with_read(view: LibraryView, ids: Iterable[str], read: bool) -> LibraryView:
    """`view` with `ids` read (or unread)."""
    ids = set(ids)
    new = view.read | ids if read else view.read - ids
    return replace(view, read=frozenset(new))


def with_note(view: LibraryView, paper_id: str, text: str) -> LibraryView:
    """`view` knowing whether `paper_id` has a note."""
    notes = view.notes | {paper_id} if text.strip() else view.notes - {paper_id}
    return replace(view, notes=frozenset(notes))


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
