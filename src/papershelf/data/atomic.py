"""Whole-file writes that a crash or a kill can never leave half done, and writes to the
files a user names (which may be a FIFO, a device or standard output)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path
from typing import TextIO

_ATTEMPTS = 100
STDOUT_NAME = "-"
"""The file name that means standard output."""


def write_text_atomic(path: Path, text: str, *, make_folders: bool = True) -> None:
    """Write `text` to `path` through a temporary sibling and `os.replace`.

    A symlink is followed, so the file it points to is updated and the link stays. An existing
    file keeps its permission bits; a new one gets the usual 0666 less the umask. Missing
    folders are made unless `make_folders` is False (then FileNotFoundError names the folder).
    Only for regular files: renaming over a FIFO or a device would replace it with a file; a
    path the user names goes through `write_user_file`.
    """
    target = Path(os.path.realpath(path))
    if make_folders:
        target.parent.mkdir(parents=True, exist_ok=True)
    elif not target.parent.is_dir():
        raise FileNotFoundError(
            errno.ENOENT, f"the folder {target.parent} does not exist (create it first)"
        )
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


def is_special_file(path: Path | str) -> bool:
    """True when `path` (followed through symlinks) exists and is not a regular file or folder:
    a FIFO, a device, a socket, a `/dev/fd/N` pipe. Such a file is written straight through."""
    if str(path) == STDOUT_NAME:
        return True
    try:
        mode = os.stat(Path(path).expanduser()).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def write_user_file(path: Path | str, text: str, *, stdout: TextIO | None = None) -> None:
    """Write `text` to a file the user named; raises OSError with a plain `strerror`.

    `-` is standard output. A regular file or a new path (in an existing folder: folders are
    never made) is written atomically. A FIFO or a character device (`/dev/null`, the pipe of
    `backup >(wc -c)`) is written straight through, since renaming over it would replace it
    with a regular file and its reader would get nothing; a write error there (ENOSPC on a
    full device) is raised, never swallowed. A folder, a block device or a socket is refused.
    """
    if str(path) == STDOUT_NAME:
        stream = stdout if stdout is not None else sys.stdout
        stream.write(text)
        stream.flush()  # a full or closed stdout fails here, not silently later
        return
    target = Path(path).expanduser()
    try:
        mode: int | None = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is None or stat.S_ISREG(mode):
        write_text_atomic(target, text, make_folders=False)
    elif stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder; name a file inside it")
    elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        _write_through(target, text.encode("utf-8"))
    else:
        kind = "a block device (a disk)" if stat.S_ISBLK(mode) else "not a file"
        raise OSError(errno.EINVAL, f"it is {kind}; name a file, a FIFO or '-' for stdout")


def _write_through(target: Path, data: bytes) -> None:
    """Write `data` into an existing FIFO or character device without replacing it."""
    # No O_CREAT: should the node vanish after the check, nothing is created in its place.
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(target, flags)
    try:
        opened = os.fstat(descriptor).st_mode
        if stat.S_ISREG(opened):
            # Replaced by a regular file between the check and the open: write it whole.
            os.close(descriptor)
            descriptor = -1
            write_text_atomic(target, data.decode("utf-8"), make_folders=False)
            return
        view = memoryview(data)
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
    finally:
        if descriptor >= 0:
            os.close(descriptor)
