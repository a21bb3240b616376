"""The headless layers stay headless: `core` and `data` never pull in Textual, `core` no httpx."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import papershelf
import papershelf.core
import papershelf.data


def _modules(package) -> list[str]:
    names = [package.__name__]
    names.extend(
        info.name for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}.")
    )
    return sorted(names)


CORE_MODULES = _modules(papershelf.core)
DATA_MODULES = _modules(papershelf.data)


def _imported_after(module: str) -> set[str]:
    """Top-level package names in `sys.modules` after importing `module` in a fresh process."""
    code = (
        "import importlib, json, sys\n"
        f"importlib.import_module({module!r})\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return set(json.loads(completed.stdout))


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_imports_neither_textual_nor_httpx(module):
    """Domain code is pure: no UI toolkit, no HTTP client."""
    imported = _imported_after(module)
    assert "textual" not in imported
    assert "httpx" not in imported


@pytest.mark.parametrize("module", DATA_MODULES)
def test_data_does_not_import_textual(module):
    """The data layer serves the CLI too, which must start without Textual."""
    assert "textual" not in _imported_after(module)


def test_latex_conversion_is_imported_lazily():
    """pylatexenc costs startup time, so importing the converter must not load it."""
    assert "pylatexenc" not in _imported_after("papershelf.core.latex")


TUI_DIR = Path(papershelf.__file__).parent / "tui"
ENTRY_POINTS = {"app.py"}
"""Only the App module itself may name it; the front door (`cli/`) starts the reader through it."""


def test_nothing_under_tui_imports_the_app():
    """Screens, widgets and dialogs get services handed down; none reaches up to the App."""
    offenders = [
        str(path.relative_to(TUI_DIR))
        for path in TUI_DIR.rglob("*.py")
        if path.name not in ENTRY_POINTS or path.parent != TUI_DIR
        if "papershelf.tui.app" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_the_app_has_no_mixins():
    """`PapershelfApp` derives from Textual's `App` alone."""
    from papershelf.tui.app import PapershelfApp

    own = [cls for cls in PapershelfApp.__mro__ if cls.__module__.startswith("papershelf")]
    assert own == [PapershelfApp]


def test_the_reader_starts_without_the_query_language_or_the_related_index(tmp_path):
    """The first frame needs no filter, similarity index, backup code, palette commands or
    network client: they load on first use."""
    code = (
        "import json, os, sys\n"
        f"os.environ['PAPERSHELF_HOME'] = {str(tmp_path)!r}\n"
        "from papershelf.cli.settings import load_and_report\n"
        "from papershelf.tui.app import make_app\n"
        "settings, problems = load_and_report(report=False)\n"
        "make_app(settings=settings, config_problems=problems, restore_session=False)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    loaded = set(json.loads(completed.stdout))
    assert "papershelf.core.query" not in loaded
    assert "papershelf.data.clipboard" not in loaded
    assert "papershelf.data.library.keepup" in loaded  # the history is recorded from the start
    for heavy in (
        "papershelf.data.papers.related_index",
        "papershelf.data.feeds.known_lists",
        "papershelf.core.related",
        "papershelf.core.digest",
        "papershelf.data.library.backup",
        "papershelf.tui.commands",
        "papershelf.data.feeds.hub",
        "webbrowser",
        "httpx",
    ):
        assert heavy not in loaded
