"""Copying text out of papershelf: system clipboard, then OSC 52, and always an in-app register.

`Clipboard.copy` blocks (a clipboard program is a subprocess), so the app calls it from a thread
worker. Nothing here imports Textual: the app hands in the callables that write to the terminal.

The two terminal writers, and why there are two:

- `osc52_writer(text)` receives the *text*; the app passes a thread-safe wrapper around
  `App.copy_to_clipboard`, which builds a plain OSC 52 sequence and also remembers the text as
  `App.clipboard`. tmux turns a plain OSC 52 into its own buffer and, with
  `set -g set-clipboard on`, into the outer terminal's clipboard.
- `raw_writer(sequence)` receives a finished escape *sequence* and writes it unchanged; it is
  used only for `clipboard = "osc52-passthrough"`, where papershelf wraps the sequence for tmux
  passthrough itself (tmux drops it unless `allow-passthrough` is on, so this is opt-in).

Both are called on the copying thread, so the app wraps them with `App.call_from_thread`.
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field

MODES = ("auto", "system", "osc52", "osc52-passthrough", "command")
"""Values of the `clipboard` setting; any other value is taken as a custom command."""
OSC52_MAX_BYTES = 100_000
"""Largest OSC 52 payload (base64) sent; many terminals silently drop longer ones."""
COMMAND_TIMEOUT = 5.0
"""Seconds a custom clipboard command may take."""

SYSTEM = "system clipboard"
OSC52 = "OSC 52"
OSC52_PASSTHROUGH = "OSC 52 (tmux passthrough)"
REGISTER_ONLY = "register only"

TextWriter = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One copy kept in the in-app register."""

    what: str
    """What was copied, e.g. `BibTeX for 3 papers`."""
    text: str
    when: dt.datetime
    """Local time of the copy."""


@dataclass(frozen=True, slots=True)
class CopyResult:
    """How a copy went; `message` is the notification to show."""

    method: str
    """`system clipboard`, `OSC 52`, `OSC 52 (tmux passthrough)`, `command …` or `register only`."""
    ok: bool
    """True when the text reached a clipboard (not only the register)."""
    message: str


def _copied_message(method: str, what: str) -> str:
    """What to tell after a copy. OSC 52 is only handed to the terminal, which may drop it
    (tmux does by default, `set-clipboard external`), so it is never called a success."""
    if method == OSC52:
        hint = " — tmux lets it through with `set -g set-clipboard on`" if _in_tmux() else ""
        return f"Sent {what} to the terminal (OSC 52){hint}"
    if method == OSC52_PASSTHROUGH:
        return (
            f"Sent {what} to the terminal (OSC 52 via tmux passthrough; "
            "needs `set -g allow-passthrough on`)"
        )
    return f"Copied {what} ({method})"


def _in_tmux() -> bool:
    return bool(os.environ.get("TMUX"))


class ClipboardUnavailable(Exception):
    """One way of copying did not work; the message says why, in a few words."""


def osc52_sequence(text: str, passthrough: bool = False) -> str:
    """The OSC 52 sequence that puts `text` on the clipboard, optionally wrapped for tmux.

    tmux passthrough is `ESC P tmux; <sequence with every ESC doubled> ESC \\`.
    """
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    sequence = f"\x1b]52;c;{payload}\x07"
    if passthrough:
        return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence


def osc52_size(text: str) -> int:
    """Bytes of the base64 payload an OSC 52 copy of `text` would send."""
    return (len(text.encode("utf-8")) + 2) // 3 * 4


def _pyperclip_copy(text: str) -> None:
    # Deferred: pyperclip probes for clipboard programs on first use, not at import.
    import pyperclip

    try:
        pyperclip.copy(text)
    except pyperclip.PyperclipException as error:
        # pyperclip's messages run to a paragraph; its first sentence says enough.
        reason = str(error).split(". ", 1)[0].strip() or "no clipboard program"
        raise ClipboardUnavailable(reason) from error


@dataclass(slots=True)
class Clipboard:
    """The copy chain chosen by the `clipboard` setting, plus the register of recent copies."""

    mode: str = "auto"
    """One of `MODES`."""
    command: str | None = None
    """The custom command (mode `command`): run without a shell, text on stdin."""
    _: KW_ONLY
    osc52_writer: TextWriter | None = None
    """Sends plain OSC 52 for a text (the app's `copy_to_clipboard`); None: not in a terminal."""
    raw_writer: TextWriter | None = None
    """Writes an escape sequence as is (needed for `osc52-passthrough` only)."""
    system_copy: TextWriter | None = None
    """Copies to the system clipboard, raising `ClipboardUnavailable`; default pyperclip."""
    register_size: int = 20
    register: list[RegisterEntry] = field(default_factory=list, init=False)
    """The last copies, newest first."""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown clipboard mode {self.mode!r}")
        if self.mode == "command" and not (self.command and self.command.strip()):
            raise ValueError("clipboard mode 'command' needs a command")
        if self.system_copy is None:
            self.system_copy = _pyperclip_copy

    @classmethod
    def from_setting(
        cls, setting: str | None, command: str | None = None, **writers: TextWriter | None
    ) -> Clipboard:
        """Build from the config: `clipboard` (a mode) and `clipboard_command`.

        A `clipboard` value that is not a mode name is itself taken as the command.
        """
        value = (setting or "auto").strip()
        if value == "command":
            return cls("command", command, **writers)  # type: ignore[arg-type]
        if value in MODES:
            return cls(value, **writers)  # type: ignore[arg-type]
        return cls("command", value, **writers)  # type: ignore[arg-type]

    @property
    def last(self) -> RegisterEntry | None:
        """The newest register entry."""
        return self.register[0] if self.register else None

    def copy(self, text: str, what: str) -> CopyResult:
        """Copy `text` by the configured chain; `what` names it in the message. Blocks."""
        self._remember(text, what)
        failures: list[str] = []
        for method, attempt in self._chain():
            try:
                attempt(text)
            except ClipboardUnavailable as error:
                failures.append(f"{method}: {error}")
                continue
            return CopyResult(method, True, _copied_message(method, what))
        reasons = "; ".join(failures) or "no clipboard available"
        return CopyResult(
            REGISTER_ONLY,
            False,
            f'Could not copy {what} ({reasons}). Press " to see it and select it with the mouse.',
        )

    def _remember(self, text: str, what: str) -> None:
        self.register.insert(0, RegisterEntry(what, text, dt.datetime.now()))
        del self.register[self.register_size :]

    def _chain(self) -> list[tuple[str, TextWriter]]:
        if self.mode == "command":
            return [(f"command {self.command}", self._run_command)]
        chain: list[tuple[str, TextWriter]] = []
        if self.mode in ("auto", "system"):
            chain.append((SYSTEM, self._system))
        if self.mode in ("auto", "osc52"):
            chain.append((OSC52, self._osc52))
        if self.mode == "osc52-passthrough":
            chain.append((OSC52_PASSTHROUGH, self._osc52_passthrough))
        return chain

    def _system(self, text: str) -> None:
        assert self.system_copy is not None
        try:
            self.system_copy(text)
        except ClipboardUnavailable:
            raise
        except (OSError, subprocess.SubprocessError) as error:
            # pyperclip lets the errors of a failing clipboard program through.
            raise ClipboardUnavailable(f"{type(error).__name__}: {error}") from error

    def _check_osc52_size(self, text: str) -> None:
        size = osc52_size(text)
        if size > OSC52_MAX_BYTES:
            raise ClipboardUnavailable(
                f"{size // 1000} KB is over the {OSC52_MAX_BYTES // 1000} KB terminal limit"
            )

    def _osc52(self, text: str) -> None:
        if self.osc52_writer is None:
            raise ClipboardUnavailable("not running in a terminal")
        self._check_osc52_size(text)
        self.osc52_writer(text)

    def _osc52_passthrough(self, text: str) -> None:
        if self.raw_writer is None:
            raise ClipboardUnavailable("not running in a terminal")
        self._check_osc52_size(text)
        self.raw_writer(osc52_sequence(text, passthrough=True))

    def _run_command(self, text: str) -> None:
        assert self.command is not None
        argv = shlex.split(self.command)
        try:
            completed = subprocess.run(
                argv,
                input=text.encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=COMMAND_TIMEOUT,
                check=False,
            )
        except FileNotFoundError as error:
            raise ClipboardUnavailable(f"{argv[0]} not found") from error
        except subprocess.TimeoutExpired as error:
            raise ClipboardUnavailable(f"no answer within {COMMAND_TIMEOUT:g} s") from error
        except OSError as error:
            raise ClipboardUnavailable(str(error)) from error
        if completed.returncode != 0:
            detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ClipboardUnavailable(
                f"exit status {completed.returncode}" + (f": {detail[-1]}" if detail else "")
            )
