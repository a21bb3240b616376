"""Lists made from every paper papershelf has seen: related papers, an author's, a watch's news.

They come from the related-papers index (and, for watches, the library's first sightings), so
they work offline and are shown like any other list: filterable, starrable.
"""

from __future__ import annotations

from papershelf.core.errors import InvalidInput
from papershelf.core.lists import Feed, FeedState, ListKey, ListKind, Source
from papershelf.core.model import Paper
from papershelf.core.query import filter_papers
from papershelf.data.library import Library
from papershelf.data.library.history import seen_since
from papershelf.data.library.watches import Watch, find_watch, mark_looked
from papershelf.data.papers.related_index import RelatedIndex

RELATED_LIMIT = 50
"""How many related papers the list shows."""


def known_feed(library: Library, index: RelatedIndex, key: ListKey) -> Feed:
    """The list for a RELATED, AUTHOR or WATCH key. Blocks."""
    notes: list[str] = []
    if key.kind is ListKind.RELATED:
        papers = [r.paper for r in index.related(key.value, limit=RELATED_LIMIT)]
        if not papers:
            notes.append("No related papers known yet: they grow with every list you open.")
    elif key.kind is ListKind.AUTHOR:
        papers = index.by_author(key.value)
    elif key.kind is ListKind.WATCH:
        watch = find_watch(library, key.value)
        if watch is None:
            raise InvalidInput(f"No watch called {key.value!r}.")
        papers = watch_news(library, index, watch)
        if library.writable:
            mark_looked(library, watch.name)
    else:
        raise InvalidInput(f"The {key.label} list does not come from the known papers.")
    return Feed(key, papers, FeedState(Source.LIBRARY), notes=notes)


def watch_news(library: Library, index: RelatedIndex, watch: Watch) -> list[Paper]:
    """Papers first seen since the watch was last looked at that match it, newest first."""
    seen = seen_since(library, watch.looked_at)
    if not seen:
        return []
    papers = index.papers(sorted(seen, key=lambda i: seen[i], reverse=True))
    return filter_papers(watch.query, papers, library.view())


def watch_counts(library: Library, index: RelatedIndex) -> list[tuple[str, int]]:
    """Each watch's number of new matches, for the status line. Blocks."""
    from papershelf.data.library.watches import watches

    return [(w.name, len(watch_news(library, index, w))) for w in watches(library)]


def has_watches(library: Library) -> bool:
    """Whether any saved filter is a watch (cheap: no index is opened)."""
    from papershelf.data.library.watches import watches

    return bool(watches(library))
