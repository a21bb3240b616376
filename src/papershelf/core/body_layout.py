"""Lay a `PaperBody` out as lines of a given width: wrapping, indents, bullets, equation
numbers, and where each section, figure and block begins. Pure and fast enough to redo on
every resize; the reader widget paints only the lines on screen.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from papershelf.core.paper_body import Block, BlockKind, PaperBody, Style
from papershelf.core.text_width import cell_width

Transform = Callable[[str], str]
"""How text reads on screen (LaTeX to Unicode); applied per run, never to code or tables."""

_WORD = re.compile(r"\S+\s*")
_BULLETS = ("•", "◦", "▪")
_TRANSFORMED = frozenset({Style.PLAIN, Style.STRONG, Style.EMPHASIS, Style.MATH, Style.LINK})
MIN_WIDTH = 20


@dataclass(frozen=True, slots=True)
class Mark:
    """A styled stretch of one line (offsets into `Line.text`)."""

    start: int
    end: int
    style: Style
    target: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line of the paper."""

    text: str
    block: int
    """The block it belongs to; -1 for the title header and blank lines."""
    kind: BlockKind | None = None
    marks: tuple[Mark, ...] = ()


@dataclass(slots=True)
class Layout:
    """The paper as lines at one width."""

    width: int
    lines: list[Line] = field(default_factory=list)
    block_lines: list[int] = field(default_factory=list)
    """First line of each block."""
    section_lines: list[int] = field(default_factory=list)
    """First line of each section (same order as `PaperBody.sections`)."""
    figure_lines: list[int] = field(default_factory=list)

    def section_at(self, line: int) -> int | None:
        """Index of the section `line` is in (None before the first heading)."""
        position = bisect.bisect_right(self.section_lines, line) - 1
        return position if position >= 0 else None

    def line_of_block(self, block: int) -> int:
        if 0 <= block < len(self.block_lines):
            return self.block_lines[block]
        return 0


def _identity(text: str) -> str:
    return text


PAUSE_EVERY = 150
"""Blocks laid out between two calls of `pause`."""


def layout(
    body: PaperBody,
    width: int,
    transform: Transform = _identity,
    *,
    pause: Callable[[], None] | None = None,
) -> Layout:
    """Every line of `body` wrapped to `width` cells; `pause` is called now and then."""
    width = max(width, MIN_WIDTH)
    result = Layout(width)
    lines = result.lines
    first = body.sections[0] if body.sections else None
    # Other converters open with the title as a heading; it is not repeated above it.
    repeated = first is not None and first.block == 0 and first.title == body.title
    if body.title and not repeated:
        for start, end in _wrap(body.title, width):
            lines.append(
                Line(
                    body.title[start:end],
                    -1,
                    BlockKind.HEADING,
                    (Mark(0, end - start, Style.STRONG),),
                )
            )
        facts = " · ".join(part for part in (body.published, body.source_url) if part)
        if facts:
            for start, end in _wrap(facts, width):
                lines.append(Line(facts[start:end], -1))
        lines.append(Line("", -1))
    previous: BlockKind | None = None
    for index, block in enumerate(body.blocks):
        if pause is not None and index and index % PAUSE_EVERY == 0:
            pause()
        tight = previous in (BlockKind.ITEM, BlockKind.REFERENCE) and block.kind in (
            BlockKind.ITEM,
            BlockKind.REFERENCE,
        )
        if lines and lines[-1].text and not tight:
            lines.append(Line("", -1))
        result.block_lines.append(len(lines))
        _lay_block(block, index, width, transform, lines)
        previous = block.kind
    result.section_lines = [result.block_lines[section.block] for section in body.sections]
    result.figure_lines = [
        result.block_lines[figure.block] if figure.block < len(result.block_lines) else 0
        for figure in body.figures
    ]
    return result


def _lay_block(
    block: Block, index: int, width: int, transform: Transform, lines: list[Line]
) -> None:
    kind = block.kind
    if kind is BlockKind.RULE:
        lines.append(Line("─" * min(width, 40), index, kind))
        return
    if block.preformatted:
        text = block.runs[0].text if block.runs else ""
        style = Style.CODE
        for raw in text.split("\n"):
            for start, end in _hard_wrap(raw, width - 2):
                piece = "  " + raw[start:end]
                lines.append(Line(piece, index, kind, (Mark(2, len(piece), style),)))
        return
    if kind is BlockKind.EQUATION:
        _lay_equation(block, index, width, transform, lines)
        return
    text, marks = _styled_text(block, transform)
    first, rest = _prefixes(block)
    if kind is BlockKind.FIGURE:
        label = block.number or "Figure"
        first = f"▣ {label}: "
        rest = " " * 4
    if kind is BlockKind.CAPTION:
        first = rest = "  "
    if kind is BlockKind.HEADING:
        marks = [Mark(0, len(text), Style.STRONG)]
    available = max(width - max(cell_width(first), cell_width(rest)), 8)
    for number, (start, end) in enumerate(_wrap(text, available)):
        prefix = first if number == 0 else rest
        shift = len(prefix) - start
        line_marks = tuple(
            Mark(max(m.start, start) + shift, min(m.end, end) + shift, m.style, m.target)
            for m in marks
            if m.start < end and m.end > start
        )
        lines.append(Line(prefix + text[start:end], index, kind, line_marks))


def _lay_equation(
    block: Block, index: int, width: int, transform: Transform, lines: list[Line]
) -> None:
    formula = transform(block.text)
    tag = f"({block.number})" if block.number else ""
    indent = "    "
    room = width - len(indent) - (len(tag) + 2 if tag else 0)
    pieces = [formula[start:end] for start, end in _hard_wrap(formula, max(room, 10))] or [""]
    for number, piece in enumerate(pieces):
        text = indent + piece
        marks = [Mark(len(indent), len(text), Style.MATH)]
        if tag and number == len(pieces) - 1:
            gap = max(2, width - cell_width(text) - len(tag))
            text = text + " " * gap + tag
        lines.append(Line(text, index, BlockKind.EQUATION, tuple(marks)))


def _prefixes(block: Block) -> tuple[str, str]:
    if block.kind is BlockKind.ITEM:
        depth = max(block.level, 1)
        indent = "  " * (depth - 1)
        bullet = _BULLETS[(depth - 1) % len(_BULLETS)]
        return f"{indent}{bullet} ", f"{indent}  "
    if block.kind is BlockKind.PARAGRAPH and block.level > 0:
        return "  " * block.level, "  " * block.level
    if block.kind is BlockKind.QUOTE:
        bar = "│ " * max(block.level, 1)
        return bar, bar
    if block.kind is BlockKind.REFERENCE:
        return "", "    "
    return "", ""


def _styled_text(block: Block, transform: Transform) -> tuple[str, list[Mark]]:
    """The block's text as shown, and its styled stretches."""
    parts: list[str] = []
    marks: list[Mark] = []
    offset = 0
    for run in block.runs:
        text = transform(run.text) if run.style in _TRANSFORMED else run.text
        if run.style is not Style.PLAIN and text:
            marks.append(Mark(offset, offset + len(text), run.style, run.target))
        parts.append(text)
        offset += len(text)
    return "".join(parts), marks


def _wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap: (start, end) of each line; `\\n` forces a break."""
    spans: list[tuple[int, int]] = []
    base = 0
    for piece in text.split("\n"):
        _wrap_piece(piece, base, width, spans)
        base += len(piece) + 1
    return spans


def _wrap_piece(piece: str, base: int, width: int, spans: list[tuple[int, int]]) -> None:
    stripped = piece.rstrip()
    if cell_width(stripped) <= width:
        spans.append((base + len(piece) - len(piece.lstrip()), base + len(stripped)))
        return
    ascii_only = piece.isascii()
    line_start = -1
    line_end = 0
    used = 0
    for match in _WORD.finditer(piece):
        word_start = match.start()
        word = match.group()
        bare = word.rstrip()
        word_end = word_start + len(bare)
        bare_width = len(bare) if ascii_only else cell_width(bare)
        if line_start >= 0 and used + bare_width <= width:
            line_end = word_end
            used += len(word) if ascii_only else cell_width(word)
            continue
        if line_start >= 0:
            spans.append((base + line_start, base + line_end))
        if bare_width > width:
            chunks = _hard_wrap(bare, width)
            for chunk_start, chunk_end in chunks[:-1]:
                spans.append((base + word_start + chunk_start, base + word_start + chunk_end))
            last_start, last_end = chunks[-1]
            line_start = word_start + last_start
            line_end = word_start + last_end
            used = cell_width(bare[last_start:last_end]) + (len(word) - len(bare))
        else:
            line_start = word_start
            line_end = word_end
            used = len(word) if ascii_only else cell_width(word)
    if line_start >= 0:
        spans.append((base + line_start, base + line_end))


def _hard_wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Cut `text` every `width` cells, whatever it holds (code, tables, long formulas)."""
    width = max(width, 1)
    if not text:
        return [(0, 0)]
    if text.isascii():
        return [(start, min(start + width, len(text))) for start in range(0, len(text), width)]
    spans = []
    start = 0
    used = 0
    for position, char in enumerate(text):
        char_width = cell_width(char)
        if used + char_width > width and position > start:
            spans.append((start, position))
            start, used = position, 0
        used += char_width
    spans.append((start, len(text)))
    return spans


# --- search -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    line: int
    start: int
    end: int


def search(lines: list[Line], query: str, *, limit: int = 10_000) -> list[Match]:
    """Every case-insensitive occurrence of `query` in the lines, in reading order."""
    needle = query.strip().lower()
    if not needle:
        return []
    found: list[Match] = []
    size = len(needle)
    for number, line in enumerate(lines):
        text = line.text
        if len(text) < size:
            continue
        folded = text.lower()
        if len(folded) != len(text):
            folded = text  # a character that changes length when lowered: match it as is
        start = folded.find(needle)
        while start >= 0:
            found.append(Match(number, start, start + size))
            if len(found) >= limit:
                return found
            start = folded.find(needle, start + size)
    return found
