"""Textual `Binding`s generated from the key registry (`core/keymap.py`), one list per owner."""

from __future__ import annotations

from textual.binding import Binding

from papershelf.core.keymap import (
    APP,
    DETAIL,
    FILTER,
    LIST,
    PANES,
    SCREEN,
    KeySpec,
    in_scope,
)


def to_binding(spec: KeySpec) -> Binding:
    """The Textual binding of one registry entry (its long help as the footer's tooltip)."""
    return Binding(
        spec.keys,
        spec.action,
        spec.label,
        show=spec.show,
        priority=spec.priority,
        tooltip=spec.help,
        id=spec.id,
    )


def bindings_for(scope: str) -> list[Binding]:
    """The bindings the owner of `scope` declares, in registry order."""
    return [to_binding(spec) for spec in in_scope(scope)]


APP_BINDINGS = bindings_for(APP)
SCREEN_BINDINGS = bindings_for(SCREEN)
PANES_BINDINGS = bindings_for(PANES)
LIST_BINDINGS = bindings_for(LIST)
DETAIL_BINDINGS = bindings_for(DETAIL)
FILTER_BINDINGS = bindings_for(FILTER)
