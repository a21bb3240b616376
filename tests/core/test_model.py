"""Parsing every shape of Hugging Face Papers JSON into Paper objects."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from papershelf.core.model import (
    COUNT_MAX,
    entry_daily_date,
    paper_from_record,
    parse_entries,
    parse_entry,
)
from tests.conftest import FIXTURES


def test_every_shared_day_parses_without_skips(shared_days):
    total = 0
    for date, response in shared_days.items():
        result = parse_entries(response, dt.date.fromisoformat(date))
        assert result.skipped == 0, date
        assert all(p.daily_date == dt.date.fromisoformat(date) for p in result.papers)
        total += len(result.papers)
    assert total == 9069


def test_full_entry_fields():
    entry = json.loads((FIXTURES / "daily_entry_2602.23229.json").read_text())
    paper = parse_entry(entry)
    assert paper.id == "2602.23229"
    assert paper.title == "Large Multimodal Models as General In-Context Classifiers"
    assert paper.author_names[0] == "Marco Garosi"
    assert paper.organization == "Multimedia and Human Understanding Group"
    assert paper.published == dt.date(2026, 2, 26)
    assert paper.daily_date == dt.date(2026, 3, 6)  # submittedOnDailyAt, not entry publishedAt
    assert paper.upvotes == 10 and paper.comments == 1
    assert paper.github == "https://github.com/marco-garosi/CIRCLE"
    assert paper.github_repo == "marco-garosi/CIRCLE"
    assert paper.github_stars == 9
    assert paper.project_page == "https://circle-lmm.github.io/"
    assert "CIRCLE" in paper.keywords
    assert paper.hf_url == "https://huggingface.co/papers/2602.23229"
    assert paper.pdf_url == "https://arxiv.org/pdf/2602.23229"


def test_flat_detail_object_parses():
    entry = json.loads((FIXTURES / "daily_entry_2602.23229.json").read_text())
    flat = dict(entry["paper"])
    paper = parse_entry(flat)
    assert paper.id == "2602.23229" and paper.comments == 0
    assert paper.organization == "Multimedia and Human Understanding Group"


def test_search_response_parses_with_highlights():
    items = json.loads((FIXTURES / "search_llama-3-herd.json").read_text())
    result = parse_entries(items)
    assert result.skipped == 0 and len(result.papers) == 11
    first = result.papers[0]
    assert first.id == "2407.21783" and first.daily_date is None
    assert first.upvotes == 115 and first.comments == 6


def test_hidden_authors_dropped_and_whitespace_collapsed():
    paper = parse_entry(
        {
            "paper": {
                "id": "2401.00001",
                "title": "A  wrapped\n  title\x1b[31m",
                "summary": "line one\nline two",
                "authors": [{"name": "Shown"}, {"name": "Hidden", "hidden": True}],
                "projectPage": " https://example.org ",
            }
        }
    )
    assert paper.title == "A wrapped title"
    assert paper.summary == "line one line two"
    assert paper.author_names == ["Shown"]
    assert paper.project_page == "https://example.org"


def test_unusable_entries_are_counted():
    result = parse_entries([None, 3, "x", {"paper": {"id": "2401.00001"}}, {"paper": {}}])
    assert result.papers == [] and result.skipped == 5


def test_record_round_trip():
    entry = json.loads((FIXTURES / "daily_entry_2602.23229.json").read_text())
    paper = parse_entry(entry)
    again = paper_from_record(json.loads(json.dumps(paper.to_record())))
    assert again.to_record() == paper.to_record()


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
_keys = st.sampled_from(
    [
        "id",
        "title",
        "summary",
        "authors",
        "upvotes",
        "publishedAt",
        "submittedOnDailyAt",
        "githubRepo",
        "githubStars",
        "projectPage",
        "ai_keywords",
        "ai_summary",
        "organization",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(_keys, _json),
    st.dictionaries(st.sampled_from(["numComments", "title", "organization", "thumbnail"]), _json),
)
def test_mutated_entries_never_raise(paper_fields, entry_fields):
    result = parse_entries([{"paper": paper_fields, **entry_fields}, paper_fields, entry_fields])
    assert len(result.papers) + result.skipped <= 3
    for paper in result.papers:
        assert paper.id and paper.title and "\n" not in paper.title
        assert isinstance(paper.upvotes, int) and paper.upvotes >= 0
    # The cheap date reader (used to parse only the newest day) agrees with the parser.
    for item in ({"paper": paper_fields, **entry_fields}, paper_fields, entry_fields):
        paper = parse_entry(item)
        if paper is not None:
            assert entry_daily_date(item) == paper.daily_date


def test_featured_date_is_read_without_parsing_the_entry(shared_days):
    for response in list(shared_days.values())[:60]:
        for item in response:
            assert entry_daily_date(item) == parse_entry(item).daily_date
    assert entry_daily_date({"paper": {"submittedOnDailyAt": "not a date"}}) is None
    assert entry_daily_date("junk") is None


def test_counts_accept_numeric_strings_and_are_clamped():
    """One absurd or mistyped count neither breaks parsing nor widens a table."""
    item = {
        "paper": {"id": "2611.00011", "title": "T", "upvotes": "42", "githubStars": -3},
        "numComments": "3",
    }
    paper = parse_entry(item)
    assert (paper.upvotes, paper.comments, paper.github_stars) == (42, 3, 0)
    huge = parse_entry(
        {"paper": {"id": "2611.00020", "title": "T", "upvotes": 10**20}, "numComments": -5}
    )
    assert (huge.upvotes, huge.comments) == (COUNT_MAX, 0)
    floats = parse_entry({"paper": {"id": "2611.00021", "title": "T", "upvotes": 3.7}})
    assert floats.upvotes == 3
    words = parse_entry({"paper": {"id": "2611.00022", "title": "T", "upvotes": "many"}})
    assert words.upvotes == 0


def test_old_style_ids_are_kept_as_ids():
    paper = parse_entry({"paper": {"id": "cs/0101001v1", "title": "Old"}})
    assert paper.id == "cs/0101001"


def test_detail_counts_of_linked_repositories(shared_dir):
    import json as _json

    from papershelf.core.model import parse_entry as _parse

    payload = _json.loads((shared_dir / "data/hf/paper_detail_2410.24164.json").read_text())
    assert _parse(payload).linked == (111, 7, 4)
    assert _parse({"id": "2401.00001", "title": "T"}).linked is None
