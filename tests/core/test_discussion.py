"""Comments (built from the API schema) and linked repositories of a paper."""

from __future__ import annotations

import json

from papershelf.core.discussion import parse_discussion
from papershelf.core.linked_repos import RepoKind, parse_linked

HOSTILE = "[@click=app.quit]x[/] \x1b[2J[b]bold?[/b] $\\alpha$ <script>"


def comment(cid, raw, *, parent=None, author="alice", hidden=False, reason=None, reactions=()):
    data = {
        "edited": False,
        "hidden": hidden,
        "latest": {"raw": raw, "html": "<p>ignored</p>", "updatedAt": "2026-08-21T10:00:00.000Z"},
        "numEdits": 0,
        "editors": [author],
        "editorAvatarUrls": [],
        "reactions": [
            {"reaction": name, "users": ["u"] * count, "count": count} for name, count in reactions
        ],
    }
    if parent:
        data["parentCommentId"] = parent
    if reason:
        data["hiddenReason"] = reason
    return {
        "id": cid,
        "createdAt": "2026-08-21T09:00:00.000Z",
        "type": "comment",
        "author": {
            "_id": "0" * 24,
            "avatarUrl": "/avatars/x.svg",
            "fullname": author.title(),
            "name": author,
            "isHf": False,
            "isHfAdmin": False,
            "isMod": False,
            "type": "user",
            "isPro": False,
        },
        "data": data,
    }


THREAD = {
    "id": "2410.24164",
    "comments": [
        comment("c1", "Great paper!", reactions=[("fire", 3), ("rocket", 1), ("\U0001f917", 2)]),
        comment("c2", "Thanks!", parent="c1", author="bob"),
        comment("c3", "Indeed", parent="c2", author="carol"),
        comment("c4", "spam spam", hidden=True, reason="Spam", author="spammer"),
        comment("c5", "Similar papers: …", author="librarian-bot"),
        comment("c6", HOSTILE, author="mallory"),
        comment("c7", "orphan reply", parent="gone"),
        {"id": 5, "data": {}},
    ],
}


def test_replies_nest_under_their_parent():
    discussion = parse_discussion(THREAD)
    top = [c.id for c in discussion.comments]
    assert top == ["c1", "c4", "c5", "c6", "c7"]
    first = discussion.comments[0]
    assert [r.id for r in first.replies] == ["c2"]
    assert [r.id for r in first.replies[0].replies] == ["c3"]
    assert discussion.total == 7 and discussion.skipped == 1


def test_reactions_hidden_and_bots():
    discussion = parse_discussion(THREAD)
    by_id = {c.id: c for c in discussion.comments}
    reactions = [(r.emoji, r.count) for r in by_id["c1"].reactions]
    assert reactions == [("🔥", 3), ("🚀", 1), ("🤗", 2)]
    assert by_id["c4"].hidden and by_id["c4"].hidden_reason == "Spam"
    assert by_id["c5"].bot and not by_id["c1"].bot
    assert by_id["c1"].author == "alice" and by_id["c1"].created.year == 2026


def test_comment_text_is_kept_literally_without_escapes():
    text = {c.id: c for c in parse_discussion(THREAD).comments}["c6"].text
    assert "\x1b" not in text
    assert text == "[@click=app.quit]x[/] [b]bold?[/b] $\\alpha$ <script>"


def test_a_reply_cycle_does_not_hang_or_vanish():
    cyclic = [comment("a", "a", parent="b"), comment("b", "b", parent="a")]
    discussion = parse_discussion(cyclic)
    assert discussion.total == 2
    seen = []
    stack = list(discussion.comments)
    while stack:
        node = stack.pop()
        seen.append(node.id)
        stack.extend(node.replies)
    assert sorted(seen) == ["a", "b"]


def test_no_comments_is_an_empty_discussion():
    assert parse_discussion({"id": "x"}).comments == []
    assert parse_discussion(None).total == 0


def test_linked_repos_of_the_recorded_detail(shared_dir):
    payload = json.loads((shared_dir / "data/hf/paper_detail_2410.24164.json").read_text())
    linked = parse_linked(payload)
    assert linked.known
    assert linked.models[0].id == "nvidia/GR00T-N1-2B"
    model = linked.models[0]
    assert (model.pipeline_tag, model.downloads, model.likes) == ("robotics", 490, 356)
    assert model.url == "https://huggingface.co/nvidia/GR00T-N1-2B"
    assert linked.total(RepoKind.MODEL) == 111 and linked.more(RepoKind.MODEL) == 109
    assert linked.datasets[0].url.startswith("https://huggingface.co/datasets/")
    space = linked.spaces[0]
    assert space.emoji == "🥇" and space.url.startswith("https://huggingface.co/spaces/")
    assert linked.summary() == "111 models · 7 datasets · 4 Spaces"


def test_linked_repo_ids_that_are_not_repo_ids_are_dropped():
    linked = parse_linked(
        {
            "linkedModels": [{"id": "../../etc"}, {"id": "a/b c"}, {"id": "ok/model"}, "x"],
            "numTotalModels": 1,
        }
    )
    assert [m.id for m in linked.models] == ["ok/model"]
    assert linked.total(RepoKind.SPACE) == 0
    assert parse_linked({}).known is False
