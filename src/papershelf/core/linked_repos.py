"""What a paper spawned: the models, datasets and Spaces `GET /api/papers/{id}` links to.

The API sends a preview of each list (`linkedModels`, …) and the full counts
(`numTotalModels`, …); the counts are what the detail pane shows, the lists what the panel
shows, with "and N more on Hugging Face" when the preview is shorter.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from papershelf.core.text import clean_line

HF_BASE = "https://huggingface.co"
_COUNT_MAX = 10**12


class RepoKind(enum.StrEnum):
    MODEL = "model"
    DATASET = "dataset"
    SPACE = "space"

    @property
    def plural(self) -> str:
        return {"model": "models", "dataset": "datasets", "space": "Spaces"}[self.value]


@dataclass(frozen=True, slots=True)
class LinkedRepo:
    kind: RepoKind
    id: str
    """`owner/name`."""
    downloads: int | None = None
    likes: int | None = None
    pipeline_tag: str | None = None
    emoji: str | None = None
    description: str | None = None

    @property
    def url(self) -> str:
        prefix = {RepoKind.MODEL: "", RepoKind.DATASET: "/datasets", RepoKind.SPACE: "/spaces"}
        return f"{HF_BASE}{prefix[self.kind]}/{self.id}"


@dataclass(slots=True)
class LinkedRepos:
    """The preview lists and the totals (None when the response did not say)."""

    models: list[LinkedRepo] = field(default_factory=list)
    datasets: list[LinkedRepo] = field(default_factory=list)
    spaces: list[LinkedRepo] = field(default_factory=list)
    total_models: int | None = None
    total_datasets: int | None = None
    total_spaces: int | None = None

    def of(self, kind: RepoKind) -> list[LinkedRepo]:
        return {RepoKind.MODEL: self.models, RepoKind.DATASET: self.datasets}.get(kind, self.spaces)

    def total(self, kind: RepoKind) -> int:
        """The full count: the API's total, never less than the preview's length."""
        given = {
            RepoKind.MODEL: self.total_models,
            RepoKind.DATASET: self.total_datasets,
            RepoKind.SPACE: self.total_spaces,
        }[kind]
        return max(given or 0, len(self.of(kind)))

    def more(self, kind: RepoKind) -> int:
        """How many the preview leaves out."""
        return self.total(kind) - len(self.of(kind))

    @property
    def known(self) -> bool:
        """The response carried the counts at all."""
        return any(
            value is not None
            for value in (self.total_models, self.total_datasets, self.total_spaces)
        )

    def summary(self) -> str:
        """`111 models · 7 datasets · 4 Spaces`."""
        parts = []
        for kind in RepoKind:
            count = self.total(kind)
            noun = kind.plural if count != 1 else kind.plural.removesuffix("s")
            parts.append(f"{count:,} {noun}")
        return " · ".join(parts)


def parse_linked(payload: Any) -> LinkedRepos:
    """The linked lists and totals of a detail object; empty when there are none."""
    if not isinstance(payload, Mapping):
        return LinkedRepos()
    return LinkedRepos(
        models=_repos(payload.get("linkedModels"), RepoKind.MODEL),
        datasets=_repos(payload.get("linkedDatasets"), RepoKind.DATASET),
        spaces=_repos(payload.get("linkedSpaces"), RepoKind.SPACE),
        total_models=_count(payload.get("numTotalModels")),
        total_datasets=_count(payload.get("numTotalDatasets")),
        total_spaces=_count(payload.get("numTotalSpaces")),
    )


def _repos(value: Any, kind: RepoKind) -> list[LinkedRepo]:
    if not isinstance(value, list):
        return []
    repos = []
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, Mapping):
            continue
        repo_id = _repo_id(item.get("id"))
        if repo_id is None or repo_id in seen:
            continue
        seen.add(repo_id)
        repos.append(
            LinkedRepo(
                kind,
                repo_id,
                downloads=_count(item.get("downloads")),
                likes=_count(item.get("likes")),
                pipeline_tag=_line(item.get("pipeline_tag")),
                emoji=_line(item.get("emoji"), 8),
                description=_line(item.get("shortDescription")),
            )
        )
    return repos


def _repo_id(value: Any) -> str | None:
    """`owner/name` made of the characters HF allows; anything else is not linked to."""
    if not isinstance(value, str):
        return None
    text = clean_line(value)
    parts = text.split("/")
    if len(parts) != 2 or not all(parts) or len(text) > 200:
        return None
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
    if not all(set(part) <= allowed for part in parts) or ".." in text:
        return None
    return text


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value:
        return None
    return max(0, min(int(value), _COUNT_MAX))


def _line(value: Any, limit: int = 200) -> str | None:
    if not isinstance(value, str):
        return None
    return clean_line(value)[:limit] or None
