"""The reader as the snapshot tests see it: offline, the bundled sample, a fixed clock."""

from __future__ import annotations

import datetime as dt

from papershelf.tui.app import make_app

app = make_app(
    offline=True,
    restore_session=False,
    clock=lambda: dt.datetime(2026, 8, 21, 14, 0, tzinfo=dt.UTC),
)
