"""Which ranking finds related papers best on the recorded data, and what each one costs.

Relevance is judged by the papers' AI keywords, which every method is denied: the index is
built over titles and abstracts only, and a result counts as related by the Jaccard overlap of
its keyword words with the query paper's. Reported: mean overlap of the top 10 for 300 query
papers (seeded), time per query, and the import time of the method's library.

    uv run python benchmarks/compare_related.py                 # papershelf's SQLite BM25
    VENV/bin/python benchmarks/compare_related.py sklearn       # TF-IDF cosine (scikit-learn)
    VENV/bin/python benchmarks/compare_related.py bm25s         # bm25s (numpy + scipy)
    VENV/bin/python benchmarks/compare_related.py random        # the floor

The last three run in any environment with those libraries installed (papershelf not needed).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARCHIVE = Path(os.environ.get("PAPERSHELF_SHARED", ROOT.parent / "shared")) / "data" / "hf"
TOP = 10
QUERIES = 300
_WORD = re.compile(r"[a-z0-9]+")


def load() -> list[dict]:
    seen: dict[str, dict] = {}
    with gzip.open(ARCHIVE / "daily_papers.jsonl.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            day = json.loads(line)
            for entry in day["response"]:
                paper = entry.get("paper") or {}
                if paper.get("id") and paper.get("title"):
                    seen[paper["id"]] = {
                        "id": paper["id"],
                        "title": " ".join(paper["title"].split()),
                        "summary": " ".join((paper.get("summary") or "").split()),
                        "keywords": paper.get("ai_keywords") or [],
                        "authors": [a.get("name", "") for a in paper.get("authors") or []],
                        "date": day["date"],
                    }
    return list(seen.values())


def keyword_words(paper: dict) -> set[str]:
    return {w for k in paper["keywords"] for w in _WORD.findall(k.lower()) if len(w) > 2}


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def import_seconds(module: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
    bare = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    return (bare - start) - (time.perf_counter() - bare)


def rank_papershelf(papers: list[dict], queries: list[int]) -> tuple[list[list[int]], str]:
    from papershelf.core.model import Author, Paper
    from papershelf.data.papers.related_index import RelatedIndex

    objects = [
        Paper(
            id=p["id"],
            title=p["title"],
            summary=p["summary"],
            authors=tuple(Author(n) for n in p["authors"]),
        )
        for p in papers
    ]
    position = {p["id"]: i for i, p in enumerate(papers)}
    with tempfile.TemporaryDirectory() as folder:
        index = RelatedIndex(Path(folder) / "related.sqlite3")
        index.add(objects)
        start = time.perf_counter()
        ranked = [
            [position[r.paper.id] for r in index.related(objects[q].id, limit=TOP)] for q in queries
        ]
        per_query = (time.perf_counter() - start) / len(queries)
        index.close()
    return ranked, f"{per_query * 1000:.1f} ms/query; import {import_seconds('sqlite3'):.2f} s"


def rank_sklearn(papers: list[dict], queries: list[int]) -> tuple[list[list[int]], str]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{p['title']} {p['title']} {p['summary']}" for p in papers]
    start = time.perf_counter()
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    build = time.perf_counter() - start
    start = time.perf_counter()
    ranked = []
    for q in queries:
        scores = (matrix @ matrix[q].T).toarray().ravel()
        scores[q] = -1
        ranked.append(list(scores.argsort()[::-1][:TOP]))
    per_query = (time.perf_counter() - start) / len(queries)
    cost = import_seconds("sklearn.feature_extraction.text")
    return ranked, f"{per_query * 1000:.1f} ms/query; build {build:.1f} s; import {cost:.2f} s"


def rank_bm25s(papers: list[dict], queries: list[int]) -> tuple[list[list[int]], str]:
    import bm25s

    texts = [f"{p['title']} {p['title']} {p['summary']}" for p in papers]
    start = time.perf_counter()
    tokens = bm25s.tokenize(texts, stopwords="en", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    build = time.perf_counter() - start
    start = time.perf_counter()
    ranked = []
    for q in queries:
        query = bm25s.tokenize([texts[q]], stopwords="en", show_progress=False)
        results, _ = retriever.retrieve(query, k=TOP + 1, show_progress=False)
        ranked.append([int(r) for r in results[0] if int(r) != q][:TOP])
    per_query = (time.perf_counter() - start) / len(queries)
    cost = import_seconds("bm25s")
    return ranked, f"{per_query * 1000:.1f} ms/query; build {build:.1f} s; import {cost:.2f} s"


def rank_random(papers: list[dict], queries: list[int]) -> tuple[list[list[int]], str]:
    rng = random.Random(7)
    return [rng.sample(range(len(papers)), TOP) for _ in queries], "-"


def main() -> None:
    method = sys.argv[1] if len(sys.argv) > 1 else "papershelf"
    papers = load()
    candidates = [i for i, p in enumerate(papers) if len(keyword_words(p)) >= 4]
    queries = random.Random(11).sample(candidates, QUERIES)
    rank = {
        "papershelf": rank_papershelf,
        "sklearn": rank_sklearn,
        "bm25s": rank_bm25s,
        "random": rank_random,
    }[method]
    ranked, cost = rank(papers, queries)
    words = [keyword_words(p) for p in papers]
    scores = []
    for q, results in zip(queries, ranked, strict=True):
        judged = [overlap(words[q], words[r]) for r in results if words[r]]
        scores.append(sum(judged) / len(judged) if judged else 0.0)
    print(f"{method}: mean keyword overlap of top {TOP} = {sum(scores) / len(scores):.3f}; {cost}")


if __name__ == "__main__":
    main()
