"""Pilot tests of the reader's polish: remapped keys, settings problems, themes, the palette."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from textual.command import CommandInput, CommandList, CommandPalette, Matcher
from textual.filter import Monochrome, NoColor
from textual.widgets import Static

from papershelf.data import paths
from papershelf.data.config import load_settings
from papershelf.data.config.schema import Settings
from papershelf.data.library import Library
from papershelf.tui.app import PapershelfApp, make_app
from papershelf.tui.commands import go_to_entries, highlighted
from papershelf.tui.dialogs.help import HelpScreen
from papershelf.tui.themes import TERMINAL_THEME
from papershelf.tui.widgets.filter_bar import FilterBar
from papershelf.tui.widgets.status import StatusLine
from tests.tui.support import NOW, TODAY, drain, notices, reader
from tests.tui.support import until as _until

HOSTILE = "[/b] [Re] x [@click=app.quit]"


async def until(pilot, condition, what: str) -> None:
    """The palette searches on a timer, so poll in small steps of real time."""
    await _until(pilot, condition, what, attempts=300, delay=0.02)


def status(app: PapershelfApp) -> StatusLine:
    return app.get_default_screen_instance().query_one(StatusLine)


async def palette_pick(app: PapershelfApp, pilot, query: str, expected: str) -> None:
    """Open the palette, type `query`, wait for a hit reading `expected`, run it."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette), "palette open")
    app.screen.query_one(CommandInput).value = query
    command_list = app.screen.query_one(CommandList)

    def prompts() -> list[str]:
        return [
            str(command_list.get_option_at_index(i).prompt)
            for i in range(command_list.option_count)
        ]

    await until(pilot, lambda: any(expected in prompt for prompt in prompts()), f"hit {expected!r}")
    index = next(i for i, prompt in enumerate(prompts()) if expected in prompt)
    command_list.highlighted = index
    await pilot.press("enter")
    await until(pilot, lambda: not isinstance(app.screen, CommandPalette), "palette closed")


# --- keys -----------------------------------------------------------------------------------


async def test_remapped_key_works_and_the_old_one_no_longer_does(hub):
    """`[keys] week_view = "v"`: v opens the week, w does nothing any more."""
    app = reader(settings=Settings(keys={"week_view": "v"}))
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        assert status(app).label.startswith("Daily")
        await pilot.press("w")
        await drain(app, pilot)
        assert status(app).label.startswith("Daily")
        await pilot.press("v")
        await drain(app, pilot)
        assert status(app).label == "Week 2026-W34"


async def test_palette_key_has_an_id_and_can_be_remapped(hub):
    """`command_palette = "ctrl+k"`: ctrl+k opens the palette, ctrl+p no longer does."""
    app = reader(settings=Settings(keys={"command_palette": "ctrl+k"}))
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await drain(app, pilot)
        assert not [title for title, _ in notices(app) if title == "Settings problems"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "palette open")


async def test_help_lists_ids_with_the_remapped_keys(hub):
    """The help screen shows each binding id with the key that runs it now."""
    app = reader(settings=Settings(keys={"week_view": "v", "star": "x"}))
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "help open")
        text = "\n".join(str(static.content) for static in app.screen.query(Static))
        lines = text.splitlines()
        assert any(line.split()[:1] == ["v"] and "week_view" in line for line in lines)
        assert any(line.split()[:1] == ["x"] and line.endswith("star") for line in lines)
        assert "prev_day" in text and "star" in text


async def test_unknown_binding_id_is_reported_and_ignored(hub):
    """A `[keys]` id no binding has is named in the one settings notification."""
    app = reader(settings=Settings(keys={"no_such_binding": "z", "week_view": "v"}))
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await drain(app, pilot)
        problems = [message for title, message in notices(app) if title == "Settings problems"]
        assert len(problems) == 1 and "no_such_binding" in problems[0]
        assert app.keymap == {"week_view": "v"}


# --- settings problems ----------------------------------------------------------------------


async def test_invalid_config_is_reported_once_and_defaults_are_used(hub):
    """Bad values and unknown keys in config.toml: one notification, the reader starts anyway."""
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        'theme = 5\ncolour = "blue"\nread_after_seconds = "soon"\n[keys]\nbogus_id = "z"\n',
        encoding="utf-8",
    )
    settings, problems = load_settings()
    assert problems
    app = reader(settings=settings, config_problems=problems)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await drain(app, pilot)
        reported = [message for title, message in notices(app) if title == "Settings problems"]
        assert len(reported) == 1
        for word in ("theme", "colour", "read_after_seconds", "bogus_id"):
            assert word in reported[0]
        assert app.theme == "textual-dark"
        assert status(app).loaded > 0


async def test_unreadable_toml_still_starts_with_defaults(hub):
    """A file that is not TOML at all is one problem; every default applies."""
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("theme = [unclosed\n", encoding="utf-8")
    settings, problems = load_settings()
    app = reader(settings=settings, config_problems=problems)
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await drain(app, pilot)
        reported = [message for title, message in notices(app) if title == "Settings problems"]
        assert len(reported) == 1 and "not valid TOML" in reported[0]
        assert app.theme == "textual-dark"


async def test_unknown_theme_falls_back_and_says_so(hub):
    """`theme = "no-such-theme"`: the default theme, and a notification naming the bad one."""
    app = reader(settings=Settings(theme="no-such-theme"))
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await drain(app, pilot)
        assert app.theme == "textual-dark"
        reported = [message for title, message in notices(app) if title == "Settings problems"]
        assert len(reported) == 1 and "no-such-theme" in reported[0]


async def test_notification_text_is_never_markup(hub):
    """A hostile binding id in the config is shown literally."""
    app = reader(settings=Settings(keys={HOSTILE: "z"}))
    async with app.run_test(size=(120, 35), notifications=True) as pilot:
        await drain(app, pilot)
        assert any(HOSTILE in message for _title, message in notices(app))
        assert app.is_running


# --- default view ---------------------------------------------------------------------------


async def test_default_view_replaces_the_last_session(hub, monkeypatch):
    """`default_view = "week"` opens this week even though the session was on a day."""
    from papershelf.data.session import save_session

    save_session({"view": "daily", "value": "2026-08-18", "was_latest": False, "filter": "x"})
    app = make_app(clock=lambda: NOW, settings=Settings(default_view="week"))
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        assert status(app).label == "Week 2026-W34"
        assert app.main.state.filter_text == ""


async def test_without_default_view_the_last_session_is_restored(hub):
    """No `default_view`: the day and filter of the last session come back."""
    from papershelf.data.session import save_session

    save_session({"view": "daily", "value": "2026-08-18", "was_latest": False, "filter": "agent"})
    app = make_app(clock=lambda: NOW, settings=Settings())
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        assert status(app).label == "Daily · Tue 2026-08-18"
        assert app.main.state.filter_text == "agent"


# --- themes ---------------------------------------------------------------------------------


async def test_theme_chosen_in_the_palette_is_saved_and_used_next_time(hub):
    """Picking `Theme: nord` switches at once, writes config.toml, and the next start uses it."""
    settings, _ = load_settings()
    app = reader(settings=settings)
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        await palette_pick(app, pilot, "theme nord", "Theme: nord")
        await drain(app, pilot)
        assert app.theme == "nord"
    assert 'theme = "nord"' in paths.config_file().read_text(encoding="utf-8")
    settings, problems = load_settings()
    assert settings.theme == "nord" and not problems
    again = reader(settings=settings)
    async with again.run_test(size=(120, 35)) as pilot:
        await drain(again, pilot)
        assert again.theme == "nord"


async def test_terminal_theme_uses_the_terminal_palette(hub):
    """`terminal`: native ANSI colours, the terminal's own (default) background."""
    app = reader(settings=Settings(theme=TERMINAL_THEME))
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        assert app.theme == TERMINAL_THEME
        assert app.native_ansi_color
        assert app.current_theme.background == "ansi_default"
        app.theme = "textual-light"
        await pilot.pause()
        assert not app.native_ansi_color


def test_no_color_is_honoured(monkeypatch):
    """With NO_COLOR set, Textual strips colour from every frame; papershelf never overrides it."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(offline=True, restore_session=False)
    assert app.no_color
    assert any(isinstance(f, Monochrome | NoColor) for f in app._filters)


# --- command palette ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("2026-08-18", "Daily · Tue 2026-08-18"),
        ("yesterday", "Daily · Thu 2026-08-20"),
        ("last monday", "Daily · Mon 2026-08-17"),
    ],
)
async def test_palette_jumps_to_a_day(hub, query, label):
    """Typing a day (ISO or words) in the palette offers it; choosing it loads that day."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        await palette_pick(app, pilot, query, f"Go to {label}")
        await drain(app, pilot)
        assert status(app).label == label


def test_go_to_entries_explain_days_without_a_list():
    """A future day or one before Daily Papers began is offered with the reason, not loaded."""

    class Clock:
        def today(self) -> dt.date:
            return TODAY

    [future] = go_to_entries(Clock(), "2026-09-01")
    assert "future" in future.help
    [early] = go_to_entries(Clock(), "2020-01-01")
    assert "begin" in early.help
    assert go_to_entries(Clock(), "agents") == []
    [week] = go_to_entries(Clock(), "2026-W33")
    assert week.label == "Go to Week 2026-W33"


async def test_palette_applies_a_saved_filter_and_opens_a_tag_view(hub):
    """Saved filters and tags are in the palette, shown literally even with brackets."""
    library = Library.open()
    library.save_filter(HOSTILE, "agent")
    library.add_tags(["2608.18580"], ["[Re]-reading"])
    library.close()
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        await palette_pick(app, pilot, "click", f"Filter: {HOSTILE}")
        await drain(app, pilot)
        filter_bar = app.get_default_screen_instance().query_one(FilterBar)
        assert filter_bar.text == "agent"
        await palette_pick(app, pilot, "reading", "Tag: [Re]-reading")
        await drain(app, pilot)
        assert "[Re]-reading" in status(app).label
        assert app.is_running


async def test_palette_runs_reader_actions(hub):
    """Actions are in the palette: `week view` loads the week."""
    app = reader()
    async with app.run_test(size=(120, 35)) as pilot:
        await drain(app, pilot)
        await palette_pick(app, pilot, "week view", "Week view")
        await drain(app, pilot)
        assert status(app).label == "Week 2026-W34"


def test_highlighting_never_parses_markup():
    """Fuzzy-match highlighting keeps hostile text literal."""
    for text in (HOSTILE, "x[/b]y", "[$primary]x[/]", "GPT-[n] and o-[n]", '[link="file:///"]x[/]'):
        content = highlighted(Matcher("x"), text)
        assert content.plain == text


def test_no_colour_is_hard_coded():
    """Every colour in the reader's CSS is a theme variable; Python code names no colour."""
    from pathlib import Path

    import papershelf.tui

    root = Path(papershelf.tui.__file__).parent
    declaration = re.compile(r"\b(color|background|border[-\w]*)\s*:\s*([^;]*)")
    hex_colour = re.compile(r"#[0-9a-fA-F]{3,8}\b")
    python_colour = re.compile(r"\b(bg)?color\s*=|Color\(|Style\.parse\(")
    offenders: list[str] = []
    for path in [*root.rglob("*.py"), *root.rglob("*.tcss")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("/*", 1)[0]
            for _name, value in declaration.findall(code):
                words = value.replace("!important", "").split()
                colours = [w for w in words if w not in BORDER_WORDS and not w.endswith("%")]
                if any(not w.startswith("$") for w in colours) or hex_colour.search(value):
                    offenders.append(f"{path.name}:{number}: {line.strip()}")
            if path.suffix == ".py" and python_colour.search(code):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


BORDER_WORDS = {
    "none",
    "hidden",
    "round",
    "solid",
    "tall",
    "wide",
    "heavy",
    "double",
    "dashed",
    "ascii",
    "blank",
    "inner",
    "outer",
    "thick",
    "panel",
    "hkey",
    "vkey",
    "transparent",
    "initial",
}
"""Border kinds and keywords that are not colours."""


def test_default_view_keys():
    """Each `default_view` value names the list it opens, counted from today."""
    from papershelf.core.lists import ListKind
    from papershelf.tui.reader_state import default_view_key

    assert default_view_key("daily", TODAY).kind is ListKind.LATEST
    assert default_view_key("week", TODAY).value == "2026-W34"
    assert default_view_key("month", TODAY).value == "2026-08"
    assert default_view_key("trending", TODAY).kind is ListKind.TRENDING
    assert default_view_key("starred", TODAY).kind is ListKind.STARRED


def test_terminal_themes_copy_the_ansi_themes_without_changing_them():
    """`terminal` is `ansi-dark` under another name; Textual's own definition stays as it was."""
    from textual.theme import BUILTIN_THEMES

    from papershelf.tui.themes import papershelf_themes

    dark, light = papershelf_themes()
    assert (dark.name, light.name) == ("terminal", "terminal-light")
    assert dark.ansi and dark.background == BUILTIN_THEMES["ansi-dark"].background
    assert not light.dark
    assert BUILTIN_THEMES["ansi-dark"].name == "ansi-dark"
    assert dark.variables is not BUILTIN_THEMES["ansi-dark"].variables


def test_every_palette_command_names_an_existing_action():
    """No palette entry is silently dropped because its action name is misspelt."""
    from papershelf.core.keymap import APP, PANES, SCREEN
    from papershelf.tui.commands import reader_commands
    from papershelf.tui.screens.main import MainScreen
    from papershelf.tui.widgets.paper_panes import PaperPanes

    owners = {APP: PapershelfApp, SCREEN: MainScreen, PANES: PaperPanes}
    missing = [
        command.action
        for command in reader_commands()
        if not hasattr(owners[command.scope], f"action_{command.action_name}")
    ]
    assert not missing


def test_every_binding_comes_from_the_key_registry():
    """Bindings with an id are generated from `core/keymap.py`, owner by owner."""
    from papershelf.core.keymap import KEYS
    from papershelf.tui.dialogs.copy_menu import CopyMenu
    from papershelf.tui.dialogs.export import ExportScreen
    from papershelf.tui.dialogs.help import HelpScreen
    from papershelf.tui.dialogs.register import RegisterScreen
    from papershelf.tui.dialogs.search import SearchPrompt
    from papershelf.tui.screens.main import MainScreen
    from papershelf.tui.widgets.filter_bar import FilterBar
    from papershelf.tui.widgets.paper_detail import PaperDetail
    from papershelf.tui.widgets.paper_list import PaperList
    from papershelf.tui.widgets.paper_panes import PaperPanes

    owners = {
        "app": PapershelfApp,
        "screen": MainScreen,
        "panes": PaperPanes,
        "list": PaperList,
        "detail": PaperDetail,
        "filter": FilterBar,
        "copy_menu": CopyMenu,
        "export": ExportScreen,
        "help": HelpScreen,
        "search": SearchPrompt,
        "register": RegisterScreen,
    }
    for scope, owner in owners.items():
        declared = [(b.id, b.key, b.action) for b in owner.BINDINGS if b.id]
        wanted = [(s.id, s.keys, s.action) for s in KEYS if s.scope == scope]
        assert declared == wanted, scope
