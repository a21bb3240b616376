"""The main screen's saved filters: save the filter bar's query, rename or delete one.

The command palette lists the saved filters (`tui/commands.py`) and calls the screen, which
hands the work to `SavedFilters`; the library writer saves the change and reports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papershelf.tui.screens.main import MainScreen


class SavedFilters:
    """Asks for names and has the library writer save, rename and delete filters."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def save(self) -> None:
        """Save the filter bar's query under a name (listed in the command palette)."""
        screen = self.screen
        text = screen.state.filter_text.strip()
        if not text:
            screen.notify("Type a filter first (/), then save it with ctrl+s.", markup=False)
            return
        if not self._library_writable():
            return
        screen.run_worker(self._save(text), group="note", exclusive=True, exit_on_error=False)

    async def _save(self, text: str) -> None:
        from papershelf.tui.dialogs.save_filter import SaveFilter

        library = self.screen.services.library
        assert library.library is not None
        saved = await library.in_thread(library.library.saved_filters)
        existing = [name for name, _query in saved]

        def named(name: str | None) -> None:
            if name:
                library.write(
                    lambda store: store.save_filter(name, text), f"Saved filter “{name}”."
                )

        self.screen.app.push_screen(SaveFilter(text, existing_names=existing), named)

    def delete(self, name: str) -> None:
        """Forget a saved filter."""
        if self._library_writable():
            self.screen.services.library.write(
                lambda store: store.delete_filter(name), f"Deleted filter “{name}”."
            )

    def rename(self, name: str, query: str) -> None:
        """Ask a new name for a saved filter."""
        from papershelf.tui.dialogs.save_filter import SaveFilter

        if not self._library_writable():
            return
        library = self.screen.services.library

        def named(new_name: str | None) -> None:
            if new_name and new_name != name:
                library.write(
                    lambda store: store.rename_filter(name, new_name),
                    f"Renamed filter “{name}” to “{new_name}”.",
                )

        self.screen.app.push_screen(SaveFilter(query, initial_name=name), named)

    def _library_writable(self) -> bool:
        """True when the library takes changes; else the user is told why not."""
        library = self.screen.services.library
        if library.writable:
            return True
        self.screen.notify(
            library.problem or "The library is not available; changes cannot be saved.",
            title="Library unavailable",
            severity="warning",
            markup=False,
        )
        return False
