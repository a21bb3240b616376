"""Async client of the Hugging Face Papers API: daily lists, search and paper detail.

Answers are returned as raw JSON bytes so the cache can store exactly what was received.
httpx is imported only when the first request is made: a warm-cache start never pays for it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

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
from papershelf.core.links import normalize_paper_id
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
MARKDOWN_MAX_BYTES = 16 * 2**20
"""A whole paper is well under a megabyte; anything this large is not one."""

_RATELIMIT = re.compile(r'"(?P<bucket>\w+)"\s*;\s*r\s*=\s*(?P<r>\d+)\s*;\s*t\s*=\s*(?P<t>\d+)')

SleepFunction = Callable[[float], Awaitable[Any]]


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
        today: Callable[[], dt.date] = dates.today_utc,
    ) -> None:
        self.endpoint = (
            endpoint or os.environ.get("HF_ENDPOINT", "").strip() or DEFAULT_ENDPOINT
        ).rstrip("/")
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
        response = await self._request(
            "/api/papers/search", {"q": text, "limit": str(limit)}, subject=f"search '{text}'"
        )
        _decode_array(response)
        return response.content

    async def paper(self, paper_id: str) -> bytes:
        """The detail object of one paper (404 -> NotFound)."""
        bare_id = normalize_paper_id(paper_id)
        if bare_id is None:
            raise InvalidInput(f"'{paper_id}' is not an arXiv id such as 2407.21783.")
        response = await self._request(f"/api/papers/{bare_id}", {}, subject=f"paper {bare_id}")
        payload = _decode_json(response)
        if not isinstance(payload, dict):
            raise ServerError("Hugging Face answered with something that is not a paper.")
        return response.content

    async def paper_markdown(self, paper_id: str) -> bytes:
        """The whole paper as HF's Markdown (`/papers/{id}.md`; 404 -> NotFound).

        This route counts against the stricter "pages" rate limit: call it only on request.
        """
        bare_id = _bare(paper_id)
        response = await self._request(
            f"/papers/{bare_id}.md",
            {},
            subject=f"the text of paper {bare_id}",
            headers={"Accept": "text/markdown, text/plain;q=0.9"},
        )
        if len(response.content) > MARKDOWN_MAX_BYTES:
            raise ServerError(f"The text of paper {bare_id} is too large to show.")
        return response.content

    async def paper_comments(self, paper_id: str) -> bytes:
        """The detail object with its `comments` (`/api/papers/{id}?field=comments`)."""
        bare_id = _bare(paper_id)
        response = await self._request(
            f"/api/papers/{bare_id}", {"field": "comments"}, subject=f"the discussion of {bare_id}"
        )
        if not isinstance(_decode_json(response), dict):
            raise ServerError("Hugging Face answered with something that is not a paper.")
        return response.content

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

            headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
            if self._token:
                headers["Authorization"] = f"Bearer {self._token}"
            self._client = httpx.AsyncClient(
                base_url=self.endpoint,
                headers=headers,
                timeout=httpx.Timeout(self._timeout, connect=min(self._timeout, 5.0)),
                transport=self._transport,
                follow_redirects=True,
            )
        return self._client

    async def _paged(self, path: str, params: dict[str, str], *, follow: bool) -> bytes:
        """Fetch `limit=100` pages, following `Link: rel=next` until a short page."""
        query = {**params, "limit": str(PAGE_SIZE), "p": "0"}
        subject = _subject(params)
        response = await self._request(path, query, subject=subject)
        bodies = [response.content]
        items = _decode_array(response)
        page = 0
        while follow and len(items) >= PAGE_SIZE and page + 1 < MAX_PAGES:
            page += 1
            next_url = response.links.get("next", {}).get("url")
            if next_url:
                target = urljoin(str(response.url), next_url)
                response = await self._request(target, None, subject=subject)
            else:
                response = await self._request(path, {**query, "p": str(page)}, subject=subject)
            items = _decode_array(response)
            bodies.append(response.content)
        return bodies[0] if len(bodies) == 1 else merge_arrays(bodies)

    async def _request(
        self,
        path: str,
        params: Mapping[str, str] | None,
        *,
        subject: str,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """GET; 429 and 5xx are retried within the budget, a failed connection once, quickly."""
        import httpx

        client = self._http()
        waited = 0.0
        backoff = FIRST_BACKOFF_SECONDS
        connect_failures = 0
        while True:
            try:
                response = await client.get(path, params=params, headers=headers)
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
                status = response.status_code
                if status < 400:
                    return response
                if status == 429:
                    wait = _retry_after(response.headers)
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
                    raise _client_error(response, subject)
            await self._sleep(wait)
            waited += wait
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)


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


def _decode_json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        kind = response.headers.get("content-type", "unknown").split(";")[0]
        raise ServerError(
            f"Hugging Face sent an unreadable answer ({kind}, not JSON); try again later."
        ) from None


def _decode_array(response: httpx.Response) -> list[Any]:
    payload = _decode_json(response)
    if not isinstance(payload, list):
        raise ServerError("Hugging Face answered with something that is not a list of papers.")
    return payload


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from `RateLimit: "api";r=0;t=N` (plus one) or `Retry-After: N`."""
    match = _RATELIMIT.search(headers.get("ratelimit", ""))
    if match and int(match["r"]) == 0:
        return float(int(match["t"]) + 1)
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return float(value)
    return None


def _server_message(response: httpx.Response) -> str | None:
    """The `error` text of an HF error body or header, cleaned for display."""
    message: Any = response.headers.get("x-error-message")
    try:
        body = json.loads(response.content)
    except ValueError:
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


def _client_error(response: httpx.Response, subject: str) -> PapershelfError:
    status = response.status_code
    detail = _server_message(response)
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
