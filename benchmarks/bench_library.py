"""Speed of the filter language and the library store; prints the median of several runs.

Usage: `uv run python benchmarks/bench_library.py [--papers 100000] [--dir DIR]`. The papers are
the shared recorded data (`../shared` beside the repository, or `PAPERSHELF_SHARED`) repeated
with new ids; `--dir` chooses where the benchmark library is written (its disk matters: each
change is fsynced).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from papershelf.core.cite_keys import citekey, distinct_keys
from papershelf.core.library_view import LibraryView
from papershelf.core.model import Paper, parse_entries
from papershelf.core.query import compile_query
from papershelf.core.query.search_index import SearchIndex
from papershelf.data.library import Library

COMPOUND = "kw:rlhf OR title:alignment upvotes:>=10 -is:read"


def shared_file() -> Path:
    env = os.environ.get("PAPERSHELF_SHARED")
    root = Path(env) if env else Path(__file__).resolve().parents[2] / "shared"
    path = root / "data" / "hf" / "daily_papers.jsonl.gz"
    if not path.is_file():
        sys.exit(f"shared data not found at {path}: set PAPERSHELF_SHARED")
    return path


def load_papers(path: Path) -> list[Paper]:
    papers: dict[str, Paper] = {}
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            day = dt.date.fromisoformat(record["date"])
            for paper in parse_entries(record["response"], day).papers:
                papers.setdefault(paper.id, paper)
    return list(papers.values())


def repeated(papers: list[Paper], count: int) -> list[Paper]:
    """`count` papers cycling through `papers`, each with an id of its own.

    The ids are valid arXiv ids (`2001.10000` on): the library reads back only those.
    """
    result = []
    for n in range(count):
        original = papers[n % len(papers)]
        month = n // 90_000
        paper_id = f"{20 + month // 12:02d}{1 + month % 12:02d}.{10_000 + n % 90_000:05d}"
        result.append(dataclasses.replace(original, id=paper_id))
    return result


def median_ms(action: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def report(label: str, milliseconds: float, note: str = "") -> None:
    print(f"{label:<52} {milliseconds:9.2f} ms  {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None, help="where to write the library")
    parser.add_argument(
        "--bulk-ids", type=int, default=5000, help="ids given to one `papershelf star`/`tag`"
    )
    parser.add_argument(
        "--bulk-only", action="store_true", help="only the `star`/`tag` command-line figures"
    )
    args = parser.parse_args()
    if args.bulk_only:
        bench_bulk_cli(shared_file(), args.bulk_ids, args.dir)
        return

    base = load_papers(shared_file())
    big = repeated(base, args.papers)
    small = big[:10_000]
    view = LibraryView.create(read=[p.id for p in big[::3]], starred=[p.id for p in big[::50]])
    print(f"{len(base)} distinct recorded papers, repeated to {len(big)}; median of {args.runs}")

    report(
        f"SearchIndex build, {len(big)} papers",
        median_ms(lambda: SearchIndex(big), max(3, args.runs // 2)),
    )
    index_big, index_small = SearchIndex(big), SearchIndex(small)
    compound = compile_query(COMPOUND)
    hits = len(compound.filter(big, index_big, view))
    uncached_compile = compile_query.__wrapped__  # measure parsing too, not the lru_cache

    report(
        f"compile + filter {COMPOUND!r}",
        median_ms(lambda: uncached_compile(COMPOUND).filter(big, index_big, view), args.runs),
        f"({hits} hits)",
    )
    for word in ("diffusion", "zzqx"):
        query = compile_query(word)
        for papers, index in ((small, index_small), (big, index_big)):
            hits = len(query.filter(papers, index, view))
            report(
                f"one word {word!r}, {len(papers)} papers",
                median_ms(lambda q=query, p=papers, i=index: q.filter(p, i, view), args.runs),
                f"({hits} hits)",
            )
    sort = compile_query("sort:upvotes")
    report(f"sort:upvotes, {len(big)} papers", median_ms(lambda: sort.filter(big), args.runs))
    keys = [citekey(paper) for paper in big[:20_000]]
    report(
        f"citekey de-duplication, {len(keys)} keys ({len(set(keys))} distinct)",
        median_ms(lambda: distinct_keys(keys, ()), args.runs),
    )

    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        library = Library.open(Path(folder) / "library.sqlite3")
        counter = iter(range(10**9))
        report(
            "star one paper (one transaction, fsync)",
            median_ms(lambda: library.star([big[next(counter)]]), 200),
        )
        report(
            "mark one paper read",
            median_ms(lambda: library.mark_read([big[next(counter)].id]), 200),
        )
        library.star(big[1000:6000])
        starred = len(library.starred_ids())
        report(
            f"starred_papers() with {starred} starred, first call",
            median_ms(lambda: Library.open(library.path).starred_papers(), 3),
        )
        report(
            f"starred_papers() with {starred} starred, again",
            median_ms(library.starred_papers, args.runs),
        )

        def fresh_view() -> LibraryView:
            library.revision += 1  # defeat the per-revision cache: measure a rebuild
            return library.view()

        report(f"view() rebuild with {starred} starred", median_ms(fresh_view, args.runs))
        report("view() cached", median_ms(library.view, 200))
        library.close()

    bench_bulk_cli(shared_file(), args.bulk_ids, args.dir)


def bench_bulk_cli(path: Path, count: int, directory: Path | None) -> None:
    """`papershelf star ID…` / `tag ID… --tags` with `count` ids, offline, every recorded day in
    the cache: the details of each paper come from the cached lists (one pass over them)."""
    import contextlib
    import io

    from papershelf.cli import main as cli_main
    from papershelf.data.cache import ResponseCache

    with tempfile.TemporaryDirectory(dir=directory) as folder:
        previous = os.environ.get("PAPERSHELF_HOME")
        os.environ["PAPERSHELF_HOME"] = folder
        try:
            cache = ResponseCache()
            ids: list[str] = []
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                records = [json.loads(line) for line in lines]
            for record in sorted(records, key=lambda r: r["date"], reverse=True):
                cache.put(f"daily:{record['date']}", json.dumps(record["response"]).encode())
                if len(ids) < count:
                    day = dt.date.fromisoformat(record["date"])
                    ids += [p.id for p in parse_entries(record["response"], day).papers]
            cache.close()
            ids = list(dict.fromkeys(ids))[:count]
            library_file = Path(folder) / "data" / "library.sqlite3"

            def run(*argv: str) -> None:
                library_file.unlink(missing_ok=True)  # every run starts from an empty library
                with contextlib.redirect_stderr(io.StringIO()):
                    assert cli_main(list(argv)) == 0

            report(
                f"papershelf star --offline, {len(ids)} ids ({len(records)} days cached)",
                median_ms(lambda: run("star", "--offline", *ids), 3),
            )
            report(
                f"papershelf tag --offline, {len(ids)} ids --tags a,b",
                median_ms(lambda: run("tag", "--offline", *ids, "--tags", "a,b"), 3),
            )
        finally:
            if previous is None:
                os.environ.pop("PAPERSHELF_HOME", None)
            else:
                os.environ["PAPERSHELF_HOME"] = previous


if __name__ == "__main__":
    main()
