"""How paper text reads on screen: LaTeX shown as Unicode when `render_latex` is on.

Every title the reader shows (list rows, detail pane, dialog subtitles) goes through
`display_title`, so a paper reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from papershelf.core.model import Paper

_to_unicode: Callable[[str], str] | None = None


def _converter() -> Callable[[str], str]:
    global _to_unicode
    if _to_unicode is None:
        # Deferred: the converter pulls in pylatexenc, which a list of plain titles never needs.
        from papershelf.core.latex import to_unicode

        _to_unicode = to_unicode
    return _to_unicode


def readable(text: str, *, latex: bool = True) -> str:
    """`text` with LaTeX islands shown as Unicode (unchanged when `latex` is off)."""
    if not latex or ("\\" not in text and "$" not in text):
        return text  # the common case: no import, no call
    try:
        return _converter()(text)
    except Exception:
        # A converter bug must never hide the paper: show the raw text instead.
        return text


def display_title(paper: Paper, *, latex: bool = True) -> str:
    """The title of `paper` as the reader shows it."""
    return readable(paper.title, latex=latex)


def plural(count: int, word: str) -> str:
    """`1 paper`, `0 papers`, `1,234 papers`."""
    return f"{count:,} {word}" + ("" if count == 1 else "s")
