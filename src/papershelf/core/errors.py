"""The errors a user is told about: each carries a headline (title) and a plain sentence."""

from __future__ import annotations


class PapershelfError(Exception):
    """Something the user can act on; `message` is one plain sentence, `title` a headline."""

    title = "Error"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class InvalidInput(PapershelfError):
    """A date, week, month, id or query the user gave is not valid."""

    title = "Invalid input"


class NotFound(PapershelfError):
    """The server does not know the paper (HTTP 404)."""

    title = "Not found"


class BadRequest(PapershelfError):
    """The server refused the request (HTTP 400), e.g. a future date."""

    title = "Bad request"


class RateLimited(PapershelfError):
    """The server asked us to wait longer than we are willing to wait."""

    title = "Rate limited"

    def __init__(self, retry_after: float, message: str | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(
            message
            or f"Hugging Face is rate limiting requests; try again in {int(retry_after) + 1} s."
        )


class Offline(PapershelfError):
    """The network could not be reached (connection refused, DNS failure, timeout)."""

    title = "Offline"


class ServerError(PapershelfError):
    """The server answered with something we cannot use (5xx, HTML, malformed JSON)."""

    title = "Server error"


class NothingCached(PapershelfError):
    """Offline, and the requested list or paper was never fetched."""

    title = "Nothing cached"


class LibraryUnavailable(PapershelfError):
    """The library database cannot be opened or written; the app runs read-only."""

    title = "Library unavailable"
