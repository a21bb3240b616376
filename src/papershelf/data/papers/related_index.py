"""Every paper papershelf has seen, on disk: an inverted index for related papers and authors.

A small SQLite file in the cache directory (it can be thrown away and rebuilds as lists
arrive). `add` is incremental: a new paper writes its postings, an unchanged one costs a
lookup. `related` ranks by BM25 over title, abstract and AI keywords, summed inside SQLite
over the paper's most telling terms, plus a bonus per shared author.
"""

from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from papershelf.core.model import Paper, paper_from_record
from papershelf.core.related import (
    DOC_TERMS,
    K1,
    QUERY_TERMS,
    author_keys,
    combined_score,
    doc_weight,
    idf,
    paper_terms,
)
from papershelf.core.text import clean_line, fold
from papershelf.data import paths

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    day TEXT,
    length INTEGER NOT NULL,
    text_digest TEXT NOT NULL,
    record_digest TEXT NOT NULL,
    terms TEXT NOT NULL,
    record BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_by_day ON docs (day);
CREATE TABLE IF NOT EXISTS terms (
    tid INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE,
    df INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (
    tid INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    w REAL NOT NULL,
    PRIMARY KEY (tid, doc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fresh_postings (
    tid INTEGER NOT NULL,
    doc INTEGER NOT NULL,
    w REAL NOT NULL,
    PRIMARY KEY (tid, doc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fresh_df (
    tid INTEGER PRIMARY KEY,
    n INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS authors (
    author TEXT NOT NULL,
    doc INTEGER NOT NULL,
    PRIMARY KEY (author, doc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value REAL NOT NULL
);
"""
INDEX_VERSION = 2
MERGE_AT = 40_000
"""Fresh postings are merged into the main table once there are this many (about 1,000
papers): a day's additions then touch a few pages of a small table instead of a thousand pages
of the big one, and the merge writes each big page once for many days."""
FRESH_DF = "COALESCE((SELECT n FROM fresh_df f WHERE f.tid = terms.tid), 0)"
"""A term's document frequency is its merged count plus the fresh additions."""
"""Bumped when the layout changes: an older file is simply rebuilt (it is a cache)."""


def index_file() -> Path:
    return paths.cache_dir() / "related.sqlite3"


@dataclass(frozen=True, slots=True)
class Related:
    """A paper related to the one asked about, and why."""

    paper: Paper
    score: float
    """Text similarity scaled to the paper's own (0..1) plus the shared-author bonus."""
    shared_authors: int = 0


def _digest(*parts: object) -> str:
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def _text_digest(paper: Paper) -> str:
    return _digest(paper.title, paper.summary, paper.keywords, author_keys(paper))


def _record(paper: Paper) -> tuple[bytes, str]:
    record = paper.to_record()
    text = json.dumps(record, ensure_ascii=False, sort_keys=True)
    return zlib.compress(text.encode("utf-8"), 6), _digest(text)


def _paper(blob: bytes) -> Paper | None:
    try:
        return paper_from_record(json.loads(zlib.decompress(blob).decode("utf-8")))
    except (zlib.error, ValueError, UnicodeDecodeError):
        return None


def _chunks(items: Sequence, size: int = 400) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class RelatedIndex:
    """The on-disk index of known papers; safe to share between threads."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else index_file()
        self._lock = threading.RLock()
        self._connection = self._open()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._prepare(self.path)
        except sqlite3.DatabaseError:
            # A damaged or outdated cache file: throw it away and start again.
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    Path(f"{self.path}{suffix}").unlink()
            return self._prepare(self.path)

    @staticmethod
    def _prepare(path: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(
            path, timeout=10, isolation_level=None, check_same_thread=False
        )
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, INDEX_VERSION):
                raise sqlite3.DatabaseError("index of another layout")
            connection.execute("PRAGMA journal_mode = WAL")
            # A cache: losing the last write on a power cut only means indexing it again.
            connection.execute("PRAGMA synchronous = NORMAL")
            # A day's additions touch pages all over the terms and postings trees; keeping
            # 16 MB of them cached cut a 50-paper update by about a third at 20,000 papers.
            connection.execute("PRAGMA cache_size = -16000")
            connection.executescript(SCHEMA)
            connection.execute(f"PRAGMA user_version = {INDEX_VERSION}")
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- writing --------------------------------------------------------------------------

    def _meta(self) -> tuple[int, float]:
        rows = dict(self._connection.execute("SELECT key, value FROM meta").fetchall())
        return int(rows.get("docs", 0)), float(rows.get("length", 0.0))

    def add(self, papers: Iterable[Paper]) -> int:
        """Index new papers and refresh changed ones; returns how many were (re)indexed."""
        latest = {paper.id: paper for paper in papers if paper.id}
        if not latest:
            return 0
        with self._lock:
            connection = self._connection
            known: dict[str, tuple[int, str, str, str]] = {}
            for chunk in _chunks(list(latest)):
                marks = ",".join("?" * len(chunk))
                sql = (
                    "SELECT id, doc, text_digest, record_digest, terms FROM docs "
                    f"WHERE id IN ({marks})"
                )
                for paper_id, doc, text_digest, record_digest, terms in connection.execute(
                    sql, chunk
                ):
                    known[paper_id] = (doc, text_digest, record_digest, terms)
            records = {i: _record(p) for i, p in latest.items()}
            stale = [i for i in latest if i not in known or known[i][2] != records[i][1]]
            if not stale:
                return 0
            connection.execute("BEGIN IMMEDIATE")
            try:
                indexed = self._write(latest, known, records, stale)
                connection.execute("COMMIT")
                fresh = connection.execute("SELECT COUNT(*) FROM fresh_postings").fetchone()[0]
                if fresh >= MERGE_AT:
                    self.merge()
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            return indexed

    def _write(
        self,
        latest: dict[str, Paper],
        known: dict[str, tuple[int, str, str, str]],
        records: dict[str, tuple[bytes, str]],
        stale: list[str],
    ) -> int:
        connection = self._connection
        reindex: list[str] = []
        for paper_id in stale:
            paper = latest[paper_id]
            blob, record_digest = records[paper_id]
            if paper_id in known and known[paper_id][1] == _text_digest(paper):
                # Only counts or links moved: the postings stay.
                connection.execute(
                    "UPDATE docs SET record = ?, record_digest = ? WHERE doc = ?",
                    (blob, record_digest, known[paper_id][0]),
                )
            else:
                reindex.append(paper_id)
        if not reindex:
            return 0
        documents, total_length = self._meta()
        for paper_id in reindex:
            if paper_id in known:
                documents, total_length = self._forget(known[paper_id], documents, total_length)
        term_counts = {paper_id: paper_terms(latest[paper_id]) for paper_id in reindex}
        vocabulary = sorted({term for counts in term_counts.values() for term in counts})
        tids: dict[str, int] = {}
        for chunk in _chunks(vocabulary):
            marks = ",".join("?" * len(chunk))
            tids.update(
                connection.execute(f"SELECT term, tid FROM terms WHERE term IN ({marks})", chunk)
            )
        missing = [(term,) for term in vocabulary if term not in tids]
        connection.executemany("INSERT INTO terms (term, df) VALUES (?, 0)", missing)
        if missing:
            for chunk in _chunks([term for (term,) in missing]):
                marks = ",".join("?" * len(chunk))
                tids.update(
                    connection.execute(
                        f"SELECT term, tid FROM terms WHERE term IN ({marks})", chunk
                    )
                )
        lengths = {i: sum(counts.values()) for i, counts in term_counts.items()}
        df_increments: dict[int, int] = {}
        for counts in term_counts.values():
            for term in counts:
                df_increments[tids[term]] = df_increments.get(tids[term], 0) + 1
        connection.executemany(
            "INSERT INTO fresh_df (tid, n) VALUES (?, ?) "
            "ON CONFLICT (tid) DO UPDATE SET n = n + excluded.n",
            [(tid, n) for tid, n in df_increments.items()],
        )
        frequencies: dict[int, int] = {}
        for chunk in _chunks(list(df_increments)):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT tid, df + {FRESH_DF} FROM terms WHERE tid IN ({marks})"
            frequencies.update(connection.execute(sql, chunk))
        documents += len(reindex)
        total_length += sum(lengths.values())
        average = total_length / documents
        postings: list[tuple[int, int, float]] = []
        authors: list[tuple[str, int]] = []
        idfs: dict[int, float] = {}
        for paper_id in reindex:
            paper, counts = latest[paper_id], term_counts[paper_id]
            blob, record_digest = records[paper_id]
            length = lengths[paper_id]
            scored = []
            for term, count in counts.items():
                tid = tids[term]
                term_idf = idfs.get(tid)
                if term_idf is None:
                    term_idf = idfs[tid] = idf(frequencies[tid], documents)
                scored.append((term_idf * doc_weight(count, length, average), tid, count))
            weighted = heapq.nlargest(QUERY_TERMS, scored)
            vector = " ".join(f"{tid}:{n}" for _, tid, n in weighted)
            day = paper.daily_date.isoformat() if paper.daily_date else None
            cursor = connection.execute(
                "INSERT INTO docs (id, day, length, text_digest, record_digest, terms, record) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    paper_id,
                    day,
                    lengths[paper_id],
                    _text_digest(paper),
                    record_digest,
                    vector,
                    blob,
                ),
            )
            doc = int(cursor.lastrowid or 0)
            postings.extend(
                (tid, doc, doc_weight(n, lengths[paper_id], average))
                for _, tid, n in weighted[:DOC_TERMS]
            )
            authors.extend((key, doc) for key in author_keys(paper))
        connection.executemany(
            "INSERT INTO fresh_postings (tid, doc, w) VALUES (?, ?, ?)", postings
        )
        connection.executemany("INSERT OR IGNORE INTO authors (author, doc) VALUES (?, ?)", authors)
        connection.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [("docs", documents), ("length", total_length)],
        )
        return len(reindex)

    def merge(self) -> None:
        """Move the fresh postings and frequencies into the main tables (one transaction)."""
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(
                    "INSERT OR REPLACE INTO postings SELECT tid, doc, w FROM fresh_postings "
                    "ORDER BY tid, doc"
                )
                connection.execute(
                    "UPDATE terms SET df = df + (SELECT n FROM fresh_df f WHERE f.tid = terms.tid) "
                    "WHERE tid IN (SELECT tid FROM fresh_df)"
                )
                connection.execute("DELETE FROM fresh_postings")
                connection.execute("DELETE FROM fresh_df")
                connection.execute("COMMIT")
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise

    def _forget(
        self, known: tuple[int, str, str, str], documents: int, total_length: float
    ) -> tuple[int, float]:
        connection = self._connection
        doc, _, _, vector = known
        tids = [int(item.split(":")[0]) for item in vector.split()]
        row = connection.execute("SELECT length FROM docs WHERE doc = ?", (doc,)).fetchone()
        length = int(row[0]) if row else 0
        # Only the kept terms are known: the rest of the old text's document frequencies stay
        # one too high until the index is rebuilt, a small drift for a paper whose text changed.
        connection.executemany(
            "INSERT INTO fresh_df (tid, n) VALUES (?, -1) "
            "ON CONFLICT (tid) DO UPDATE SET n = n - 1",
            [(t,) for t in tids],
        )
        for table in ("postings", "fresh_postings"):
            connection.executemany(
                f"DELETE FROM {table} WHERE tid = ? AND doc = ?", [(tid, doc) for tid in tids]
            )
        connection.execute("DELETE FROM authors WHERE doc = ?", (doc,))
        connection.execute("DELETE FROM docs WHERE doc = ?", (doc,))
        return documents - 1, total_length - length

    # --- reading --------------------------------------------------------------------------

    def __len__(self) -> int:
        with self._lock:
            return self._meta()[0]

    def paper(self, paper_id: str) -> Paper | None:
        with self._lock:
            row = self._connection.execute(
                "SELECT record FROM docs WHERE id = ?", (paper_id,)
            ).fetchone()
        return _paper(row[0]) if row else None

    def papers(self, ids: Sequence[str]) -> list[Paper]:
        """The known papers among `ids`, in that order."""
        found: dict[str, Paper] = {}
        with self._lock:
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT id, record FROM docs WHERE id IN ({marks})"
                for paper_id, blob in self._connection.execute(sql, chunk):
                    paper = _paper(blob)
                    if paper is not None:
                        found[paper_id] = paper
        return [found[i] for i in ids if i in found]

    def by_author(self, name: str, limit: int | None = None) -> list[Paper]:
        """Every known paper by exactly this author (case and accents ignored), newest first."""
        key = " ".join(fold(clean_line(name)).split())
        sql = (
            "SELECT d.record FROM authors a JOIN docs d ON d.doc = a.doc WHERE a.author = ? "
            "ORDER BY d.day IS NULL, d.day DESC, d.id DESC"
        )
        with self._lock:
            rows = self._connection.execute(sql, (key,)).fetchall()
        papers = [p for p in (_paper(row[0]) for row in rows) if p is not None]
        return papers[:limit] if limit is not None else papers

    def related(self, paper: Paper | str, limit: int = 20) -> list[Related]:
        """The papers most like `paper` (an id of a known paper, or any `Paper`), best first."""
        with self._lock:
            return self._related(paper, limit)

    def _related(self, paper: Paper | str, limit: int) -> list[Related]:
        connection = self._connection
        row = connection.execute(
            "SELECT doc, terms, record FROM docs WHERE id = ?",
            (paper if isinstance(paper, str) else paper.id,),
        ).fetchone()
        own_doc: int | None = None
        if row is not None:
            own_doc = int(row[0])
            counts = {int(t): int(n) for t, n in (item.split(":") for item in row[1].split())}
            if isinstance(paper, str):
                paper = _paper(row[2]) or Paper(id=paper, title=paper)
        elif isinstance(paper, str):
            return []
        else:
            by_term = paper_terms(paper)
            counts = {}
            for chunk in _chunks(list(by_term)):
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT term, tid FROM terms WHERE term IN ({marks})"
                for term, tid in connection.execute(sql, chunk):
                    counts[int(tid)] = by_term[term]
        documents, total_length = self._meta()
        if not documents or not counts:
            return []
        average = total_length / documents
        frequencies: dict[int, int] = {}
        for chunk in _chunks(list(counts)):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT tid, df + {FRESH_DF} FROM terms WHERE tid IN ({marks})"
            frequencies.update(connection.execute(sql, chunk))
        own_length = sum(counts.values())
        weights: list[tuple[int, float, float]] = []
        for tid, count in counts.items():
            df = frequencies.get(tid, 0)
            if df <= (1 if own_doc is not None else 0):
                continue  # only this paper has the word: it finds nothing else
            query_weight = idf(df, documents) * count * (K1 + 1) / (count + K1)
            weights.append((tid, query_weight, doc_weight(count, own_length, average)))
        weights.sort(key=lambda item: item[1], reverse=True)
        weights = weights[:QUERY_TERMS]
        self_score = sum(q * w for _, q, w in weights)
        scores: dict[int, float] = {}
        if weights:
            values = ",".join("(?, ?)" for _ in weights)
            # Each table is joined on its own so SQLite walks its (tid, doc) key; a join on
            # their UNION would scan every posting.
            sql = (
                f"WITH q(tid, w) AS (VALUES {values}) "
                "SELECT doc, SUM(s) AS total FROM ("
                "SELECT p.doc AS doc, q.w * p.w AS s FROM q JOIN postings p ON p.tid = q.tid "
                "UNION ALL "
                "SELECT f.doc AS doc, q.w * f.w AS s FROM q JOIN fresh_postings f "
                "ON f.tid = q.tid"
                ") GROUP BY doc ORDER BY total DESC LIMIT ?"
            )
            parameters = [x for tid, q, _ in weights for x in (tid, q)]
            scores = dict(connection.execute(sql, (*parameters, limit * 3 + 1)).fetchall())
        shared: dict[int, int] = {}
        keys = author_keys(paper)
        if keys:
            marks = ",".join("?" * len(keys))
            sql = f"SELECT doc, COUNT(*) FROM authors WHERE author IN ({marks}) GROUP BY doc"
            shared = dict(connection.execute(sql, keys).fetchall())
        ranked = sorted(
            (
                (combined_score(scores.get(doc, 0.0), self_score, shared.get(doc, 0)), doc)
                for doc in {*scores, *shared}
                if doc != own_doc
            ),
            reverse=True,
        )[:limit]
        records: dict[int, bytes] = {}
        docs = [doc for _, doc in ranked]
        for chunk in _chunks(docs):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT doc, record FROM docs WHERE doc IN ({marks})"
            records.update(connection.execute(sql, chunk))
        result = []
        for score, doc in ranked:
            found = _paper(records[doc]) if doc in records else None
            if found is not None and found.id != paper.id:
                result.append(Related(found, score, shared.get(doc, 0)))
        return result
