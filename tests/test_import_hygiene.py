"""The headless layers stay headless: `core` and `data` never pull in Textual, `core` no httpx."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

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


def test_building_the_reader_does_not_load_the_related_papers_index(tmp_path):
    """The similarity index and the digest stay off the start-up path (first paint)."""
    code = (
        "import os, sys\n"
        f"os.environ['PAPERSHELF_HOME'] = {str(tmp_path)!r}\n"
        "from papershelf.tui.app import make_app\n"
        "make_app(restore_session=False)\n"
        "print(' '.join(m for m in sys.modules if m.startswith('papershelf.')))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    loaded = set(completed.stdout.split())
    assert "papershelf.data.keepup" in loaded  # the history is recorded from the start
    for heavy in (
        "papershelf.data.related_index",
        "papershelf.data.known_feeds",
        "papershelf.core.related",
        "papershelf.core.digest",
    ):
        assert heavy not in loaded
