"""Related papers on recorded data: papers sharing a topic rank above unrelated ones.

The fixture (`tests/fixtures/related_topics.json`) holds papers from the recorded archive whose
titles name one of four techniques (Gaussian splatting, speculative decoding, KV cache,
text-to-speech) and a week of papers that mention none of them anywhere. (Mixture-of-experts was
left out: Point-MoE's topic is 3-D segmentation, and it rightly ranks 3-D papers first.)
Each topical paper's partners must rank above all but at most two papers of that week: a
paper of the week may be a genuine neighbour on another axis (DINGO, a decoder for diffusion
LLMs, is rightly close to Fast-dLLM, a KV cache for diffusion LLMs).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from papershelf.core.model import Author, Paper, parse_entry
from papershelf.data.papers.related_index import RelatedIndex

FIXTURE = Path(__file__).parents[1] / "fixtures" / "related_topics.json"


def load() -> tuple[list[Paper], dict[str, str]]:
    papers, topics = [], {}
    for item in json.loads(FIXTURE.read_text("utf-8"))["papers"]:
        paper = parse_entry({"paper": item["paper"]}, dt.date.fromisoformat(item["date"]))
        assert paper is not None
        papers.append(paper)
        if item["topic"]:
            topics[paper.id] = item["topic"]
    return papers, topics


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    papers, topics = load()
    index = RelatedIndex(tmp_path_factory.mktemp("related") / "related.sqlite3")
    for start in range(0, len(papers), 20):  # as lists arrive, in days
        index.add(papers[start : start + 20])
    yield index, papers, topics
    index.close()


def test_papers_sharing_a_topic_rank_above_unrelated_ones(recorded):
    index, papers, topics = recorded
    unrelated = {p.id for p in papers if p.id not in topics}
    for paper_id, topic in topics.items():
        partners = {i for i, t in topics.items() if t == topic and i != paper_id}
        ranked = [r.paper.id for r in index.related(paper_id, limit=len(papers))]
        third_unrelated = sorted(ranked.index(i) for i in unrelated if i in ranked)[2]
        for partner in partners:
            assert partner in ranked, (paper_id, partner)
            assert ranked.index(partner) < third_unrelated, (topic, paper_id, partner)


def test_merging_fresh_postings_keeps_the_ranking(recorded, tmp_path):
    index, papers, _ = recorded
    before = [(r.paper.id, round(r.score, 9)) for r in index.related(papers[0].id)]
    with RelatedIndex(tmp_path / "copy.sqlite3") as copy:
        for start in range(0, len(papers), 20):
            copy.add(papers[start : start + 20])
        copy.merge()
        assert copy._connection.execute("SELECT COUNT(*) FROM fresh_postings").fetchone()[0] == 0
        after = [(r.paper.id, round(r.score, 9)) for r in copy.related(papers[0].id)]
    assert after == before


def test_a_paper_is_never_related_to_itself(recorded):
    index, papers, _ = recorded
    assert all(r.paper.id != papers[0].id for r in index.related(papers[0].id))


def test_shared_authors_count(tmp_path):
    # Arxiv-style ids: a stored record is read back through the same id check as API data.
    base = Paper(id="2601.00001", title="Sparse attention for long video", summary="video tokens")
    same_words = dataclasses.replace(base, id="2601.00002", title="Sparse attention for long audio")
    with_author = dataclasses.replace(
        same_words, id="2601.00003", authors=(Author("Ada Lovelace"),)
    )
    query = dataclasses.replace(base, authors=(Author("ada  LOVELACE"),))
    with RelatedIndex(tmp_path / "r.sqlite3") as index:
        index.add(
            [query, same_words, with_author, Paper(id="2601.00004", title="Unrelated robots")]
        )
        ranked = index.related("2601.00001")
        assert [r.paper.id for r in ranked][:2] == ["2601.00003", "2601.00002"]
        assert ranked[0].shared_authors == 1


def test_unknown_papers_are_ranked_from_their_text(recorded):
    index, papers, topics = recorded
    splat = next(p for p in papers if topics.get(p.id) == "gaussian splatting")
    stranger = dataclasses.replace(splat, id="9999.00001")
    ranked = [r.paper.id for r in index.related(stranger, limit=3)]
    assert splat.id in ranked
    assert index.related("0000.00000") == []


def test_updates_are_incremental_and_changed_text_is_reindexed(tmp_path):
    paper = Paper(id="2601.00001", title="Diffusion for proteins", upvotes=1)
    other = Paper(id="2601.00002", title="Protein folding with diffusion")
    with RelatedIndex(tmp_path / "r.sqlite3") as index:
        assert index.add([paper, other]) == 2
        assert index.add([paper, other]) == 0
        assert index.add([dataclasses.replace(paper, upvotes=5)]) == 0  # record only
        assert index.paper("2601.00001").upvotes == 5
        assert index.add([dataclasses.replace(paper, title="Robots that cook")]) == 1
        assert len(index) == 2
        assert index.related("2601.00001") == [] or index.related("2601.00001")[0].score < 0.5


def test_author_view_is_exact_and_newest_first(tmp_path):
    def by(paper_id: str, day: str, *names: str) -> Paper:
        authors = tuple(Author(n) for n in names)
        return Paper(
            id=paper_id, title=paper_id, authors=authors, daily_date=dt.date.fromisoformat(day)
        )

    with RelatedIndex(tmp_path / "r.sqlite3") as index:
        index.add(
            [
                by("2601.00011", "2026-01-01", "Jane Doe"),
                by("2601.00012", "2026-03-01", "Jane Doe", "John Roe"),
                by("2601.00013", "2026-02-01", "Jane Doerr"),
            ]
        )
        assert [p.id for p in index.by_author("jane doe")] == ["2601.00012", "2601.00011"]


def test_a_damaged_index_file_is_rebuilt(tmp_path):
    path = tmp_path / "r.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with RelatedIndex(path) as index:
        assert index.add([Paper(id="1", title="x")]) == 1
