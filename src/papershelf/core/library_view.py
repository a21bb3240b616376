"""The library state a filter looks at (`is:`, `has:note`, `tag:`), as an immutable snapshot."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

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
