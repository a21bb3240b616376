"""A paper's discussion (`GET /api/papers/{id}?field=comments`) as a tree of comments.

Shape from the API's own schema: `id`, `createdAt`, `author`, `data.latest.raw` (Markdown,
shown as literal text), `data.reactions`, `data.hidden` / `hiddenReason`, and
`data.parentCommentId` for replies. Unusable items are skipped, never raised.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from papershelf.core.text import clean_line, strip_control

REACTION_EMOJI = {
    "fire": "🔥",
    "rocket": "🚀",
    "eyes": "👀",
    "heart": "❤️",
    "hugs": "🤗",
    "cool": "😎",
    "plus": "➕",
    "brain": "🧠",
    "thumbsup": "👍",
    "handshake": "🤝",
    "sad": "😔",
    "mindblown": "🤯",
}
"""The API's reaction names and the emoji Hugging Face shows for them."""

KNOWN_BOTS = frozenset({"librarian-bot"})
_BOT_NAME = re.compile(r"(?:^|[-_])bot$", re.IGNORECASE)
_COUNT_MAX = 10**9


@dataclass(frozen=True, slots=True)
class Reaction:
    emoji: str
    count: int


@dataclass(slots=True)
class Comment:
    """One comment and its replies."""

    id: str
    author: str
    """The username (`name`), else the full name."""
    author_fullname: str = ""
    created: dt.datetime | None = None
    text: str = ""
    """`data.latest.raw` cleaned of control characters; literal text, never markup."""
    reactions: tuple[Reaction, ...] = ()
    hidden: bool = False
    hidden_reason: str | None = None
    bot: bool = False
    edited: bool = False
    parent_id: str | None = None
    replies: list[Comment] = field(default_factory=list)


@dataclass(slots=True)
class Discussion:
    """Top-level comments in the order given, each with its replies nested."""

    comments: list[Comment] = field(default_factory=list)
    total: int = 0
    """Every comment, replies and hidden ones included."""
    skipped: int = 0


def parse_discussion(payload: Any) -> Discussion:
    """The detail object (or its bare `comments` list) -> `Discussion`."""
    items = payload.get("comments") if isinstance(payload, Mapping) else payload
    if not isinstance(items, list):
        return Discussion()
    discussion = Discussion()
    by_id: dict[str, Comment] = {}
    ordered: list[Comment] = []
    for item in items:
        comment = parse_comment(item)
        if comment is None:
            discussion.skipped += 1
            continue
        if comment.id in by_id:
            continue
        by_id[comment.id] = comment
        ordered.append(comment)
    for comment in ordered:
        parent = by_id.get(comment.parent_id) if comment.parent_id else None
        if parent is not None and parent is not comment and not _is_descendant(parent, comment):
            parent.replies.append(comment)
        else:
            # A reply whose parent is gone (or a cycle) still shows, at the top level.
            discussion.comments.append(comment)
    discussion.total = len(ordered)
    return discussion


def _is_descendant(candidate: Comment, ancestor: Comment) -> bool:
    """True when `candidate` already sits somewhere under `ancestor` (guards against cycles)."""
    stack = list(ancestor.replies)
    while stack:
        node = stack.pop()
        if node is candidate:
            return True
        stack.extend(node.replies)
    return False


def parse_comment(item: Any) -> Comment | None:
    if not isinstance(item, Mapping):
        return None
    comment_id = item.get("id")
    data = item.get("data")
    if not isinstance(comment_id, str) or not comment_id.strip() or not isinstance(data, Mapping):
        return None
    author = item.get("author") if isinstance(item.get("author"), Mapping) else {}
    name = _line(author.get("name")) or _line(author.get("user")) or ""
    fullname = _line(author.get("fullname")) or ""
    latest = data.get("latest") if isinstance(data.get("latest"), Mapping) else {}
    raw = latest.get("raw")
    text = strip_control(raw).strip() if isinstance(raw, str) else ""
    parent = data.get("parentCommentId")
    reason = data.get("hiddenReason")
    return Comment(
        id=clean_line(comment_id),
        author=name or fullname or "someone",
        author_fullname=fullname,
        created=_time(item.get("createdAt")),
        text=text,
        reactions=_reactions(data.get("reactions")),
        hidden=data.get("hidden") is True,
        hidden_reason=_line(reason),
        bot=is_bot(name),
        edited=data.get("edited") is True,
        parent_id=clean_line(parent) if isinstance(parent, str) and parent.strip() else None,
    )


def is_bot(username: str) -> bool:
    """Known bots (`librarian-bot`) and accounts named like one (`…-bot`)."""
    return username in KNOWN_BOTS or bool(_BOT_NAME.search(username))


def _reactions(value: Any) -> tuple[Reaction, ...]:
    if not isinstance(value, list):
        return ()
    reactions = []
    for item in value:
        if not isinstance(item, Mapping):
            continue
        name = item.get("reaction")
        count = item.get("count")
        if not isinstance(name, str) or isinstance(count, bool) or not isinstance(count, int):
            continue
        if count <= 0:
            continue
        name = clean_line(name)[:20]
        # The schema names reactions (`thumbsup`); an emoji given as such is shown as it is.
        emoji = REACTION_EMOJI.get(name) or (name if not name.isascii() else f":{name}:")
        reactions.append(Reaction(emoji, min(count, _COUNT_MAX)))
    return tuple(reactions)


def _line(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return clean_line(value)[:200] or None


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
