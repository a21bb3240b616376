"""Citation formats: arXiv citekeys, LaTeX-safe BibTeX checked by a real parser, RIS, CSL-JSON."""

from __future__ import annotations

import datetime as dt
import json
import re

import bibtexparser
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from papershelf.core import cite, cite_keys
from papershelf.core.model import Author, Paper, parse_entries


def make_paper(
    paper_id: str = "1706.03762",
    title: str = "Attention Is All You Need",
    authors: tuple[str, ...] = ("Ashish Vaswani", "Noam Shazeer"),
    year: int = 2023,
    **extra,
) -> Paper:
    return Paper(
        id=paper_id,
        title=title,
        authors=tuple(Author(name) for name in authors),
        published=dt.date(year, 6, 12),
        **extra,
    )


VASWANI = make_paper(
    authors=(
        "Ashish Vaswani",
        "Noam Shazeer",
        "Niki Parmar",
        "Jakob Uszkoreit",
        "Llion Jones",
        "Aidan N. Gomez",
        "Lukasz Kaiser",
        "Illia Polosukhin",
    ),
)


@pytest.fixture(scope="module")
def shared_papers(shared_days) -> list[Paper]:
    """Every distinct paper of the recorded days."""
    papers: dict[str, Paper] = {}
    for date, response in shared_days.items():
        for paper in parse_entries(response, dt.date.fromisoformat(date)).papers:
            papers.setdefault(paper.id, paper)
    return list(papers.values())


def parse_bib(text: str) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return library


def split_authors(value: str) -> list[str]:
    """Split a BibTeX author list on top-level ` and `, dropping protective braces."""
    names, depth, current = [], 0, ""
    index = 0
    while index < len(value):
        if depth == 0 and value.startswith(" and ", index):
            names.append(current)
            current = ""
            index += 5
            continue
        char = value[index]
        depth += {"{": 1, "}": -1}.get(char, 0)
        current += char
        index += 1
    names.append(current)
    return [n[1:-1] if n.startswith("{") and n.endswith("}") else n for n in names]


# --- citekeys -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "first_author", "year", "expected"),
    [
        ("Attention Is All You Need", "Ashish Vaswani", 2023, "vaswani2023attentionneed"),
        (
            "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
            "Jacob Devlin",
            2019,
            "devlin2019bertpretrainingdeepbidirectional",
        ),
        (
            "The Llama 3 Herd of Models",
            "Aaron Grattafiori",
            2024,
            "grattafiori2024llama3herdmodels",
        ),
        (
            "LoRA: Low-Rank Adaptation of Large Language Models",
            "Edward J. Hu",
            2021,
            "hu2021loralowrankadaptationlarge",
        ),
    ],
)
def test_citekey_follows_arxiv_rule(title, first_author, year, expected):
    """Known arXiv keys (years as arXiv states them: the latest version's year)."""
    assert (
        cite_keys.citekey(make_paper(title=title, authors=(first_author,), year=year)) == expected
    )


def test_citekey_transliterates_accents_and_keeps_particles():
    """Accented letters become ASCII (BibTeX keys); lower-case particles belong to the surname."""
    paper = make_paper(title="Über Modelle", authors=("Jörg van der Müller",), year=2024)
    assert cite_keys.citekey(paper) == "vandermuller2024ubermodelle"


def test_citekey_without_authors_or_year():
    paper = Paper(id="2501.00001", title="Solo")
    assert cite_keys.citekey(paper) == "unknownunknownsolo"


def test_duplicate_citekeys_get_letter_suffixes():
    """Two papers with the same key in one batch become `…a` and `…b`; the third stays."""
    first = make_paper(paper_id="2501.00001", title="Scaling Laws", authors=("Jane Smith",))
    second = make_paper(paper_id="2501.00002", title="Scaling Laws", authors=("Jo Smith",))
    other = make_paper(paper_id="2501.00003", title="Different Work", authors=("Jane Smith",))
    assert cite_keys.unique_citekeys([first, second, other]) == [
        "smith2023scalinglawsa",
        "smith2023scalinglawsb",
        "smith2023differentwork",
    ]
    text = cite.format_papers([first, second, other], "bibtex")
    keys = [entry.key for entry in parse_bib(text).entries]
    assert keys == ["smith2023scalinglawsa", "smith2023scalinglawsb", "smith2023differentwork"]


def test_taken_keys_are_avoided():
    assert cite_keys.unique_citekeys([VASWANI], taken={"vaswani2023attentionneed"}) == [
        "vaswani2023attentionneeda"
    ]


# --- LaTeX escaping -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "escaped"),
    [
        (
            "TPLA: Tensor Parallel Latent Attention for Efficient Disaggregated Prefill \\& Decode",
            "TPLA: Tensor Parallel Latent Attention for Efficient Disaggregated Prefill \\& Decode",
        ),
        (
            "X^{2}-Gaussian: 4D Radiative Gaussian Splatting",
            "X\\^{}{2}-Gaussian: 4D Radiative Gaussian Splatting",
        ),
        ("VILA^2: VILA Augmented VILA", "VILA\\^{}2: VILA Augmented VILA"),
        (r"$\alpha$-NeRF and X^{2}-Gaussian", r"$\alpha$-NeRF and X\^{}{2}-Gaussian"),
        (r"A $\mu$-law and $x_{1}^2$ model", r"A $\mu$-law and $x_{1}^2$ model"),
        (r"Math $a_1 % b$ keeps LaTeX", r"Math $a_1 \% b$ keeps LaTeX"),
        ("Costs $5 and $10 a day", "Costs \\$5 and \\$10 a day"),
        ("Fixing 7,400 Bugs for 1$: Cheap", "Fixing 7,400 Bugs for 1\\$: Cheap"),
        ("Unbalanced $x^{2$ is money", "Unbalanced \\$x\\^{}\\textbraceleft{}2\\$ is money"),
        ("Serving Over 90% of Global Speakers", "Serving Over 90\\% of Global Speakers"),
        (
            "Training a Video Generation Model in $200k",
            "Training a Video Generation Model in \\$200k",
        ),
        ("\\$OneMillion-Bench: How Far", "\\$OneMillion-Bench: How Far"),
        ("A Simple L_2 Norm-Based Strategy", "A Simple L\\_2 Norm-Based Strategy"),
        ("Issue #42 & Friends", "Issue \\#42 \\& Friends"),
        ("Open { brace", "Open \\textbraceleft{} brace"),
        ("Close } brace {balanced}", "Close \\textbraceright{} brace {balanced}"),
        ("Escaped \\{ alone", "Escaped \\textbraceleft{} alone"),
        ("Trailing backslash\\", "Trailing backslash\\textbackslash{}"),
        ("Network\\ for Time Series", "Network\\ for Time Series"),
        ("Übersicht für Modelle", "Übersicht für Modelle"),
    ],
)
def test_latex_escape(title, escaped):
    assert cite.latex_escape(title) == escaped


def test_bibtex_layout_matches_arxiv_apart_from_double_braces():
    """arXiv's @misc layout with six-space indents; title protected by double braces."""
    assert cite.bibtex(VASWANI) == (
        "@misc{vaswani2023attentionneed,\n"
        "      title={{Attention Is All You Need}},\n"
        "      author={Ashish Vaswani and Noam Shazeer and Niki Parmar and Jakob Uszkoreit and "
        "Llion Jones and Aidan N. Gomez and Lukasz Kaiser and Illia Polosukhin},\n"
        "      year={2023},\n"
        "      eprint={1706.03762},\n"
        "      archivePrefix={arXiv},\n"
        "      url={https://arxiv.org/abs/1706.03762},\n"
        "}"
    )


def test_primary_class_when_known():
    assert "      primaryClass={cs.CL},\n" in cite.bibtex(VASWANI, primary_class="cs.CL")
    assert "primaryClass" not in cite.bibtex(VASWANI)


def test_author_containing_and_is_kept_whole():
    paper = make_paper(authors=("Research and Development Team", "Ada Lovelace"))
    entry = parse_bib(cite.bibtex(paper)).entries[0]
    assert split_authors(entry["author"]) == ["Research and Development Team", "Ada Lovelace"]


def _round_trip(papers: list[Paper], fmt: str) -> None:
    text = cite.format_papers(papers, fmt)
    library = parse_bib(text)
    entries = library.entries
    assert len(entries) == len(papers)
    for paper, entry in zip(papers, entries, strict=True):
        title = entry["title"]
        assert title.startswith("{") and title.endswith("}"), paper.id
        assert cite.latex_unescape(title[1:-1]) == cite.latex_unescape(paper.title), paper.id
        if paper.authors:
            names = [cite.latex_unescape(n) for n in split_authors(entry["author"])]
            assert names == [cite.latex_unescape(n) for n in paper.author_names], paper.id
        assert entry["eprint"] == paper.id
        year = entry["year"] if fmt == "bibtex" else entry["date"][:4]
        assert int(year) == cite_keys.year_of(paper)


def test_bibtex_of_every_recorded_paper_parses_and_round_trips(shared_papers):
    """~9k real papers as one .bib: no failed blocks; title, authors, year, eprint survive."""
    assert len(shared_papers) > 1000
    _round_trip(shared_papers, "bibtex")


def test_biblatex_of_every_recorded_paper_parses_and_round_trips(shared_papers):
    _round_trip(shared_papers, "biblatex")


def test_hostile_titles_parse(shared_papers):
    """Synthetic worst cases beside the recorded ones: unbalanced braces, #, lone backslash."""
    titles = [
        "Open { never closed",
        "} starts closed",
        "#1 & 100% of $5_a",
        "a\\",
        "\\{ x \\}}",
        r"$\alpha$-NeRF and X^{2}-Gaussian",
        "Bugs for 1$: cheap {fixes} #1 ~tilde_under",
        r"\textsc{SmallCaps} and $\mu$-law and }{ unbalanced",
    ]
    papers = [make_paper(paper_id=f"2501.0000{i}", title=t) for i, t in enumerate(titles)]
    _round_trip(papers, "bibtex")
    _round_trip(papers, "biblatex")


def test_biblatex_is_online_entry():
    entry = parse_bib(cite.biblatex(VASWANI)).entries[0]
    assert entry.entry_type == "online"
    assert entry["eprinttype"] == "arXiv"
    assert entry["date"] == "2023-06-12"
    assert entry["doi"] == "10.48550/arXiv.1706.03762"


# --- reference text -----------------------------------------------------------------------


def test_apa_reference():
    assert cite.apa(VASWANI) == (
        "Vaswani, A., Shazeer, N., Parmar, N., Uszkoreit, J., Jones, L., Gomez, A. N., "
        "Kaiser, L., & Polosukhin, I. (2023). Attention Is All You Need (arXiv:1706.03762). "
        "arXiv. https://doi.org/10.48550/arXiv.1706.03762"
    )


def test_apa_author_counts():
    """One author alone; two joined by `, &`; more than 20 keep 19, an ellipsis and the last."""
    assert cite.apa(make_paper(authors=("Jean-Luc Picard",))).startswith("Picard, J.-L. (2023).")
    assert cite.apa(make_paper(authors=("Ada Lovelace", "Alan Turing"))).startswith(
        "Lovelace, A., & Turing, A. (2023)."
    )
    many = tuple(f"Given Author{i}" for i in range(25))
    text = cite.apa(make_paper(authors=many))
    assert "Author18, G., . . . Author24, G. (2023)." in text
    assert "Author19" not in text


def test_markdown_link_escapes_brackets_and_unescapes_latex():
    paper = make_paper(title="GPT-[n] \\& o-[n] *models*")
    assert cite.markdown_link(paper) == (
        "[GPT-\\[n\\] & o-\\[n\\] \\*models\\*](https://arxiv.org/abs/1706.03762)"
    )


def test_markdown_card():
    paper = make_paper(
        upvotes=42, ai_summary="Transformers need only attention.", github="https://github.com/a/b"
    )
    card = cite.markdown_card(paper)
    assert (
        card.splitlines()[0]
        == "**[Attention Is All You Need](https://huggingface.co/papers/1706.03762)**"
    )
    assert "42 upvotes" in card
    assert "> Transformers need only attention." in card
    assert "[Code](https://github.com/a/b)" in card
    assert "[arXiv](https://arxiv.org/abs/1706.03762)" in card


def test_plain_line():
    assert cite.plain(make_paper()) == (
        "Ashish Vaswani, Noam Shazeer. Attention Is All You Need. 2023. "
        "https://arxiv.org/abs/1706.03762"
    )


def test_line_formats_put_one_paper_per_line():
    papers = [make_paper(paper_id=f"2501.0000{i}", title=f"Paper {i}") for i in range(3)]
    for fmt in ("markdown", "plain", "apa"):
        assert len(cite.format_papers(papers, fmt).splitlines()) == 3


def test_repeated_paper_is_cited_once():
    assert cite.format_papers([VASWANI, VASWANI], "bibtex").count("@misc{") == 1


def test_unknown_format_is_rejected():
    with pytest.raises(ValueError):
        cite.format_papers([VASWANI], "docx")


# --- machine formats ----------------------------------------------------------------------


def test_ris_records(shared_papers):
    """Every record opens with TY, closes with ER and carries title, authors, year and URL."""
    papers = shared_papers[:500]
    records = cite.format_papers(papers, "ris").split("\n\n")
    assert len(records) == len(papers)
    line = re.compile(r"^[A-Z][A-Z0-9]  - .*$")
    for paper, record in zip(papers, records, strict=True):
        lines = record.splitlines()
        assert lines[0] == "TY  - UNPB" and lines[-1] == "ER  - "
        assert all(line.match(item) for item in lines)
        assert f"TI  - {cite.plain_title(paper)}" in lines
        assert f"UR  - {paper.arxiv_url}" in lines
        assert sum(item.startswith("AU  - ") for item in lines) == len(paper.authors)
        assert any(item.startswith("PY  - ") for item in lines)


def test_csl_json(shared_papers):
    """A JSON array with the fields citeproc needs and unique ids."""
    papers = shared_papers[:500]
    items = json.loads(cite.format_papers(papers, "csl-json"))
    assert len(items) == len(papers)
    assert len({item["id"] for item in items}) == len(items)
    for paper, item in zip(papers, items, strict=True):
        assert item["type"] == "article"
        assert item["title"] == cite.plain_title(paper)
        assert item["URL"] == paper.arxiv_url
        assert item["issued"]["date-parts"][0][0] == cite_keys.year_of(paper)
        assert all("family" in a or "literal" in a for a in item["author"])


def test_rekey_and_dedupe_fetched_entries():
    """Entries fetched from arXiv keep their text but never share a key."""
    entry = "@misc{smith2024x,\n      title={X}, \n}"
    first, second = cite_keys.dedupe_entry_keys([entry, entry])
    assert cite_keys.entry_key(first) == "smith2024xa"
    assert cite_keys.entry_key(second) == "smith2024xb"
    assert second.endswith("title={X}, \n}")


def test_describe():
    assert cite.describe("bibtex", 3) == "BibTeX for 3 papers"
    assert cite.describe("apa", 1) == "APA reference for 1 paper"


# --- every recorded paper, and generated titles, give entries bibtexparser reads -------------


def _fields_read_back(papers: list[Paper], fmt: str) -> list[dict[str, str]]:
    library = parse_bib(cite.format_papers(papers, fmt))
    assert not library.failed_blocks, library.failed_blocks[:1]
    assert len(library.entries) == len(papers)
    return [entry.fields_dict for entry in library.entries]


def test_every_recorded_paper_gives_a_readable_biblatex_entry(shared_days):
    """BibTeX is covered by `test_bibtex_of_every_recorded_paper_parses_and_round_trips`."""
    fmt = "biblatex"
    papers = cite.distinct(
        paper for response in shared_days.values() for paper in parse_entries(response).papers
    )
    assert len(papers) > 5_000
    expected = {"title", "eprint", "url"}
    for start in range(0, len(papers), 100):  # bibtexparser slows down on one huge string
        for fields in _fields_read_back(papers[start : start + 100], fmt):
            assert expected <= set(fields)


_TITLE_PIECES = st.sampled_from(
    ["{", "}", "\\{", "\\}", "\\", "\\\\", "$", "$x^2$", "$\\alpha$", "%", "&", "#", "_", "^",
     "~", "\\textbf{", "a", " ", "and", ",", "=", '"', "@", "é", "模型"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_TITLE_PIECES, min_size=1, max_size=12), st.sampled_from(["bibtex", "biblatex"]))
def test_generated_titles_give_readable_entries_with_only_their_fields(pieces, fmt):
    title = "".join(pieces).strip() or "x"
    paper = Paper(id="2501.00001", title=title, authors=(Author("Ann Lee"),))
    (fields,) = _fields_read_back([paper], fmt)
    if fmt == "bibtex":
        assert set(fields) == {"title", "author", "eprint", "archivePrefix", "url"}
    else:
        assert set(fields) == {"title", "author", "eprinttype", "eprint", "doi", "url"}


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet='a1.{}\\,="@ \n%#/', min_size=1, max_size=20))
@example("\n@{}")  # a line break then `@` once started a new entry
def test_a_hand_built_id_never_leaves_its_field(paper_id):
    paper = Paper(id=paper_id, title="T", authors=(Author("Ann Lee"),))
    (fields,) = _fields_read_back([paper], "bibtex")
    assert set(fields) == {"title", "author", "eprint", "archivePrefix", "url"}
