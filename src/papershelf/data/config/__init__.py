"""Settings from `config.toml` plus environment overrides; a bad entry never stops papershelf.

Each problem (file, key, why) is collected and the default is used for that key; the caller
reports the problems once (stderr for commands, a notification in the reader).

What can be set (and `Settings`) lives in `config.schema`, the file's text and edits in
`config.file`; import each name from the module that defines it.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from papershelf.core.keymap import ALL_IDS, key_clashes
from papershelf.data import paths
from papershelf.data.atomic import write_text_atomic
from papershelf.data.config.file import default_config_text
from papershelf.data.config.schema import (
    VALIDATORS,
    InvalidValue,
    Settings,
    parse_endpoint,
    parse_key_list,
)

__all__ = [
    "ConfigProblem",
    "binding_problems",
    "load_settings",
    "report_problems",
    "unknown_binding_problems",
]


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
        elif key in VALIDATORS:
            try:
                setattr(settings, key, VALIDATORS[key](value))
            except InvalidValue as invalid:
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
            settings.keys[binding_id] = parse_key_list(value)
        except InvalidValue as invalid:
            problems.append(
                ConfigProblem(config_path, f"keys.{binding_id}", f"{invalid}; using the default")
            )


def _apply_environment(settings: Settings, problems: list[ConfigProblem]) -> None:
    endpoint = os.environ.get("HF_ENDPOINT", "").strip()
    if endpoint:
        try:
            settings.hf_endpoint = parse_endpoint(endpoint)
        except InvalidValue as invalid:
            # Never silently replaced by the default address: the network calls refuse it.
            settings.hf_endpoint = endpoint
            problems.append(
                ConfigProblem(Path("HF_ENDPOINT"), "", f"{invalid}; papershelf will not use it")
            )
    token = os.environ.get("HF_TOKEN", "").strip()
    settings.hf_token = token or None
    for name, variable in NUMBER_VARIABLES.items():
        text = os.environ.get(variable, "").strip()
        if not text:
            continue
        try:
            setattr(settings, name, VALIDATORS[name](float(text)))
        except (ValueError, InvalidValue) as invalid:
            why = (
                invalid if isinstance(invalid, InvalidValue) else f"must be a number, not {text!r}"
            )
            problems.append(ConfigProblem(Path(variable), "", f"{why}; ignored"))


NUMBER_VARIABLES = {
    "request_deadline": "PAPERSHELF_REQUEST_DEADLINE",
    "max_response_mb": "PAPERSHELF_MAX_RESPONSE_MB",
}
"""Numeric settings an environment variable overrides."""


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


def binding_problems(settings: Settings, path: Path | None = None) -> list[ConfigProblem]:
    """Problems of `[keys]`: ids no binding has, and keys two active bindings would share.

    Defaults sharing a key on purpose (escape in several places) are not reported: only a
    clash involving a remapped id is.
    """
    config_path = path if path is not None else paths.config_file()
    problems = unknown_binding_problems(settings, ALL_IDS, config_path)[1]
    for binding_id, other, shared in key_clashes(settings.keys):
        problems.append(
            ConfigProblem(
                config_path,
                f"keys.{binding_id}",
                f"{', '.join(shared)} is also the key of {other!r}; only one of the two would run",
            )
        )
    return problems


def report_problems(problems: Iterable[ConfigProblem], stream: TextIO | None = None) -> None:
    """Print each problem as one plain line (on stderr unless told otherwise)."""
    target = stream if stream is not None else sys.stderr
    for problem in problems:
        print(f"papershelf: warning: {problem}", file=target)
