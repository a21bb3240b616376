"""Shared fixtures: an isolated PAPERSHELF_HOME for every test, and the shared recorded data."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Every test gets its own config/data/cache dirs and no real network endpoint."""
    home = tmp_path / "home"
    monkeypatch.setenv("PAPERSHELF_HOME", str(home))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # closed port: never the internet
    monkeypatch.setenv("ARXIV_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.delenv("TMUX", raising=False)  # copy messages differ inside tmux
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("PAPERSHELF_LOG", raising=False)
    return home


@pytest.fixture(autouse=True)
def no_real_clipboard(monkeypatch):
    """The user's clipboard is never touched: pyperclip reports none (tests may stub it)."""
    import pyperclip

    def unavailable(text: str) -> None:
        raise pyperclip.PyperclipException("no system clipboard in tests")

    monkeypatch.setattr(pyperclip, "copy", unavailable)


def _shared_root() -> Path | None:
    env = os.environ.get("PAPERSHELF_SHARED")
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[2] / "shared")
    for candidate in candidates:
        if (candidate / "data" / "hf" / "daily_papers.jsonl.gz").is_file():
            return candidate
    return None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared recorded data (`../shared`, or `PAPERSHELF_SHARED`); skips when absent."""
    root = _shared_root()
    if root is None:
        pytest.skip(
            "shared data not found: set PAPERSHELF_SHARED or place shared/ beside the project"
        )
    return root


@pytest.fixture(scope="session")
def shared_days(shared_dir) -> dict[str, list]:
    """All recorded listing days: date -> verbatim /api/daily_papers response."""
    days: dict[str, list] = {}
    with gzip.open(
        shared_dir / "data" / "hf" / "daily_papers.jsonl.gz", "rt", encoding="utf-8"
    ) as f:
        for line in f:
            record = json.loads(line)
            days[record["date"]] = record["response"]
    return days


@pytest.fixture(scope="session")
def sample_days() -> dict[str, list]:
    """The bundled sample (always present): date -> verbatim response."""
    from importlib.resources import files

    days: dict[str, list] = {}
    text = files("papershelf.data.sample").joinpath("daily_papers.jsonl").read_text("utf-8")
    for line in text.splitlines():
        if line.strip():
            record = json.loads(line)
            days[record["date"]] = record["response"]
    return days
