"""The reader app: builds the services once, applies theme and keys, pushes the main screen."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.theme import Theme

from papershelf.data.config.schema import Settings
from papershelf.tui.bindings import APP_BINDINGS
from papershelf.tui.contrast import readable_variables
from papershelf.tui.copier import Copier
from papershelf.tui.library_writer import LibraryWriter
from papershelf.tui.preferences import PROBLEMS_TIMEOUT, PROBLEMS_TITLE, effective_keymap
from papershelf.tui.reader_state import initial_state
from papershelf.tui.screens.main import MainScreen
from papershelf.tui.services import Services, utc_now
from papershelf.tui.themes import apply_theme, register_themes

if TYPE_CHECKING:
    from textual.command import Provider


def _library_commands() -> type[Provider]:
    """The palette's library commands, imported when the palette first opens (not at start)."""
    from papershelf.tui.commands import LibraryCommands

    return LibraryCommands


def _reader_commands() -> type[Provider]:
    """The palette's reader commands, imported when the palette first opens (not at start)."""
    from papershelf.tui.commands import ReaderCommands

    return ReaderCommands


class PapershelfApp(App[None]):
    """Hugging Face Daily Papers in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "papershelf"
    BINDINGS = APP_BINDINGS
    COMMANDS = App.COMMANDS | {_library_commands, _reader_commands}

    def __init__(
        self,
        feeds: Any,
        *,
        settings: Settings | None = None,
        clock: Callable[[], dt.datetime] = utc_now,
        offline: bool = False,
        session: dict[str, Any] | None = None,
        save_session: Callable[[dict[str, Any]], None] | None = None,
        library: LibraryWriter | None = None,
        config_problems: Sequence[object] = (),
    ) -> None:
        super().__init__()
        self._session = session or {}
        self._save_session = save_session
        self.persist_theme = settings is not None
        """Save a theme chosen in the palette to the config (only when running on a config)."""
        if settings is None:
            # Without a config the last session's theme is the one to start with.
            settings = Settings()
            if isinstance(self._session.get("theme"), str):
                settings.theme = self._session["theme"]
        library = library if library is not None else LibraryWriter(None)
        self.services = Services(
            feeds=feeds,
            library=library,
            copier=Copier(self, settings.clipboard, settings.clipboard_command),
            settings=settings,
            clock=clock,
            offline=offline,
            first_run=save_session is not None and not session,
        )
        """What the screens and widgets work with."""
        self.config_problems = [str(problem) for problem in config_problems]
        """Plain-words problems found while loading the settings, shown once on mount."""
        self.keymap: dict[str, str] = dict(settings.keys)
        """Remapped keys by binding id, from the config's `[keys]` table."""
        self.collect_after_first_frame = False
        """Turn the garbage collector on once a frame is painted (it was paused for start-up)."""
        self._saved_theme: str | None = None
        self.main = MainScreen(
            self.services,
            initial_state(
                self._session, settings.default_view, self.services.today(), library.available
            ),
        )
        """The main screen: which list is shown, and the paper panes."""

    def get_default_screen(self) -> MainScreen:
        return self.main

    def get_default_screen_instance(self) -> MainScreen:
        return self.main

    def get_css_variables(self) -> dict[str, str]:
        # `$readable-*` and the list cursor's colours: the theme's, made readable (4.5:1).
        variables = super().get_css_variables()
        variables.update(readable_variables(variables))
        return variables

    def open_url(self, url: str, *, new_tab: bool = True) -> None:
        """Start the browser on `url` in a thread: the keys never wait for it to close."""
        if self.is_web:  # served in a web page: the page opens it
            super().open_url(url, new_tab=new_tab)
            return
        self.run_worker(
            partial(self._launch_browser, url),
            name="browser",
            group="browser",
            thread=True,
            exit_on_error=False,
        )

    def _launch_browser(self, url: str) -> None:
        """In a thread: start the browser and tell the user when it could not be started."""
        from papershelf.tui.browser import launch_browser  # the first link opened loads it

        problem = launch_browser(url)
        if problem is not None:
            with contextlib.suppress(RuntimeError):  # the reader has closed meanwhile
                self.call_from_thread(
                    self.notify, problem, title="Browser", severity="error", markup=False
                )

    def post_display_hook(self) -> None:
        if self.collect_after_first_frame:
            self.collect_after_first_frame = False
            gc.enable()

    def on_mount(self) -> None:
        self._report_library()
        settings = self.services.settings
        problems = list(self.config_problems)
        register_themes(self)
        problem = apply_theme(self, settings.theme)
        if problem:
            problems.append(problem)
        self._saved_theme = self.theme
        self.keymap, unknown = effective_keymap(settings)
        problems.extend(unknown)
        self.set_keymap(self.keymap)
        if problems:
            self.notify(
                "\n".join(problems),
                title=PROBLEMS_TITLE,
                severity="warning",
                timeout=PROBLEMS_TIMEOUT,
                markup=False,
            )
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _report_library(self) -> None:
        library = self.services.library
        if library.library is None:
            return
        if not library.available:
            self.notify(
                f"{library.problem or 'The library cannot be opened.'} "
                "Stars, tags, notes and read marks are off for this session.",
                title="Library unavailable",
                severity="warning",
                markup=False,
            )
        elif not library.writable:
            self.notify(
                library.problem or "The library is read-only; changes cannot be saved.",
                title="Library read-only",
                severity="warning",
                markup=False,
            )

    def _theme_changed(self, theme: Theme) -> None:
        # The signal also fires for the theme applied on start; only a new choice is saved.
        if theme.name == self._saved_theme:
            return
        self._saved_theme = theme.name
        if not self.persist_theme:
            return
        self.run_worker(
            lambda: self._save_theme(theme.name),
            thread=True,
            group="settings",
            exclusive=True,
            exit_on_error=False,
            description="save the theme",
        )

    def _save_theme(self, name: str) -> None:
        from papershelf.tui.preferences import save_theme

        problem = save_theme(self.services.settings, name)
        if problem:
            self.notify(problem, title="Theme not saved", severity="warning", markup=False)

    async def on_unmount(self) -> None:
        if self._save_session is not None:
            self._save_session({**self.main.state.to_session(), "theme": self.theme})
        await self.services.feeds.aclose()
        # Queued writes finish before the app ends; the user's changes are never dropped.
        self.services.library.close()


def hub_endpoint(settings: Settings) -> str:
    """The API's base URL: `HF_ENDPOINT` when set (the environment wins), else the setting."""
    return os.environ.get("HF_ENDPOINT", "").strip() or settings.hf_endpoint


def make_app(
    *,
    settings: Settings | None = None,
    feeds: Any = None,
    clock: Callable[[], dt.datetime] = utc_now,
    offline: bool = False,
    restore_session: bool = True,
    library: Any = None,
    config_problems: Sequence[object] = (),
) -> PapershelfApp:
    """Build the reader: the same factory serves the CLI, Pilot tests and snapshots."""
    from papershelf.data.feeds.library_lists import LibraryFeeds
    from papershelf.data.library import Library

    if feeds is None:
        from papershelf.data.feeds import Feeds

        configured = settings if settings is not None else Settings()
        feeds = Feeds(
            clock=clock,
            freshness=configured.freshness(),
            endpoint=hub_endpoint(configured),
        )
    owns_library = library is None
    if library is None:
        library = Library.open()  # never raises: an unusable file leaves it unavailable
    session: dict[str, Any] = {}
    save: Callable[[dict[str, Any]], None] | None = None
    if restore_session:
        from papershelf.data.session import load_session, save_session

        session = load_session()
        save = save_session
    return PapershelfApp(
        LibraryFeeds(feeds, library),
        settings=settings,
        clock=clock,
        offline=offline,
        session=session,
        save_session=save,
        library=LibraryWriter(library, owns_library=owns_library),
        config_problems=config_problems,
    )


def run_app(settings: Settings | None = None, problems: Sequence[object] = ()) -> int:
    """Start the reader full-screen with the settings the front door loaded; the exit code."""
    app = make_app(settings=settings, config_problems=problems)
    app.collect_after_first_frame = not gc.isenabled()
    try:
        app.run()
    finally:
        gc.enable()
    return 0
