"""`papershelf config`: the settings in effect, where they come from, and the file itself."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from papershelf.core.errors import PapershelfError
from papershelf.core.keymap import ALL_IDS
from papershelf.data import paths
from papershelf.data.config import ConfigProblem, binding_problems, load_settings, report_problems
from papershelf.data.config.file import default_config_text, toml_value
from papershelf.data.config.schema import SETTING_NAMES, Settings

_FROM_ENVIRONMENT = {
    "hf_endpoint": "HF_ENDPOINT",
    "request_deadline": "PAPERSHELF_REQUEST_DEADLINE",
    "max_response_mb": "PAPERSHELF_MAX_RESPONSE_MB",
}
"""Settings an environment variable overrides, for the "where from" notes."""


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `papershelf config`."""
    config_parser = subparsers.add_parser(
        "config",
        help="print the settings in effect (or the config file's path, or edit it)",
        description="Print the settings in effect as `key = value` lines; stderr says where "
        "they came from. Problems in the file are reported once on stderr and the defaults "
        "are used for the entries concerned: what is printed is what the reader uses.",
    )
    config_parser.add_argument(
        "--format",
        choices=("toml", "json"),
        default="toml",
        help="toml (default) or json (with a `problems` list)",
    )
    action = config_parser.add_mutually_exclusive_group()
    action.add_argument("--path", action="store_true", help="print the config file's path")
    action.add_argument(
        "--default", action="store_true", help="print the commented default config file"
    )
    action.add_argument(
        "--edit", action="store_true", help="open the config file in $VISUAL or $EDITOR"
    )
    config_parser.set_defaults(handler=run_config)


def run_config(args: argparse.Namespace) -> int:
    """Handle `papershelf config [--path | --default | --edit]`."""
    config_path = paths.config_file()
    if args.path:
        print(config_path)
        return 0
    if args.default:
        sys.stdout.write(default_config_text())
        return 0
    if args.edit:
        return _edit(config_path)
    # Problems of the file were already reported once by the front door; the theme and the key
    # bindings are checked only here (the reader checks them itself when it starts).
    settings, problems = load_settings(config_path)
    settings, own_problems = in_effect(settings, config_path)
    report_problems(own_problems)
    if args.format == "json":
        print(json.dumps(effective_record(settings, config_path, [*problems, *own_problems])))
        return 0
    origin = "from" if config_path.is_file() else "no file at"
    print(f"# settings {origin} {config_path}", file=sys.stderr)
    for line in effective_lines(settings):
        print(line)
    return 0


def in_effect(settings: Settings, config_path: Path) -> tuple[Settings, list[ConfigProblem]]:
    """The settings as the reader would use them, and the problems that only it detects.

    A theme that does not exist falls back to the default one; a `[keys]` id no binding has is
    dropped (clashing keys stay: both are set, only one would run, the problem says which).
    """
    problems = binding_problems(settings, config_path)
    keys = {key: value for key, value in settings.keys.items() if key in ALL_IDS}
    theme = settings.theme
    if theme not in _theme_names():
        default = Settings().theme
        problems.append(
            ConfigProblem(
                config_path,
                "theme",
                f"there is no theme {theme!r}; using the default {default!r} "
                "(the reader's command palette lists every theme)",
            )
        )
        theme = default
    return dataclasses.replace(settings, keys=keys, theme=theme), problems


def _theme_names() -> set[str]:
    # Deferred: only `config` needs Textual's theme table.
    from textual.theme import BUILTIN_THEMES

    from papershelf.tui.themes import papershelf_themes

    return set(BUILTIN_THEMES) | {theme.name for theme in papershelf_themes()}


def effective_record(
    settings: Settings, config_path: Path, problems: list[ConfigProblem]
) -> dict[str, object]:
    """`config --format json`: the settings in effect, where from, and every problem."""
    values = {
        name: getattr(settings, name) for name in SETTING_NAMES if name not in ("keys", "hf_token")
    }
    return {
        "config_file": str(config_path),
        "config_file_exists": config_path.is_file(),
        "settings": values,
        "keys": dict(sorted(settings.keys.items())),
        "hf_token_set": bool(settings.hf_token),
        "environment": {
            name: variable
            for name, variable in _FROM_ENVIRONMENT.items()
            if os.environ.get(variable, "").strip()
        },
        "problems": [
            {"file": str(problem.file), "key": problem.key, "problem": problem.why}
            for problem in problems
        ],
    }


def effective_lines(settings: Settings) -> list[str]:
    """The settings as TOML-style lines; the token is never printed, only whether it is set."""
    lines: list[str] = []
    for name in SETTING_NAMES:
        value = getattr(settings, name)
        if name == "keys":
            continue
        if name == "hf_token":
            lines.append(f"# hf_token: {'set from HF_TOKEN' if value else 'not set (HF_TOKEN)'}")
            continue
        if value is None:
            lines.append(f"# {name}: not set (the last session is restored)")
            continue
        note = _environment_note(name)
        lines.append(f"{name} = {toml_value(value)}{note}")
    lines.append("")
    lines.append("[keys]")
    lines.extend(
        f"{binding_id} = {toml_value(keys)}" for binding_id, keys in sorted(settings.keys.items())
    )
    return lines


def _environment_note(name: str) -> str:
    variable = _FROM_ENVIRONMENT.get(name)
    if variable and os.environ.get(variable, "").strip():
        return f"  # from {variable}"
    return ""


def _edit(config_path: Path) -> int:
    # Deferred: only `--edit` starts a process; every command imports this module.
    import shlex
    import subprocess

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        raise PapershelfError(
            f"set VISUAL or EDITOR to choose an editor, or edit {config_path} directly"
        )
    if not config_path.exists():
        load_settings(config_path)  # writes the commented default to start from
    try:
        completed = subprocess.run([*shlex.split(editor), str(config_path)], check=False)
    except OSError as error:
        raise PapershelfError(f"cannot start the editor {editor!r}: {error.strerror}") from None
    if completed.returncode != 0:
        return completed.returncode
    settings, problems = load_settings(config_path, write_default=False)
    report_problems([*problems, *binding_problems(settings, config_path)])
    return 0


def load_and_report(*, report: bool = True) -> tuple[Settings | None, list[ConfigProblem]]:
    """Load the config once per run, writing the default file on first run.

    Problems go to stderr once when `report` is set (the reader shows them itself). Never
    raises: a broken config must not stop any command; None then means "use the defaults".
    """
    try:
        settings, problems = load_settings()
    except Exception as error:
        # A bug here must not take every command down with it; say so and go on with defaults.
        print(f"papershelf: warning: could not load the settings: {error}", file=sys.stderr)
        return None, []
    if report:
        report_problems(problems)
    return settings, problems
