"""The debug log: `--debug` or `PAPERSHELF_LOG` write requests, cache decisions and timings.

stdlib logging to a file in the state directory: the reader owns the terminal, so a log on
stderr would tear its screen, and a file can be attached to a bug report.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from papershelf.data import paths

LOG_VARIABLE = "PAPERSHELF_LOG"
"""`debug`, `info` or `warning`; `1`/`true` mean `debug`. Unset or empty: no log."""
_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
_TRUE = {"1", "true", "yes", "on"}


def requested_level(debug: bool = False) -> int | None:
    """The level asked for by `--debug` or `PAPERSHELF_LOG`; None when no log is wanted."""
    if debug:
        return logging.DEBUG
    value = os.environ.get(LOG_VARIABLE, "").strip().lower()
    if not value or value in {"0", "false", "no", "off"}:
        return None
    if value in _TRUE:
        return logging.DEBUG
    return _LEVELS.get(value, logging.DEBUG)


def start_log(level: int, path: Path | None = None) -> Path | None:
    """Send papershelf's log records at `level` and above to the log file; its path.

    None when the file cannot be opened: a log is never a reason to stop.
    """
    target = path if path is not None else paths.log_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(target, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%dT%H:%M:%S")
    )
    logger = logging.getLogger("papershelf")
    logger.addHandler(handler)
    logger.setLevel(level)
    return target


def hub_offline() -> bool:
    """True when `HF_HUB_OFFLINE` asks for no network, as huggingface_hub reads it."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE
