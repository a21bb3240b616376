"""Where a paper's whole text, discussion and linked repositories come from.

Asked for one paper at a time, only when the user asks (the text counts against HF's strict
"pages" limit, so nothing is prefetched). Order for the text: kept with the library (starred
papers) -> the response cache -> the network, whose bytes go to the cache as received and,
for a starred paper, to the kept folder too. The discussion and linked lists come from the
paper's detail with `?field=comments`, cached like any response.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from papershelf.core.errors import (
    InvalidInput,
    NotFound,
    NothingCached,
    Offline,
    RateLimited,
    ServerError,
)
from papershelf.core.links import arxiv_url, normalize_paper_id, pdf_url
from papershelf.data.cache import ResponseCache
from papershelf.data.papers.kept_bodies import KeptBodies

if TYPE_CHECKING:
    from papershelf.data.feeds.hub import HubClient

DISCUSSION_FRESH_MINUTES = 30
"""A discussion grows; a cached copy older than this is asked for again (and kept if that fails)."""


class NoPaperText(NotFound):
    """Hugging Face has no Markdown for the paper (HTTP 404)."""

    title = "No text on Hugging Face"


@dataclass(frozen=True, slots=True)
class PaperText:
    paper_id: str
    markdown: str
    source: str
    """`kept` (with the library), `cached` or `live`."""
    fetched_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class PaperExtras:
    """The detail object with comments, as parsed JSON, and where it came from."""

    paper_id: str
    payload: dict[str, Any]
    source: str
    fetched_at: dt.datetime | None = None


def bare_id(paper_id: str) -> str:
    value = normalize_paper_id(paper_id)
    if value is None:
        raise InvalidInput(f"'{paper_id}' is not an arXiv id such as 2407.21783.")
    return value


def held_back(error: RateLimited, what: str) -> RateLimited:
    """The rate-limit error in words about what was asked for."""
    seconds = math.ceil(error.retry_after)
    return RateLimited(
        error.retry_after,
        f"{what} is held back by the rate limit, retry in {seconds} s.",
    )


class PaperTexts:
    """One per app or CLI run; every method is async and never blocks the event loop."""

    def __init__(
        self,
        hub: HubClient | None = None,
        cache: ResponseCache | None = None,
        kept: KeptBodies | None = None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._hub = hub
        self.cache = cache if cache is not None else ResponseCache()
        self.kept = kept if kept is not None else KeptBodies()
        self._clock = clock or (lambda: dt.datetime.now(dt.UTC))

    # --- the text ------------------------------------------------------------------------

    def local_text(self, paper_id: str, *, keep: bool = False) -> PaperText | None:
        """The kept or cached text, without the network (None when neither). Blocks."""
        paper = bare_id(paper_id)
        kept = self.kept.get(paper)
        if kept is not None:
            return PaperText(paper, kept, "kept")
        cached = self.cache.get(_text_key(paper))
        markdown = _decode(cached.body) if cached is not None else None
        if cached is None or markdown is None:
            return None
        if keep:
            self.kept.keep(paper, markdown)
        return PaperText(paper, markdown, "cached", cached.fetched_at)

    async def text(
        self, paper_id: str, *, offline: bool = False, keep: bool = False, refresh: bool = False
    ) -> PaperText:
        """The paper's Markdown; `keep` (a starred paper) also stores it with the library."""
        paper = bare_id(paper_id)
        if not refresh:
            local = await asyncio.to_thread(self.local_text, paper, keep=keep)
            if local is not None:
                return local
        if offline:
            raise NothingCached(
                f"The text of paper {paper} was never fetched, and papershelf is working offline."
            )
        try:
            body = await self._hub_client().paper_markdown(paper)
        except NotFound:
            raise NoPaperText(
                f"Hugging Face has no text for paper {paper}. Read the PDF at {pdf_url(paper)} "
                f"or the arXiv page at {arxiv_url(paper)}."
            ) from None
        except RateLimited as error:
            raise held_back(error, f"The text of paper {paper}") from None
        markdown = _decode(body)
        if markdown is None or not markdown.strip():
            raise ServerError(f"Hugging Face sent an unreadable text for paper {paper}.")
        fetched_at = self._clock()
        await asyncio.to_thread(self.cache.put, _text_key(paper), body, fetched_at)
        if keep:
            await asyncio.to_thread(self.kept.keep, paper, markdown)
        return PaperText(paper, markdown, "live", fetched_at)

    async def keep_if_known(self, paper_id: str) -> bool:
        """Copy a cached text into the kept folder (e.g. when the paper was just starred)."""
        paper = bare_id(paper_id)
        cached = await asyncio.to_thread(self.cache.get, _text_key(paper))
        markdown = _decode(cached.body) if cached is not None else None
        if markdown is None:
            return False
        return await asyncio.to_thread(self.kept.keep, paper, markdown)

    # --- discussion and linked repositories ----------------------------------------------

    async def extras(self, paper_id: str, *, offline: bool = False) -> PaperExtras:
        """The detail object with `comments` and the linked lists (cache, then network)."""
        paper = bare_id(paper_id)
        key = f"paper-comments:{paper}"
        cached = await asyncio.to_thread(self.cache.get, key)
        stale: PaperExtras | None = None
        if cached is not None:
            payload = _json_object(cached.body)
            if payload is not None:
                stale = PaperExtras(paper, payload, "cached", cached.fetched_at)
                young = cached.age_seconds(self._clock()) <= DISCUSSION_FRESH_MINUTES * 60
                if offline or young:
                    return stale
        if offline:
            raise NothingCached(
                f"The discussion of paper {paper} was never fetched, and papershelf is "
                "working offline."
            )
        try:
            body = await self._hub_client().paper_comments(paper)
        except (RateLimited, ServerError, Offline) as error:
            # No answer now: an older copy is better than nothing.
            if stale is not None:
                return stale
            if isinstance(error, RateLimited):
                raise held_back(error, f"The discussion of paper {paper}") from None
            raise
        payload = _json_object(body)
        if payload is None:
            raise ServerError(f"Hugging Face sent an unusable record for paper {paper}.")
        fetched_at = self._clock()
        await asyncio.to_thread(self.cache.put, key, body, fetched_at)
        return PaperExtras(paper, payload, "live", fetched_at)

    async def aclose(self) -> None:
        if self._hub is not None:
            await self._hub.aclose()
            self._hub = None

    def _hub_client(self) -> HubClient:
        if self._hub is None:
            # Deferred: reading a kept or cached text never needs the network stack.
            from papershelf.data.feeds.hub import HubClient

            self._hub = HubClient()
        return self._hub


def _text_key(paper_id: str) -> str:
    return f"paper-md:{paper_id}"


def _decode(body: bytes) -> str | None:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("utf-8", errors="replace") if body else None


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None
