"""The README's key table is generated from the key registry and must not go stale."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "key_table.py"


def _script():
    spec = importlib.util.spec_from_file_location("key_table", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_key_table_is_current():
    """Run `python scripts/key_table.py` after changing `core/keymap.py`."""
    script = _script()
    text = script.README.read_text(encoding="utf-8")
    assert script.with_table(text) == text


def test_a_stale_table_is_noticed():
    """A table missing a binding differs from the generated one."""
    script = _script()
    text = script.README.read_text(encoding="utf-8")
    stale = "\n".join(line for line in text.splitlines() if "`star`" not in line) + "\n"
    assert script.with_table(stale) != stale
