"""The domain model (Paper, Author) and the one tolerant parser of Hugging Face Papers JSON.

Every shape the API returns goes through here: a `/api/daily_papers` entry (a wrapper with the
paper under `paper`), a `/api/papers/search` item (the same wrapper), and the flat object of
`/api/papers/{id}`. Anything unusable is skipped and counted, never raised.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from papershelf.core.links import arxiv_url, hf_url, normalize_paper_id, pdf_url, safe_url
from papershelf.core.text import clean_line

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_NUMERIC = re.compile(r"^\s*[-+]?\d{1,30}(?:\.\d*)?\s*$")
COUNT_MAX = 10**9
"""The largest count (upvotes, comments, stars) papershelf believes; larger values are capped."""


@dataclass(frozen=True, slots=True)
class Author:
    """One (visible) author of a paper."""

    name: str
    """Display name as on arXiv."""
    hf_user: str | None = None
    """The linked Hugging Face username, when the author claimed the paper."""


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper as papershelf knows it; text is whitespace-collapsed but otherwise raw."""

    id: str
    """Bare arXiv id, e.g. `2602.23229`."""
    title: str
    summary: str = ""
    """The abstract."""
    authors: tuple[Author, ...] = ()
    organization: str | None = None
    """The organisation's full name, else its short name."""
    published: dt.date | None = None
    """arXiv publication date (`paper.publishedAt`)."""
    daily_date: dt.date | None = None
    """The day the paper was featured on Daily Papers."""
    upvotes: int = 0
    comments: int = 0
    github: str | None = None
    """The GitHub URL as the API gives it (stripped)."""
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str | None = None
    keywords: tuple[str, ...] = ()
    """AI keywords."""
    thumbnail: str | None = None
    withdrawn: bool = False
    submitted_by: str | None = None
    """The HF username that put the paper on Daily Papers."""
    highlights: tuple[str, ...] = field(default=(), compare=False)
    """Words a remote search highlighted in the title (search results only)."""
    linked: tuple[int, int, int] | None = None
    """Counts of linked models, datasets and Spaces (only a paper's detail carries them)."""

    @property
    def hf_url(self) -> str:
        return hf_url(self.id)

    @property
    def arxiv_url(self) -> str:
        return arxiv_url(self.id)

    @property
    def pdf_url(self) -> str:
        return pdf_url(self.id)

    @property
    def author_names(self) -> list[str]:
        return [author.name for author in self.authors]

    @property
    def first_author(self) -> str | None:
        return self.authors[0].name if self.authors else None

    @property
    def github_repo(self) -> str | None:
        """`owner/repo` when `github` names a repository (not just an organisation)."""
        if not self.github:
            return None
        parts = urlsplit(self.github if "//" in self.github else f"https://{self.github}")
        if not parts.netloc.lower().endswith("github.com"):
            return None
        segments = [s for s in parts.path.split("/") if s]
        if len(segments) < 2:
            return None
        repo = segments[1].removesuffix(".git")
        return f"{segments[0]}/{repo}"

    def to_record(self) -> dict[str, Any]:
        """The stable JSON form (CLI `--format json`, library snapshots, exports)."""
        return {
            "id": self.id,
            "title": self.title,
            "authors": self.author_names,
            "summary": self.summary,
            "published": self.published.isoformat() if self.published else None,
            "daily_date": self.daily_date.isoformat() if self.daily_date else None,
            "upvotes": self.upvotes,
            "comments": self.comments,
            "github": self.github,
            "github_stars": self.github_stars,
            "project_page": self.project_page,
            "ai_summary": self.ai_summary,
            "keywords": list(self.keywords),
            "organization": self.organization,
            "thumbnail": self.thumbnail,
            "withdrawn": self.withdrawn,
            "hf_url": self.hf_url,
            "arxiv_url": self.arxiv_url,
            "pdf_url": self.pdf_url,
        }


@dataclass(slots=True)
class ParseResult:
    """Papers parsed from one response, plus how many entries had to be skipped."""

    papers: list[Paper]
    skipped: int = 0
    dropped_links: int = 0
    """URL fields left out because they were not well-formed http(s) URLs."""


# --- tolerant field readers -------------------------------------------------------------


def _text(value: Any) -> str | None:
    """A cleaned one-line string, or None when absent, empty or not a string."""
    if not isinstance(value, str):
        return None
    cleaned = clean_line(value)
    return cleaned or None


def _url(value: Any) -> str | None:
    """A well-formed http(s) URL, or None (an invalid one is dropped whole, see `safe_url`)."""
    return safe_url(value)


def _paper_id(value: Any) -> str | None:
    """The bare arXiv id of `value` (an id in one of the API's forms), else None."""
    return normalize_paper_id(value) if isinstance(value, str) else None


_URL_FIELDS = ("githubRepo", "projectPage", "thumbnail", "thumbnailUrl")


def _dropped_links(item: Mapping[str, Any]) -> int:
    """How many URL fields of an entry hold text that `_url` refuses."""
    inner = item.get("paper")
    count = 0
    for source in (item, inner) if isinstance(inner, Mapping) else (item,):
        for name in _URL_FIELDS:
            value = source.get(name)
            if isinstance(value, str) and value.strip() and _url(value) is None:
                count += 1
    return count


def _int(value: Any) -> int | None:
    """A count from an int, a float (truncated) or a numeric string (`"42"`), within 0..COUNT_MAX.

    Clamping keeps one absurd value (`1e20` upvotes, `-5` comments) from widening a table.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        match = _NUMERIC.match(value)
        if not match:
            return None
        value = float(value) if "." in value else int(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        value = int(max(min(value, COUNT_MAX), -1))
    if isinstance(value, int):
        return max(0, min(value, COUNT_MAX))
    return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _username(user: Any) -> str | None:
    if not isinstance(user, Mapping):
        return None
    return _text(user.get("user")) or _text(user.get("name"))


def _authors(value: Any) -> tuple[Author, ...]:
    if not isinstance(value, list):
        return ()
    authors = []
    for item in value:
        if isinstance(item, str):
            name = _text(item)
            if name:
                authors.append(Author(name))
            continue
        if not isinstance(item, Mapping) or item.get("hidden") is True:
            continue
        name = _text(item.get("name"))
        if name:
            authors.append(Author(name, _username(item.get("user"))))
    return tuple(authors)


def _organization(*candidates: Any) -> str | None:
    for org in candidates:
        if isinstance(org, str):
            return _text(org)
        if isinstance(org, Mapping):
            name = _text(org.get("fullname")) or _text(org.get("name"))
            if name:
                return name
    return None


def _keywords(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(k for k in (_text(item) for item in value) if k)


def _highlights(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    words = []
    for run in value:
        if isinstance(run, Mapping) and run.get("type") == "highlight":
            text = _text(run.get("text"))
            if text:
                words.append(text)
    return tuple(words)


# --- the parser ---------------------------------------------------------------------------


def parse_entry(item: Any, listing_date: dt.date | None = None) -> Paper | None:
    """One feed entry, search item or flat paper object -> Paper; None when unusable."""
    if not isinstance(item, Mapping):
        return None
    inner = item.get("paper")
    paper: Mapping[str, Any] = inner if isinstance(inner, Mapping) else item
    entry: Mapping[str, Any] = item

    raw_id = paper.get("id") if isinstance(paper.get("id"), str) else entry.get("id")
    if not isinstance(raw_id, str):
        return None
    # Only ids in the API's forms: an id is shown, cited and put into links and file names.
    paper_id = _paper_id(raw_id)
    # The entry-level title may hold raw LaTeX where paper.title is plain; prefer paper.title.
    title = _text(paper.get("title")) or _text(entry.get("title"))
    if not paper_id or not title:
        return None

    upvotes = _int(paper.get("upvotes"))
    if upvotes is None:
        upvotes = _int(entry.get("upvotes")) or 0
    comments = _int(entry.get("numComments"))
    if comments is None:
        comments = _int(paper.get("numComments")) or 0
    ai_summary = paper.get("ai_summary", entry.get("ai_summary"))
    # Never the entry-level publishedAt: it is the arXiv time shifted to New York (see docs).
    daily_date = _date(paper.get("submittedOnDailyAt")) or listing_date
    return Paper(
        id=paper_id,
        title=title,
        summary=_text(paper.get("summary")) or _text(entry.get("summary")) or "",
        authors=_authors(paper.get("authors")),
        organization=_organization(entry.get("organization"), paper.get("organization")),
        published=_date(paper.get("publishedAt")),
        daily_date=daily_date,
        upvotes=max(upvotes, 0),
        comments=max(comments, 0),
        github=_url(paper.get("githubRepo", entry.get("githubRepo"))),
        github_stars=_int(paper.get("githubStars", entry.get("githubStars"))),
        project_page=_url(paper.get("projectPage", entry.get("projectPage"))),
        ai_summary=_text(ai_summary),
        keywords=_keywords(paper.get("ai_keywords", entry.get("ai_keywords"))),
        thumbnail=_url(entry.get("thumbnail")) or _url(paper.get("thumbnailUrl")),
        withdrawn=bool(paper.get("withdrawnAt")),
        submitted_by=_username(entry.get("submittedBy"))
        or _username(paper.get("submittedOnDailyBy")),
        highlights=_highlights(entry.get("highlightedTitle")),
        linked=_linked_counts(paper),
    )


def entry_daily_date(item: Any) -> dt.date | None:
    """The day a raw entry was featured, read without parsing the rest; None when absent.

    The same date `parse_entry` gives a usable entry when no listing date is known.
    """
    if not isinstance(item, Mapping):
        return None
    inner = item.get("paper")
    paper: Mapping[str, Any] = inner if isinstance(inner, Mapping) else item
    return _date(paper.get("submittedOnDailyAt"))


def _linked_counts(paper: Mapping[str, Any]) -> tuple[int, int, int] | None:
    keys = ("numTotalModels", "numTotalDatasets", "numTotalSpaces")
    counts = [_int(paper.get(key)) for key in keys]
    if all(count is None for count in counts):
        return None
    models, datasets, spaces = (count or 0 for count in counts)
    return models, datasets, spaces


def parse_entries(items: Any, listing_date: dt.date | None = None) -> ParseResult:
    """A whole response (a JSON array) -> papers in response order, duplicates dropped."""
    if not isinstance(items, list):
        return ParseResult([], skipped=0 if items in (None, {}) else 1)
    papers: list[Paper] = []
    seen: set[str] = set()
    skipped = dropped = 0
    for item in items:
        paper = parse_entry(item, listing_date)
        if paper is None:
            skipped += 1
        elif paper.id not in seen:
            seen.add(paper.id)
            papers.append(paper)
            dropped += _dropped_links(item)
    return ParseResult(papers, skipped, dropped)


def paper_from_record(record: Mapping[str, Any]) -> Paper | None:
    """Read back the `Paper.to_record()` form (library snapshots, JSON exports)."""
    if not isinstance(record, Mapping):
        return None
    paper_id = _paper_id(record.get("id"))
    title = _text(record.get("title"))
    if not paper_id or not title:
        return None
    authors = record.get("authors")
    return Paper(
        id=paper_id,
        title=title,
        summary=_text(record.get("summary")) or "",
        authors=_authors(authors) if isinstance(authors, list) else (),
        organization=_text(record.get("organization")),
        published=_date(record.get("published")),
        daily_date=_date(record.get("daily_date")),
        upvotes=_int(record.get("upvotes")) or 0,
        comments=_int(record.get("comments")) or 0,
        github=_url(record.get("github")),
        github_stars=_int(record.get("github_stars")),
        project_page=_url(record.get("project_page")),
        ai_summary=_text(record.get("ai_summary")),
        keywords=_keywords(record.get("keywords")),
        thumbnail=_url(record.get("thumbnail")),
        withdrawn=bool(record.get("withdrawn")),
    )


def merge_detail(listed: Paper, detail: Paper) -> Paper:
    """Combine a feed entry with the paper's detail: the detail wins where it knows more.

    The detail object has no comment count and no featured date of its own listing.
    """
    from dataclasses import replace

    return replace(
        detail,
        comments=max(listed.comments, detail.comments),
        daily_date=listed.daily_date or detail.daily_date,
        thumbnail=detail.thumbnail or listed.thumbnail,
        submitted_by=detail.submitted_by or listed.submitted_by,
        highlights=listed.highlights,
    )


def papers_of(items: Iterable[Paper]) -> dict[str, Paper]:
    """Index papers by id, first occurrence wins."""
    index: dict[str, Paper] = {}
    for paper in items:
        index.setdefault(paper.id, paper)
    return index
