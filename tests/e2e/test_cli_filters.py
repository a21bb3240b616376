"""`papershelf filter list|rm|rename` on the library the reader saves filters to."""

from __future__ import annotations

from papershelf.cli import main
from papershelf.data.library import Library


def saved(pairs: list[tuple[str, str]]) -> None:
    with Library.open() as library:
        for name, query in pairs:
            library.save_filter(name, query)


def names() -> list[str]:
    with Library.open() as library:
        return [name for name, _ in library.saved_filters()]


def test_list_rm_and_rename(capsys):
    saved([("agents", "agent"), ("code", "has:code")])
    assert main(["filter", "list"]) == 0
    out, err = capsys.readouterr()
    assert out == "agents\tagent\ncode\thas:code\n"
    assert main(["filter", "rename", "agents", "llm agents"]) == 0
    assert names() == ["code", "llm agents"]
    assert main(["filter", "rm", "code"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "deleted filter: code" in err
    assert names() == ["llm agents"]


def test_unknown_names_and_clashes_are_refused(capsys):
    saved([("agents", "agent"), ("code", "has:code")])
    assert main(["filter", "rm", "nope"]) == 1
    assert "no saved filter named “nope”" in capsys.readouterr().err
    assert main(["filter", "rename", "nope", "x"]) == 1
    assert main(["filter", "rename", "agents", "code"]) == 2
    assert "already a saved filter named “code”" in capsys.readouterr().err
    assert names() == ["agents", "code"]
