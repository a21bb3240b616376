"""Opening a link: whether a browser can be shown safely (without a display a console browser
would start inside our terminal, so the URL is copied instead), and launching it detached."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import threading
import webbrowser
from collections.abc import Mapping

LAUNCH_SETTLE_SECONDS = 0.5
"""How long a launched browser command is watched for an immediate failure (a bad option, a
missing display); one still running after that is left to run on its own."""


def can_launch_browser(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> bool:
    """True with `$BROWSER`, a graphical display (X11/Wayland), macOS or Windows."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if environ.get("BROWSER", "").strip():
        return True
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def launch_browser(
    url: str,
    environ: Mapping[str, str] | None = None,
    *,
    settle: float = LAUNCH_SETTLE_SECONDS,
) -> str | None:
    """Start a browser on `url` without waiting for it to close; None, or why it failed.

    Blocks for at most `settle` seconds (run it off the event loop). `$BROWSER` (commands
    separated by the path separator, `%s` standing for the URL) is started in its own session
    with no terminal, so a browser that runs until it is closed never holds the caller, and a
    console browser cannot draw over the reader. Without `$BROWSER` the platform's opener is
    asked through `webbrowser`.
    """
    environ = os.environ if environ is None else environ
    configured = environ.get("BROWSER", "").strip()
    if not configured:
        return _launch_platform_browser(url)
    problems: list[str] = []
    for command in filter(None, (part.strip() for part in configured.split(os.pathsep))):
        problem = _launch(command, url, settle)
        if problem is None:
            return None
        problems.append(problem)
    return " ".join(problems) or "Could not start a browser: $BROWSER names no command."


def _launch_platform_browser(url: str) -> str | None:
    """The first browser `webbrowser` knows, unless it is a console browser: that one would
    take over the reader's terminal (and `webbrowser.open` falls back to it when the first
    choice fails)."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return "No browser found; set $BROWSER to the command that opens links."
    console_types = (getattr(webbrowser, "Elinks", ()),)  # GUI launchers are subclasses
    if type(browser) is webbrowser.GenericBrowser or isinstance(browser, console_types):
        return (
            f"Not opening the console browser {browser.name!r}: it would take over this "
            "terminal. Set $BROWSER to a graphical browser."
        )
    try:
        opened = browser.open(url)
    except (webbrowser.Error, OSError) as error:
        return f"Could not start a browser: {error}."
    return None if opened else "Could not start a browser."


def _launch(command: str, url: str, settle: float) -> str | None:
    try:
        words = shlex.split(command)
    except ValueError as error:
        return f"Could not start the browser command {command!r} from $BROWSER: {error}."
    if not words:
        return f"$BROWSER has an empty command: {command!r}."
    # The URL is one argument, never parsed by a shell.
    arguments = [word.replace("%s", url) for word in words]
    if not any("%s" in word for word in words):
        arguments.append(url)
    try:
        process = subprocess.Popen(
            arguments,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,
        )
    except OSError as error:
        reason = error.strerror or type(error).__name__
        return f"Could not start the browser {words[0]!r} from $BROWSER: {reason}."
    try:
        status = process.wait(timeout=settle)
    except subprocess.TimeoutExpired:
        # Still running: the browser is up (or waiting for its window). Reap it whenever it
        # ends, so no zombie is left behind.
        threading.Thread(target=process.wait, name="browser-reaper", daemon=True).start()
        return None
    if status != 0:
        return f"The browser {words[0]!r} from $BROWSER failed (exit status {status})."
    return None
