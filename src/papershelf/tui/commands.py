"""Command-palette providers: the library's lists (starred, each tag) and saved filters."""

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
        for hit in discovery_hits(self.entries):
            yield hit

    async def search(self, query: str) -> Hits:
        for hit in fuzzy_hits(self.matcher(query), self.entries):
            yield hit


# --- the reader's own commands: actions, days, weeks, months, themes ----------------------------


@dataclass(frozen=True, slots=True)
class ReaderCommand:
    """An action offered in the palette; shown only when the app or main screen has it."""

    title: str
    help: str
    action: str
    """An action string as bindings write it, e.g. `step_day(-1)` or `copy('bibtex')`."""
    on_screen: bool = False
    """True: a main-screen action; False: an app action."""

    @property
    def action_name(self) -> str:
        """The method suffix: `step_day` for `step_day(-1)`."""
        return self.action.split("(", 1)[0]


def _screen(title: str, help: str, action: str) -> ReaderCommand:
    return ReaderCommand(title, help, action, on_screen=True)


def _copy_commands() -> list[ReaderCommand]:
    from papershelf.core.cite import FORMATS

    commands = [
        ReaderCommand(
            "Copy Hugging Face URL", "The paper's page on Hugging Face", "copy('hf_url')"
        ),
        ReaderCommand("Copy arXiv URL", "The paper's arXiv abstract page", "copy('arxiv_url')"),
        ReaderCommand("Copy PDF URL", "The paper's PDF on arXiv", "copy('pdf_url')"),
        ReaderCommand(
            "Copy arXiv BibTeX", "BibTeX as arXiv serves it (local offline)", "copy('arxiv_bibtex')"
        ),
    ]
    commands.extend(
        ReaderCommand(
            f"Copy {label}", f"The highlighted or selected papers as {label}", f"copy('{fmt}')"
        )
        for fmt, (label, _extension) in FORMATS.items()
    )
    return commands


READER_COMMANDS: tuple[ReaderCommand, ...] = (
    _screen("Daily view", "The newest day, or the day you were on", "daily_view"),
    _screen("Week view", "Every paper of the week, most upvoted first", "week_view"),
    _screen("Month view", "Every paper of the month, most upvoted first", "month_view"),
    _screen("Trending papers", "What Hugging Face shows as trending", "trending"),
    _screen("Search Hugging Face papers…", "Full-text search on Hugging Face", "search"),
    _screen("Previous day", "The day before (skips weekends)", "step_day(-1)"),
    _screen("Next day", "The day after (skips weekends)", "step_day(1)"),
    _screen("Previous week", "A week back", "step_week(-1)"),
    _screen("Next week", "A week on", "step_week(1)"),
    _screen("Refresh the list", "Ask Hugging Face again, bypassing the cache", "refresh"),
    _screen("Filter the list", "Type words, author:, tag:, is:starred …", "focus_filter"),
    _screen("Open on Hugging Face", "The paper's page in the browser", "open('hf')"),
    _screen("Open the PDF", "The paper's PDF in the browser", "open('pdf')"),
    _screen("Open on arXiv", "The paper's arXiv page in the browser", "open('arxiv')"),
    _screen("Zoom the detail pane", "Detail full-screen, and back", "zoom"),
    _screen("Next new paper", "The next paper first seen in this session", "keepup('next_new')"),
    _screen("Related papers", "The papers most like this one", "keepup('related')"),
    _screen("Papers by an author…", "Every known paper by one of its authors", "keepup('author')"),
    _screen("Quick triage", "One paper at a time: star, skip, later, undo", "keepup('triage')"),
    _screen("Open a watch's new matches…", "Papers new since you last looked", "keepup('watches')"),
    _screen("Help: keys and binding ids", "Every key, its id for [keys], its action", "help"),
    *_copy_commands(),
    ReaderCommand("Copy…", "Choose a link or citation format", "copy_menu"),
    ReaderCommand("Show copied texts", "The register of recent copies", "show_register"),
    ReaderCommand(
        "Open the code repository", "The paper's GitHub repository", "open_extra('code')"
    ),
    ReaderCommand("Open the project page", "The paper's project page", "open_extra('project')"),
    ReaderCommand("Export papers to a file…", "BibTeX, RIS, Markdown or JSON", "export"),
    ReaderCommand("Star or unstar", "Keep the paper in your starred list", "star"),
    ReaderCommand("Tag…", "Add or remove tags", "tag"),
    ReaderCommand("Note…", "Write a note on the paper", "note"),
    ReaderCommand("Mark read or unread", "Toggle the paper's read mark", "toggle_read"),
    ReaderCommand("Mark all read", "Every paper in the list", "mark_all_read"),
    ReaderCommand("Save the filter…", "Keep the filter under a name", "save_filter"),
    ReaderCommand("Clear the selection", "Unmark every selected paper", "clear_selection"),
)
"""Everything the palette offers besides days, themes and the library's lists."""

_WEEK_TEXT = re.compile(r"^\d{4}-?[wW]\d{1,2}$")
_MONTH_TEXT = re.compile(r"^\d{4}-\d{1,2}$")


def available_commands(app: Any) -> list[ReaderCommand]:
    """The commands whose action exists on `app` or its main screen."""
    from papershelf.tui.screens.main import MainScreen

    return [
        command
        for command in READER_COMMANDS
        if hasattr(MainScreen if command.on_screen else type(app), f"action_{command.action_name}")
    ]


def key_hints(app: Any) -> dict[str, str]:
    """Action string -> the keys that run it now (after `[keys]` remapping), for help text."""
    from papershelf.tui.preferences import all_bindings, effective_keys
    from papershelf.tui.screens.help import key_label

    keys = effective_keys(all_bindings(type(app)), dict(getattr(app, "keymap", {}) or {}))
    return {action: key_label(key) for action, key in keys.items()}


def go_to_entries(app: Any, query: str) -> list[PaletteEntry]:
    """Days, weeks and months `query` names (`2026-08-14`, `last monday`, `2026-W33`, `2026-08`)."""
    from papershelf.core import dates
    from papershelf.core.date_phrases import parse_date_phrase
    from papershelf.core.errors import InvalidInput
    from papershelf.core.listing import ListKey, ListKind

    today = app.today()
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
    screen = app.get_default_screen_instance()
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
        hints = key_hints(app)
        self.entries = [
            PaletteEntry(
                command.title,
                _with_key(command.help, hints.get(command.action)),
                partial(_run, app, command),
            )
            for command in available_commands(app)
        ]

    async def discover(self) -> Hits:
        for hit in discovery_hits(self.entries):
            yield hit

    async def search(self, query: str) -> Hits:
        app: Any = self.app
        for entry in go_to_entries(app, query):
            yield Hit(
                1.0, Content(entry.label), entry.run, text=entry.label, help=Content(entry.help)
            )  # type: ignore[arg-type]
        for hit in fuzzy_hits(self.matcher(query), [*self.entries, *theme_entries(app)]):
            yield hit


def _with_key(help: str, keys: str | None) -> str:
    return f"{help} · key {keys}" if keys else help


async def _run(app: Any, command: ReaderCommand) -> None:
    target = app.get_default_screen_instance() if command.on_screen else app
    if target is not None:
        await app.run_action(command.action, target)
