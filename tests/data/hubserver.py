"""Replays recorded Daily Papers days from a pytest-httpserver, like the real Papers API.

`serve_days(httpserver, days)` answers `/api/daily_papers` (date=, week=, month=, no date,
sort=trending; limit/p paging with relative `Link: rel="next"` headers; 400 for a future
date or a bad week), `/api/papers/search` and `/api/papers/<id>`. Every request is recorded.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from werkzeug import Request, Response

_WEEK = re.compile(r"^(\d{4})-W(0[1-9]|[1-4][0-9]|5[0-2])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PAPER_PATH = re.compile(r"^/api/papers/(?!search$)([^/]+)$")


@dataclass
class ReplayHub:
    """The recorded days being served, and the requests seen (path, query dict)."""

    days: dict[str, list]
    latest: str | None
    today: dt.date
    search_results: dict[str, list] = field(default_factory=dict)
    papers: dict[str, Any] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def visible_days(self) -> list[str]:
        """Days up to `latest`, newest first."""
        return sorted(
            (d for d in self.days if self.latest is None or d <= self.latest), reverse=True
        )

    def count(self, path: str, **query: str) -> int:
        """How many requests hit `path` with at least these query values."""
        return sum(
            1
            for seen_path, seen_query in self.requests
            if seen_path == path and all(seen_query.get(k) == v for k, v in query.items())
        )

    # --- handlers -------------------------------------------------------------------------

    def daily(self, request: Request) -> Response:
        query = self._record(request)
        try:
            limit = int(query.get("limit", "50"))
            page = int(query.get("p", "0"))
        except ValueError:
            return _error(400, "Invalid number")
        if limit > 100:
            return _error(400, "Too big: expected number to be <=100")
        if limit < 1 or page < 0:
            return _error(400, "Too small")
        sort = query.get("sort", "publishedAt")
        if sort not in ("publishedAt", "trending"):
            return _error(400, "Invalid option: expected one of publishedAt|trending")
        if sort == "trending":
            items = self._trending()
        elif "date" in query:
            date = query["date"]
            if not _DATE.match(date):
                return _error(400, "Invalid date")
            try:
                day = dt.date.fromisoformat(date)
            except ValueError:
                return _error(400, "Invalid date")
            if day > self.today:
                return _error(400, "Date cannot be in the future")
            items = list(self._day(date))
        elif "week" in query:
            match = _WEEK.match(query["week"])
            if not match:
                return _error(400, "Invalid string: must match pattern")
            year, week = int(match[1]), int(match[2])
            items = _by_upvotes(
                entry
                for date in self.visible_days()
                if dt.date.fromisoformat(date).isocalendar()[:2] == (year, week)
                for entry in self.days[date]
            )
        elif "month" in query:
            if not _MONTH.match(query["month"]):
                return _error(400, "Invalid string: must match pattern")
            items = _by_upvotes(
                entry
                for date in self.visible_days()
                if date.startswith(query["month"] + "-")
                for entry in self.days[date]
            )
        else:
            # Newest first, running on into the days before.
            items = [entry for date in self.visible_days() for entry in self.days[date]]
        chunk = items[page * limit : (page + 1) * limit]
        headers = {}
        if (page + 1) * limit < len(items):
            next_query = {k: v for k, v in query.items() if k not in ("p", "limit")}
            next_query = {"p": str(page + 1), "limit": str(limit), **next_query}
            headers["Link"] = f'<{request.path}?{urlencode(next_query)}>; rel="next"'
        return _json(chunk, headers=headers)

    def search(self, request: Request) -> Response:
        query = self._record(request)
        text = query.get("q", "")
        limit = int(query.get("limit", "120"))
        if limit > 120:
            return _error(400, "Too big: expected number to be <=120")
        if text in self.search_results:
            return _json(self.search_results[text][:limit])
        words = text.lower().split()
        hits = [
            entry
            for date in self.visible_days()
            for entry in self.days[date]
            if words
            and all(w in str(entry.get("paper", {}).get("title", "")).lower() for w in words)
        ]
        return _json(hits[:limit])

    def paper(self, request: Request) -> Response:
        self._record(request)
        match = _PAPER_PATH.match(request.path)
        paper_id = match[1] if match else ""
        if paper_id in self.papers:
            return _json(self.papers[paper_id])
        for date in self.visible_days():
            for entry in self.days[date]:
                paper = entry.get("paper", {})
                if paper.get("id") == paper_id:
                    return _json(
                        {
                            **paper,
                            "linkedModels": [],
                            "numTotalModels": 0,
                            "linkedDatasets": [],
                            "numTotalDatasets": 0,
                            "linkedSpaces": [],
                            "numTotalSpaces": 0,
                        }
                    )
        return _error(404, "Paper not found")

    # --- helpers --------------------------------------------------------------------------

    def _record(self, request: Request) -> dict[str, str]:
        query = {key: value for key, value in request.args.items()}
        self.requests.append((request.path, query))
        return query

    def _day(self, date: str) -> list:
        if self.latest is not None and date > self.latest:
            return []
        return self.days.get(date, [])

    def _trending(self) -> list:
        entries = [entry for date in self.visible_days() for entry in self.days[date]]
        return sorted(entries, key=lambda e: -(e.get("paper", {}).get("githubStars") or 0))


def serve_days(
    httpserver: Any,
    days: Mapping[str, list],
    *,
    latest: str | None = None,
    today: dt.date | None = None,
    search: Mapping[str, list] | None = None,
    papers: Mapping[str, Any] | None = None,
) -> ReplayHub:
    """Register the Papers API on `httpserver`, serving `days` (date -> recorded response).

    `latest` hides days after it (it becomes the newest listing day); `today` is the server's
    UTC date for refusing future dates (default: the real date); `search` maps exact queries
    to responses; `papers` maps ids to detail objects (default: built from the days).
    """
    hub = ReplayHub(
        days=dict(days),
        latest=latest,
        today=today or dt.datetime.now(dt.UTC).date(),
        search_results=dict(search or {}),
        papers=dict(papers or {}),
    )
    httpserver.expect_request("/api/daily_papers").respond_with_handler(hub.daily)
    httpserver.expect_request("/api/papers/search").respond_with_handler(hub.search)
    httpserver.expect_request(_PAPER_PATH).respond_with_handler(hub.paper)
    return hub


def hub_endpoint(httpserver: Any) -> str:
    """The base URL to hand to `HubClient(endpoint=...)` or `HF_ENDPOINT`."""
    return httpserver.url_for("/").rstrip("/")


def _by_upvotes(entries: Any) -> list:
    return sorted(entries, key=lambda e: -(e.get("paper", {}).get("upvotes") or 0))


def _json(payload: Any, *, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    return Response(
        json.dumps(payload),
        status=status,
        headers=dict(headers or {}),
        content_type="application/json",
    )


def _error(status: int, message: str) -> Response:
    return _json({"error": message}, status=status)
