"""arXiv's own BibTeX for a paper (exact year, primary class), cached for 30 days.

The base URL is `ARXIV_ENDPOINT` when set (tests point it at a local server), else arXiv.
httpx is imported only when a request is made.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin

from papershelf.core import cite, cite_keys
from papershelf.core.errors import (
    BadRequest,
    InvalidInput,
    NotFound,
    NothingCached,
    Offline,
    PapershelfError,
    RateLimited,
    ServerError,
)
from papershelf.core.links import ARXIV_BASE, bibtex_url, normalize_paper_id, same_site
from papershelf.core.model import Paper
from papershelf.core.text import strip_control
from papershelf.data.feeds.hub import USER_AGENT

if TYPE_CHECKING:
    import httpx

    from papershelf.data.cache import CachedResponse

BIBTEX_MAX_AGE = dt.timedelta(days=30)
"""How long a fetched entry is used before asking arXiv again (its year can change)."""
TIMEOUT_SECONDS = 10.0
CONCURRENT_REQUESTS = 2
"""arXiv asks for gentle clients; a batch fetches at most this many entries at once."""
DEFAULT_RETRY_AFTER = 60.0
BIBTEX_MAX_BYTES = 256 * 2**10
"""An arXiv entry is under 2 KB; a body past this is not one and is not read further."""
MAX_REDIRECTS = 3


class BibtexCache(Protocol):
    """The part of `ResponseCache` used here."""

    def get(self, key: str) -> CachedResponse | None: ...

    def put(self, key: str, body: bytes, fetched_at: dt.datetime | None = None) -> None: ...


def endpoint() -> str:
    """arXiv's base URL: `ARXIV_ENDPOINT` when set."""
    return os.environ.get("ARXIV_ENDPOINT", "").strip().rstrip("/") or ARXIV_BASE


def cache_key(paper_id: str) -> str:
    return f"arxiv-bibtex:{paper_id}"


def bibtex_entry(body: bytes) -> str | None:
    """The entry in a response body, or None when it does not look like BibTeX."""
    text = strip_control(body.decode("utf-8", "replace")).strip()
    return text if text.startswith("@") and "{" in text else None


async def fetch_bibtex(
    paper_id: str,
    *,
    cache: BibtexCache | None = None,
    offline: bool = False,
    fallback: str | None = None,
    client: httpx.AsyncClient | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> tuple[str, bool]:
    """arXiv's BibTeX entry for `paper_id` -> (text, authoritative?).

    Order: a cached entry younger than 30 days; arXiv; an older cached entry (offline, or when
    arXiv fails). When none is there, `fallback` (the local entry) is returned with False, or
    without a fallback the error is raised (`Offline`, `NotFound`, `NothingCached`, …).
    """
    bare_id = normalize_paper_id(paper_id)
    if bare_id is None:
        raise InvalidInput(f"'{paper_id}' is not an arXiv id such as 2407.21783.")
    now = (clock or (lambda: dt.datetime.now(dt.UTC)))()
    own_cache = cache is None
    if cache is None:
        from papershelf.data.cache import ResponseCache

        cache = ResponseCache()
    try:
        cached = await asyncio.to_thread(cache.get, cache_key(bare_id))
        cached_entry = bibtex_entry(cached.body) if cached else None
        fresh = cached is not None and now - cached.fetched_at <= BIBTEX_MAX_AGE
        if cached_entry is not None and (offline or fresh):
            return cached_entry, True
        try:
            if offline:
                raise NothingCached(f"arXiv's BibTeX for {bare_id} is not cached (offline).")
            body = await _download(bare_id, client)
        except PapershelfError:
            if cached_entry is not None:
                return cached_entry, True
            if fallback is not None:
                return fallback, False
            raise
        await asyncio.to_thread(cache.put, cache_key(bare_id), body, now)
        entry = bibtex_entry(body)
        assert entry is not None  # _download checked it
        return entry, True
    finally:
        if own_cache:
            await asyncio.to_thread(cache.close)  # type: ignore[union-attr]


async def fetch_bibtex_entries(
    papers: Sequence[Paper],
    *,
    cache: BibtexCache | None = None,
    offline: bool = False,
    client: httpx.AsyncClient | None = None,
) -> list[tuple[str, bool]]:
    """arXiv's entries for `papers` in order, each falling back to the local entry.

    Citekeys are made unique across the batch (arXiv gives two papers the same key when
    surname, year and title words agree).
    """
    gate = asyncio.Semaphore(CONCURRENT_REQUESTS)
    local_keys = cite_keys.unique_citekeys(papers)

    async def one(paper: Paper, key: str) -> tuple[str, bool]:
        async with gate:
            return await fetch_bibtex(
                paper.id,
                cache=cache,
                offline=offline,
                fallback=cite.bibtex(paper, key),
                client=client,
            )

    results = await asyncio.gather(*(one(p, k) for p, k in zip(papers, local_keys, strict=True)))
    entries = cite_keys.dedupe_entry_keys([text for text, _ in results])
    return [(entry, exact) for entry, (_, exact) in zip(entries, results, strict=True)]


async def _download(paper_id: str, client: httpx.AsyncClient | None) -> bytes:
    """GET `/bibtex/{id}`; errors become the user-facing kinds from core/errors.

    Redirects are followed only on arXiv's own host, and the body is read uncompressed and
    at most `BIBTEX_MAX_BYTES`, so neither another site nor an endless body gets in.
    """
    # Deferred: only an explicit request for arXiv's entry needs the network stack.
    import httpx

    home = endpoint()
    target = bibtex_url(paper_id, home)
    own_client = client is None
    http = client or httpx.AsyncClient(
        timeout=TIMEOUT_SECONDS, headers={"User-Agent": USER_AGENT}, follow_redirects=False
    )
    headers = {"Accept": "text/plain", "Accept-Encoding": "identity"}
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            async with http.stream("GET", target, headers=headers) as response:
                location = response.headers.get("location")
                if 300 <= response.status_code < 400 and location:
                    target = urljoin(str(response.url), location)
                    if not same_site(home, target):
                        raise ServerError(
                            f"arXiv redirected the BibTeX of {paper_id} to another site; "
                            "not followed."
                        )
                    continue
                body = await _read_capped(response, paper_id)
                return _entry_or_error(response, body, paper_id)
        raise ServerError(f"arXiv redirected the BibTeX of {paper_id} too many times.")
    except httpx.TimeoutException as error:
        raise Offline(f"arXiv did not answer within {TIMEOUT_SECONDS:g} s.") from error
    except httpx.TransportError as error:
        raise Offline(f"arXiv could not be reached ({type(error).__name__}).") from error
    finally:
        if own_client:
            await http.aclose()


async def _read_capped(response: httpx.Response, paper_id: str) -> bytes:
    """The body as sent (identity was asked for), refused past `BIBTEX_MAX_BYTES`."""
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise ServerError(f"arXiv sent the BibTeX of {paper_id} compressed ({encoding[:40]}).")
    body = bytearray()
    async for chunk in response.aiter_raw():
        body += chunk
        if len(body) > BIBTEX_MAX_BYTES:
            raise ServerError(f"arXiv sent more than 256 KB for the BibTeX of {paper_id}.")
    return bytes(body)


def _entry_or_error(response: httpx.Response, body: bytes, paper_id: str) -> bytes:
    """The body of a BibTeX answer; otherwise the error the status stands for."""
    status = response.status_code
    if status == 200:
        if bibtex_entry(body) is None:
            raise ServerError(f"arXiv sent something other than BibTeX for {paper_id}.")
        return body
    if status == 404:
        raise NotFound(f"arXiv has no paper {paper_id}.")
    if status == 400:
        raise BadRequest(f"arXiv did not accept the id {paper_id}.")
    if status in (429, 503):
        retry_after = _retry_after(response.headers.get("Retry-After"))
        raise RateLimited(
            retry_after,
            f"arXiv is rate limiting requests; try again in {int(retry_after) + 1} s.",
        )
    raise ServerError(f"arXiv answered HTTP {status} for the BibTeX of {paper_id}.")


def _retry_after(value: str | None) -> float:
    try:
        return max(0.0, float(value)) if value else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER
