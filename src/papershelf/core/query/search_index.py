"""Per-field folded search text for a list of papers, and where folded terms occur in text.

The compiled query nodes (`papershelf.core.query.nodes`) read the index's columns directly:
filtering 100k papers per keystroke leaves no room for accessor calls per row.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence

from papershelf.core.model import Paper
from papershelf.core.text import fold

# Separators that folded query text can never contain (control characters are stripped from
# queries), so a phrase never matches across two authors, two keywords or two fields.
_ITEM_SEP = "\x1e"
_FIELD_SEP = "\x1f"


class SearchIndex:
    """Folded per-field search text for a set of papers, keyed by paper id.

    Build it once per paper list (off the UI thread for big lists) and reuse it for every
    keystroke; `update` adds new papers and refreshes changed ones. Not thread-safe: update it
    on the thread that filters with it, or build a new one.
    """

    __slots__ = (
        "_abstract_at",
        "_all",
        "_authors",
        "_ids",
        "_keywords",
        "_org",
        "_papers",
        "_row_of",
        "_source",
        "_title",
    )

    def __init__(self, papers: Iterable[Paper] = ()) -> None:
        self._row_of: dict[str, int] = {}
        self._papers: list[Paper] = []
        self._ids: list[str] = []
        self._title: list[str] = []
        self._authors: list[str] = []
        self._org: list[str] = []
        self._keywords: list[str] = []
        self._all: list[str] = []
        self._abstract_at: list[int] = []
        self._source: list[Paper] | None = None
        papers = papers if isinstance(papers, list) else list(papers)
        self.update(papers)
        # Filtering this very list (the common case) can skip the id -> row lookups.
        self._source = papers if len(self._papers) == len(papers) else None

    def __len__(self) -> int:
        return len(self._papers)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._row_of

    def update(self, papers: Iterable[Paper]) -> None:
        """Index papers not seen before and re-index those whose object changed."""
        self._source = None
        row_of, stored = self._row_of, self._papers
        # Building allocates a few containers per paper; the cyclic collector would otherwise
        # run hundreds of times over a 100k build for nothing (strings hold no cycles).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for paper in papers:
                row = row_of.get(paper.id)
                if row is None:
                    row_of[paper.id] = len(stored)
                    stored.append(paper)
                    self._ids.append(paper.id)
                    self._append_text(paper)
                elif stored[row] is not paper:
                    stored[row] = paper
                    self._set_text(row, paper)
        finally:
            if collecting:
                gc.enable()

    def _append_text(self, paper: Paper) -> None:
        title = fold(paper.title)
        authors = fold(_ITEM_SEP.join([author.name for author in paper.authors]))
        org = fold(paper.organization or "")
        keywords = fold(_ITEM_SEP.join(paper.keywords))
        head = f"{title}{_FIELD_SEP}{authors}{_FIELD_SEP}{org}{_FIELD_SEP}{keywords}{_FIELD_SEP}"
        self._title.append(title)
        self._authors.append(authors)
        self._org.append(org)
        self._keywords.append(keywords)
        self._all.append(head + fold(paper.summary))
        self._abstract_at.append(len(head))

    def _set_text(self, row: int, paper: Paper) -> None:
        scratch = SearchIndex()
        scratch._append_text(paper)
        self._title[row] = scratch._title[0]
        self._authors[row] = scratch._authors[0]
        self._org[row] = scratch._org[0]
        self._keywords[row] = scratch._keywords[0]
        self._all[row] = scratch._all[0]
        self._abstract_at[row] = scratch._abstract_at[0]

    def _rows(self, papers: Sequence[Paper]) -> list[int]:
        """Row numbers of `papers` in their order, indexing any the index has not seen."""
        if papers is self._source and len(papers) == len(self._papers):
            return list(range(len(papers)))
        row_of = self._row_of
        try:
            rows = [row_of[paper.id] for paper in papers]
        except KeyError:
            self.update(papers)
            rows = [row_of[paper.id] for paper in papers]
        stored = self._papers
        if any(stored[row] is not paper for row, paper in zip(rows, papers, strict=True)):
            self.update(papers)
        return rows


def highlight_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where `terms` (folded, as in `Query.highlight_terms`) occur in `text`: merged spans.

    Offsets are in the original `text`, even where folding changes its length (`ß` -> `ss`).
    """
    if not terms or not text:
        return []
    if text.isascii():
        folded, origin = text.lower(), None
    else:
        pieces: list[str] = []
        origin_list: list[int] = []
        for offset, char in enumerate(text):
            piece = fold(char)
            pieces.append(piece)
            origin_list.extend([offset] * len(piece))
        folded, origin = "".join(pieces), origin_list
    spans: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        at = folded.find(term)
        while at >= 0:
            end = at + len(term)
            if origin is None:
                spans.append((at, end))
            else:
                spans.append((origin[at], origin[end - 1] + 1))
            at = folded.find(term, at + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
