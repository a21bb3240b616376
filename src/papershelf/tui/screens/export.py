"""The export dialog: which papers, which format, which file; dismisses with an ExportRequest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """A file format the dialog offers."""

    name: str
    """The format name handed to `data.export.export_papers`."""
    label: str
    suffix: str
    """The file extension, with its dot."""


EXPORT_FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("bibtex", "BibTeX (.bib)", ".bib"),
    ExportFormat("ris", "RIS (.ris)", ".ris"),
    ExportFormat("card", "Markdown (.md)", ".md"),
    ExportFormat("json", "JSON (.json)", ".json"),
    ExportFormat("csl-json", "CSL-JSON (.json)", ".json"),
)
"""Formats in dialog order."""

SCOPE_LABELS: dict[str, str] = {
    "starred": "Starred papers",
    "tag": "Papers with a tag",
    "selection": "The selection",
    "filter": "Papers shown in the list",
}
"""Scope ids and their labels, in dialog order."""

DEFAULT_PATH = "~/papershelf-export.bib"
"""Where an export goes unless the user types another path (or exported elsewhere before)."""


def export_start_path(folder: str | None) -> str:
    """The file the dialog proposes: the default name in the last export's folder (written
    `~/…` under the home folder) while that folder exists, else `DEFAULT_PATH`."""
    if not folder or not Path(folder).is_dir():
        return DEFAULT_PATH
    path = Path(folder)
    name = Path(DEFAULT_PATH).name
    try:
        inside_home = path.relative_to(Path.home())
    except (ValueError, RuntimeError):  # outside the home folder, or no home folder known
        return str(path / name)
    return str(Path("~") / inside_home / name)


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What the user asked to export."""

    scope: str
    """One of `SCOPE_LABELS`: starred, tag, selection or filter."""
    fmt: str
    """An `EXPORT_FORMATS` name."""
    path: Path
    """The target file, `~` expanded."""
    tag: str | None = None
    """The tag, when `scope == "tag"`."""


def _format_named(name: str) -> ExportFormat:
    return next((f for f in EXPORT_FORMATS if f.name == name), EXPORT_FORMATS[0])


def _with_suffix(path_text: str, suffix: str) -> str:
    """`path_text` with its extension swapped for `suffix` (kept as typed otherwise)."""
    path = Path(path_text)
    if not path.name:
        return path_text
    return str(path.with_suffix(suffix))


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Choose scope, format and file; Enter in the path or `ctrl+s` exports, Esc cancels."""

    DEFAULT_CSS = """
    ExportScreen {
        align: center middle;
    }
    ExportScreen > Vertical {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    ExportScreen #export-choices {
        height: auto;
    }
    ExportScreen #export-scope-column {
        width: 1fr;
        height: auto;
    }
    ExportScreen #export-format-column {
        width: 24;
        height: auto;
        margin-left: 2;
    }
    ExportScreen .export-heading {
        margin-top: 1;
        color: $text-muted;
    }
    ExportScreen #export-tag {
        display: none;
        margin-top: 1;
    }
    ExportScreen.-tag-scope #export-tag {
        display: block;
    }
    ExportScreen #export-error {
        color: $error;
        height: auto;
    }
    ExportScreen #export-buttons {
        height: auto;
        align-horizontal: right;
    }
    ExportScreen #export-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="export_cancel"),
        Binding("ctrl+s", "submit", "Export", id="export_submit"),
    ]

    def __init__(
        self,
        counts: Mapping[str, int | None],
        tags: Sequence[str] = (),
        *,
        scope: str | None = None,
        fmt: str = "bibtex",
        path: str = DEFAULT_PATH,
    ) -> None:
        """`counts` maps a scope id to how many papers it holds (None: unknown); empty scopes
        are offered but disabled. `tags` lists the library's tags for the tag scope."""
        super().__init__()
        self.counts = dict(counts)
        self.tags = list(tags)
        self.initial_format = _format_named(fmt)
        self.initial_path = _with_suffix(path, self.initial_format.suffix)
        self.initial_scope = scope if scope in SCOPE_LABELS else self._first_available_scope()
        self._auto_path = self.initial_path
        """The path the dialog proposed; the extension follows the format until the user types."""

    def _available(self, scope: str) -> bool:
        if scope == "tag":
            return bool(self.tags)
        count = self.counts.get(scope, 0)
        return count is None or count > 0

    def _first_available_scope(self) -> str:
        return next((s for s in SCOPE_LABELS if self._available(s)), "filter")

    def _scope_label(self, scope: str) -> str:
        count = self.counts.get(scope)
        label = SCOPE_LABELS[scope]
        if scope != "tag" and count is not None:
            label = f"{label} ({count})"
        return label

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Export papers"
            with Horizontal(id="export-choices"):
                with Vertical(id="export-scope-column"):
                    yield Label("Papers", classes="export-heading")
                    with RadioSet(id="export-scope", compact=True):
                        for scope in SCOPE_LABELS:
                            yield RadioButton(
                                Content(self._scope_label(scope)),
                                value=scope == self.initial_scope,
                                id=f"scope-{scope}",
                                disabled=not self._available(scope),
                            )
                    yield Select(
                        [(Content(tag), tag) for tag in self.tags],
                        prompt="Tag",
                        id="export-tag",
                        value=self.tags[0] if self.tags else Select.NULL,
                        compact=True,
                    )
                with Vertical(id="export-format-column"):
                    yield Label("Format", classes="export-heading")
                    with RadioSet(id="export-format", compact=True):
                        for export_format in EXPORT_FORMATS:
                            yield RadioButton(
                                export_format.label,
                                value=export_format is self.initial_format,
                                id=f"format-{export_format.name}",
                            )
            yield Label(
                "File (an existing file is appended to, without duplicates)",
                classes="export-heading",
            )
            yield Input(self.initial_path, id="export-path", placeholder=DEFAULT_PATH, compact=True)
            yield Label("", id="export-error", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button("Cancel", id="export-cancel", compact=True)
                yield Button("Export", variant="primary", id="export-ok", compact=True)

    def on_mount(self) -> None:
        self.set_class(self.initial_scope == "tag", "-tag-scope")
        self.query_one("#export-scope", RadioSet).focus()

    # --- reading the form -------------------------------------------------------------------

    @property
    def scope(self) -> str:
        """The scope id currently chosen."""
        pressed = self.query_one("#export-scope", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return self.initial_scope
        return pressed.id.removeprefix("scope-")

    @property
    def export_format(self) -> ExportFormat:
        """The format currently chosen."""
        pressed = self.query_one("#export-format", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return self.initial_format
        return _format_named(pressed.id.removeprefix("format-"))

    def build_request(self) -> ExportRequest | str:
        """The request the form describes, or a sentence saying what is missing."""
        scope = self.scope
        if not self._available(scope):
            return f"There are no papers in “{SCOPE_LABELS[scope].lower()}”."
        tag: str | None = None
        if scope == "tag":
            value = self.query_one("#export-tag", Select).value
            if not isinstance(value, str):
                return "Choose a tag."
            tag = value
        path_text = self.query_one("#export-path", Input).value.strip()
        if not path_text:
            return "Type the file to write."
        if path_text == "-":
            # On the command line `-` is standard output; here that is the reader's own screen.
            return "Type a file name: '-' (standard output) works on the command line only."
        path = Path(path_text).expanduser()
        if path.is_dir():
            example = f"{path_text.rstrip('/')}/papers{self.export_format.suffix}"
            return f"{path_text} is a folder; type a file name, e.g. {example}."
        return ExportRequest(scope=scope, fmt=self.export_format.name, path=path, tag=tag)

    # --- reacting ---------------------------------------------------------------------------

    @on(RadioSet.Changed, "#export-scope")
    def _scope_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.set_class(self.scope == "tag", "-tag-scope")
        self._show_error("")

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        path_input = self.query_one("#export-path", Input)
        # Follow the format only while the path is still the one proposed, never over typing.
        if path_input.value == self._auto_path:
            self._auto_path = _with_suffix(self._auto_path, self.export_format.suffix)
            path_input.value = self._auto_path

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#export-ok")
    def _ok_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def _show_error(self, message: str) -> None:
        self.query_one("#export-error", Label).update(Content(message))

    def action_submit(self) -> None:
        """Export with the current choices, or say what is missing."""
        request = self.build_request()
        if isinstance(request, str):
            self._show_error(request)
            return
        self.dismiss(request)

    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)
