"""Settings the reader applies on start (theme, remapped keys) and reports once, as an App mixin.

A bad setting never stops the reader: every problem (from the config file, an unknown theme,
a `[keys]` id no binding has) is collected into one plain-words notification.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import pkgutil
from collections.abc import Iterable, Sequence
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.theme import Theme

from papershelf.core.dates import month_of, week_of
from papershelf.core.listing import ListKey, ListKind
from papershelf.tui.themes import apply_theme, register_themes

PROBLEMS_TITLE = "Settings problems"
"""Title of the one notification listing what was wrong with the settings."""

PROBLEMS_TIMEOUT = 15.0
"""Seconds the problems notification stays: long enough to read a few lines."""


def default_view_key(view: str, today: dt.date) -> ListKey:
    """The list a configured `default_view` opens: daily, week, month, trending or starred."""
    match view:
        case "week":
            return ListKey(ListKind.WEEK, week_of(today))
        case "month":
            return ListKey(ListKind.MONTH, month_of(today))
        case "trending":
            return ListKey(ListKind.TRENDING)
        case "starred":
            return ListKey(ListKind.STARRED)
    return ListKey(ListKind.LATEST)


@functools.cache
def _papershelf_node_classes() -> tuple[type[DOMNode], ...]:
    """Every screen and widget class papershelf defines (importing the modules that hold them)."""
    import papershelf.tui

    for info in pkgutil.walk_packages(papershelf.tui.__path__, prefix="papershelf.tui."):
        importlib.import_module(info.name)
    found: list[type[DOMNode]] = []
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        for subclass in cls.__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("papershelf."):
                found.append(subclass)
    return tuple(found)


def all_bindings(app_class: type[Any]) -> list[Binding]:
    """Every `Binding` of the app (its classes and mixins), its screens and its widgets."""
    owners: list[type[Any]] = [*app_class.__mro__, *_papershelf_node_classes()]
    bindings: list[Binding] = []
    seen: set[int] = set()
    for owner in owners:
        for binding in vars(owner).get("BINDINGS", ()) or ():
            if isinstance(binding, Binding) and id(binding) not in seen:
                seen.add(id(binding))
                bindings.append(binding)
    return bindings


def known_binding_ids(app_class: type[Any]) -> set[str]:
    """The ids a `[keys]` table may remap."""
    return {binding.id for binding in all_bindings(app_class) if binding.id}


def effective_keys(bindings: Iterable[Binding], keymap: dict[str, str]) -> dict[str, str]:
    """Binding action -> the keys that run it now (remapped keys win), first binding first."""
    keys: dict[str, str] = {}
    for binding in bindings:
        current = keymap.get(binding.id, binding.key) if binding.id else binding.key
        keys.setdefault(binding.action, current)
    return keys


class PreferencesMixin:
    """Mixin for the reader app: applies the theme and `[keys]` on mount, reports problems once.

    Needs on the app: `settings` (may be None), `keymap` (replaced by the effective keymap),
    and `set_config_problems(...)` called before the app runs for problems found while loading.
    """

    config_problems: list[str]
    """Plain-words problems found while loading the settings, shown once on mount."""

    def set_config_problems(self, problems: Sequence[object]) -> None:
        """Problems found before the app started (e.g. `ConfigProblem`s); shown on mount."""
        self.config_problems = [str(problem) for problem in problems]

    def start_theme(self) -> str | None:
        """The theme to start with: the configured one, else the one saved with the session."""
        settings = getattr(self, "settings", None)
        if settings is not None:
            return getattr(settings, "theme", None)
        return getattr(self, "_session_theme", None)

    def on_mount(self) -> None:
        app: Any = self
        problems = list(getattr(self, "config_problems", []))
        register_themes(app)
        problem = apply_theme(app, self.start_theme())
        if problem:
            problems.append(problem)
        self._saved_theme = app.theme
        problems.extend(self._apply_keymap())
        if problems:
            app.notify(
                "\n".join(problems),
                title=PROBLEMS_TITLE,
                severity="warning",
                timeout=PROBLEMS_TIMEOUT,
                markup=False,
            )
        app.theme_changed_signal.subscribe(app, self._theme_changed)

    def _apply_keymap(self) -> list[str]:
        app: Any = self
        settings = getattr(self, "settings", None)
        keymap: dict[str, str] = {}
        problems: list[str] = []
        if settings is not None and getattr(settings, "keys", None):
            from papershelf.data.config import unknown_binding_problems

            keymap, unknown = unknown_binding_problems(settings, known_binding_ids(type(self)))
            problems = [str(problem) for problem in unknown]
        app.keymap = keymap
        app.set_keymap(keymap)
        return problems

    def _theme_changed(self, theme: Theme) -> None:
        # The signal also fires for the theme applied on start; only a new choice is saved.
        if theme.name == self._saved_theme:
            return
        self._saved_theme = theme.name
        if getattr(self, "settings", None) is None:
            return
        app: Any = self
        app.run_worker(
            lambda: self._save_theme(theme.name),
            thread=True,
            group="settings",
            exclusive=True,
            exit_on_error=False,
            description="save the theme",
        )

    def _save_theme(self, name: str) -> None:
        from papershelf.data.config import save_setting

        app: Any = self
        try:
            save_setting("theme", name)
        except (OSError, ValueError) as error:
            app.notify(
                f"The theme {name!r} is used now but could not be saved: {error}",
                title="Theme not saved",
                severity="warning",
                markup=False,
            )
        else:
            settings = getattr(self, "settings", None)
            if settings is not None:
                settings.theme = name
