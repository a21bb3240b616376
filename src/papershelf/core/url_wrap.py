"""Laying out a URL in a narrow column without splitting a word: break after `/`, `?`, `&`."""

from __future__ import annotations

import re

_PIECES = re.compile(r"[^/?&#]*[/?&#]*")


def wrap_url(url: str, width: int, first_width: int | None = None) -> list[str]:
    """`url` as lines of at most `width` characters (`first_width` for the first line).

    Lines end after a `/`, `?`, `&` or `#`, so a path segment is never cut in two; only a
    segment longer than a whole line is cut, at the line's width.
    """
    width = max(width, 1)
    room = width if first_width is None else max(first_width, 0)
    lines: list[str] = []
    line = ""
    for piece in (piece for piece in _PIECES.findall(url) if piece):
        while piece:
            if len(line) + len(piece) <= room:
                line += piece
                piece = ""
            elif line:
                lines.append(line)
                line, room = "", width
            elif room < width:
                lines.append("")  # not even a segment fits beside the label: start below it
                room = width
            else:
                lines.append(piece[:room])
                piece = piece[room:]
                room = width
    if line or not lines:
        lines.append(line)
    return lines
