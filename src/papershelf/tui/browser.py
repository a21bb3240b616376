"""Whether handing a URL to `webbrowser` is safe: without a display it would start a console
browser inside our terminal, so the URL is copied instead."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping


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
