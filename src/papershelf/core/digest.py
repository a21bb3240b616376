"""The digest: papers grouped by day as Markdown, JSON Lines or an Atom feed.

Every string from a paper is cleaned here once more (`core/text.py`) and escaped for its
format: Markdown's punctuation, JSON by the encoder, XML by ElementTree. Atom entry ids are
the papers' Hugging Face URLs, so a feed reader shows each paper once however often the
digest runs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from papershelf.core.links import is_openable
from papershelf.core.model import Paper
from papershelf.core.text import clean_line, plural

FORMATS = ("markdown", "json", "atom")
ATOM = "http://www.w3.org/2005/Atom"
FEED_ID = "urn:papershelf:digest"
"""The Atom feed's id: one feed, whatever window or filter produced it."""


@dataclass(frozen=True, slots=True)
class DigestDay:
    """One day of the digest: its date and papers, most upvoted first."""

    day: dt.date
    papers: tuple[Paper, ...]


def group_by_day(papers: Sequence[Paper], limit: int | None = None) -> list[DigestDay]:
    """Newest day first, most upvoted first within a day; at most `limit` papers in all."""
    by_day: dict[dt.date, list[Paper]] = {}
    for paper in papers:
        if paper.daily_date is not None:
            by_day.setdefault(paper.daily_date, []).append(paper)
    days = []
    left = limit
    for day in sorted(by_day, reverse=True):
        ranked = sorted(by_day[day], key=lambda p: p.upvotes, reverse=True)
        if left is not None:
            ranked = ranked[:left]
            left -= len(ranked)
        if ranked:
            days.append(DigestDay(day, tuple(ranked)))
        if left is not None and left <= 0:
            break
    return days


# --- Markdown ----------------------------------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!&$])")
_BLOCK_START = re.compile(r"^(?:(#|[-+=>])|(\d+)([.)]))")
"""What would turn a line into a heading, list item, rule or quote where it starts one."""


def markdown_text(text: str) -> str:
    """Untrusted text as literal Markdown: one line, inline syntax and block starts escaped."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", clean_line(text))
    return _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)


def _markdown_url(url: str) -> str:
    # A link target must not close the parenthesis or smuggle in a javascript: scheme.
    if not is_openable(url):
        return ""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def to_markdown(days: Sequence[DigestDay], title: str) -> str:
    lines = [f"# {markdown_text(title)}", ""]
    if not days:
        return "\n".join([*lines, "No new papers.", ""])
    for group in days:
        lines += [f"## {group.day:%a %Y-%m-%d} · {plural(len(group.papers), 'paper')}", ""]
        for paper in group.papers:
            facts = [f"▲ {paper.upvotes}", f"💬 {paper.comments}"]
            links = [f"[arXiv]({_markdown_url(paper.arxiv_url)})"]
            links.append(f"[PDF]({_markdown_url(paper.pdf_url)})")
            if paper.github and _markdown_url(paper.github):
                links.append(f"[code]({_markdown_url(paper.github)})")
            heading = f"[{markdown_text(paper.title)}]({_markdown_url(paper.hf_url)})"
            lines.append(f"- **{heading}** — {' · '.join(facts + links)}")
            if paper.ai_summary:
                lines.append(f"  {markdown_text(paper.ai_summary)}")
        lines.append("")
    return "\n".join(lines)


# --- JSON Lines ----------------------------------------------------------------------------------


def to_json_lines(days: Sequence[DigestDay]) -> str:
    """One JSON object per paper (its stable record plus `day`), newest day first."""
    lines = []
    for group in days:
        for paper in group.papers:
            record = {"day": group.day.isoformat(), **paper.to_record()}
            lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


# --- Atom ----------------------------------------------------------------------------------------


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def to_atom(days: Sequence[DigestDay], title: str, generated: dt.datetime) -> str:
    """A valid Atom 1.0 feed; entry ids and dates depend only on the paper and its day."""
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = clean_line(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", FEED_ID)
    sub(feed, "title", title)
    newest = days[0].day if days else None
    updated = (
        _stamp(newest) if newest else generated.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    sub(feed, "updated", updated)
    author = sub(feed, "author")
    sub(author, "name", "papershelf")
    sub(feed, "link", href="https://huggingface.co/papers", rel="alternate")
    for group in days:
        for paper in group.papers:
            entry = sub(feed, "entry")
            sub(entry, "id", paper.hf_url)
            sub(entry, "title", paper.title)
            sub(entry, "updated", _stamp(group.day))
            sub(entry, "link", href=paper.hf_url, rel="alternate")
            sub(entry, "link", href=paper.pdf_url, rel="related", type="application/pdf")
            for name in paper.author_names[:20]:
                sub(sub(entry, "author"), "name", name)
            if not paper.authors:
                sub(sub(entry, "author"), "name", "unknown")
            facts = f"▲ {paper.upvotes} · 💬 {paper.comments}"
            summary = paper.ai_summary or paper.summary
            sub(entry, "summary", f"{facts} — {summary}" if summary else facts)
            for keyword in paper.keywords[:10]:
                sub(entry, "category", term=clean_line(keyword))
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'
