"""The reader as the snapshot tests see it: offline, the bundled sample, a fixed clock."""

from __future__ import annotations

import datetime as dt

from papershelf.data.config.schema import Settings
from papershelf.tui.app import make_app

app = make_app(
    # A paper counts as read after resting highlighted for a while; a picture must not
    # depend on how long the machine took to draw it.
    settings=Settings(read_after_seconds=-1),
    offline=True,
    restore_session=False,
    clock=lambda: dt.datetime(2026, 8, 21, 14, 0, tzinfo=dt.UTC),
)
