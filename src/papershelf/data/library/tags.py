"""Tag names: how a tag is cleaned, compared (case- and accent-blind) and spelled when stored."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from papershelf.core.errors import InvalidInput
from papershelf.core.text import clean_line, fold

_TAG_FORBIDDEN = re.compile(r'["(),]')
MAX_TAG_LENGTH = 64


def normalize_tag(text: str) -> str:
    """A tag as stored: trimmed, inner whitespace as `-`; raises InvalidInput when unusable.

    Tags keep the case they were first given but compare case- and accent-insensitively, so
    `LLM` and `llm` are one tag. Spaces become `-` so that every tag works as `tag:NAME`.
    """
    tag = "-".join(clean_line(text).split())
    if not tag:
        raise InvalidInput("A tag cannot be empty.")
    if _TAG_FORBIDDEN.search(tag):
        raise InvalidInput(
            f"Tag '{tag}' cannot contain quotes, parentheses or commas; leave those out."
        )
    if len(tag) > MAX_TAG_LENGTH:
        raise InvalidInput(f"A tag can be at most {MAX_TAG_LENGTH} characters long.")
    return tag


def split_tags(texts: Iterable[str]) -> list[str]:
    """Tags as typed, where one text may hold several separated by commas (`a,b` is two)."""
    return [tag for text in texts for piece in text.split(",") if (tag := clean_line(piece))]


def tag_key(tag: str) -> str:
    """What tags are compared by (case- and accent-blind): `LLM` and `llm` share one key."""
    return fold(tag)


def canonical_tags(connection: sqlite3.Connection, tags: Iterable[str]) -> list[str]:
    """Normalized tags, spelled as the library already spells them when known."""
    result: dict[str, str] = {}
    for raw in tags:
        tag = normalize_tag(raw)
        key = tag_key(tag)
        if key in result:
            continue
        row = connection.execute(
            "SELECT tag FROM tags WHERE tag_key = ? LIMIT 1", (key,)
        ).fetchone()
        result[key] = row[0] if row else tag
    return list(result.values())
