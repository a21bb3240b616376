"""What the main screen shows, and how it is saved to and restored from the session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from papershelf.core.dates import month_of, week_of
from papershelf.core.lists import Feed, ListKey, ListKind
from papershelf.core.model import Paper

VIEW_KINDS = {kind.value: kind for kind in ListKind}
LIBRARY_VIEW_KINDS = (ListKind.STARRED, ListKind.TAG)
"""Views served by the library; a session on one of them reopens it."""


@dataclass(slots=True)
class ReaderState:
    """What the reader shows; changed only by the main screen's message handlers."""

    key: ListKey = field(default_factory=lambda: ListKey(ListKind.LATEST))
    """The list asked for last (the one on screen, or the one loading)."""
    feed: Feed | None = None
    """The list on screen."""
    anchor: dt.date | None = None
    """The date the current view is about; `[`/`]`, `w`, `m` move from it."""
    latest_day: dt.date | None = None
    """The newest day the latest list resolved to."""
    is_latest: bool = True
    """True when the daily list shown is the newest day (restored as "latest")."""
    filter_text: str = ""
    index: Any = None
    """The search index of `index_feed`'s papers, built on the first non-empty filter."""
    index_feed: Feed | None = None
    request: int = 0
    """Serial number of the latest list request; older answers are dropped."""
    filter_request: int = 0
    pending_paper_id: str | None = None
    """A paper to highlight once the first list arrives (restored from the session)."""
    keep_id: str | None = None
    keep_near: tuple[str, ...] = ()
    """Where the cursor goes when `keep_id` left the list: the first of these papers still shown
    (those below the cursor, then those above, after a re-filter for a library change)."""
    shown_filter: tuple[Feed, str, list[Paper]] | None = None
    """The feed, filter text and papers of the list on screen; a narrower query starts there."""
    highlighted_id: str | None = None
    """The paper under the list cursor."""
    export_folder: str | None = None
    """The folder of the last export; the export dialog proposes a file there."""

    def to_session(self) -> dict[str, Any]:
        """What to restore next time: view, date, filter text and highlighted paper."""
        key = self.key
        if self.feed is not None:
            key = self.feed.shown_key
        return {
            "view": key.kind.value,
            "value": key.value,
            "date": self.anchor.isoformat() if self.anchor else None,
            "was_latest": self.is_latest,
            "filter": self.filter_text,
            "paper_id": self.highlighted_id,
            "export_folder": self.export_folder,
        }


def default_view_key(view: str, today: dt.date) -> ListKey:
    """The list a configured `default_view` opens: daily, week, month, trending or starred."""
    match view:
        case "week":
            return ListKey(ListKind.WEEK, week_of(today))
        case "month":
            return ListKey(ListKind.MONTH, month_of(today))
        case "trending":
            return ListKey(ListKind.TRENDING)
        case "starred":
            return ListKey(ListKind.STARRED)
    return ListKey(ListKind.LATEST)


def state_from_session(session: dict[str, Any]) -> ReaderState:
    """The state to start with, from the saved session."""
    state = ReaderState()
    view = session.get("view") or "latest"
    value = session.get("value") if isinstance(session.get("value"), str) else ""
    kind = VIEW_KINDS.get(str(view), ListKind.LATEST)
    try:
        anchor = dt.date.fromisoformat(session["date"]) if session.get("date") else None
    except (TypeError, ValueError):
        anchor = None
    state.anchor = anchor
    if kind is ListKind.DAILY and (session.get("was_latest") or not value):
        kind, value = ListKind.LATEST, ""
    needs_value = (ListKind.WEEK, ListKind.MONTH, ListKind.SEARCH, ListKind.DAILY)
    needs_value += (ListKind.RELATED, ListKind.AUTHOR, ListKind.WATCH)
    if kind in needs_value and not value:
        kind, value = ListKind.LATEST, ""
    if kind is ListKind.TAG and not value.strip():
        kind, value = ListKind.LATEST, ""
    state.key = ListKey(kind, "" if kind in (ListKind.LATEST, ListKind.STARRED) else value)
    state.is_latest = kind is ListKind.LATEST
    if isinstance(session.get("filter"), str):
        state.filter_text = session["filter"]
    if isinstance(session.get("paper_id"), str):
        state.pending_paper_id = session["paper_id"]
    state.export_folder = export_folder_from(session)
    return state


def export_folder_from(session: dict[str, Any]) -> str | None:
    """The last export's folder, when the session holds a printable one."""
    folder = session.get("export_folder")
    return folder if isinstance(folder, str) and folder.isprintable() else None


def initial_state(
    session: dict[str, Any], default_view: str | None, today: dt.date, library_available: bool
) -> ReaderState:
    """The state the reader starts in: a configured start view replaces the last session's list
    (filter and paper too); starred and tag lists need a library."""
    state = state_from_session({} if default_view else session)
    # A start view replaces the list, not the folder exports go to.
    state.export_folder = export_folder_from(session)
    if default_view:
        state.key = default_view_key(default_view, today)
        state.is_latest = state.key.kind is ListKind.LATEST
    if state.key.kind in LIBRARY_VIEW_KINDS and not library_available:
        state.key = ListKey(ListKind.LATEST)
        state.is_latest = True
    return state
