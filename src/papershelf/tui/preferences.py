"""Settings the reader applies on start (theme, remapped keys), and saving a new theme choice.

A bad setting never stops the reader: every problem (from the config file, an unknown theme,
a `[keys]` id the registry lacks) is collected into one plain-words notification.
"""

from __future__ import annotations

from papershelf.core.keymap import ALL_IDS
from papershelf.data.config import unknown_binding_problems
from papershelf.data.config.file import save_setting
from papershelf.data.config.schema import Settings

PROBLEMS_TITLE = "Settings problems"
"""Title of the one notification listing what was wrong with the settings."""

PROBLEMS_TIMEOUT = 15.0
"""Seconds the problems notification stays: long enough to read a few lines."""


def effective_keymap(settings: Settings) -> tuple[dict[str, str], list[str]]:
    """The `[keys]` remaps the registry knows, and a problem for each id it does not."""
    if not settings.keys:
        return {}, []
    keymap, unknown = unknown_binding_problems(settings, ALL_IDS)
    return keymap, [str(problem) for problem in unknown]


def save_theme(settings: Settings, name: str) -> str | None:
    """Save `name` as the theme (blocks: a file write); the problem in plain words, if any."""
    try:
        save_setting("theme", name)
    except (OSError, ValueError) as error:
        return f"The theme {name!r} is used now but could not be saved: {error}"
    settings.theme = name
    return None
