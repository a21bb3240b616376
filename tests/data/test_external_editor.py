"""Notes in the user's own editor: the command chosen, the text handed over and back."""

from __future__ import annotations

import sys

from papershelf.data.external_editor import edit_text, editor_command

APPEND = [sys.executable, "-c", "import sys; open(sys.argv[1], 'a').write(' and more')"]
FAIL = [sys.executable, "-c", "raise SystemExit(3)"]


def test_visual_wins_over_editor_and_none_is_none():
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vi"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "nano"}) == ["nano"]
    assert editor_command({"EDITOR": "  "}) is None
    assert editor_command({}) is None


def test_the_editor_changes_the_text():
    assert edit_text("a note", APPEND) == "a note and more"


def test_a_failing_editor_leaves_the_text_alone():
    assert edit_text("a note", FAIL) is None
