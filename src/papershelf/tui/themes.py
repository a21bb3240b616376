"""Colour themes: Textual's built-ins plus `terminal`, which keeps the terminal's own palette.

Widgets never name colours; they use theme variables (`$accent`, `$warning`, …) in CSS and
component classes, so every theme, `terminal` included, colours stars and highlights sensibly.
"""

from __future__ import annotations

import dataclasses

from textual.app import App
from textual.theme import BUILTIN_THEMES, Theme

TERMINAL_THEME = "terminal"
"""Uses the terminal's own colours and background (ANSI colours, transparent background)."""

TERMINAL_LIGHT_THEME = "terminal-light"
"""The same for light terminal palettes (dark text is assumed)."""

DEFAULT_THEME = "textual-dark"
"""The theme used when the configured one does not exist."""


def _terminal_theme(name: str, base: str) -> Theme:
    # Copy the built-in so registering ours never changes Textual's shared definition.
    built_in = BUILTIN_THEMES[base]
    return dataclasses.replace(built_in, name=name, variables=dict(built_in.variables), ansi=True)


def papershelf_themes() -> list[Theme]:
    """The themes papershelf adds to Textual's built-in ones."""
    return [
        _terminal_theme(TERMINAL_THEME, "ansi-dark"),
        _terminal_theme(TERMINAL_LIGHT_THEME, "ansi-light"),
    ]


def register_themes(app: App[object]) -> None:
    """Make papershelf's own themes selectable on `app` (palette, config, `app.theme = …`)."""
    for theme in papershelf_themes():
        app.register_theme(theme)


def theme_names(app: App[object]) -> list[str]:
    """Every theme `app` can show, sorted by name."""
    return sorted(app.available_themes)


def apply_theme(app: App[object], name: str | None) -> str | None:
    """Switch `app` to theme `name`; returns a plain-words problem when it does not exist.

    An unknown name leaves the current theme (the default) in place.
    """
    if not name:
        return None
    if name not in app.available_themes:
        return (
            f"theme: there is no theme {name!r}; using {app.theme!r}. "
            "The command palette (ctrl+p, then “theme”) lists every theme."
        )
    app.theme = name
    return None
