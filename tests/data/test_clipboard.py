"""The copy chain: system clipboard, OSC 52 (plain or for tmux), custom command, register."""

from __future__ import annotations

import base64
import sys

import pyperclip
import pytest

from papershelf.data import clipboard as clip
from papershelf.data.clipboard import Clipboard, ClipboardUnavailable, osc52_sequence


class Terminal:
    """Records what the app's terminal writers were given."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.sequences: list[str] = []

    def osc52(self, text: str) -> None:
        self.texts.append(text)

    def raw(self, sequence: str) -> None:
        self.sequences.append(sequence)


@pytest.fixture
def terminal() -> Terminal:
    return Terminal()


def failing_system(text: str) -> None:
    raise ClipboardUnavailable("no clipboard program")


def test_system_clipboard_through_pyperclip(monkeypatch, terminal):
    """pyperclip works: the text goes there, OSC 52 is not used."""
    copied: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", copied.append)
    board = Clipboard(osc52_writer=terminal.osc52)
    result = board.copy("@misc{x}", "BibTeX for 3 papers")
    assert copied == ["@misc{x}"]
    assert terminal.texts == []
    assert result == clip.CopyResult(
        "system clipboard", True, "Copied BibTeX for 3 papers (system clipboard)"
    )


def test_pyperclip_unavailable_falls_back_to_osc52(monkeypatch, terminal):
    """PyperclipException (no program) -> the app's OSC 52 writer gets the text."""

    def unavailable(text: str) -> None:
        raise pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism. More")

    monkeypatch.setattr(pyperclip, "copy", unavailable)
    board = Clipboard(osc52_writer=terminal.osc52)
    result = board.copy("héllo", "the arXiv URL")
    assert terminal.texts == ["héllo"]
    assert result.method == "OSC 52" and result.ok
    assert result.message == "Sent the arXiv URL to the terminal (OSC 52)"


def test_failing_clipboard_program_falls_back_to_osc52(monkeypatch, terminal):
    """A clipboard program that crashes (OSError from pyperclip) is no worse than a missing one."""

    def broken(text: str) -> None:
        raise OSError("xclip: cannot open display")

    monkeypatch.setattr(pyperclip, "copy", broken)
    result = Clipboard(osc52_writer=terminal.osc52).copy("x", "x")
    assert result.method == "OSC 52"
    assert terminal.texts == ["x"]


def test_osc52_sequence_plain():
    text = "Attention Is All You Need ✓"
    payload = base64.b64encode(text.encode()).decode()
    assert osc52_sequence(text) == f"\x1b]52;c;{payload}\x07"


def test_osc52_sequence_for_tmux_passthrough():
    """DCS tmux; + the sequence with every ESC doubled + ST."""
    payload = base64.b64encode(b"abc").decode()
    assert osc52_sequence("abc", passthrough=True) == (
        f"\x1bPtmux;\x1b\x1b]52;c;{payload}\x07\x1b\\"
    )


def test_passthrough_setting_writes_the_wrapped_sequence(terminal):
    """`osc52-passthrough` skips the system clipboard and writes the wrapped sequence raw."""
    board = Clipboard.from_setting(
        "osc52-passthrough", osc52_writer=terminal.osc52, raw_writer=terminal.raw
    )
    board.system_copy = pytest.fail  # must not be consulted
    result = board.copy("abc", "the HF URL")
    assert terminal.sequences == [osc52_sequence("abc", passthrough=True)]
    assert terminal.texts == []
    assert result.message == (
        "Sent the HF URL to the terminal (OSC 52 via tmux passthrough; "
        "needs `set -g allow-passthrough on`)"
    )


def test_forced_osc52_skips_the_system_clipboard(terminal):
    board = Clipboard("osc52", osc52_writer=terminal.osc52, system_copy=pytest.fail)
    assert board.copy("abc", "x").method == "OSC 52"
    assert terminal.texts == ["abc"]


def test_forced_system_does_not_fall_back(terminal):
    board = Clipboard("system", osc52_writer=terminal.osc52, system_copy=failing_system)
    result = board.copy("abc", "x")
    assert not result.ok and result.method == "register only"
    assert terminal.texts == []


def test_osc52_refuses_large_text_but_keeps_it_in_the_register(terminal):
    """Above ~100 KB nothing is sent; the message says so and the register has the text."""
    big = "x" * 90_000  # 120 KB of base64
    board = Clipboard(osc52_writer=terminal.osc52, system_copy=failing_system)
    result = board.copy(big, "BibTeX for 900 papers")
    assert terminal.texts == []
    assert not result.ok and result.method == "register only"
    assert "120 KB is over the 100 KB terminal limit" in result.message
    assert 'Press " to see it' in result.message
    assert board.last is not None and board.last.text == big


def test_osc52_just_below_the_limit_is_sent(terminal):
    text = "x" * 75_000  # exactly 100,000 bytes of base64
    board = Clipboard(osc52_writer=terminal.osc52, system_copy=failing_system)
    assert board.copy(text, "x").ok


def test_no_terminal_and_no_system_clipboard_is_register_only():
    board = Clipboard(system_copy=failing_system)
    result = board.copy("abc", "the PDF URL")
    assert result.method == "register only" and not result.ok
    assert result.message.startswith("Could not copy the PDF URL (system clipboard: no clipboard")


def test_custom_command_gets_text_on_stdin(tmp_path):
    """A custom command from the config runs without a shell and reads the text on stdin."""
    target = tmp_path / "copied.txt"
    command = f"sh -c 'cat > \"$1\"' copy {target}"
    board = Clipboard.from_setting(command, system_copy=pytest.fail)
    assert board.mode == "command"
    result = board.copy("Ünïcode & $pecial", "APA reference for 1 paper")
    assert target.read_text("utf-8") == "Ünïcode & $pecial"
    assert result.ok
    assert result.message == f"Copied APA reference for 1 paper (command {command})"


def test_custom_command_failure_is_reported():
    board = Clipboard("command", f"{sys.executable} -c 'import sys; sys.exit(\"no display\")'")
    result = board.copy("abc", "x")
    assert not result.ok
    assert "exit status 1: no display" in result.message


def test_missing_custom_command_is_reported():
    result = Clipboard("command", "papershelf-no-such-program --in").copy("abc", "x")
    assert not result.ok
    assert "papershelf-no-such-program not found" in result.message


def test_register_keeps_the_last_copies_newest_first():
    board = Clipboard(system_copy=lambda text: None, register_size=3)
    for number in range(5):
        board.copy(f"text {number}", f"copy {number}")
    assert [entry.what for entry in board.register] == ["copy 4", "copy 3", "copy 2"]
    assert board.register[0].text == "text 4"
    assert board.register[0].when >= board.register[-1].when


def test_setting_values():
    assert Clipboard.from_setting(None).mode == "auto"
    assert Clipboard.from_setting(" system ").mode == "system"
    assert (
        Clipboard.from_setting("wl-copy --type text/plain").command == "wl-copy --type text/plain"
    )
    with pytest.raises(ValueError):
        Clipboard("clipboard-of-doom")


def test_osc52_inside_tmux_says_how_to_let_it_through(monkeypatch, terminal):
    """tmux drops OSC 52 by default (`set-clipboard external`): the message says it was sent,
    not copied, and names the setting."""
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    result = Clipboard("osc52", osc52_writer=terminal.osc52).copy("abc", "the HF URL")
    assert result.message == (
        "Sent the HF URL to the terminal (OSC 52) — tmux lets it through with "
        "`set -g set-clipboard on`"
    )
    assert "Copied" not in result.message


def test_system_clipboard_says_copied(terminal):
    board = Clipboard("system", osc52_writer=terminal.osc52, system_copy=lambda text: None)
    assert board.copy("abc", "x").message == "Copied x (system clipboard)"
