"""A host app that opens the tag editor on a paper, for the snapshot test."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Label

from papershelf.tui.dialogs.tag_editor import TagEditor

SUBJECT = "[Re] Attention x[/b]y Is All You Need — GPT-[n] and o-[n] Models"


class TagEditorSnapshotApp(App[None]):
    """Shows the tag editor with three tags and a hostile paper title."""

    def compose(self) -> ComposeResult:
        yield Label("papershelf")

    async def on_mount(self) -> None:
        editor = TagEditor(
            ["llm", "reading-list", "[b]not markup[/b]"],
            known_tags=["transformers", "vision"],
            subject=SUBJECT,
        )
        await self.push_screen(editor)
        for text_input in editor.query(Input):
            text_input.cursor_blink = False


app = TagEditorSnapshotApp()

if __name__ == "__main__":
    app.run()
