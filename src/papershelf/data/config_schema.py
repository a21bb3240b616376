"""What can be set: the `Settings` fields with their defaults, and the check each value passes.

A validator returns the clean value or raises `InvalidValue` saying why in plain words.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from papershelf.data.feeds import Freshness

VIEWS = ("daily", "week", "month", "trending", "starred")
"""Values of `default_view`."""

CLIPBOARD_MODES = ("auto", "system", "osc52", "osc52-passthrough", "command")
"""Values of `clipboard`."""

COLUMNS = ("upvotes", "title", "author", "markers", "comments", "date", "organization")
"""Columns the paper list can show, for `columns`."""

BINDING_IDS = (
    "star",
    "tag",
    "note",
    "toggle_read",
    "mark_all_read",
    "select",
    "copy_hf_url",
    "copy_arxiv_url",
    "copy_bibtex",
    "copy_menu",
    "open_hf",
    "open_pdf",
    "open_arxiv",
    "prev_day",
    "next_day",
    "filter",
    "refresh",
    "help",
    "quit",
)
"""Binding ids named in the default file's comments; the reader checks `[keys]` against its own."""

_MAIN = ("main",)
BINDING_DEFAULTS: dict[str, tuple[tuple[str, ...], str]] = {
    # The app and the main screen: active whatever has focus there.
    "force_quit": (_MAIN, "ctrl+q"),
    "command_palette": (_MAIN, "ctrl+p"),
    "star": (_MAIN, "s"),
    "tag": (_MAIN, "t"),
    "note": (_MAIN, "n"),
    "toggle_read": (_MAIN, "u"),
    "mark_all_read": (_MAIN, "U"),
    "select": (_MAIN, "space"),
    "clear_selection": (_MAIN, "escape"),
    "starred_view": (_MAIN, "L"),
    "save_filter": (_MAIN, "ctrl+s"),
    "copy_hf_url": (_MAIN, "y"),
    "copy_arxiv_url": (_MAIN, "Y"),
    "copy_bibtex": (_MAIN, "b"),
    "copy_arxiv_bibtex": (_MAIN, "B"),
    "copy_menu": (_MAIN, "c"),
    "open_code": (_MAIN, "C"),
    "open_project": (_MAIN, "P"),
    "export": (_MAIN, "E"),
    "show_register": (_MAIN, "quotation_mark"),
    "filter": (_MAIN, "slash"),
    "prev_day": (_MAIN, "left_square_bracket"),
    "next_day": (_MAIN, "right_square_bracket"),
    "prev_week": (_MAIN, "left_curly_bracket"),
    "next_week": (_MAIN, "right_curly_bracket"),
    "daily_view": (_MAIN, "d"),
    "week_view": (_MAIN, "w"),
    "month_view": (_MAIN, "m"),
    "trending": (_MAIN, "T"),
    "search": (_MAIN, "S"),
    "refresh": (_MAIN, "r"),
    "open_hf": (_MAIN, "o"),
    "open_pdf": (_MAIN, "p"),
    "open_arxiv": (_MAIN, "a"),
    "zoom": (_MAIN, "z"),
    "next_new": (_MAIN, "N"),
    "related": (_MAIN, "R"),
    "author_view": (_MAIN, "A"),
    "triage": (_MAIN, "X"),
    "watches": (_MAIN, "W"),
    "help": (_MAIN, "question_mark"),
    "quit": (_MAIN, "q"),
    # Widgets of the main screen: active while focused, shadowing the screen's keys.
    "cursor_down": (("list",), "j,down"),
    "cursor_up": (("list",), "k,up"),
    "cursor_first": (("list",), "g,home"),
    "cursor_last": (("list",), "G,end"),
    "page_down": (("list",), "pagedown,ctrl+d"),
    "page_up": (("list",), "pageup,ctrl+u"),
    "open_detail": (("list",), "enter"),
    "switch_pane": (("list", "detail"), "tab"),
    "switch_pane_back": (("list", "detail"), "shift+tab"),
    "detail_down": (("detail",), "j,down"),
    "detail_up": (("detail",), "k,up"),
    "detail_top": (("detail",), "g,home"),
    "detail_bottom": (("detail",), "G,end"),
    "detail_page_down": (("detail",), "pagedown,ctrl+d,space"),
    "detail_page_up": (("detail",), "pageup,ctrl+u"),
    "back_to_list": (("detail",), "escape"),
    "clear_filter": (("filter",), "escape"),
    "filter_to_list": (("filter",), "down"),
    # Screens shown over the main one.
    "copy_menu_close": (("copy_menu",), "escape,q"),
    "export_cancel": (("export",), "escape"),
    "export_submit": (("export",), "ctrl+s"),
    "close_modal": (("help", "search"), "escape"),
    "close_help": (("help",), "q,question_mark"),
    "register_close": (("register",), "escape,q"),
    "triage_star": (("triage",), "s"),
    "triage_skip": (("triage",), "x,j"),
    "triage_later": (("triage",), "l"),
    "triage_open": (("triage",), "o"),
    "triage_undo": (("triage",), "u"),
    "triage_done": (("triage",), "escape,q"),
}
"""Every binding id of the reader: (where it is active, its default keys).

Kept beside the reader's own bindings so that `papershelf config` can check `[keys]` without
starting the reader; a test keeps the two in step.
"""
ALL_BINDING_IDS = tuple(BINDING_DEFAULTS)
"""Every id a `[keys]` table may remap."""
_WIDGET_SCOPES = frozenset({"list", "detail", "filter"})
"""Scopes that live on the main screen, so the main screen's keys meet them."""


def scopes_meet(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """True when bindings of these scopes can be active at the same time."""
    if set(first) & set(second):
        return True
    return ("main" in first and bool(_WIDGET_SCOPES & set(second))) or (
        "main" in second and bool(_WIDGET_SCOPES & set(first))
    )


_RESTORE_SESSION = "last"
"""`default_view = "last"` says explicitly what leaving it out says: restore the last session."""


@dataclass(slots=True)
class Settings:
    """The effective settings: defaults, then `config.toml`, then the environment."""

    default_view: str | None = None
    """None restores the last session; else one of `VIEWS`."""
    theme: str = "textual-dark"
    """A Textual theme name."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> `"key"` or `"key1,key2"`, for `App.set_keymap`."""
    clipboard: str = "auto"
    """One of `CLIPBOARD_MODES`."""
    clipboard_command: str = ""
    """The command that receives copied text on stdin when `clipboard = "command"`."""
    fresh_latest_minutes: float = 15
    """How long the newest lists are served from the cache without asking the network."""
    fresh_past_hours: float = 24
    """The same for older days, weeks and months."""
    fresh_paper_days: float = 7
    """The same for a paper's detail."""
    fresh_search_minutes: float = 60
    """The same for search results."""
    hf_endpoint: str = "https://huggingface.co"
    """Base URL of the Hugging Face API; `HF_ENDPOINT` overrides it."""
    hf_token: str | None = None
    """Access token, from `HF_TOKEN` only: a token never lives in the config file."""
    columns: list[str] = field(default_factory=lambda: ["upvotes", "title", "author", "markers"])
    """Columns of the paper list, left to right."""
    render_latex: bool = True
    """Show LaTeX in titles and abstracts as Unicode."""
    date_format: str = "%a %Y-%m-%d"
    """strftime format of dates in the reader."""
    read_after_seconds: float = 1.5
    """How long a paper stays highlighted before it counts as read."""

    def keymap(self) -> dict[str, str]:
        """`keys` in the form `App.set_keymap` takes."""
        return dict(self.keys)

    def freshness(self) -> Freshness:
        """The cache freshness times for the data layer."""
        from papershelf.data.feeds import Freshness

        return Freshness(
            latest_minutes=self.fresh_latest_minutes,
            past_hours=self.fresh_past_hours,
            paper_days=self.fresh_paper_days,
            search_minutes=self.fresh_search_minutes,
        )


SETTING_NAMES = tuple(f.name for f in fields(Settings))
"""Every setting, in the order `papershelf config` prints them."""


# -- validators: each returns the clean value or raises InvalidValue with the reason ---------


class InvalidValue(ValueError):
    """A value that cannot be used; the message says why in plain words."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"must be text in quotes, not {_describe(value)}")
    return value.strip()


def _non_empty_text(value: Any) -> str:
    text = _text(value)
    if not text:
        raise InvalidValue("must not be empty")
    return text


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _text(value).lower()
        if text not in choices:
            raise InvalidValue(f"must be one of {', '.join(choices)}, not {value!r}")
        return text

    return check


def _default_view(value: Any) -> str | None:
    text = _text(value).lower()
    if text in ("", _RESTORE_SESSION):
        return None
    if text not in VIEWS:
        raise InvalidValue(f"must be one of {', '.join(VIEWS)} (or leave it out), not {value!r}")
    return text


def _duration(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue(f"must be a number, not {_describe(value)}")
    if value < 0:
        raise InvalidValue(f"must not be negative, not {value}")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(f"must be true or false, not {_describe(value)}")
    return value


def parse_endpoint(value: Any) -> str:
    text = _non_empty_text(value)
    if not re.match(r"^https?://[^\s/]+", text):
        raise InvalidValue(f"must be an http:// or https:// address, not {value!r}")
    return text.rstrip("/")


def _columns(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise InvalidValue(f'must be a non-empty list such as ["title"], not {_describe(value)}')
    chosen: list[str] = []
    for item in value:
        name = _text(item).lower()
        if name not in COLUMNS:
            raise InvalidValue(f"unknown column {item!r}; known: {', '.join(COLUMNS)}")
        if name not in chosen:
            chosen.append(name)
    return chosen


# strftime directives, with the optional glibc flag (`%-d`); `%%` is a literal percent sign.
_DIRECTIVE = re.compile(r"%[-_0^#]?([aAwdbBmyYHIpMSfzZjUWcxXGuVeDFhnrRtTCgklsP%])")


def _date_format(value: Any) -> str:
    text = _non_empty_text(value)
    stray = _DIRECTIVE.sub("", text)
    if "%" in stray:
        at = stray.index("%")
        raise InvalidValue(
            f"has a stray % in {value!r} (at {stray[at : at + 2]!r}); "
            "use directives such as %Y-%m-%d, and %% for a percent sign"
        )
    try:
        first = dt.datetime(2026, 1, 2).strftime(text)
        second = dt.datetime(2027, 3, 4).strftime(text)
    except ValueError as error:
        raise InvalidValue(f"is not a valid date format ({error})") from None
    if first == second:
        raise InvalidValue(f"shows no date: {value!r} has no directive such as %Y, %m or %d")
    return text


def parse_key_list(value: Any) -> str:
    """`"j"`, `"j,down"` or `["j", "down"]` -> `"j,down"`."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise InvalidValue("must name at least one key")
    keys: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise InvalidValue(
                f"must be a key name in quotes or a list of them, not {_describe(item)}"
            )
        keys.extend(part.strip() for part in item.split(","))
    if not all(keys):
        raise InvalidValue(f"has an empty key name in {value!r}")
    return ",".join(keys)


def _describe(value: Any) -> str:
    kind = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)
    return f"{kind} ({json.dumps(value, default=str)[:40]})"


VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "default_view": _default_view,
    "theme": _non_empty_text,
    "clipboard": _one_of(CLIPBOARD_MODES),
    "clipboard_command": _text,
    "fresh_latest_minutes": _duration,
    "fresh_past_hours": _duration,
    "fresh_paper_days": _duration,
    "fresh_search_minutes": _duration,
    "hf_endpoint": parse_endpoint,
    "columns": _columns,
    "render_latex": _boolean,
    "date_format": _date_format,
    "read_after_seconds": _duration,
}
"""Top-level settings a file may set (`keys` is a table, `hf_token` comes from the environment)."""
