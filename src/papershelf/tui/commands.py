"""Command-palette providers: the reader's commands (from the key registry), days and themes,
and the library's lists (starred, each tag) and saved filters."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from papershelf.core.errors import PapershelfError
from papershelf.core.keymap import APP, KEYS, PALETTE_ONLY, PANES, key_label
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


def discovery_hits(entries: Iterable[PaletteEntry]) -> Iterator[DiscoveryHit]:
    """What the palette lists before anything is typed: every entry, in order."""
    for entry in entries:
        yield DiscoveryHit(
            Content(entry.label), entry.run, text=entry.label, help=Content(entry.help)
        )  # type: ignore[arg-type]


def fuzzy_hits(matcher: Matcher, entries: Iterable[PaletteEntry]) -> Iterator[Hit]:
    """A hit for every entry whose label matches what was typed, the matched letters styled."""
    for entry in entries:
        score = matcher.match(entry.label)
        if score > 0:
            yield Hit(
                score,
                highlighted(matcher, entry.label),
                entry.run,
                text=entry.label,
                help=Content(entry.help),  # type: ignore[arg-type]
            )


def library_entries(screen: Any) -> list[PaletteEntry]:
    """The starred list, a view per tag and every saved filter. Blocks (SQLite)."""
    library = screen.services.library.library
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
            screen.action_starred_view,
        )
    ]
    for tag, count in tags:
        entries.append(
            PaletteEntry(
                f"Tag: {clean_line(tag)} ({count})",
                "Show the papers with this tag (works offline)",
                partial(screen.action_tag_view, tag),
            )
        )
    for name, query in filters:
        entries.append(
            PaletteEntry(
                f"Filter: {clean_line(name)} — {clean_line(query)}",
                "Apply this saved filter to the list",
                partial(screen.apply_saved_filter, query),
            )
        )
        entries.append(
            PaletteEntry(
                f"Rename filter: {clean_line(name)}…",
                "Give this saved filter another name",
                partial(screen.rename_saved_filter, name, query),
            )
        )
        entries.append(
            PaletteEntry(
                f"Delete filter: {clean_line(name)}",
                "Forget this saved filter (the list is not changed)",
                partial(screen.delete_saved_filter, name),
            )
        )
    return entries


class LibraryCommands(Provider):
    """Starred papers, tag views and saved filters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries: list[PaletteEntry] = []

    async def startup(self) -> None:
        screen = main_screen(self.app)
        self.entries = [] if screen is None else await asyncio.to_thread(library_entries, screen)

    async def discover(self) -> Hits:
        for hit in discovery_hits(self.entries):
            yield hit

    async def search(self, query: str) -> Hits:
        for hit in fuzzy_hits(self.matcher(query), self.entries):
            yield hit


# --- the reader's own commands: actions, days, weeks, months, themes ----------------------------


@dataclass(frozen=True, slots=True)
class ReaderCommand:
    """An action offered in the palette, run on the owner of its scope."""

    title: str
    help: str
    action: str
    """An action string as bindings write it, e.g. `step_day(-1)` or `copy('bibtex')`."""
    scope: str
    """Who runs it: `keymap.APP`, `keymap.SCREEN` or `keymap.PANES`."""

    @property
    def action_name(self) -> str:
        """The method suffix: `step_day` for `step_day(-1)`."""
        return self.action.split("(", 1)[0]


def reader_commands() -> tuple[ReaderCommand, ...]:
    """Every palette command: the registry's, the keyless ones, and a copy per citation format."""
    from papershelf.core.cite import FORMATS

    commands = [
        ReaderCommand(spec.palette, spec.palette_help, spec.action, spec.scope)
        for spec in KEYS
        if spec.palette
    ]
    commands.extend(
        ReaderCommand(title, help, action, scope) for title, help, action, scope in PALETTE_ONLY
    )
    listed = {command.action for command in commands}
    commands.extend(
        ReaderCommand(
            f"Copy {label}",
            f"The highlighted or selected papers as {label}",
            f"copy('{fmt}')",
            PANES,
        )
        for fmt, label in ((f.id, f.label) for f in FORMATS.values())
        if f"copy('{fmt}')" not in listed
    )
    return tuple(commands)


_WEEK_TEXT = re.compile(r"^\d{4}-?[wW]\d{1,2}$")
_MONTH_TEXT = re.compile(r"^\d{4}-\d{1,2}$")


def main_screen(app: Any) -> Any:
    """The main screen (the bottom of the stack), or None before it exists."""
    return app.get_default_screen_instance()


def command_target(app: Any, scope: str) -> Any:
    """The node that runs actions of `scope`: the app, the main screen or its panes."""
    if scope == APP:
        return app
    screen = main_screen(app)
    if screen is None:
        return None
    return screen.panes if scope == PANES else screen


def key_hints(keymap: dict[str, str]) -> dict[str, str]:
    """Action string -> the keys that run it now (after `[keys]` remapping), for help text."""
    hints: dict[str, str] = {}
    for spec in KEYS:
        hints.setdefault(spec.action, key_label(keymap.get(spec.id, spec.keys)))
    return hints


def go_to_entries(clock: Any, query: str, app: Any = None) -> list[PaletteEntry]:
    """Days, weeks and months `query` names (`2026-08-14`, `last monday`, `2026-W33`, `2026-08`).

    `clock.today()` says which day it is (the app's services); choosing an entry acts on `app`.
    """
    from papershelf.core import dates
    from papershelf.core.date_phrases import parse_date_phrase
    from papershelf.core.errors import InvalidInput
    from papershelf.core.lists import ListKey, ListKind

    today = clock.today()
    text = query.strip()
    key: ListKey | None = None
    problem: str | None = None
    try:
        if _WEEK_TEXT.match(text):
            key = ListKey(ListKind.WEEK, dates.week_label(*dates.parse_week(text, today)))
        elif _MONTH_TEXT.match(text):
            year, month = dates.parse_month(text, today)
            key = ListKey(ListKind.MONTH, f"{year:04d}-{month:02d}")
        elif (day := parse_date_phrase(text, today)) is not None:
            key = ListKey(ListKind.DAILY, day.isoformat())
            dates.check_day_in_range(day, today)
    except InvalidInput as error:
        problem = error.message
    if key is None and problem is None:
        return []
    label = f"Go to {key.label}" if key is not None else f"Go to {text}"
    if problem is not None:
        return [PaletteEntry(label, problem, partial(_say, app, problem))]
    help = "Weekends have no list" if key.kind is ListKind.DAILY and _is_weekend(key.value) else ""
    return [PaletteEntry(label, help or "Load this list", partial(_load, app, key))]


def _is_weekend(iso_day: str) -> bool:
    import datetime as dt

    return dt.date.fromisoformat(iso_day).weekday() >= 5


def _say(app: Any, message: str) -> None:
    app.notify(message, title="No such list", severity="warning", markup=False)


def _load(app: Any, key: Any) -> None:
    screen = main_screen(app)
    if screen is not None:
        screen.load(key)


def theme_entries(app: Any) -> list[PaletteEntry]:
    """One entry per theme; choosing one switches to it (and the choice is saved)."""
    from papershelf.tui.themes import theme_names

    return [
        PaletteEntry(
            f"Theme: {name}",
            "Switch the colours (remembered)",
            partial(setattr, app, "theme", name),
        )
        for name in theme_names(app)
    ]


class ReaderCommands(Provider):
    """Every reader action, going to a day/week/month by name, and switching themes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries: list[PaletteEntry] = []

    async def startup(self) -> None:
        app: Any = self.app
        hints = key_hints(dict(app.keymap))
        self.entries = [
            PaletteEntry(
                command.title,
                _with_key(command.help, hints.get(command.action)),
                partial(_run, app, command),
            )
            for command in reader_commands()
        ]

    async def discover(self) -> Hits:
        for hit in discovery_hits(self.entries):
            yield hit

    async def search(self, query: str) -> Hits:
        app: Any = self.app
        for entry in go_to_entries(app.services, query, app):
            yield Hit(
                1.0, Content(entry.label), entry.run, text=entry.label, help=Content(entry.help)
            )  # type: ignore[arg-type]
        for hit in fuzzy_hits(self.matcher(query), [*self.entries, *theme_entries(app)]):
            yield hit


def _with_key(help: str, keys: str | None) -> str:
    return f"{help} · key {keys}" if keys else help


async def _run(app: Any, command: ReaderCommand) -> None:
    target = command_target(app, command.scope)
    if target is not None:
        await app.run_action(command.action, target)
