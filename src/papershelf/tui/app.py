"""The reader app: session state, the feeds it reads from, links, and the factory that builds it."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding

from papershelf.core.links import is_openable
from papershelf.core.listing import Feed, ListKey, ListKind
from papershelf.core.model import Paper
from papershelf.tui.browser import can_launch_browser
from papershelf.tui.commands import LibraryCommands, ReaderCommands
from papershelf.tui.copy_actions import COPY_BINDINGS, CopyActions, build_clipboard
from papershelf.tui.display import render_latex_setting
from papershelf.tui.library_actions import LIBRARY_BINDINGS, LibraryActions
from papershelf.tui.preferences import PreferencesMixin, default_view_key
from papershelf.tui.screens.main import MainScreen

if TYPE_CHECKING:
    from papershelf.data.config import Settings

VIEW_KINDS = {kind.value: kind for kind in ListKind}
LIBRARY_VIEW_KINDS = (ListKind.STARRED, ListKind.TAG)
"""Views served by the library; a session on one of them reopens it."""


@dataclass(slots=True)
class ReaderState:
    """What the reader shows; changed only by the main screen's message handlers."""

    key: ListKey = field(default_factory=lambda: ListKey(ListKind.LATEST))
    """The list asked for last (the one on screen, or the one loading)."""
    feed: Feed | None = None
    """The list on screen."""
    anchor: dt.date | None = None
    """The date the current view is about; `[`/`]`, `w`, `m` move from it."""
    latest_day: dt.date | None = None
    """The newest day the latest list resolved to."""
    is_latest: bool = True
    """True when the daily list shown is the newest day (restored as "latest")."""
    filter_text: str = ""
    index: Any = None
    """The search index of `index_feed`'s papers, built on the first non-empty filter."""
    index_feed: Feed | None = None
    details: dict[str, Paper] = field(default_factory=dict)
    """Papers merged with their fetched detail, by id."""
    request: int = 0
    """Serial number of the latest list request; older answers are dropped."""
    filter_request: int = 0
    pending_paper_id: str | None = None
    """A paper to highlight once the first list arrives (restored from the session)."""
    keep_id: str | None = None
    keep_near: tuple[str, ...] = ()
    """Where the cursor goes when `keep_id` left the list: the first of these papers still shown
    (those below the cursor, then those above, after a re-filter for a library change)."""
    shown_filter: tuple[Feed, str, list[Paper]] | None = None
    """The feed, filter text and papers of the list on screen; a narrower query starts there."""
    highlighted_id: str | None = None
    """The paper under the list cursor."""

    def to_session(self) -> dict[str, Any]:
        """What to restore next time: view, date, filter text and highlighted paper."""
        key = self.key
        if self.feed is not None:
            key = self.feed.key
            if key.kind is ListKind.LATEST and self.feed.resolved_date is not None:
                key = ListKey(ListKind.DAILY, self.feed.resolved_date.isoformat())
        return {
            "view": key.kind.value,
            "value": key.value,
            "date": self.anchor.isoformat() if self.anchor else None,
            "was_latest": self.is_latest,
            "filter": self.filter_text,
            "paper_id": self.highlighted_id,
        }


def state_from_session(session: dict[str, Any], default_view: str = "latest") -> ReaderState:
    """The state to start with, from the saved session (or the configured default view)."""
    state = ReaderState()
    view = session.get("view") or default_view
    value = session.get("value") if isinstance(session.get("value"), str) else ""
    kind = VIEW_KINDS.get(str(view), ListKind.LATEST)
    try:
        anchor = dt.date.fromisoformat(session["date"]) if session.get("date") else None
    except (TypeError, ValueError):
        anchor = None
    state.anchor = anchor
    if kind is ListKind.DAILY and (session.get("was_latest") or not value):
        kind, value = ListKind.LATEST, ""
    needs_value = (ListKind.WEEK, ListKind.MONTH, ListKind.SEARCH, ListKind.DAILY)
    needs_value += (ListKind.RELATED, ListKind.AUTHOR, ListKind.WATCH)
    if kind in needs_value and not value:
        kind, value = ListKind.LATEST, ""
    if kind is ListKind.TAG and not value.strip():
        kind, value = ListKind.LATEST, ""
    state.key = ListKey(kind, "" if kind in (ListKind.LATEST, ListKind.STARRED) else value)
    state.is_latest = kind is ListKind.LATEST
    if isinstance(session.get("filter"), str):
        state.filter_text = session["filter"]
    if isinstance(session.get("paper_id"), str):
        state.pending_paper_id = session["paper_id"]
    return state


class PapershelfApp(CopyActions, LibraryActions, PreferencesMixin, App[None]):
    """Hugging Face Daily Papers in the terminal."""

    CSS_PATH = "app.tcss"
    TITLE = "papershelf"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", show=False, id="force_quit"),
        # Textual's own palette binding has no id; this one can be remapped in [keys].
        # The footer shows the short description (at 80 columns "? Help" must still fit);
        # the help screen shows the tooltip.
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            priority=True,
            tooltip="Command palette",
            id="command_palette",
        ),
        *LIBRARY_BINDINGS,
        *COPY_BINDINGS,
    ]
    COMMANDS = App.COMMANDS | {LibraryCommands, ReaderCommands}

    def __init__(
        self,
        feeds: Any,
        *,
        settings: Any = None,
        clock: Callable[[], dt.datetime] | None = None,
        offline: bool = False,
        session: dict[str, Any] | None = None,
        save_session: Callable[[dict[str, Any]], None] | None = None,
        library: Any = None,
        owns_library: bool = False,
    ) -> None:
        super().__init__()
        self.feeds = feeds
        """Where lists and papers come from (`papershelf.data.feeds.Feeds`)."""
        self.settings = settings
        self.render_latex = render_latex_setting(settings)
        """Show LaTeX in titles and abstracts as Unicode, everywhere a title is shown."""
        self.init_library(library, owns_library=owns_library)
        self.clipboard_chain = build_clipboard(
            self,
            getattr(settings, "clipboard", None),
            getattr(settings, "clipboard_command", None),
        )
        self.offline = offline
        """Never ask the network (cache, then the bundled sample)."""
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        default_view = getattr(settings, "default_view", None)
        # A configured start view replaces the last session's list (filter and paper too).
        self.state = state_from_session({} if default_view else (session or {}))
        if default_view:
            self.state.key = default_view_key(default_view, self.today())
            self.state.is_latest = self.state.key.kind is ListKind.LATEST
        if self.state.key.kind in LIBRARY_VIEW_KINDS and not getattr(library, "available", False):
            # Starred and tag lists live in the library; without one, start on the latest day.
            self.state.key = ListKey(ListKind.LATEST)
            self.state.is_latest = True
        self._save_session = save_session
        self._session_theme = session.get("theme") if session else None
        self.keymap: dict[str, str] = dict(getattr(settings, "keys", None) or {})
        """Remapped keys by binding id, from the config's `[keys]` table."""
        self.filter_debounce = 0.12
        """Seconds of typing pause before the filter runs."""
        self.detail_debounce = 0.25
        """Seconds the cursor must rest on a paper before its detail is fetched."""
        self.collect_after_first_frame = False
        """Turn the garbage collector on once a frame is painted (it was paused for start-up)."""

    def post_display_hook(self) -> None:
        if self.collect_after_first_frame:
            self.collect_after_first_frame = False
            gc.enable()

    def now(self) -> dt.datetime:
        """The current time (injectable, so "cached 3 min ago" is testable)."""
        return self.clock()

    def today(self) -> dt.date:
        return self.now().astimezone(dt.UTC).date()

    def get_default_screen(self) -> MainScreen:
        return MainScreen()

    async def on_unmount(self) -> None:
        if self._save_session is not None:
            self._save_session({**self.state.to_session(), "theme": self.theme})
        await self.feeds.aclose()

    def get_default_screen_instance(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    # --- links ------------------------------------------------------------------------------

    def open_link(self, url: str) -> None:
        """Open `url` in the browser, or copy it when no browser can be shown safely."""
        if not is_openable(url):
            self.notify(f"Not opening {url!r}: only http(s) links are opened.", markup=False)
            return
        if can_launch_browser():
            self.open_url(url)
            self.notify(url, title="Opening", markup=False)
        else:
            self.copy_text(url, f"the link {url}", reason="No browser here", title="Link")


def make_app(
    *,
    settings: Any = None,
    feeds: Any = None,
    clock: Callable[[], dt.datetime] | None = None,
    offline: bool = False,
    restore_session: bool = True,
    library: Any = None,
    config_problems: Sequence[object] = (),
) -> PapershelfApp:
    """Build the reader: the same factory serves the CLI, Pilot tests and snapshots."""
    if feeds is None:
        from papershelf.data.feeds import Feeds

        feeds = Feeds(clock=clock)
    from papershelf.data.library import Library
    from papershelf.data.library_feeds import LibraryFeeds

    owns_library = library is None
    if library is None:
        library = Library.open()  # never raises: an unusable file leaves it unavailable
    feeds = LibraryFeeds(feeds, library)
    session: dict[str, Any] = {}
    save: Callable[[dict[str, Any]], None] | None = None
    if restore_session:
        try:
            from papershelf.data.session import load_session, save_session
        except ImportError:
            pass
        else:
            session = load_session()
            save = save_session
    app = PapershelfApp(
        feeds,
        settings=settings,
        clock=clock,
        offline=offline,
        session=session,
        save_session=save,
        library=library,
        owns_library=owns_library,
    )
    app.set_config_problems(config_problems)
    return app


def run_app(settings: Settings | None = None, problems: Sequence[object] = ()) -> int:
    """Start the reader full-screen with the settings the front door loaded; the exit code."""
    app = make_app(settings=settings, config_problems=problems)
    app.collect_after_first_frame = not gc.isenabled()
    try:
        app.run()
    finally:
        gc.enable()
    return 0
