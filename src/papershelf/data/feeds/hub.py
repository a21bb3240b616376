"""Async client of the Hugging Face Papers API: daily lists, search and paper detail.

Answers are returned as raw JSON bytes so the cache can store exactly what was received.
httpx is imported only when the first request is made: a warm-cache start never pays for it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import re
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from papershelf import __version__
from papershelf.core import dates
from papershelf.core.errors import (
    BadRequest,
    InvalidInput,
    NotFound,
    Offline,
    PapershelfError,
    RateLimited,
    ServerError,
)
from papershelf.core.links import normalize_paper_id, same_site, validate_endpoint
from papershelf.core.text import clean_line

if TYPE_CHECKING:
    import httpx

DEFAULT_ENDPOINT = "https://huggingface.co"
USER_AGENT = f"papershelf/{__version__}"
PAGE_SIZE = 100
"""The API's largest page; a busy day can exceed the default 50."""
MAX_PAGES = 40
"""A month holds well under 4,000 entries; more pages means the server is looping."""
SEARCH_LIMIT_MAX = 120
QUERY_MAX_CHARS = 250
RETRY_BUDGET_SECONDS = 10.0
"""Total time spent waiting between retries of one request, never more."""
FIRST_BACKOFF_SECONDS = 1.0
MAX_BACKOFF_SECONDS = 8.0
CONNECT_RETRY_SECONDS = 0.3
"""The one quick retry of a failed connection: refused or unresolvable rarely heals in seconds."""
CONNECT_RETRIES = 1
REQUEST_DEADLINE_SECONDS = 20.0
"""Default total time one request may take, from connecting to the last byte of the body."""
MAX_RESPONSE_BYTES = 8 * 2**20
"""Default cap on a decompressed body: a busy month is well under 2 MB."""
MAX_REDIRECTS = 5
ERROR_BODY_BYTES = 64 * 2**10
"""An error answer is read only this far: its message is all that is wanted."""
_CHUNK = 64 * 2**10
"""Decompression step: no single step produces more than this much output."""

_RATELIMIT = re.compile(r'"(?P<bucket>\w+)"\s*;\s*r\s*=\s*(?P<r>\d+)\s*;\s*t\s*=\s*(?P<t>\d+)')

SleepFunction = Callable[[float], Awaitable[Any]]
_log = logging.getLogger(__name__)


@dataclass(slots=True)
class Limits:
    """The deadline and size cap every client made without explicit ones uses."""

    deadline: float = REQUEST_DEADLINE_SECONDS
    max_bytes: int = MAX_RESPONSE_BYTES


_limits = Limits()


def use_limits(*, deadline: float, max_response_mb: float) -> None:
    """Apply the settings `request_deadline` and `max_response_mb` to clients made from now on.

    The front door calls this once per run, after loading the settings.
    """
    _limits.deadline = deadline
    _limits.max_bytes = int(max_response_mb * 2**20)


class HubClient:
    """One `httpx.AsyncClient` for every Papers API call of the app."""

    def __init__(
        self,
        endpoint: str | None = None,
        token: str | None = None,
        *,
        transport: Any = None,
        sleep: SleepFunction = asyncio.sleep,
        timeout: float = 10.0,
        deadline: float | None = None,
        max_bytes: int | None = None,
        today: Callable[[], dt.date] = dates.today_utc,
    ) -> None:
        # An unusable address is refused here, never replaced by the default: the user asked
        # for that server, and answers from another one would be a silent surprise.
        self.endpoint = validate_endpoint(
            endpoint or os.environ.get("HF_ENDPOINT", "").strip() or DEFAULT_ENDPOINT
        )
        self._deadline = deadline if deadline is not None else _limits.deadline
        self._max_bytes = max_bytes if max_bytes is not None else _limits.max_bytes
        # Only the environment: a token file in the user's home is never read.
        self._token = token if token is not None else (os.environ.get("HF_TOKEN") or None)
        self._transport = transport
        self._sleep = sleep
        self._timeout = timeout
        self._today = today
        self._client: httpx.AsyncClient | None = None

    # --- public calls ---------------------------------------------------------------------

    async def daily(
        self,
        *,
        date: str | None = None,
        week: str | None = None,
        month: str | None = None,
        sort: str | None = None,
    ) -> bytes:
        """A daily, weekly or monthly list (pages merged), or the newest entries when none given.

        Without date/week/month only the first page is fetched: the API pages on into older
        days indefinitely. `sort="trending"` is a global ranking and ignores the period.
        """
        if sum(value is not None for value in (date, week, month)) > 1:
            raise InvalidInput("Ask for one of a date, a week or a month, not several.")
        if sort not in (None, "publishedAt", "trending"):
            raise InvalidInput(f"Unknown sort '{sort}'; use publishedAt or trending.")
        today = self._today()
        params: dict[str, str] = {}
        if sort:
            params["sort"] = sort
        if date is not None:
            params["date"] = dates.parse_day(date, today).isoformat()
        elif week is not None:
            year, number = dates.parse_week(week, today)
            if number == 53:
                # The API's week pattern stops at W52: build W53 from its days.
                days = [d for d in dates.week_days(year, number) if dates.FIRST_DAY <= d <= today]
                bodies = [await self.daily(date=d.isoformat(), sort=sort) for d in days]
                return merge_arrays(bodies)
            params["week"] = dates.week_label(year, number)
        elif month is not None:
            year, number = dates.parse_month(month, today)
            params["month"] = f"{year:04d}-{number:02d}"
        whole_period = bool({"date", "week", "month"} & params.keys())
        return await self._paged("/api/daily_papers", params, follow=whole_period)

    async def search(self, query: str, limit: int = 50) -> bytes:
        """Hybrid semantic / full-text search (one request; the endpoint has no paging)."""
        text = clean_line(query)
        if not text:
            raise InvalidInput("The search query is empty.")
        if len(text) > QUERY_MAX_CHARS:
            raise InvalidInput(f"The search query is longer than {QUERY_MAX_CHARS} characters.")
        if not 1 <= limit <= SEARCH_LIMIT_MAX:
            raise InvalidInput(f"A search returns 1 to {SEARCH_LIMIT_MAX} papers.")
        answer = await self._request(
            "/api/papers/search", {"q": text, "limit": str(limit)}, subject=f"search '{text}'"
        )
        _array_of(answer)
        return answer.content

    async def paper(self, paper_id: str) -> bytes:
        """The detail object of one paper (404 -> NotFound)."""
        bare_id = normalize_paper_id(paper_id)
        if bare_id is None:
            raise InvalidInput(f"'{paper_id}' is not an arXiv id such as 2407.21783.")
        answer = await self._request(f"/api/papers/{bare_id}", {}, subject=f"paper {bare_id}")
        if not isinstance(answer.payload, dict):
            raise ServerError("Hugging Face answered with something that is not a paper.")
        return answer.content

    async def paper_markdown(self, paper_id: str) -> bytes:
        """The whole paper as HF's Markdown (`/papers/{id}.md`; 404 -> NotFound).

        This route counts against the stricter "pages" rate limit: call it only on request.
        """
        bare_id = _bare(paper_id)
        answer = await self._request(
            f"/papers/{bare_id}.md",
            {},
            subject=f"the text of paper {bare_id}",
            headers={"Accept": "text/markdown, text/plain;q=0.9"},
            expect_json=False,
        )
        return answer.content

    async def paper_comments(self, paper_id: str) -> bytes:
        """The detail object with its `comments` (`/api/papers/{id}?field=comments`)."""
        bare_id = _bare(paper_id)
        answer = await self._request(
            f"/api/papers/{bare_id}", {"field": "comments"}, subject=f"the discussion of {bare_id}"
        )
        if not isinstance(answer.payload, dict):
            raise ServerError("Hugging Face answered with something that is not a paper.")
        return answer.content

    async def aclose(self) -> None:
        """Close the connection pool."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    # --- plumbing -------------------------------------------------------------------------

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            # Deferred: importing httpx costs more than a whole warm-cache start.
            import httpx

            # Only encodings this module decodes itself (bounded, off the event loop).
            headers = {
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": "gzip, deflate",
            }
            if self._token:
                headers["Authorization"] = f"Bearer {self._token}"
            self._client = httpx.AsyncClient(
                base_url=self.endpoint,
                headers=headers,
                timeout=httpx.Timeout(self._timeout, connect=min(self._timeout, 5.0)),
                transport=self._transport,
                # Redirects are followed by `_get`, and only within the endpoint's host.
                follow_redirects=False,
            )
        return self._client

    async def _paged(self, path: str, params: dict[str, str], *, follow: bool) -> bytes:
        """Fetch `limit=100` pages, following `Link: rel=next` until a short page."""
        query = {**params, "limit": str(PAGE_SIZE), "p": "0"}
        subject = _subject(params)
        answer = await self._request(path, query, subject=subject)
        bodies = [answer.content]
        items = _array_of(answer)
        page = 0
        while follow and len(items) >= PAGE_SIZE and page + 1 < MAX_PAGES:
            page += 1
            next_url = answer.links.get("next", {}).get("url")
            if next_url:
                target = urljoin(answer.url, next_url)
                answer = await self._request(target, None, subject=subject)
            else:
                answer = await self._request(path, {**query, "p": str(page)}, subject=subject)
            items = _array_of(answer)
            bodies.append(answer.content)
        return bodies[0] if len(bodies) == 1 else merge_arrays(bodies)

    async def _request(
        self,
        path: str,
        params: Mapping[str, str] | None,
        *,
        subject: str,
        headers: Mapping[str, str] | None = None,
        expect_json: bool = True,
    ) -> Answer:
        """GET within the total deadline; see `_request_unbounded` for retries.

        `headers` are added to the client's own; `expect_json=False` keeps the body as bytes
        (a paper's Markdown) instead of parsing it.
        """
        try:
            async with asyncio.timeout(self._deadline):
                return await self._request_unbounded(
                    path, params, subject=subject, headers=headers, expect_json=expect_json
                )
        except TimeoutError:
            raise Offline(
                f"Hugging Face did not finish answering within {self._deadline:g} s ({subject}); "
                "the request was given up."
            ) from None

    async def _request_unbounded(
        self,
        path: str,
        params: Mapping[str, str] | None,
        *,
        subject: str,
        headers: Mapping[str, str] | None = None,
        expect_json: bool = True,
    ) -> Answer:
        """GET; 429 and 5xx are retried within the budget, a failed connection once, quickly."""
        import httpx

        from papershelf.data.debug_log import hub_offline

        if hub_offline():
            raise Offline(f"HF_HUB_OFFLINE is set: not asking Hugging Face ({subject}).")
        waited = 0.0
        backoff = FIRST_BACKOFF_SECONDS
        connect_failures = 0
        while True:
            started = time.perf_counter()
            try:
                answer = await self._get(
                    path, params, subject=subject, headers=headers, expect_json=expect_json
                )
            except httpx.TimeoutException:
                raise Offline(
                    f"Hugging Face did not answer within {self._timeout:g} s ({subject})."
                ) from None
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as error:
                # No network (refused, no DNS) should reach the cache or the sample at once.
                connect_failures += 1
                over_budget = waited + CONNECT_RETRY_SECONDS > RETRY_BUDGET_SECONDS
                if connect_failures > CONNECT_RETRIES or over_budget:
                    raise Offline(
                        f"Cannot reach Hugging Face at {self.endpoint} ({_reason(error)})."
                    ) from None
                await self._sleep(CONNECT_RETRY_SECONDS)
                waited += CONNECT_RETRY_SECONDS
                continue
            except httpx.HTTPError as error:
                raise Offline(f"The request to Hugging Face failed ({_reason(error)}).") from None
            else:
                status = answer.status
                _log.debug(
                    "GET %s %s -> %d, %d bytes, %.0f ms",
                    path,
                    dict(params or {}),
                    status,
                    len(answer.content),
                    (time.perf_counter() - started) * 1000,
                )
                if status < 400:
                    return answer
                if status == 429:
                    wait = _retry_after(answer.headers)
                    if wait is None:
                        wait = backoff
                    if waited + wait > RETRY_BUDGET_SECONDS:
                        raise RateLimited(wait)
                elif status >= 500:
                    wait = backoff
                    if waited + wait > RETRY_BUDGET_SECONDS:
                        raise ServerError(
                            f"Hugging Face has a server problem (HTTP {status}); try again later."
                        )
                else:
                    raise _client_error(answer, subject)
            await self._sleep(wait)
            waited += wait
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    async def _get(
        self,
        path: str,
        params: Mapping[str, str] | None,
        *,
        subject: str,
        headers: Mapping[str, str] | None = None,
        expect_json: bool = True,
    ) -> Answer:
        """One GET, following redirects within the endpoint's host; the body read and decoded.

        The body is streamed raw and counted against the cap as it arrives; decompression and
        JSON parsing run in a thread, each decompression step bounded, so neither a huge nor a
        highly compressed body can fill memory or stall the event loop.
        """
        client = self._http()
        target: str = path
        query = params
        for _hop in range(MAX_REDIRECTS + 1):
            async with client.stream("GET", target, params=query, headers=headers) as response:
                status = response.status_code
                location = response.headers.get("location")
                if 300 <= status < 400 and location:
                    target = self._same_host(urljoin(str(response.url), location), subject)
                    query = None
                    continue
                limit = self._max_bytes if status < 400 else ERROR_BODY_BYTES
                declared = response.headers.get("content-length", "")
                if status < 400 and declared.isdigit() and int(declared) > limit:
                    raise ServerError(_too_big(subject, limit))
                raw = bytearray()
                async for chunk in _raw_chunks(response):
                    raw += chunk
                    if len(raw) > limit:
                        if status >= 400:
                            break
                        raise ServerError(_too_big(subject, limit))
                encoding = response.headers.get("content-encoding", "")
                content_type = response.headers.get("content-type", "unknown")
                links = response.links
                url = str(response.url)
                answer_headers = dict(response.headers)
            content, payload = await asyncio.to_thread(
                _decode_body,
                bytes(raw),
                encoding,
                limit,
                content_type,
                subject,
                status < 400,
                expect_json,
            )
            return Answer(status, answer_headers, url, content, payload, links)
        raise ServerError(f"Hugging Face redirected {subject} too many times.")

    def _same_host(self, url: str, subject: str) -> str:
        """`url` when it stays on the endpoint's host (http may become https), else refuse."""
        if not same_site(self.endpoint, url):
            there = urlsplit(url)
            where = clean_line(f"{there.scheme}://{there.netloc}")[:100]
            raise ServerError(
                f"Hugging Face redirected {subject} to another host ({where}); not followed."
            )
        return url


@dataclass(frozen=True, slots=True)
class Answer:
    """A response read in full: status, headers, final URL, the decoded body and its JSON."""

    status: int
    headers: dict[str, str]
    url: str
    content: bytes
    payload: Any = None
    """The parsed JSON of a successful answer (None for an error answer)."""
    links: dict[Any, Any] = field(default_factory=dict)


async def _raw_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body as it arrives, still compressed."""
    import httpx

    try:
        async for chunk in response.aiter_raw():
            yield chunk
    except httpx.StreamConsumed:
        # A response built in memory (a test transport) has no stream left, only its bytes.
        yield response.content


def _too_big(subject: str, limit: int) -> str:
    return (
        f"Hugging Face sent more than {limit / 2**20:g} MB for {subject}; the answer was refused "
        "(max_response_mb in the config file sets the limit)."
    )


def _decode_body(
    raw: bytes,
    encoding: str,
    limit: int,
    content_type: str,
    subject: str,
    parse: bool,
    as_json: bool = True,
) -> tuple[bytes, Any]:
    """Decompress (bounded by `limit`) and, for a successful JSON answer, parse. In a thread."""
    content = _decompress(raw, encoding.strip().lower(), limit, subject, strict=parse)
    if not parse or not as_json:
        return content, None
    try:
        return content, json.loads(content)
    except (ValueError, RecursionError):
        kind = content_type.split(";")[0]
        raise ServerError(
            f"Hugging Face sent an unreadable answer ({kind}, not JSON); try again later."
        ) from None


def _decompress(raw: bytes, encoding: str, limit: int, subject: str, *, strict: bool) -> bytes:
    """The decoded body; never more than `limit` bytes are produced (ServerError beyond)."""
    if encoding in ("", "identity"):
        return raw
    if encoding in ("gzip", "x-gzip"):
        decoder = zlib.decompressobj(zlib.MAX_WBITS | 16)
    elif encoding == "deflate":
        decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)
    else:
        if not strict:
            return b""
        raise ServerError(f"Hugging Face sent {subject} in an unknown encoding ({encoding[:40]}).")
    out = bytearray()
    pending = raw
    try:
        while pending:
            out += decoder.decompress(pending, _CHUNK)
            if len(out) > limit:
                if not strict:
                    return bytes(out[:limit])
                raise ServerError(_too_big(subject, limit))
            pending = decoder.unconsumed_tail
            if decoder.eof:
                break
        out += decoder.flush(_CHUNK)
    except zlib.error:
        if not strict:
            return bytes(out)
        raise ServerError(f"Hugging Face sent a damaged compressed answer for {subject}.") from None
    if len(out) > limit:
        raise ServerError(_too_big(subject, limit))
    return bytes(out)


def _bare(paper_id: str) -> str:
    bare_id = normalize_paper_id(paper_id)
    if bare_id is None:
        raise InvalidInput(f"'{paper_id}' is not an arXiv id such as 2407.21783.")
    return bare_id


def merge_arrays(bodies: list[bytes]) -> bytes:
    """Splice JSON array bodies into one array without re-encoding their items."""
    inner = []
    for body in bodies:
        stripped = body.strip()
        if not (stripped.startswith(b"[") and stripped.endswith(b"]")):
            raise ServerError("Hugging Face answered with something that is not a list.")
        content = stripped[1:-1].strip()
        if content:
            inner.append(content)
    return b"[" + b",".join(inner) + b"]"


def _array_of(answer: Answer) -> list[Any]:
    if not isinstance(answer.payload, list):
        raise ServerError("Hugging Face answered with something that is not a list of papers.")
    return answer.payload


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from `RateLimit: "api";r=0;t=N` (plus one) or `Retry-After: N`."""
    match = _RATELIMIT.search(headers.get("ratelimit", ""))
    if match and int(match["r"]) == 0:
        return float(int(match["t"]) + 1)
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    return None


def _server_message(answer: Answer) -> str | None:
    """The `error` text of an HF error body or header, cleaned for display."""
    message: Any = answer.headers.get("x-error-message")
    try:
        body = json.loads(answer.content)
    except (ValueError, RecursionError):
        body = None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, list):
            error = "; ".join(str(item) for item in error)
        errors = body.get("errors")
        if error is None and isinstance(errors, list) and errors:
            first = errors[0]
            error = first.get("message") if isinstance(first, dict) else first
        message = error or message
    if not isinstance(message, str):
        return None
    cleaned = clean_line(message)
    return cleaned[:200] or None


def _client_error(answer: Answer, subject: str) -> PapershelfError:
    status = answer.status
    detail = _server_message(answer)
    if status == 404:
        return NotFound(f"Hugging Face does not know {subject}.")
    if status in (401, 403):
        return PapershelfError(
            f"Hugging Face refused the request (HTTP {status}); check HF_TOKEN.", "Access denied"
        )
    suffix = f": {detail}" if detail else ""
    return BadRequest(f"Hugging Face refused {subject} (HTTP {status}){suffix}.".replace("..", "."))


def _subject(params: Mapping[str, str]) -> str:
    if params.get("sort") == "trending":
        return "the trending list"
    for name in ("date", "week", "month"):
        if name in params:
            return f"the list for {params[name]}"
    return "the latest list"


def _reason(error: Exception) -> str:
    text = clean_line(str(error))
    return text[:120] if text else type(error).__name__
