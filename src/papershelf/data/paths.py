"""Where papershelf keeps its config, data (the library) and cache.

Locations come from platformdirs; `PAPERSHELF_HOME=DIR` moves all three under DIR as
`DIR/config`, `DIR/data`, `DIR/cache` and `DIR/state`. Nothing is created at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "papershelf"


def home_override() -> Path | None:
    """The `PAPERSHELF_HOME` directory, when set."""
    value = os.environ.get("PAPERSHELF_HOME", "").strip()
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Directory of `config.toml`."""
    home = home_override()
    if home:
        return home / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """Directory of the library database and session state: the user's data."""
    home = home_override()
    if home:
        return home / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Directory of the response cache: safe to delete at any time."""
    home = home_override()
    if home:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """Directory of the debug log: neither settings nor user data, safe to delete."""
    home = home_override()
    if home:
        return home / "state"
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    """Where `--debug` / `PAPERSHELF_LOG` write the log."""
    return state_dir() / "papershelf.log"


def config_file() -> Path:
    return config_dir() / "config.toml"


def library_file() -> Path:
    return data_dir() / "library.sqlite3"


def session_file() -> Path:
    """Last view, date, filter and highlighted paper, restored on start."""
    return data_dir() / "session.json"


def all_paths() -> dict[str, Path]:
    """Every location, by name, as `papershelf paths` prints them."""
    return {
        "config": config_dir(),
        "config_file": config_file(),
        "data": data_dir(),
        "library": library_file(),
        "cache": cache_dir(),
        "log": log_file(),
    }
