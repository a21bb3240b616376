"""The filter-bar language: syntax, precedence, errors with spans, and set-algebra properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papershelf.core.errors import InvalidInput
from papershelf.core.library_view import LibraryView
from papershelf.core.model import Author, Paper, parse_entries
from papershelf.core.query import QUERY_HELP, compile_query, filter_papers
from papershelf.core.query.search_index import SearchIndex, highlight_spans
from papershelf.core.query.tokens import QueryError


def make(paper_id: str, title: str, **fields) -> Paper:
    return Paper(id=paper_id, title=title, **fields)


PAPERS = [
    make(
        "2601.00001",
        "Diffusion Models for Video",
        summary="We train a video diffusion model with RLHF.",
        authors=(Author("Jürgen Müller"), Author("Ada Lovelace")),
        organization="DeepMind",
        keywords=("video generation", "rlhf"),
        upvotes=120,
        comments=4,
        github="https://github.com/a/b",
        github_stars=2500,
        daily_date=dt.date(2026, 8, 21),
        published=dt.date(2026, 8, 19),
    ),
    make(
        "2601.00002",
        "Alignment via Preference Optimization",
        summary="A survey of alignment methods.",
        authors=(Author("Grace Hopper"),),
        organization="Anthropic",
        keywords=("alignment", "dpo"),
        upvotes=8,
        comments=0,
        project_page="https://example.org",
        daily_date=dt.date(2026, 8, 1),
        published=dt.date(2026, 7, 30),
    ),
    make(
        "2601.00003",
        "World Models at Scale",
        summary="Scaling world models; not a survey.",
        authors=(Author("Alan Turing"),),
        keywords=("world model",),
        upvotes=45,
        comments=12,
        github="https://github.com/c/d",
        github_stars=90,
        daily_date=dt.date(2026, 7, 15),
        published=None,
    ),
    make("2601.00004", "Ünïcödé Tïtle", upvotes=0, daily_date=None),
]

VIEW = LibraryView.create(
    starred=["2601.00001", "2601.00003"],
    read=["2601.00002", "2601.00003"],
    notes=["2601.00002"],
    tags={"2601.00001": ["LLM", "to-read"], "2601.00004": ["llm"]},
)


def ids(query: str, papers=PAPERS, view=VIEW) -> list[str]:
    return [p.id[-1] for p in compile_query(query).filter(papers, SearchIndex(papers), view)]


# --- words, phrases, fields -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["1", "2", "3", "4"]),
        ("   ", ["1", "2", "3", "4"]),
        ("diffusion", ["1"]),
        ("DIFFUSION video", ["1"]),
        ("model", ["1", "3"]),  # substring: "models" and "model"
        ("survey", ["2", "3"]),
        ('"world model"', ["3"]),
        ('"model world"', []),
        ("muller", ["1"]),  # accents and case fold
        ("MÜLLER", ["1"]),
        ("unicode", ["4"]),
        ("deepmind", ["1"]),  # organisation
        ("dpo", ["2"]),  # keyword
        ("hopper", ["2"]),  # author
    ],
)
def test_free_words_and_phrases(query, expected):
    """Free words AND together and match title, abstract, authors, organisation, keywords."""
    assert ids(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("title:alignment", ["2"]),
        ("title:survey", []),
        ('title:"world models"', ["3"]),
        ("abstract:survey", ["2", "3"]),
        ("abstract:alignment", ["2"]),
        ("abstract:world", ["3"]),
        ("author:turing", ["3"]),
        ("author:lovelace", ["1"]),
        ("org:anthropic", ["2"]),
        ("kw:rlhf", ["1"]),
        ("kw:video", ["1"]),
        ("id:2601.00003", ["3"]),
        ("id:arXiv:2601.00003v2", ["3"]),
        ("id:2601.0000", ["1", "2", "3", "4"]),
        ("tag:llm", ["1", "4"]),
        ("tag:LLM", ["1", "4"]),
        ("tag:to-read", ["1"]),
        ('tag:"to read"', ["1"]),
        ("tag:nothing", []),
    ],
)
def test_fields(query, expected):
    assert ids(query) == expected


def test_phrase_never_spans_two_authors_or_fields():
    """Authors and fields are separated, so a phrase cannot join the end of one to the next."""
    assert ids('author:"muller ada"') == []
    assert ids('"video jurgen"') == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("is:starred", ["1", "3"]),
        ("is:read", ["2", "3"]),
        ("is:unread", ["1", "4"]),
        ("is:tagged", ["1", "4"]),
        ("has:code", ["1", "3"]),
        ("has:page", ["2"]),
        ("has:note", ["2"]),
        ("IS:STARRED", ["1", "3"]),
    ],
)
def test_states(query, expected):
    assert ids(query) == expected


def test_states_without_a_library_view_match_nothing_starred():
    assert compile_query("is:starred").filter(PAPERS) == []
    assert len(compile_query("is:unread").filter(PAPERS)) == 4


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("upvotes:>=45", ["1", "3"]),
        ("upvotes:>45", ["1"]),
        ("upvotes:<8", ["4"]),
        ("upvotes:<=8", ["2", "4"]),
        ("upvotes:=8", ["2"]),
        ("upvotes:8", ["2"]),
        ("upvotes:8..45", ["2", "3"]),
        ("upvotes:50..", ["1"]),
        ("upvotes:..8", ["2", "4"]),
        ("comments:>0", ["1", "3"]),
        ("stars:>=1000", ["1"]),
        ("stars:>=1k", ["1"]),
        ("stars:<100", ["3"]),  # no GitHub stars known: never matches a stars: condition
        ("stars:2.5k", ["1"]),
    ],
)
def test_numbers(query, expected):
    assert ids(query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("date:2026-08-21", ["1"]),
        ("date:2026-08", ["1", "2"]),
        ("date:2026", ["1", "2", "3"]),
        ("date:>=2026-08-01", ["1", "2"]),
        ("date:>2026-08-01", ["1"]),
        ("date:>2026-07", ["1", "2"]),
        ("date:<2026-08", ["3"]),
        ("date:<=2026-08-01", ["2", "3"]),
        ("date:2026-07-01..2026-08-01", ["2", "3"]),
        ("date:2026-07..2026-07", ["3"]),
        ("date:2026-08-02..", ["1"]),
        ("published:2026-07", ["2"]),
        ("published:>=2026-08-19", ["1"]),
    ],
)
def test_dates(query, expected):
    """Dates may be partial (month, year); a paper without the date never matches."""
    assert ids(query) == expected


# --- sorting --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sort:upvotes", ["1", "3", "2", "4"]),
        ("sort:-upvotes", ["4", "2", "3", "1"]),
        ("sort:comments", ["3", "1", "2", "4"]),
        ("sort:date", ["1", "2", "3", "4"]),  # missing dates last in both directions
        ("sort:-date", ["3", "2", "1", "4"]),
        ("sort:published", ["1", "2", "3", "4"]),
        ("sort:stars", ["1", "3", "2", "4"]),
        ("sort:-stars", ["3", "1", "2", "4"]),
        ("sort:title", ["2", "1", "4", "3"]),  # A-Z, accents folded: Ünïcödé sorts as Unicode
        ("sort:-title", ["3", "4", "1", "2"]),
        ("model sort:-upvotes", ["3", "1"]),
        ("sort:upvotes model", ["1", "3"]),
    ],
)
def test_sort(query, expected):
    assert ids(query) == expected


def test_sort_is_stable_and_last_sort_term_wins():
    papers = [make(f"2601.0000{i}", f"P{i}", upvotes=5) for i in range(1, 5)]
    assert ids("sort:upvotes", papers) == ["1", "2", "3", "4"]
    assert ids("sort:title sort:-title", papers) == ["4", "3", "2", "1"]


def test_query_without_sort_keeps_input_order():
    reordered = list(reversed(PAPERS))
    assert ids("id:2601", reordered) == ["4", "3", "2", "1"]


# --- operators and precedence ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("-survey", ["1", "4"]),
        ("NOT survey", ["1", "4"]),
        ("model -survey", ["1"]),
        ("diffusion OR alignment", ["1", "2"]),
        ("diffusion | alignment", ["1", "2"]),
        ("diffusion AND video", ["1"]),
        # NOT binds tightest, then AND, then OR:
        ("video OR world scale", ["1", "3"]),
        ("video OR world -scale", ["1"]),
        ("(video OR world) scale", ["3"]),
        ("-(video OR world)", ["2", "4"]),
        ("NOT NOT video", ["1"]),
        ("- -video", ["2", "3", "4"]),  # a dash standing alone is ignored
        ("video -", ["1"]),
        ("kw:rlhf OR title:alignment upvotes:>=10 -is:read", ["1"]),
        ("(kw:rlhf OR title:alignment) -is:read", ["1"]),
        ("or", ["1", "3"]),  # lower-case "or" is a word: "for", "world"
    ],
)
def test_operators(query, expected):
    assert ids(query) == expected


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message", "span"),
    [
        ("(video", "Unclosed parenthesis", (0, 6)),
        ("video)", "Unmatched ')'", (5, 6)),
        ('"world model', "Unclosed quote", (0, 12)),
        ("foo:bar", "Unknown field 'foo:'", (0, 4)),
        ("upvotes:lots", "upvotes: needs a number like upvotes:>=50", (8, 12)),
        ("upvotes:", "upvotes: needs a value", (0, 8)),
        ("date:2026-13", "date: needs a date", (5, 12)),
        ("date:2026-02-30", "date: needs a date", (5, 15)),
        ("date:2026-13-01", "('2026-13-01' is not a date).", (5, 15)),
        ("upvotes:10..5", "10..5 is an empty range — did you mean upvotes:5..10?", (8, 13)),
        ("date:2026-08-21..2026-08-01", "did you mean date:2026-08-01..2026-08-21?", (5, 27)),
        ("is:nice", "Unknown state 'is:nice'", (3, 7)),
        ("has:cake", "Unknown 'has:cake'", (4, 8)),
        ("sort:size", "Unknown sort 'size'", (5, 9)),
        ("OR video", "OR needs a search term on its left", (0, 2)),
        ("video OR", "OR needs a search term on its right", (6, 8)),
        ("video NOT", "NOT needs something to exclude", (6, 9)),
        ("()", "Empty parentheses", (0, 2)),
        ("(sort:upvotes)", "sort: applies to the whole query", (1, 13)),
        ("-sort:upvotes", "sort: applies to the whole query", (1, 13)),
        ('""', "Empty quotes", (0, 2)),
        ("a AND", "AND needs a search term on both sides", (2, 5)),
    ],
)
def test_errors_carry_message_and_span(query, message, span):
    with pytest.raises(QueryError) as caught:
        compile_query(query)
    assert message in caught.value.message
    assert (caught.value.start, caught.value.end) == span
    assert isinstance(caught.value, InvalidInput)


def test_error_located_names_the_character_at_fault():
    """The command line's wording: the message, then where (counting from 1)."""
    with pytest.raises(QueryError) as caught:
        compile_query("a AND")
    assert caught.value.located() == f"{caught.value.message} (at character 3)."


def test_filter_papers_runs_text_with_the_library_facts():
    """The one call the command line and the watches use: compile, narrow, sort."""
    assert [p.id[-1] for p in filter_papers("is:starred sort:-upvotes", PAPERS, VIEW)] == ["3", "1"]
    assert [p.id[-1] for p in filter_papers("is:starred", PAPERS)] == []
    assert filter_papers("", PAPERS) == PAPERS
    with pytest.raises(QueryError):
        filter_papers("(oops", PAPERS, VIEW)


def test_unknown_field_message_lists_the_fields():
    with pytest.raises(QueryError, match=r"try title:, author:"):
        compile_query("foo:bar")


def test_urls_are_words_not_fields():
    """`https://…` has a colon but is not a field: it is searched as text."""
    papers = [make("2601.00009", "X", project_page=None, summary="see https://x.org/code")]
    assert ids("https://x.org", papers) == ["9"]


# --- the compiled query's API ---------------------------------------------------------------


def test_is_empty_and_has_predicate():
    assert compile_query("").is_empty
    assert not compile_query("sort:upvotes").is_empty
    assert not compile_query("sort:upvotes").has_predicate
    assert compile_query("video").has_predicate


def test_highlight_terms_are_the_positive_words_phrases_and_titles():
    query = compile_query('Video "World Model" -survey title:Diffusion kw:rlhf NOT (x OR y)')
    assert query.highlight_terms == ("video", "world model", "diffusion")


def test_matches_one_paper():
    index = SearchIndex(PAPERS)
    query = compile_query("is:starred model")
    assert query.matches(PAPERS[0], index, VIEW)
    assert not query.matches(PAPERS[1], index, VIEW)
    assert query.matches(PAPERS[2], None, VIEW)


def test_index_picks_up_new_and_changed_papers():
    index = SearchIndex(PAPERS[:2])
    changed = make("2601.00002", "Now About Robots")
    fresh = make("2601.00005", "Robots too")
    papers = [PAPERS[0], changed, fresh]
    result = compile_query("robots").filter(papers, index)
    assert [p.id for p in result] == ["2601.00002", "2601.00005"]
    assert "2601.00005" in index and len(index) == 3


def test_duplicate_ids_in_the_list_do_not_confuse_the_index():
    papers = [PAPERS[0], PAPERS[1], PAPERS[0]]
    result = compile_query("video").filter(papers, SearchIndex(papers))
    assert [p.id for p in result] == ["2601.00001", "2601.00001"]


def test_query_help_mentions_every_field():
    words = "title: author: org: kw: abstract: tag: id: is:starred has:code upvotes: stars: date:"
    for word in [*words.split(), "published:", "sort:", "OR"]:
        assert word in QUERY_HELP


# --- folding and highlighting ---------------------------------------------------------------


def test_highlight_spans_in_original_offsets():
    assert highlight_spans("Diffusion models, diffusion!", ("diffusion",)) == [(0, 9), (18, 27)]
    assert highlight_spans("Jürgen Müller", ("muller",)) == [(7, 13)]
    assert highlight_spans("Straße", ("strasse",)) == [(0, 6)]
    assert highlight_spans("abcabc", ("bc", "ca")) == [(1, 6)]
    assert highlight_spans("nothing", ()) == []


# --- properties -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_papers(sample_days) -> list[Paper]:
    papers: list[Paper] = []
    for day, response in sorted(sample_days.items()):
        papers.extend(parse_entries(response, dt.date.fromisoformat(day)).papers)
    return papers


ATOMS = [
    "model",
    "diffusion",
    "language",
    '"large language"',
    "title:video",
    "kw:agent",
    "author:wang",
    "org:university",
    "abstract:benchmark",
    "upvotes:>=10",
    "comments:>0",
    "stars:>=100",
    "has:code",
    "has:page",
    "is:starred",
    "is:read",
    "tag:llm",
    "date:>=2026-08",
    "published:2026",
]


def _atom_view(papers: list[Paper]) -> LibraryView:
    every_third = [p.id for p in papers[::3]]
    every_other = [p.id for p in papers[::2]]
    return LibraryView.create(
        starred=every_third, read=every_other, tags={pid: ["LLM"] for pid in every_third[::2]}
    )


expressions = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda ab: f"{ab[0]} {ab[1]}"),
        st.tuples(inner, inner).map(lambda ab: f"({ab[0]} OR {ab[1]})"),
        inner.map(lambda a: f"-({a})"),
    ),
    max_leaves=5,
)

_settings = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(a=expressions, b=expressions)
def test_or_is_union_and_juxtaposition_is_intersection(sample_papers, a, b):
    index, view = SearchIndex(sample_papers), _atom_view(sample_papers)

    def run(text: str) -> set[str]:
        return {p.id for p in compile_query(text).filter(sample_papers, index, view)}

    assert run(f"({a}) OR ({b})") == run(a) | run(b)
    assert run(f"({a}) ({b})") == run(a) & run(b)


@_settings
@given(a=expressions)
def test_not_is_the_complement(sample_papers, a):
    index, view = SearchIndex(sample_papers), _atom_view(sample_papers)
    everything = {p.id for p in sample_papers}
    kept = {p.id for p in compile_query(a).filter(sample_papers, index, view)}
    excluded = {p.id for p in compile_query(f"NOT ({a})").filter(sample_papers, index, view)}
    assert excluded == everything - kept
    assert {p.id for p in compile_query(f"-({a})").filter(sample_papers, index, view)} == excluded


def test_sample_has_enough_variety_for_the_properties(sample_papers):
    """The property tests would be vacuous if the atoms matched nothing or everything."""
    index, view = SearchIndex(sample_papers), _atom_view(sample_papers)
    for atom in ("model", "upvotes:>=10", "has:code", "is:starred", "tag:llm"):
        count = len(compile_query(atom).filter(sample_papers, index, view))
        assert 0 < count < len(sample_papers), atom


TOKENS = st.sampled_from(
    [
        "(",
        ")",
        '"',
        "-",
        "NOT",
        "OR",
        "AND",
        "|",
        ":",
        "..",
        ">=",
        "<",
        "=",
        "title:",
        "upvotes:",
        "date:",
        "published:",
        "sort:",
        "is:",
        "has:",
        "tag:",
        "id:",
        "foo:",
        "2026-08",
        "10",
        "1k",
        "model",
        " ",
        "\x1b[31m",
        "\x00",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=12))
def test_random_queries_raise_only_query_errors(pieces):
    text = "".join(pieces)
    try:
        query = compile_query(text)
    except QueryError as error:
        assert 0 <= error.start <= error.end <= len(text)
        return
    query.filter(PAPERS, SearchIndex(PAPERS), VIEW)
