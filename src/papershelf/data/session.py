"""The last session (view, date, filter, highlighted paper, theme), restored on start.

Keys the reader uses: `view` (a ListKind value), `value` (date, week, month, query or tag),
`was_latest` (the day shown was the newest one), `filter`, `paper_id`, `theme` and
`export_folder` (where the last export went).
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from pathlib import Path
from typing import Any

from papershelf.data import paths
from papershelf.data.atomic import write_text_atomic


def load_session(path: Path | None = None) -> dict[str, Any]:
    """The saved session, or `{}` when there is none or it cannot be read; never raises."""
    session_path = path if path is not None else paths.session_file()
    try:
        state = json.loads(session_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # Missing, unreadable or corrupt (e.g. cut short by a full disk): start afresh.
        return {}
    if not isinstance(state, dict):
        return {}
    return {key: value for key, value in state.items() if isinstance(key, str)}


def save_session(state: dict[str, Any], path: Path | None = None) -> bool:
    """Write the session atomically; False when the disk refused (the reader quits anyway).

    Dates, enums and paths are stored as text; other non-JSON values are a programming error.
    """
    session_path = path if path is not None else paths.session_file()
    text = json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True, default=_jsonable)
    try:
        write_text_atomic(session_path, text + "\n")
    except OSError:
        return False
    return True


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in the session")
