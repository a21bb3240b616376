"""Editing a text in the user's own editor (`$VISUAL`, else `$EDITOR`) through a temporary file."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from papershelf.core.errors import PapershelfError


def editor_command(environ: Mapping[str, str] | None = None) -> list[str] | None:
    """The editor to start, as `papershelf config --edit` picks it; None when none is set."""
    environ = os.environ if environ is None else environ
    editor = environ.get("VISUAL") or environ.get("EDITOR")
    return shlex.split(editor) if editor and editor.strip() else None


def edit_text(text: str, command: list[str], *, suffix: str = ".md") -> str | None:
    """`text` as the user left it in `command`'s editor; None when the editor failed. Blocks.

    The file lives in a private temporary folder and is removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="papershelf-") as folder:
        path = Path(folder) / f"note{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            completed = subprocess.run([*command, str(path)], check=False)
        except OSError as error:
            raise PapershelfError(
                f"cannot start the editor {shlex.join(command)!r}: {error.strerror}"
            ) from None
        if completed.returncode != 0:
            return None
        return path.read_text(encoding="utf-8", errors="replace")
