"""The copier: the clipboard chain and its register, and the words naming what was copied.

Every copy goes through `Copier.copy`: `data.clipboard.Clipboard.copy` runs in a thread worker
(the system clipboard is a subprocess) and one notification says how the text got there.
"""

from __future__ import annotations

import os
import shlex
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from papershelf.core.model import Paper

if TYPE_CHECKING:
    from types import ModuleType

    from textual.app import App

    from papershelf.data.clipboard import Clipboard, CopyResult


def _cite() -> ModuleType:
    # Deferred: the citation formats are only needed once something is copied, not at start-up.
    from papershelf.core import cite

    return cite


def what_was_copied(fmt: str, count: int) -> str:
    """The words naming a copy: `BibTeX for 3 papers`, `arXiv URL for 1 paper`."""
    return _cite().describe(fmt, count)


def arxiv_bibtex_what(count: int, local: int, fetched: int) -> str:
    """Name an arXiv BibTeX copy, saying when arXiv could not be reached for some entries."""
    described = _cite().describe("bibtex", count)
    if not local:
        return f"arXiv {described}"
    if local >= fetched:
        return f"local {described} — arXiv unreachable"
    return f"{described} — {local} built locally, arXiv unreachable"


def text_for(papers: Sequence[Paper], fmt: str) -> str:
    """The text a local copy of `papers` in `fmt` puts on the clipboard (links one per line)."""
    if fmt in _cite().URL_FORMATS:
        return "\n".join(getattr(paper, fmt) for paper in papers)
    return _cite().format_papers(papers, fmt)


def program_name(command: str) -> str:
    """The program a command line runs, e.g. `wl-copy` for `/usr/bin/wl-copy --type text/plain`."""
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    return os.path.basename(words[0]) if words else command.strip()


def shorten_command(message: str, clipboard: Clipboard) -> str:
    """`message` naming a custom clipboard command by its program only, not its whole line."""
    command = clipboard.command if clipboard.mode == "command" else None
    if not command or not command.strip():
        return message
    return message.replace(f"command {command}", program_name(command))


def build_clipboard(app: App[Any], setting: str, command: str = "") -> Clipboard:
    """The copy chain for `app` from the `clipboard` (and `clipboard_command`) settings.

    Both terminal writers may be called from the copying thread; they hop to the app's thread.
    """
    from papershelf.data.clipboard import Clipboard

    def on_app_thread(callback: Callable[[str], None], value: str) -> None:
        if app._thread_id == threading.get_ident():
            callback(value)
        else:
            app.call_from_thread(callback, value)

    def write_raw(sequence: str) -> None:
        # The same route App.copy_to_clipboard takes, without its plain OSC 52 wrapping.
        if app._driver is not None:
            app._driver.write(sequence)

    writers: dict[str, Callable[[str], None]] = {
        "osc52_writer": lambda text: on_app_thread(app.copy_to_clipboard, text),
        "raw_writer": lambda sequence: on_app_thread(write_raw, sequence),
    }
    value = (setting or "auto").strip()
    if value == "command":
        if command.strip():
            return Clipboard("command", command, **writers)
        value = "auto"
    return Clipboard.from_setting(value, **writers)


class Copier:
    """Copies text through the clipboard chain off the event loop; one toast says how."""

    def __init__(self, app: App[Any], setting: str = "auto", command: str = "") -> None:
        self.app = app
        """The app whose terminal receives OSC 52 and whose notifications report copies."""
        self._setting = setting
        self._command = command
        self._clipboard: Clipboard | None = None

    @property
    def clipboard(self) -> Clipboard:
        """The copy chain and its register (not `App.clipboard`, the last text copied).

        Built on first use: the first frame needs no clipboard.
        """
        if self._clipboard is None:
            self._clipboard = build_clipboard(self.app, self._setting, self._command)
        return self._clipboard

    def copy(self, text: str, what: str, *, reason: str = "", title: str = "") -> None:
        """Copy `text` in a thread worker; `reason` leads the toast when the copy stands in for
        something else ("No browser here — copied the link … (OSC 52)")."""
        self.app.run_worker(
            lambda: self._copy_in_thread(text, what, reason, title),
            thread=True,
            group="clipboard",
            exit_on_error=False,
            description="copy",
        )

    def _copy_in_thread(self, text: str, what: str, reason: str, title: str) -> CopyResult:
        result = self.clipboard.copy(text, what)
        self.app.call_from_thread(self._copied, text, result, reason, title)
        return result

    def _copied(self, text: str, result: CopyResult, reason: str, title: str) -> None:
        from papershelf.data.clipboard import OSC52_PASSTHROUGH

        if result.method == OSC52_PASSTHROUGH:
            # The raw sequence bypasses copy_to_clipboard; keep `App.clipboard` (paste) in step.
            self.app._clipboard = text
        message = shorten_command(result.message, self.clipboard)
        if reason:
            message = f"{reason} — {message[:1].lower()}{message[1:]}"
        severity = "information" if result.ok else "warning"
        self.app.notify(message, title=title, severity=severity, markup=False)
