"""Whole-paper texts kept with the library (`<data>/bodies/<id>.md`) so starred papers read
offline for good, whatever happens to the cache. One file per paper, written atomically."""

from __future__ import annotations

import re
from pathlib import Path

from papershelf.data import paths
from papershelf.data.atomic import write_text_atomic

_SAFE_ID = re.compile(r"^\d{4}\.\d{4,5}$|^[a-z-]+(?:\.[A-Z]{2})?/\d{7}$")


class KeptBodies:
    """The folder of kept texts; every call blocks briefly (a small file, never a FIFO)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or paths.data_dir() / "bodies"

    def path_of(self, paper_id: str) -> Path | None:
        """The file of `paper_id`; None for an id that cannot be a file name safely."""
        if not _SAFE_ID.match(paper_id):
            return None
        return self.directory / (paper_id.replace("/", "_") + ".md")

    def get(self, paper_id: str) -> str | None:
        path = self.path_of(paper_id)
        if path is None or not path.is_file():
            return None  # not kept, or a FIFO or device whose read would never end
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def keep(self, paper_id: str, text: str) -> bool:
        """Store the text (atomically); False when the disk refused or the id is unusable."""
        path = self.path_of(paper_id)
        if path is None or not text.strip():
            return False
        try:
            write_text_atomic(path, text)
        except OSError:
            return False
        return True

    def has(self, paper_id: str) -> bool:
        path = self.path_of(paper_id)
        return path is not None and path.is_file()

    def forget(self, paper_id: str) -> None:
        path = self.path_of(paper_id)
        if path is not None:
            path.unlink(missing_ok=True)
