"""A whole paper (`/papers/{id}.md`) as a document model: blocks of styled runs, an outline,
figures and citations. Pure: markdown-it-py tokens in, dataclasses out; no I/O, no Textual.

Hugging Face converts arXiv's HTML, so real bodies start with a `Title:` / `URL Source:` /
`Published Time:` / `Markdown Content:` header, keep math as raw LaTeX (display equations on a
line of their own with the number glued on: `…\\right](1)`), cite as `[[7](…#bib.bib7 "…")]`
and end with a `## References` list. Other converters add `$$…$$`, pipe tables and HTML
`<table>`s; all of them become blocks the reader lays out itself (see `body_layout`).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from papershelf.core.links import is_openable
from papershelf.core.text import strip_control


class BlockKind(enum.StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    EQUATION = "equation"
    FIGURE = "figure"
    CAPTION = "caption"
    ITEM = "item"
    REFERENCE = "reference"
    CODE = "code"
    TABLE = "table"
    QUOTE = "quote"
    RULE = "rule"


class Style(enum.StrEnum):
    PLAIN = ""
    STRONG = "strong"
    EMPHASIS = "emphasis"
    CODE = "code"
    LINK = "link"
    CITATION = "citation"
    MATH = "math"


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text in one style; links and citations keep their target."""

    text: str
    style: Style = Style.PLAIN
    target: str | None = None
    """The URL of a link or citation (raw; validated before it is opened)."""
    title: str | None = None
    """A citation's title attribute (the cited work, when the converter kept it)."""


@dataclass(frozen=True, slots=True)
class Block:
    """A heading, paragraph, equation, list item, table … in reading order."""

    kind: BlockKind
    runs: tuple[Run, ...]
    level: int = 0
    """Heading level (1..6) or list depth (1 = top level)."""
    number: str | None = None
    """An equation's number (`1`), a figure's label (`Figure 3`), a reference's `[7]`."""
    preformatted: bool = False
    """Code and tables: lines are kept as they are, never re-wrapped."""
    figure: int | None = None
    """Index into `PaperBody.figures` for figure and caption blocks."""

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, slots=True)
class Section:
    """One outline entry."""

    title: str
    level: int
    block: int
    """Index of the heading block."""


@dataclass(slots=True)
class Figure:
    """A figure: its label, caption and image address (when the converter kept one)."""

    label: str
    caption: str = ""
    url: str | None = None
    block: int = 0

    @property
    def openable(self) -> bool:
        return is_openable(self.url)


@dataclass(slots=True)
class PaperBody:
    """The parsed paper."""

    title: str = ""
    source_url: str | None = None
    published: str | None = None
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    references: dict[str, int] = field(default_factory=dict)
    """Reference label (`7`) -> block index of its entry in the References list."""
    complete: bool = True
    """False for the opening only (`parse_paper(..., limit=…)`)."""


# --- the header block -----------------------------------------------------------------------

_HEADER_FIELD = re.compile(r"^(Title|URL Source|Published Time):[ \t]*(.*)$")
_CONTENT_MARK = re.compile(r"^Markdown Content:[ \t]*$", re.MULTILINE)


def split_header(text: str) -> tuple[dict[str, str], str]:
    """The `Title:`/`URL Source:`/`Published Time:` fields and the Markdown after the header.

    Text without a `Markdown Content:` line within its first lines is all body.
    """
    mark = _CONTENT_MARK.search(text, 0, 4000)
    if mark is None:
        return {}, text
    fields: dict[str, str] = {}
    for line in text[: mark.start()].splitlines():
        match = _HEADER_FIELD.match(line.strip())
        if match:
            fields[match[1]] = " ".join(match[2].split())
        elif line.strip():
            return {}, text  # something else before the mark: not a header block
    return fields, text[mark.end() :].lstrip("\n")


# --- parsing --------------------------------------------------------------------------------

_EQUATION_NUMBER = re.compile(r"\((\d{1,3}(?:\.\d{1,3})?[a-z]?)\)\s*$")
_TAG = re.compile(r"\\tag\{([^{}]{1,12})\}\s*$")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_PLAIN_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{4,}")
_FIGURE_CAPTION = re.compile(r"^(Figure|Fig\.)\s*(\d{1,3}[a-z]?)\s*[:.|]")
_IMAGE_NUMBER = re.compile(r"^Image\s+(\d{1,3})\s*:\s*")
_BULLET_GLYPH = re.compile(r"^[•◦▪–—\-∙·]\s*")
_REFERENCE_LABEL = re.compile(r"^\[(\w{1,12})\]\s*")
_REFERENCES_TITLE = re.compile(r"^(?:[\dIVX.]+\s+)?(references|bibliography)$", re.IGNORECASE)
_BLANKS = re.compile(r"[ \t\u00a0]+")
_LATEX_PUNCTUATION = re.compile(r"(?<!\\)\\([,;:!{}|])")
_MARKER_ONLY = re.compile(r"^([*+-])\s+[•◦▪–—∙·]?\s*$")

_MARKDOWN: Any = None


def _markdown() -> Any:
    global _MARKDOWN
    if _MARKDOWN is None:
        from markdown_it import MarkdownIt

        # CommonMark (ATX and Setext headings, fences, HTML blocks) plus pipe tables; no
        # linkify or typographer: the text is shown as the converter wrote it.
        _MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable("table")
    return _MARKDOWN


CHUNK_CHARS = 8_000
"""The Markdown is parsed in pieces of about this size, split at safe blank lines, so a
caller can paint the opening at once and let a thread parse the rest with pauses between."""


def parse_paper(
    text: str, *, limit: int | None = None, pause: Callable[[], None] | None = None
) -> PaperBody:
    """`/papers/{id}.md` (or any converter's Markdown) -> `PaperBody`; never raises.

    `limit`: stop after the piece that reaches this many characters (the opening of a long
    paper). `pause`: called between pieces (a thread yields to the UI there).
    """
    fields, markdown = split_header(text.replace("\r\n", "\n").replace("\r", "\n"))
    fields = {name: strip_control(value) for name, value in fields.items()}
    body = PaperBody(
        title=fields.get("Title", ""),
        source_url=fields.get("URL Source") or None,
        published=fields.get("Published Time") or None,
    )
    builder = _Builder(body)
    parser = _markdown()
    done = 0
    for chunk in markdown_chunks(markdown, first=limit):
        if done and pause is not None:
            pause()
        done += len(chunk)
        # Cleaned piece by piece, so the opening of a long paper costs only its own length.
        chunk = strip_control(chunk).expandtabs(4)
        if fields:
            # HF's bodies hold raw LaTeX, where `\\,` `\\!` `\\{` are spacing and braces,
            # not Markdown escapes: keep their backslash through the parser.
            chunk = _LATEX_PUNCTUATION.sub(r"\\\\\1", chunk)
        builder.run(parser.parse(chunk))
        if limit is not None and done >= limit:
            body.complete = False
            break
    if not body.title:
        for section in body.sections:
            if section.level == 1:
                body.title = section.title
                break
    return body


_SAFE_BREAK = re.compile(r"\n\n+(?=[^\s])")


def markdown_chunks(
    markdown: str, size: int = CHUNK_CHARS, *, first: int | None = None
) -> Iterator[str]:
    """Pieces of about `size` characters (the first one `first`), cut at a blank line before
    an unindented line and outside code fences, so each parses as it would inside the whole."""
    start = 0
    piece = min(first or size, size)
    while len(markdown) - start > piece * 1.5:
        cut = -1
        for match in _SAFE_BREAK.finditer(markdown, start + piece):
            if markdown.count("```", start, match.start()) % 2 == 0:
                cut = match.end()
                break
            if match.start() - start > size * 20:
                break
        if cut == -1:
            break
        yield markdown[start:cut]
        start = cut
        piece = size
    yield markdown[start:]


class _Builder:
    """Walks the token stream once, turning it into blocks."""

    def __init__(self, body: PaperBody) -> None:
        self.body = body
        self.list_depth = 0
        self.quote_depth = 0
        self.in_references = False
        self.references_level = 0
        self.item_first_paragraph = False
        self.pending_heading: int | None = None
        self.pending_item = 0
        """List depth of a bullet whose marker line the converter indented into a code block."""

    # -- the walk --

    def run(self, tokens: list[Any]) -> None:
        index = 0
        count = len(tokens)
        while index < count:
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                self.pending_heading = int(token.tag[1:])
            elif kind == "inline":
                self.inline(token)
            elif kind == "bullet_list_open" or kind == "ordered_list_open":
                self.list_depth += 1
            elif kind == "bullet_list_close" or kind == "ordered_list_close":
                self.list_depth -= 1
            elif kind == "list_item_open":
                self.item_first_paragraph = True
            elif kind == "blockquote_open":
                self.quote_depth += 1
            elif kind == "blockquote_close":
                self.quote_depth -= 1
            elif kind in ("fence", "code_block"):
                self.code(token.content)
            elif kind == "html_block":
                self.html(token.content)
            elif kind == "hr":
                self.add(Block(BlockKind.RULE, ()))
            elif kind == "table_open":
                index = self.pipe_table(tokens, index)
            index += 1

    def add(self, block: Block) -> int:
        self.body.blocks.append(block)
        return len(self.body.blocks) - 1

    # -- inline content --

    def inline(self, token: Any) -> None:
        runs = _runs(token.children or [])
        images = [child for child in token.children or [] if child.type == "image"]
        if self.pending_heading is not None:
            level, self.pending_heading = self.pending_heading, None
            self.heading(level, runs)
            return
        if self.list_depth:
            self.item(runs, images)
            return
        self.paragraph(runs, images)

    def heading(self, level: int, runs: list[Run]) -> None:
        title = _one_line("".join(run.text for run in runs))
        if not title:
            return
        if _REFERENCES_TITLE.match(title):
            self.in_references, self.references_level = True, level
        elif self.in_references and level <= self.references_level:
            self.in_references = False
        block = self.add(Block(BlockKind.HEADING, _squash(runs), level=level))
        self.body.sections.append(Section(title, level, block))

    def item(self, runs: list[Run], images: list[Any]) -> None:
        first, self.item_first_paragraph = self.item_first_paragraph, False
        runs = _strip_leading(runs, _BULLET_GLYPH) if first else runs
        for image in images:
            self.figure_image(image)
        text = "".join(run.text for run in runs).strip()
        if not text:
            return
        if self.in_references:
            label = _REFERENCE_LABEL.match(text)
            block = self.add(
                Block(
                    BlockKind.REFERENCE, _squash(runs), level=1, number=label[1] if label else None
                )
            )
            if label:
                self.body.references.setdefault(label[1], block)
            return
        level = self.list_depth if first else self.list_depth + 1
        kind = BlockKind.ITEM if first else BlockKind.PARAGRAPH
        for piece_kind, piece in self.split_equations(runs):
            self.add(
                Block(
                    piece_kind if piece_kind is BlockKind.EQUATION else kind,
                    piece.runs,
                    level=level,
                    number=piece.number,
                )
            )
            kind = BlockKind.PARAGRAPH

    def paragraph(self, runs: list[Run], images: list[Any]) -> None:
        for image in images:
            self.figure_image(image)
        text = "".join(run.text for run in runs).strip()
        if not text:
            return
        display = _dollar_display(text)
        if display is not None:
            self.equation(*display)
            return
        caption = _FIGURE_CAPTION.match(text)
        if caption:
            self.caption(f"Figure {caption[2]}", runs)
            return
        kind = BlockKind.QUOTE if self.quote_depth else BlockKind.PARAGRAPH
        level = self.quote_depth
        if self.pending_item:
            kind, level, self.pending_item = BlockKind.ITEM, self.pending_item, 0
            runs = _strip_leading(runs, _BULLET_GLYPH)
        for piece_kind, piece in self.split_equations(runs):
            if piece_kind is BlockKind.EQUATION:
                self.add(Block(BlockKind.EQUATION, piece.runs, number=piece.number))
            else:
                self.add(Block(kind, piece.runs, level=level))
                kind = BlockKind.QUOTE if self.quote_depth else BlockKind.PARAGRAPH

    def split_equations(self, runs: list[Run]) -> list[tuple[BlockKind, _Piece]]:
        """Split a paragraph at its line breaks where a line is a display equation.

        HF's converter puts a display equation on a line of its own, glued to its number,
        often with the following sentence on the next line of the same paragraph.
        """
        lines = _split_lines(runs)
        if len(lines) == 1 and not _looks_like_equation(_plain(lines[0])):
            return [(BlockKind.PARAGRAPH, _Piece(_squash(_join_soft(lines))))]
        pieces: list[tuple[BlockKind, _Piece]] = []
        prose: list[list[Run]] = []
        for line in lines:
            plain = _plain(line)
            if _looks_like_equation(plain):
                if prose:
                    pieces.append((BlockKind.PARAGRAPH, _Piece(_squash(_join_soft(prose)))))
                    prose = []
                formula, number = _equation_number(plain)
                pieces.append((BlockKind.EQUATION, _Piece((Run(formula, Style.MATH),), number)))
            else:
                prose.append(line)
        if prose:
            pieces.append((BlockKind.PARAGRAPH, _Piece(_squash(_join_soft(prose)))))
        return [(kind, piece) for kind, piece in pieces if piece.runs]

    def equation(self, formula: str, number: str | None) -> None:
        self.add(Block(BlockKind.EQUATION, (Run(formula, Style.MATH),), number=number))

    # -- figures --

    def figure_image(self, image: Any) -> None:
        alt = _one_line(image.content or "")
        url = (image.attrGet("src") or "").strip() or None
        number = _IMAGE_NUMBER.match(alt)
        label = f"Image {number[1]}" if number else f"Image {len(self.body.figures) + 1}"
        description = _IMAGE_NUMBER.sub("", alt)
        if description.lower() == "refer to caption":
            description = ""
        figure = Figure(label, description, url, len(self.body.blocks))
        self.body.figures.append(figure)
        self.add(
            Block(
                BlockKind.FIGURE,
                (Run(description or "image", Style.EMPHASIS, url),),
                number=label,
                figure=len(self.body.figures) - 1,
            )
        )

    def caption(self, label: str, runs: list[Run]) -> None:
        """A `Figure N:` paragraph: it captions the image just before it, or stands alone."""
        caption = _FIGURE_CAPTION.sub("", _one_line("".join(run.text for run in runs))).strip()
        figures = self.body.figures
        blocks = self.body.blocks
        previous = blocks[-1] if blocks else None
        if (
            previous is not None
            and previous.kind is BlockKind.FIGURE
            and previous.figure is not None
            and figures[previous.figure].label.startswith("Image")
        ):
            figure_index = previous.figure
            figure = figures[figure_index]
            figure.label, figure.caption = label, caption
            blocks[-1] = Block(BlockKind.FIGURE, previous.runs, number=label, figure=figure_index)
        else:
            figures.append(Figure(label, caption, None, len(blocks)))
            figure_index = len(figures) - 1
        self.add(Block(BlockKind.CAPTION, _squash(runs), number=label, figure=figure_index))

    # -- preformatted blocks --

    def code(self, content: str) -> None:
        text = content.rstrip("\n")
        if _MARKER_ONLY.match(text.strip()):
            # `    *   –` then the item's text unindented: HF's nested bullets.
            self.pending_item = self.list_depth + 2
            return
        if text.strip():
            self.add(Block(BlockKind.CODE, (Run(text, Style.CODE),), preformatted=True))

    def html(self, content: str) -> None:
        if "<table" in content.lower():
            parser = _TableParser()
            parser.feed(content)
            parser.close()
            if parser.rows:
                self.table(parser.rows)
            text = _one_line(parser.outside)
            if text:
                self.paragraph([Run(text)], [])
            return
        text = _one_line(_strip_tags(content))
        if text:
            self.paragraph([Run(text)], [])

    def pipe_table(self, tokens: list[Any], index: int) -> int:
        rows: list[list[str]] = []
        row: list[str] = []
        while index < len(tokens) and tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                row = []
            elif token.type == "inline":
                row.append(_one_line("".join(run.text for run in _runs(token.children or []))))
            elif token.type == "tr_close":
                rows.append(row)
            index += 1
        self.table(rows)
        return index

    def table(self, rows: list[list[str]]) -> None:
        text = format_table(rows)
        if text:
            self.add(Block(BlockKind.TABLE, (Run(text),), preformatted=True))


@dataclass(frozen=True, slots=True)
class _Piece:
    runs: tuple[Run, ...]
    number: str | None = None


# --- inline helpers -------------------------------------------------------------------------


def _runs(children: list[Any]) -> list[Run]:
    """Inline tokens -> runs; soft breaks stay as `\\n` so equations can be split off."""
    runs: list[Run] = []
    strong = emphasis = 0
    link: tuple[Style, str | None, str | None] | None = None
    for child in children:
        kind = child.type
        if kind == "text":
            if link is not None:
                runs.append(Run(child.content, link[0], link[1], link[2]))
            elif strong:
                runs.append(Run(child.content, Style.STRONG))
            elif emphasis:
                runs.append(Run(child.content, Style.EMPHASIS))
            else:
                runs.append(Run(child.content))
        elif kind == "softbreak":
            runs.append(Run("\n"))
        elif kind == "hardbreak":
            runs.append(Run("\u2028"))
        elif kind == "code_inline":
            runs.append(Run(child.content, Style.CODE))
        elif kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong = max(0, strong - 1)
        elif kind == "em_open":
            emphasis += 1
        elif kind == "em_close":
            emphasis = max(0, emphasis - 1)
        elif kind == "link_open":
            href = (child.attrGet("href") or "").strip() or None
            title = child.attrGet("title")
            style = Style.CITATION if href and "#bib." in href else Style.LINK
            link = (style, href, title)
        elif kind == "link_close":
            link = None
        elif kind == "image":
            continue  # figures are blocks of their own
        # html_inline (`<sup>`, `<span id=…>`): the tag goes, the text around it stays
    return runs


def _squash(runs: list[Run]) -> tuple[Run, ...]:
    """Merge neighbouring runs of one style and turn line breaks into spaces."""
    merged: list[Run] = []
    for run in runs:
        text = run.text.replace("\n", " ")
        if not text:
            continue
        if merged:
            last = merged[-1]
            if (last.style, last.target, last.title) == (run.style, run.target, run.title):
                merged[-1] = Run(last.text + text, last.style, last.target, last.title)
                continue
        merged.append(Run(text, run.style, run.target, run.title))
    # Collapse runs of blanks and trim the ends; hard breaks (U+2028) become newlines.
    cleaned = []
    for position, run in enumerate(merged):
        text = _BLANKS.sub(" ", run.text)
        if position == 0:
            text = text.lstrip()
        if position == len(merged) - 1:
            text = text.rstrip()
        text = text.replace("\u2028", "\n")
        if text:
            cleaned.append(Run(text, run.style, run.target, run.title))
    return tuple(cleaned)


def _split_lines(runs: list[Run]) -> list[list[Run]]:
    lines: list[list[Run]] = [[]]
    for run in runs:
        if run.text == "\n":
            lines.append([])
        else:
            lines[-1].append(run)
    return [line for line in lines if _plain(line).strip()] or [[]]


def _join_soft(lines: list[list[Run]]) -> list[Run]:
    joined: list[Run] = []
    for position, line in enumerate(lines):
        if position:
            joined.append(Run(" "))
        joined.extend(line)
    return joined


def _plain(runs: list[Run]) -> str:
    return "".join(run.text for run in runs)


def _strip_leading(runs: list[Run], pattern: re.Pattern[str]) -> list[Run]:
    """Drop `pattern` (a bullet glyph the converter kept) from the start of the runs."""
    result = list(runs)
    while result and not result[0].text.strip():
        result.pop(0)
    if result:
        first = result[0]
        text = pattern.sub("", first.text.lstrip(), count=1)
        result[0] = Run(text, first.style, first.target, first.title)
        while result and result[0].text in ("", "\n"):
            result.pop(0)
    return result


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _looks_like_equation(line: str) -> bool:
    """A line of raw LaTeX: commands or scripts, and hardly any ordinary words."""
    text = line.strip()
    if len(text) < 3 or len(text) > 2000:
        return False
    commands = len(_LATEX_COMMAND.findall(text))
    scripts = text.count("_{") + text.count("^{")
    if commands + scripts == 0:
        return False
    numbered = _EQUATION_NUMBER.search(text) is not None
    if not numbered and commands + scripts < 3:
        return False
    without_commands = _LATEX_COMMAND.sub(" ", text)
    words = _PLAIN_WORD.findall(without_commands)
    return len(words) <= 2 and text.count(" ") <= max(6, len(text) // 12)


def _equation_number(text: str) -> tuple[str, str | None]:
    text = text.strip()
    match = _EQUATION_NUMBER.search(text)
    if match and match.start() > 0:
        return text[: match.start()].rstrip(), match[1]
    return text, None


def _dollar_display(text: str) -> tuple[str, str | None] | None:
    """`$$…$$` (other converters) -> the formula as `$…$` for the display path, its tag."""
    if not (text.startswith("$$") and text.endswith("$$") and len(text) > 4):
        return None
    inner = text[2:-2].strip()
    if "$$" in inner:
        return None
    number = None
    tag = _TAG.search(inner)
    if tag:
        number, inner = tag[1].strip(), inner[: tag.start()].rstrip()
    inner = " ".join(inner.split())
    return f"${inner}$", number


# --- HTML tables ----------------------------------------------------------------------------


class _TableParser(HTMLParser):
    """Rows and cells of `<table>` markup; any text outside the table is kept apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.outside = ""
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._depth += 1
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) <= 50 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            if self._row is None:
                self._row = []
            self._row.append(_one_line("".join(self._cell)))
            self._row.extend([""] * (self._span - 1))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._depth = max(0, self._depth - 1)

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif not self._depth:
            self.outside += data


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _strip_tags(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


TABLE_CELL_MAX = 40
"""Wider cells are cut with `…` so a table stays readable at terminal width."""


def format_table(rows: list[list[str]]) -> str:
    """Rows of cells as aligned columns (`│` between them, a rule under the first row)."""
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        return ""
    columns = max(len(row) for row in rows)
    cells = [[_cut(cell) for cell in row] + [""] * (columns - len(row)) for row in rows]
    from papershelf.core.text_width import cell_width

    widths = [max(cell_width(row[column]) for row in cells) for column in range(columns)]
    lines = []
    for position, row in enumerate(cells):
        padded = [
            cell + " " * (widths[column] - cell_width(cell)) for column, cell in enumerate(row)
        ]
        lines.append(" │ ".join(padded).rstrip())
        if position == 0 and len(cells) > 1:
            lines.append("─┼─".join("─" * width for width in widths))
    return "\n".join(lines)


def _cut(cell: str) -> str:
    return cell if len(cell) <= TABLE_CELL_MAX else cell[: TABLE_CELL_MAX - 1] + "…"
