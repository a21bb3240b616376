"""Whole-file writes that a crash or a kill can never leave half done."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

_ATTEMPTS = 100


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary sibling and `os.replace`; makes the folder.

    A symlink is followed, so the file it points to is updated and the link stays. An existing
    file keeps its permission bits; a new one gets the usual 0666 less the umask.
    """
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        kept_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        kept_mode = None
    descriptor, temporary_name = _create_sibling(target)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            if kept_mode is not None:
                os.fchmod(handle.fileno(), kept_mode)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary_name)
        raise


def _create_sibling(target: Path) -> tuple[int, str]:
    """A new, empty file beside `target`, opened for writing, created with mode 0666 & ~umask.

    `tempfile.mkstemp` would create it 0600, which `os.replace` would then give the target.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_ATTEMPTS):
        name = str(target.parent / f".{target.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(name, flags, 0o666), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")
