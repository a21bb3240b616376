"""Command-palette providers: the library's lists (starred, each tag) and saved filters."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from papershelf.core.errors import PapershelfError
from papershelf.core.text import clean_line


@dataclass(frozen=True, slots=True)
class PaletteEntry:
    """One command: what the palette shows, what it searches, what it does."""

    label: str
    """Shown as literal text (user data may contain brackets)."""
    help: str
    """Fixed wording only: the palette parses help as markup."""
    run: Callable[[], Any]


def highlighted(matcher: Matcher, text: str) -> Content:
    """`text` as literal content with the fuzzy match styled (never parsed as markup)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def library_entries(app: Any) -> list[PaletteEntry]:
    """The starred list, a view per tag and every saved filter. Blocks (SQLite)."""
    library = getattr(app, "library", None)
    if library is None or not library.available:
        return []
    try:
        tags = library.all_tags()
        filters = library.saved_filters()
    except PapershelfError:
        return []
    entries = [
        PaletteEntry(
            "Starred papers",
            "Every starred paper, most recently starred first (works offline)",
            app.action_starred_view,
        )
    ]
    for tag, count in tags:
        entries.append(
            PaletteEntry(
                f"Tag: {clean_line(tag)} ({count})",
                "Show the papers with this tag (works offline)",
                partial(app.action_tag_view, tag),
            )
        )
    for name, query in filters:
        entries.append(
            PaletteEntry(
                f"Filter: {clean_line(name)} — {clean_line(query)}",
                "Apply this saved filter to the list",
                partial(app.apply_saved_filter, query),
            )
        )
    return entries


class LibraryCommands(Provider):
    """Starred papers, tag views and saved filters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries: list[PaletteEntry] = []

    async def startup(self) -> None:
        self.entries = await asyncio.to_thread(library_entries, self.app)

    async def discover(self) -> Hits:
        for entry in self.entries:
            yield DiscoveryHit(Content(entry.label), entry.run, text=entry.label, help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self.entries:
            score = matcher.match(entry.label)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, entry.label),
                    entry.run,
                    text=entry.label,
                    help=entry.help,
                )
