"""`is:new`, `rising:` and `sort:rising` read the session's view of the library."""

from __future__ import annotations

import pytest

from papershelf.core.library_view import LibraryView
from papershelf.core.model import Paper
from papershelf.core.query import compile_query
from papershelf.core.query.tokens import QueryError

PAPERS = [Paper(id=f"2608.0000{n}", title=f"Paper {n}", upvotes=10 * n) for n in range(1, 6)]
VIEW = LibraryView(
    new=frozenset({"2608.00002", "2608.00005"}),
    rising={"2608.00001": 12, "2608.00002": 0, "2608.00003": 30, "2608.00004": 10},
)


def ids(query: str, view: LibraryView = VIEW) -> list[str]:
    return [p.id[-1] for p in compile_query(query).filter(PAPERS, view=view)]


def test_is_new_keeps_papers_first_seen_this_session():
    assert ids("is:new") == ["2", "5"]
    assert ids("-is:new") == ["1", "3", "4"]
    assert ids("is:new", LibraryView()) == []


def test_rising_filters_by_upvotes_gained():
    assert ids("rising:>=10") == ["1", "3", "4"]
    assert ids("rising:>10") == ["1", "3"]
    assert ids("rising:0..10") == ["2", "4"]
    assert ids("rising:>=0") == ["1", "2", "3", "4"]  # paper 5 has no history: never matches


def test_sort_rising_puts_the_biggest_rise_first_and_unknown_last():
    assert ids("sort:rising") == ["3", "1", "4", "2", "5"]
    assert ids("sort:-rising") == ["2", "4", "1", "3", "5"]
    assert ids("is:new OR rising:>=12 sort:rising") == ["3", "1", "2", "5"]


def test_bad_rising_values_say_what_is_expected():
    with pytest.raises(QueryError, match="rising:>=10"):
        compile_query("rising:lots")
    with pytest.raises(QueryError, match="is:new"):
        compile_query("is:fresh")
