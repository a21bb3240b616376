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

from papershelf.core.key_names import is_key_name
from papershelf.core.keymap import KEYS, MAIN_SCOPES
from papershelf.core.lists import DATE_FORMAT

if TYPE_CHECKING:
    from papershelf.data.feeds import Freshness

VIEWS = ("daily", "week", "month", "trending", "starred")
"""Values of `default_view`."""

CLIPBOARD_MODES = ("auto", "system", "osc52", "osc52-passthrough", "command")
"""Values of `clipboard`."""

COLUMNS = ("upvotes", "title", "author", "markers", "comments", "date", "organization")
"""Columns the paper list can show, for `columns`."""

BINDING_IDS: tuple[str, ...] = tuple(
    spec.id for spec in KEYS if spec.scope in MAIN_SCOPES and spec.section is not None
)
"""The reader's own binding ids (those the help screen lists for the main screen), in registry
order: named in the default file's comments. Derived from `core.keymap.KEYS`, the one registry
`[keys]` is checked against; the reader's panes, dialogs and pages have further ids."""

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
    request_deadline: float = 20
    """Seconds one request to Hugging Face may take in all; `PAPERSHELF_REQUEST_DEADLINE`
    overrides it. When it passes, the cached list is shown."""
    max_response_mb: float = 8
    """Largest answer accepted, in MB after decompression; `PAPERSHELF_MAX_RESPONSE_MB`
    overrides it."""
    columns: list[str] = field(default_factory=lambda: ["upvotes", "title", "author", "markers"])
    """Columns of the paper list, left to right."""
    render_latex: bool = True
    """Show LaTeX in titles and abstracts as Unicode."""
    date_format: str = DATE_FORMAT
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
    from papershelf.core.errors import InvalidInput
    from papershelf.core.links import validate_endpoint

    text = _non_empty_text(value)
    try:
        return validate_endpoint(text)
    except InvalidInput as invalid:
        raise InvalidValue(
            f"must be an http:// or https:// address with a host, not {value!r}"
        ) from invalid


def _positive_number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidValue(f"must be a number, not {_describe(value)}")
    if not 0 < value <= 10_000:
        raise InvalidValue(f"must be above 0 and at most 10000, not {value}")
    return value


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
    for key in keys:
        if not is_key_name(key):
            # An unknown name would be accepted and never match a key press: say so now.
            raise InvalidValue(
                f'{key!r} is not a key name (such as "s", "ctrl+s", "f5", '
                '"pagedown" or "question_mark")'
            )
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
    "request_deadline": _positive_number,
    "max_response_mb": _positive_number,
    "columns": _columns,
    "render_latex": _boolean,
    "date_format": _date_format,
    "read_after_seconds": _duration,
}
"""Top-level settings a file may set (`keys` is a table, `hf_token` comes from the environment)."""
