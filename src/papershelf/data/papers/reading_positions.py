"""Where the user stopped reading each paper (`<data>/reading_positions.json`).

Positions are block indexes (stable across pane widths), most recent last, capped so the
file stays small. Reading and writing never raise: a lost position only means starting at
the top.
"""

from __future__ import annotations

import json
from pathlib import Path

from papershelf.data import paths
from papershelf.data.atomic import write_text_atomic

MAX_PAPERS = 500


def _file() -> Path:
    return paths.data_dir() / "reading_positions.json"


def load_positions(path: Path | None = None) -> dict[str, int]:
    file = path or _file()
    if not file.is_file():
        return {}  # nothing saved yet, or a FIFO or device whose read would never end
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        key: value
        for key, value in data.items()
        if isinstance(key, str)
        and isinstance(value, int)
        and not isinstance(value, bool)
        and 0 <= value < 10**7
    }


def position_of(paper_id: str, path: Path | None = None) -> int | None:
    return load_positions(path).get(paper_id)


def save_position(paper_id: str, block: int, path: Path | None = None) -> bool:
    """Remember `block` for `paper_id` (the most recent paper moves to the end)."""
    positions = load_positions(path)
    positions.pop(paper_id, None)
    positions[paper_id] = max(0, block)
    if len(positions) > MAX_PAPERS:
        positions = dict(list(positions.items())[-MAX_PAPERS:])
    try:
        write_text_atomic(path or _file(), json.dumps(positions) + "\n")
    except OSError:
        return False
    return True
