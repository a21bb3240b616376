"""Keeping up: the related-papers index at 30,000 papers and the count history's size.

    uv run python benchmarks/bench_keepup.py [--papers 30000]

Papers are the recorded ones (`../shared/data/hf`), repeated under new ids until there are
enough: the words are real, so the index's term statistics and postings lengths are too.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from common import load_days, parse_day

from papershelf.core.model import Paper
from papershelf.data.library import Library
from papershelf.data.library.history import record_fetch
from papershelf.data.papers.related_index import RelatedIndex


def known_papers(count: int) -> list[Paper]:
    recorded: dict[str, Paper] = {}
    for date, response in load_days().items():
        for paper in parse_day(date, response):
            recorded[paper.id] = paper
    base = list(recorded.values())
    papers = []
    for n in range(count):
        paper = base[n % len(base)]
        copy = n // len(base)
        papers.append(paper if copy == 0 else dataclasses.replace(paper, id=f"{paper.id}c{copy}"))
    return papers


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def bench_related(total: int) -> None:
    papers = known_papers(total + 50 * 5)
    corpus, later = papers[:total], papers[total:]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "related.sqlite3"
        index = RelatedIndex(path)
        start = time.perf_counter()
        for day in range(0, total, 50):  # as lists arrive: a day of 50 at a time
            index.add(corpus[day : day + 50])
        build = time.perf_counter() - start
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
        print(f"index build, {total:,} papers in days of 50: {build:.1f} s, {size / 1e6:.1f} MB")
        updates = []
        for day in range(5):
            batch = later[day * 50 : (day + 1) * 50]
            start = time.perf_counter()
            index.add(batch)
            updates.append(time.perf_counter() - start)
        print(f"index update, a new day of 50 papers: median {ms(statistics.median(updates))}")
        start = time.perf_counter()
        index.add(later[:50])  # the same day fetched again
        print(f"index update, the same day again (nothing new): {ms(time.perf_counter() - start)}")
        start = time.perf_counter()
        index.merge()
        print(
            f"merge of the fresh postings (every ~1,000 papers): {ms(time.perf_counter() - start)}"
        )
        index.close()
        size = sum(p.stat().st_size for p in Path(folder).iterdir())
        print(f"index size on disk after the merge: {size / 1e6:.1f} MB")
        rng = random.Random(3)
        queries = rng.sample(corpus, 30)
        index = RelatedIndex(path)  # a fresh process's first queries: nothing in memory
        first = time.perf_counter()
        index.related(queries[0].id)
        first = time.perf_counter() - first
        times = []
        for paper in queries[1:]:
            start = time.perf_counter()
            found = index.related(paper.id, limit=20)
            times.append(time.perf_counter() - start)
            assert found, paper.id
        times.sort()
        print(
            f"related, 20 for one paper over {len(index):,}: first {ms(first)}, "
            f"median {ms(statistics.median(times))}, p90 {ms(times[int(len(times) * 0.9)])}"
        )
        index.close()


def bench_history(fetches: int = 500, size: int = 30) -> None:
    for label, change in (("no counts change", 0.0), ("a fifth of the counts change", 0.2)):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "library.sqlite3"
            rng = random.Random(5)
            day = [Paper(id=f"2608.{n:05d}", title=f"Paper {n}", upvotes=n) for n in range(size)]
            start = time.perf_counter()
            with Library.open(path) as library:
                for fetch in range(fetches):
                    day = [
                        dataclasses.replace(p, upvotes=p.upvotes + 1)
                        if rng.random() < change
                        else p
                        for p in day
                    ]
                    record_fetch(library, day, now=f"2026-08-20T08:00:00.{fetch:06d}")
            took = time.perf_counter() - start
            connection = sqlite3.connect(path)
            rows = connection.execute("SELECT COUNT(*) FROM counts").fetchone()[0]
            try:
                table_bytes = connection.execute(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name = 'counts'"
                ).fetchone()[0]
            except sqlite3.Error:
                table_bytes = None
            connection.close()
            size_text = f"{table_bytes / 1024:.0f} KB" if table_bytes else "n/a"
            print(
                f"history after {fetches} fetches of a {size}-paper day, {label}: "
                f"{rows:,} rows, {size_text} (counts table); {ms(took / fetches)} per fetch"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--papers", type=int, default=30_000)
    arguments = parser.parse_args()
    bench_history()
    bench_related(arguments.papers)


if __name__ == "__main__":
    main()
