"""`papershelf list --starred | --tag TAG | --filter QUERY`."""

from __future__ import annotations

from papershelf.cli import main
from papershelf.core.model import Paper
from papershelf.data.library import Library


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_starred_newest_star_first(capsys):
    with Library.open() as library:
        library.star([Paper(id="2601.00001", title="One")])
        library.star([Paper(id="2601.00002", title="Two")])
    code, out, err = run(capsys, "list", "--starred", "--format", "ids")
    assert code == 0
    assert out == "2601.00002\n2601.00001\n"
    assert "Starred · 2 papers · library" in err


def test_list_tag_and_filter(capsys):
    with Library.open() as library:
        library.add_tags([Paper(id="2601.00001", title="Diffusion", upvotes=3)], ["to-read"])
        library.add_tags([Paper(id="2601.00002", title="Agents", upvotes=30)], ["to-read"])
    code, out, _ = run(
        capsys, "list", "--tag", "TO-READ", "--filter", "upvotes:>=10", "--format", "ids"
    )
    assert code == 0
    assert out == "2601.00002\n"


def test_filter_applies_to_a_feed_list(capsys):
    code, out, _ = run(capsys, "list", "--offline", "--filter", "upvotes:>=50", "--format", "json")
    assert code == 0
    assert out and all('"upvotes"' in line for line in out.splitlines())


def test_malformed_filter_says_where(capsys):
    code, out, err = run(capsys, "list", "--offline", "--filter", 'title:"x')
    assert code == 2
    assert out == ""
    assert "at character 7" in err
