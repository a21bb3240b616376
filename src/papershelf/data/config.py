"""Settings from `config.toml` plus environment overrides; a bad entry never stops papershelf.

Each problem (file, key, why) is collected and the default is used for that key; the caller
reports the problems once (stderr for commands, a notification in the reader).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from papershelf.data import paths
from papershelf.data.atomic import write_text_atomic

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


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One thing wrong in the config; the default is used instead."""

    file: Path
    """The config file (or the environment variable) the problem is in."""
    key: str
    """The setting, e.g. `theme` or `keys.star`; empty when the whole file is unusable."""
    why: str
    """What is wrong, in plain words."""

    def __str__(self) -> str:
        if self.key:
            return f"{self.file}: {self.key}: {self.why}"
        return f"{self.file}: {self.why}"


# -- validators: each returns the clean value or raises _Invalid with the reason -------------


class _Invalid(ValueError):
    """A value that cannot be used; the message says why in plain words."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"must be text in quotes, not {_describe(value)}")
    return value.strip()


def _non_empty_text(value: Any) -> str:
    text = _text(value)
    if not text:
        raise _Invalid("must not be empty")
    return text


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _text(value).lower()
        if text not in choices:
            raise _Invalid(f"must be one of {', '.join(choices)}, not {value!r}")
        return text

    return check


def _default_view(value: Any) -> str | None:
    text = _text(value).lower()
    if text in ("", _RESTORE_SESSION):
        return None
    if text not in VIEWS:
        raise _Invalid(f"must be one of {', '.join(VIEWS)} (or leave it out), not {value!r}")
    return text


def _duration(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Invalid(f"must be a number, not {_describe(value)}")
    if value < 0:
        raise _Invalid(f"must not be negative, not {value}")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"must be true or false, not {_describe(value)}")
    return value


def _endpoint(value: Any) -> str:
    text = _non_empty_text(value)
    if not re.match(r"^https?://[^\s/]+", text):
        raise _Invalid(f"must be an http:// or https:// address, not {value!r}")
    return text.rstrip("/")


def _columns(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _Invalid(f'must be a non-empty list such as ["title"], not {_describe(value)}')
    chosen: list[str] = []
    for item in value:
        name = _text(item).lower()
        if name not in COLUMNS:
            raise _Invalid(f"unknown column {item!r}; known: {', '.join(COLUMNS)}")
        if name not in chosen:
            chosen.append(name)
    return chosen


def _date_format(value: Any) -> str:
    text = _non_empty_text(value)
    try:
        dt.date(2026, 1, 2).strftime(text)
    except ValueError as error:
        raise _Invalid(f"is not a valid date format ({error})") from None
    return text


def _key_list(value: Any) -> str:
    """`"j"`, `"j,down"` or `["j", "down"]` -> `"j,down"`."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise _Invalid("must name at least one key")
    keys: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise _Invalid(f"must be a key name in quotes or a list of them, not {_describe(item)}")
        keys.extend(part.strip() for part in item.split(","))
    if not all(keys):
        raise _Invalid(f"has an empty key name in {value!r}")
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


_VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "default_view": _default_view,
    "theme": _non_empty_text,
    "clipboard": _one_of(CLIPBOARD_MODES),
    "clipboard_command": _text,
    "fresh_latest_minutes": _duration,
    "fresh_past_hours": _duration,
    "fresh_paper_days": _duration,
    "fresh_search_minutes": _duration,
    "hf_endpoint": _endpoint,
    "columns": _columns,
    "render_latex": _boolean,
    "date_format": _date_format,
    "read_after_seconds": _duration,
}
"""Top-level settings a file may set (`keys` is a table, `hf_token` comes from the environment)."""


# -- loading ---------------------------------------------------------------------------------


def load_settings(
    path: Path | None = None, *, write_default: bool = True
) -> tuple[Settings, list[ConfigProblem]]:
    """The effective settings and every problem found; never raises.

    A missing file is written with the commented defaults when `write_default` is set.
    """
    config_path = path if path is not None else paths.config_file()
    settings = Settings()
    problems: list[ConfigProblem] = []
    document = _read_document(config_path, problems, write_default=write_default)
    if document is not None:
        _apply_document(settings, document, config_path, problems)
    _apply_environment(settings, problems)
    return settings, problems


def _read_document(
    config_path: Path, problems: list[ConfigProblem], *, write_default: bool
) -> dict[str, Any] | None:
    try:
        raw = config_path.read_bytes()
    except FileNotFoundError:
        if write_default:
            _write_default(config_path)
        return None
    except OSError as error:
        problems.append(
            ConfigProblem(config_path, "", f"cannot be read ({error.strerror}); using defaults")
        )
        return None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        why = "is not UTF-8 text; using defaults"
    except tomllib.TOMLDecodeError as error:
        why = f"is not valid TOML: {error}; using defaults"
    problems.append(ConfigProblem(config_path, "", why))
    return None


def _write_default(config_path: Path) -> None:
    try:
        write_text_atomic(config_path, default_config_text())
    except OSError:
        # A read-only home is no reason to refuse to start: the defaults apply either way.
        return


def _apply_document(
    settings: Settings,
    document: Mapping[str, Any],
    config_path: Path,
    problems: list[ConfigProblem],
) -> None:
    for key, value in document.items():
        if key == "keys":
            _apply_keys(settings, value, config_path, problems)
        elif key == "hf_token":
            problems.append(
                ConfigProblem(
                    config_path,
                    key,
                    "a token is never read from the config file; set HF_TOKEN instead (ignored)",
                )
            )
        elif key in _VALIDATORS:
            try:
                setattr(settings, key, _VALIDATORS[key](value))
            except _Invalid as invalid:
                problems.append(ConfigProblem(config_path, key, f"{invalid}; using the default"))
        else:
            problems.append(ConfigProblem(config_path, key, f"unknown setting {key!r} (ignored)"))


def _apply_keys(
    settings: Settings, table: Any, config_path: Path, problems: list[ConfigProblem]
) -> None:
    if not isinstance(table, dict):
        problems.append(
            ConfigProblem(config_path, "keys", "must be a [keys] table; using the default keys")
        )
        return
    for binding_id, value in table.items():
        try:
            settings.keys[binding_id] = _key_list(value)
        except _Invalid as invalid:
            problems.append(
                ConfigProblem(config_path, f"keys.{binding_id}", f"{invalid}; using the default")
            )


def _apply_environment(settings: Settings, problems: list[ConfigProblem]) -> None:
    endpoint = os.environ.get("HF_ENDPOINT", "").strip()
    if endpoint:
        try:
            settings.hf_endpoint = _endpoint(endpoint)
        except _Invalid as invalid:
            problems.append(ConfigProblem(Path("HF_ENDPOINT"), "", f"{invalid}; ignored"))
    token = os.environ.get("HF_TOKEN", "").strip()
    settings.hf_token = token or None


def unknown_binding_problems(
    settings: Settings, known_ids: Iterable[str], path: Path | None = None
) -> tuple[dict[str, str], list[ConfigProblem]]:
    """The keymap restricted to `known_ids`, and a problem for each id the reader lacks.

    The reader calls this with its bindings' ids before `App.set_keymap`.
    """
    known = set(known_ids)
    config_path = path if path is not None else paths.config_file()
    keymap: dict[str, str] = {}
    problems: list[ConfigProblem] = []
    for binding_id, keys in settings.keys.items():
        if binding_id in known:
            keymap[binding_id] = keys
        else:
            problems.append(
                ConfigProblem(
                    config_path,
                    f"keys.{binding_id}",
                    f"no key binding has the id {binding_id!r} (ignored); "
                    "the help screen lists the ids",
                )
            )
    return keymap, problems


def report_problems(problems: Iterable[ConfigProblem], stream: TextIO | None = None) -> None:
    """Print each problem as one plain line (on stderr unless told otherwise)."""
    target = stream if stream is not None else sys.stderr
    for problem in problems:
        print(f"papershelf: warning: {problem}", file=target)


# -- writing ---------------------------------------------------------------------------------


def default_config_text() -> str:
    """The commented file written on first run: every setting, commented out, at its default."""
    defaults = Settings()
    ids = ", ".join(BINDING_IDS)
    return f"""\
# papershelf settings. Remove the "#" in front of a line to change it.
# `papershelf config` prints the settings in effect; environment variables
# HF_ENDPOINT, HF_TOKEN and PAPERSHELF_HOME override this file.

# The view on start: daily, week, month, trending or starred.
# Left out, papershelf reopens where you left it.
# default_view = "daily"

# Colour theme (the command palette lists them; the last choice is saved here).
# theme = {toml_value(defaults.theme)}

# How copied text reaches the clipboard: auto, system, osc52, osc52-passthrough
# (OSC 52 through tmux or screen) or command (clipboard_command receives the text).
# clipboard = {toml_value(defaults.clipboard)}
# clipboard_command = "wl-copy"

# How long cached lists and papers are shown without asking Hugging Face again.
# fresh_latest_minutes = {toml_value(defaults.fresh_latest_minutes)}
# fresh_past_hours = {toml_value(defaults.fresh_past_hours)}
# fresh_paper_days = {toml_value(defaults.fresh_paper_days)}
# fresh_search_minutes = {toml_value(defaults.fresh_search_minutes)}

# Hugging Face address (HF_ENDPOINT overrides it). The token is read from HF_TOKEN only.
# hf_endpoint = {toml_value(defaults.hf_endpoint)}

# Columns of the paper list, left to right: {", ".join(COLUMNS)}.
# columns = {toml_value(defaults.columns)}

# Show LaTeX such as $\\alpha$ in titles and abstracts as Unicode.
# render_latex = {toml_value(defaults.render_latex)}

# Dates in the reader, as a strftime format.
# date_format = {toml_value(defaults.date_format)}

# Seconds a paper stays highlighted before it counts as read.
# read_after_seconds = {toml_value(defaults.read_after_seconds)}

# Key overrides: binding id = "key" or ["key1", "key2"]. Ids include
# {ids}.
# The help screen (?) lists every id with its key.
[keys]
# star = "s"
# open_pdf = ["p", "ctrl+p"]
"""


def save_setting(key: str, value: Any, path: Path | None = None) -> None:
    """Set one top-level setting in the file, keeping the user's comments; atomic.

    Replaces an active `key = …` line, else a commented-out `# key = …` line, else adds the
    line before the first table. Raises ValueError for an unknown key or a value that setting
    cannot hold, OSError when the file cannot be written.
    """
    if key not in _VALIDATORS:
        raise ValueError(f"unknown setting {key!r}")
    try:
        _VALIDATORS[key](value)
    except _Invalid as invalid:
        raise ValueError(f"{key}: {invalid}") from None
    config_path = path if path is not None else paths.config_file()
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = default_config_text()
    line = f"{key} = {toml_value(value)}"
    write_text_atomic(config_path, _replace_top_level(text, key, line))


def _replace_top_level(text: str, key: str, new_line: str) -> str:
    lines = text.splitlines()
    first_table = next(
        (index for index, line in enumerate(lines) if line.lstrip().startswith("[")),
        len(lines),
    )
    active = re.compile(rf"^\s*{re.escape(key)}\s*=")
    commented = re.compile(rf"^\s*#\s*{re.escape(key)}\s*=")
    for pattern in (active, commented):
        for index in range(first_table):
            if pattern.match(lines[index]):
                end = _value_end(lines, index) if pattern is active else index + 1
                lines[index:end] = [new_line]
                return "\n".join(lines) + "\n"
    insert_at = first_table
    # Keep a blank line between the new setting and the table that follows it.
    addition = [new_line, ""] if first_table < len(lines) else [new_line]
    lines[insert_at:insert_at] = addition
    return "\n".join(lines) + "\n"


def _value_end(lines: list[str], start: int) -> int:
    """Index after the last line of the value starting on `lines[start]` (arrays may span lines)."""
    value = lines[start].split("=", 1)[1]
    depth = _bracket_depth(value)
    index = start + 1
    while depth > 0 and index < len(lines):
        depth += _bracket_depth(lines[index])
        index += 1
    return index


def _bracket_depth(fragment: str) -> int:
    without_strings = re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', "", fragment)
    code = without_strings.split("#", 1)[0]
    return code.count("[") - code.count("]")


def toml_value(value: Any) -> str:
    """`value` as it is written in TOML (also what `papershelf config` prints)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # JSON string escapes are a subset of TOML basic-string escapes.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{" + inner + "}"
    raise ValueError(f"cannot write {type(value).__name__} to TOML")
