"""Messages that carry worker results to the main screen; each names what it answers."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from papershelf.core.errors import PapershelfError
from papershelf.core.library_view import LibraryView
from papershelf.core.lists import Feed, ListKey
from papershelf.core.model import Paper


@dataclass
class FeedLoaded(Message):
    """A list arrived (fresh, cached, offline copy or sample)."""

    request: int
    """The serial number of the load that asked for it; older answers are dropped."""
    feed: Feed
    revalidated: bool = False
    """True when this is the background refresh of a stale list already on screen."""


@dataclass
class FeedFailed(Message):
    """A list could not be loaded; the list on screen stays."""

    request: int
    key: ListKey
    error: PapershelfError


@dataclass
class StepProgress(Message):
    """`[`/`]` is asking for `asking`; or, with `asking` None, found nothing (`nothing` says)."""

    request: int
    asking: ListKey | None
    nothing: str | None = None


@dataclass
class DetailLoaded(Message):
    """The full record of one paper arrived."""

    paper_id: str
    detail: Paper

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DetailLoaded) and message.paper_id == self.paper_id


@dataclass
class DetailFailed(Message):
    """The full record of one paper could not be fetched; the listed record stays."""

    paper_id: str
    error: PapershelfError


@dataclass
class FilterApplied(Message):
    """A filter query was evaluated against the loaded list."""

    request: int
    text: str
    papers: list[Paper]
    terms: tuple[str, ...]
    """Folded words to highlight in the list."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, FilterApplied)


@dataclass
class FilterRejected(Message):
    """The filter text does not parse; the last valid result stays."""

    request: int
    text: str
    reason: str
    """What is wrong, in plain words."""
    start: int
    end: int


@dataclass
class LibraryWritten(Message):
    """A library change was saved; `view` is the library as it now is."""

    view: LibraryView
    done: str | None
    """What to tell the user, if anything."""


@dataclass
class LibraryWriteFailed(Message):
    """A library change could not be saved; `view` is the library as it still is."""

    view: LibraryView | None
    error: PapershelfError


@dataclass
class LibraryViewRead(Message):
    """The library was read (at start, or to notice changes made by another papershelf)."""

    view: LibraryView
    revision: int


@dataclass
class KeepUpRecorded(Message):
    """The feeds recorded first sightings or counts: new markers, rises and watches may change.

    Posted from the thread that recorded them; only the newest revision matters.
    """

    revision: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, KeepUpRecorded)
