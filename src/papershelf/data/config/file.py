"""The config file as text: the commented default file, and `save_setting`'s round-trip edits.

Edits keep the user's comments and layout (tomlkit, imported only when saving).
"""

from __future__ import annotations

import json
import re
import textwrap
import tomllib
from pathlib import Path
from typing import Any

from papershelf.data import paths
from papershelf.data.atomic import write_text_atomic
from papershelf.data.config.schema import BINDING_IDS, COLUMNS, VALIDATORS, InvalidValue, Settings


def default_config_text() -> str:
    """The commented file written on first run: every setting, commented out, at its default."""
    defaults = Settings()
    ids = textwrap.fill(
        ", ".join(BINDING_IDS), width=94, initial_indent="# ", subsequent_indent="# "
    )
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

# Seconds one request to Hugging Face may take in all before the cached list is
# shown instead, and the largest answer accepted (MB, decompressed). The variables
# PAPERSHELF_REQUEST_DEADLINE and PAPERSHELF_MAX_RESPONSE_MB override them.
# request_deadline = {toml_value(defaults.request_deadline)}
# max_response_mb = {toml_value(defaults.max_response_mb)}

# Columns of the paper list, left to right: {", ".join(COLUMNS)}.
# columns = {toml_value(defaults.columns)}

# Show LaTeX such as $\\alpha$ in titles and abstracts as Unicode.
# render_latex = {toml_value(defaults.render_latex)}

# Dates in the reader, as a strftime format.
# date_format = {toml_value(defaults.date_format)}

# Seconds a paper stays highlighted before it counts as read.
# read_after_seconds = {toml_value(defaults.read_after_seconds)}

# Key overrides: binding id = "key" or ["key1", "key2"]. The reader's ids:
{ids}.
# The help screen (?) lists every id with its key, the list's and dialogs' too.
[keys]
# star = "s"
# open_pdf = ["p", "ctrl+o"]
"""


def save_setting(key: str, value: Any, path: Path | None = None) -> None:
    """Set one top-level setting in the file, keeping the user's comments and layout; atomic.

    Replaces an active `key = …` entry (however the key is quoted, keeping its inline comment),
    else a commented-out `# key = …` line, else adds the entry before the first table. Raises
    ValueError for an unknown key, a value that setting cannot hold, or a file that is not
    valid TOML (left untouched); OSError when the file cannot be written.
    """
    if key not in VALIDATORS:
        raise ValueError(f"unknown setting {key!r}")
    try:
        VALIDATORS[key](value)
    except InvalidValue as invalid:
        raise ValueError(f"{key}: {invalid}") from None
    config_path = path if path is not None else paths.config_file()
    try:
        text = config_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = default_config_text()
    write_text_atomic(config_path, with_setting(text, key, value))


def with_setting(text: str, key: str, value: Any) -> str:
    """`text` (a TOML document) with the top-level `key` set to `value`; see `save_setting`."""
    # Deferred: a round-trip TOML parser is needed only when a setting is saved. A line-based
    # edit broke quoted keys, multi-line strings holding "[" and inline comments.
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        document = tomlkit.parse(text)
    except TOMLKitError as error:
        raise ValueError(
            f"the config file is not valid TOML ({error}); it was left as it is"
        ) from None
    if key in document:
        document[key] = value  # tomlkit keeps the key's quoting and its inline comment
        return document.as_string()
    line = _commented_default(document, key)
    if line is not None:
        lines = text.splitlines(keepends=True)
        entry = tomlkit.dumps({key: value})
        at = lines.index(line)
        edited = "".join([*lines[:at], entry, *lines[at + 1 :]])
        if tomllib.loads(edited).get(key) == tomllib.loads(entry)[key]:
            return edited
    document.add(key, value)  # before the first table, as a top-level key must be
    return document.as_string()


def _commented_default(document: Any, key: str) -> str | None:
    """The top-level comment line `# key = …` (as in the default file), if there is one."""
    from tomlkit.items import AoT, Comment, Table

    pattern = re.compile(rf'^\s*#\s*"?{re.escape(key)}"?\s*=')
    for _name, item in document.body:
        if isinstance(item, Table | AoT):
            break  # a comment after a table header belongs to that table
        if isinstance(item, Comment) and pattern.match(item.as_string()):
            return item.as_string()
    return None


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
