"""The whole-paper parser and its layout: HF's Markdown and other converters' habits."""

from __future__ import annotations

from pathlib import Path

import pytest

from papershelf.core.body_layout import layout, search
from papershelf.core.paper_body import BlockKind, Style, parse_paper, split_header
from papershelf.core.text_width import cell_width

PAPERS = Path(__file__).parents[1] / "fixtures" / "papers"


def read(name: str) -> str:
    return (PAPERS / name).read_text(encoding="utf-8")


def texts(body, kind: BlockKind) -> list[str]:
    return [block.text for block in body.blocks if block.kind is kind]


def test_header_block_gives_title_source_and_time():
    fields, rest = split_header(read("2503.10291_setext.md"))
    assert fields["Title"].startswith("VisualPRM")
    assert fields["URL Source"] == "https://arxiv.org/html/2503.10291"
    assert fields["Published Time"] == "Fri, 14 Mar 2025 00:51:57 GMT"
    assert rest.startswith("Weiyun Wang")


def test_text_without_a_header_is_all_body():
    assert split_header("# Title\n\nText") == ({}, "# Title\n\nText")
    # A "Markdown Content:" line after ordinary text is not a header.
    assert split_header("Hello\nMarkdown Content:\nx")[0] == {}


def test_setext_and_atx_headings_make_the_outline():
    body = parse_paper(read("2503.10291_setext.md"))
    assert [s.title for s in body.sections] == ["Abstract", "1 Introduction", "2 Related Work"]
    assert [s.level for s in body.sections] == [6, 2, 2]
    assert body.title.startswith("VisualPRM")


def test_display_equations_are_split_off_with_their_number():
    body = parse_paper(read("2604.26654_excerpt.md"))
    equations = [b for b in body.blocks if b.kind is BlockKind.EQUATION]
    assert [b.number for b in equations] == ["1", "2"]
    assert equations[0].text.startswith(r"\mathrm{PSP}(t)=k\cdot")
    assert not equations[0].text.endswith("(1)")
    # The sentence glued under the equation stays a paragraph of its own.
    assert any(t.startswith("The waveform inter alia") for t in texts(body, BlockKind.PARAGRAPH))


def test_latex_spacing_survives_the_markdown_parser():
    """`5\\,\\mathrm{ms}`: HF's raw LaTeX keeps the backslash Markdown would take as an escape."""
    body = parse_paper(read("2604.26654_excerpt.md"))
    caption = next(b for b in body.blocks if b.kind is BlockKind.CAPTION)
    assert r"5–15\,\mathrm{ms}" in caption.text


def test_figures_pair_the_image_with_its_caption():
    body = parse_paper(read("2604.26654_excerpt.md"))
    assert len(body.figures) == 1
    figure = body.figures[0]
    assert figure.label == "Figure 3"
    assert figure.url == "https://arxiv.org/html/2604.26654v1/x3.png"
    assert figure.openable
    assert figure.caption.startswith("Example of encoding data")
    assert body.blocks[figure.block].kind is BlockKind.FIGURE


def test_citations_read_as_numbers_and_keep_their_target():
    body = parse_paper(read("2604.26654_excerpt.md"))
    intro = next(t for t in texts(body, BlockKind.PARAGRAPH) if t.startswith("Classification"))
    assert "prediction[1]." in intro
    runs = [r for b in body.blocks for r in b.runs if r.style is Style.CITATION]
    assert runs[0].text == "1"
    assert runs[0].target == "https://arxiv.org/html/2604.26654#bib.bib1"


def test_references_are_indexed_by_label():
    body = parse_paper(read("2604.26654_excerpt.md"))
    assert set(body.references) == {"1", "2", "3", "4", "5"}
    assert body.blocks[body.references["5"]].text.startswith("[5] Rumelhart")
    assert body.sections[-1].title == "References"


def test_bullets_the_converter_kept_become_list_items():
    body = parse_paper(read("2604.26654_excerpt.md"))
    items = [b for b in body.blocks if b.kind is BlockKind.ITEM]
    assert items[0].text.startswith("set of synapses")
    assert items[0].level == 1
    nested = [b for b in items if b.level == 2]
    assert nested and nested[0].text.startswith("input — can be internal")
    assert not any(b.kind is BlockKind.CODE for b in body.blocks)


def test_html_tables_pipe_tables_and_code_are_readable():
    body = parse_paper(read("other_converters.md"))
    table = texts(body, BlockKind.TABLE)[0]
    assert "<td>" not in table and "<tr>" not in table
    header, rule, first_row = table.splitlines()[:3]
    cells = [cell.strip() for cell in header.split(" │ ")]
    assert cells[:3] == ["Model", "Parent-Model", "#Params"]
    assert header.index("Parent-Model") == first_row.index("Sapiens-0.3B")  # aligned columns
    assert "─┼─" in rule
    code = texts(body, BlockKind.CODE)[0]
    assert code.startswith("import mesh tensorflow as mtf\ndef load balance loss")
    equation = next(b for b in body.blocks if b.kind is BlockKind.EQUATION)
    assert equation.number == "1"
    assert equation.text.startswith("$p_i(x) = ") and "\\tag" not in equation.text
    # `<span id=…>` in a heading is dropped, its text kept.
    assert "F. Pseudo Code for Switch Transformers" in [s.title for s in body.sections]


def test_terminal_escapes_in_the_body_are_removed():
    body = parse_paper("# Title\x1b]52;c;SGVsbG8=\x07\n\nText \x1b[31mred\x1b[0m and \u202eevil")
    assert body.sections[0].title == "Title"
    assert texts(body, BlockKind.PARAGRAPH) == ["Text red and evil"]


@pytest.mark.parametrize("width", [24, 60, 100])
def test_layout_fits_the_width_and_finds_blocks(width):
    body = parse_paper(read("2604.26654_excerpt.md"))
    result = layout(body, width)
    assert all(cell_width(line.text) <= width for line in result.lines)
    assert len(result.section_lines) == len(body.sections)
    heading = result.lines[result.section_lines[1]]
    assert heading.text.startswith("I Introduction")
    figure_line = result.lines[result.figure_lines[0]]
    assert figure_line.text.startswith("▣ Figure 3")


def test_layout_right_aligns_the_equation_number():
    body = parse_paper(read("2604.26654_excerpt.md"))
    result = layout(body, 120)
    line = next(line for line in result.lines if line.kind is BlockKind.EQUATION)
    assert line.text.startswith("    \\mathrm{PSP}")
    assert line.text.endswith("(1)") and len(line.text) == 120


def test_layout_applies_the_display_transform_to_prose_not_code():
    body = parse_paper("Text alpha\n\n```\nalpha\n```\n")
    result = layout(body, 40, lambda text: text.replace("alpha", "α"))
    shown = [line.text for line in result.lines if line.text]
    assert shown == ["Text α", "  alpha"]


def test_citation_marks_follow_the_wrapped_text():
    body = parse_paper(read("2604.26654_excerpt.md"))
    result = layout(body, 50)
    marked = [
        (line.text[m.start : m.end], m.target)
        for line in result.lines
        for m in line.marks
        if m.style is Style.CITATION
    ]
    assert ("1", "https://arxiv.org/html/2604.26654#bib.bib1") in marked


def test_search_is_case_insensitive_and_in_reading_order():
    body = parse_paper(read("2604.26654_excerpt.md"))
    result = layout(body, 80)
    matches = search(result.lines, "jastap")
    assert len(matches) >= 4
    assert matches == sorted(matches, key=lambda m: (m.line, m.start))
    first = matches[0]
    assert result.lines[first.line].text[first.start : first.end].lower() == "jastap"
    assert search(result.lines, "   ") == []


def test_every_shared_paper_parses_and_lays_out(shared_dir):
    folder = shared_dir / "data" / "hf" / "papers-md"
    files = sorted(folder.glob("*.md"))
    assert len(files) >= 6
    for path in files:
        body = parse_paper(path.read_text(encoding="utf-8"))
        assert body.title, path.name
        assert body.sections, path.name
        result = layout(body, 72)
        for line in result.lines:
            assert cell_width(line.text) <= 72, (path.name, line.text)
            assert "<td" not in line.text and "<tr" not in line.text, path.name


def test_parsing_in_pieces_gives_the_same_paper(shared_dir, monkeypatch):
    """The opening is parsed first and the rest in pieces; together they equal one parse."""
    import papershelf.core.paper_body as paper_body

    folder = shared_dir / "data" / "hf" / "papers-md"
    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))]
    in_pieces = [parse_paper(text) for text in texts]
    openings = [parse_paper(text, limit=4000) for text in texts]
    monkeypatch.setattr(paper_body, "markdown_chunks", lambda text, **kwargs: iter([text]))
    for text, pieces, opening in zip(texts, in_pieces, openings, strict=True):
        whole = parse_paper(text)
        assert pieces.blocks == whole.blocks
        assert pieces.sections == whole.sections
        # The opening is the start of the paper (its last block may be cut short).
        assert opening.blocks[:-1] == whole.blocks[: len(opening.blocks) - 1]


def test_pieces_cover_the_text_and_the_first_is_small():
    from papershelf.core.paper_body import markdown_chunks

    text = "a\n\n" * 10_000
    chunks = list(markdown_chunks(text, 1000, first=100))
    assert "".join(chunks) == text
    assert len(chunks[0]) < len(chunks[1])
    fenced = "x\n\n```\n" + "code\n\n" * 500 + "```\n\ny\n"
    assert all(chunk.count("```") % 2 == 0 for chunk in markdown_chunks(fenced, 100))
