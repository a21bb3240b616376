"""The Textual reader: list pane, detail pane, filter bar and status line."""
