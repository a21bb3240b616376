"""The footer: Textual's, rebuilt at most once per refresh however often the bindings change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen


class KeyFooter(Footer):
    """Textual's `Footer`, rebuilt once per refresh.

    Textual's footer rebuilds every key (a dozen widgets, each restyled) each time its screen
    says the bindings changed. Opening a screen says so about five times in one moment (mount,
    focus, the screen stack), so the keys were rebuilt five times before the first frame.
    """

    _rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
