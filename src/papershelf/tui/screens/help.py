"""The help screen: every key binding, generated from `tui/bindings.py`, grouped by pane."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from papershelf.tui.bindings import EXTRA_HELP, HELP_SECTIONS, MODAL_BINDINGS
from papershelf.tui.widgets.filter_bar import FILTER_HELP
from papershelf.tui.widgets.paper_list import MARKER_LEGEND

KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "quotation_mark": '"',
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
}
"""How key names read in the help table."""


def key_label(keys: str) -> str:
    """`j,down` -> `j ↓`; `ctrl+d` -> `ctrl+d`."""
    return " ".join(KEY_NAMES.get(key.strip(), key.strip()) for key in keys.split(","))


def app_sections(app: object) -> list[tuple[str, list[Binding]]]:
    """The app's own bindings (palette, library, copying, export), for the help's last section."""
    bindings = [
        binding
        for owner in type(app).__mro__
        if owner.__module__.startswith("papershelf.")
        for binding in vars(owner).get("BINDINGS", ())
        if isinstance(binding, Binding) and binding.id
    ]
    return [("Anywhere in the reader", bindings)] if bindings else []


def help_rows(
    keymap: dict[str, str] | None = None,
    extra_sections: list[tuple[str, list[Binding]]] | None = None,
) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(section, [(keys, description, id)]) for every binding, honouring remapped keys."""
    keymap = keymap or {}
    sections: list[tuple[str, list[tuple[str, str, str]]]] = []
    seen: set[tuple[str, str]] = set()
    for title, bindings in [*HELP_SECTIONS, *(extra_sections or [])]:
        rows = []
        for binding in bindings:
            binding_id = binding.id or binding.action
            if (title, binding_id) in seen or binding_id.endswith("_back"):
                continue
            seen.add((title, binding_id))
            keys = keymap.get(binding_id, binding.key)
            # A tooltip is the long form of a description kept short for the footer.
            rows.append((key_label(keys), binding.tooltip or binding.description, binding_id))
        sections.append((title, rows))
    extras: dict[str, list[tuple[str, str, str]]] = {}
    for title, keys, description in EXTRA_HELP:
        extras.setdefault(title, []).append((key_label(keys), description, ""))
    for title, rows in sections:
        rows.extend(extras.pop(title, []))
    sections.extend(extras.items())
    return sections


def help_lines(
    sections: list[tuple[str, list[tuple[str, str, str]]]],
) -> list[tuple[str, list[Content]]]:
    """Rows as aligned lines: the key column is as wide as the widest keys, plus a gap.

    (A fixed width ran `PgDn ctrl+d Space` into its description.)
    """
    rows = [row for _, section_rows in sections for row in section_rows]
    key_width = max((len(keys) for keys, _, _ in rows), default=0) + 2
    text_width = min(max((len(text) for _, text, _ in rows), default=0), 40) + 2
    return [
        (
            title,
            [
                Content.assemble(
                    (f"  {keys:<{key_width}}", "bold"), f"{text:<{text_width}}", (binding_id, "dim")
                )
                for keys, text, binding_id in section_rows
            ],
        )
        for title, section_rows in sections
    ]


class HelpScreen(ModalScreen[None]):
    """A modal listing every binding; Esc, q or ? closes it."""

    BINDINGS = [
        *MODAL_BINDINGS,
        Binding("q,question_mark", "close", "Close", show=False, id="close_help"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll {
            width: 84; max-width: 100%; height: 90%;
            border: round $accent; background: $surface; padding: 0 1;
        }
        & .help--section { text-style: bold; color: $accent; margin-top: 1; }
        & .help--row { height: auto; }
        & .help--about { color: $text-muted; margin-top: 1; }
    }
    """

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = keymap or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = Content("papershelf — keys")
            scroll.border_subtitle = Content("Esc / q to close")
            sections = help_rows(self.keymap, app_sections(self.app))
            for title, lines in help_lines(sections):
                yield Static(Content(title), classes="help--section")
                yield Static(Content("\n").join(lines), classes="help--row")
            yield Static(Content("Row markers"), classes="help--section")
            legend = [
                Content.assemble((f"  {mark}  ", "bold"), text) for mark, text in MARKER_LEGEND
            ]
            yield Static(Content("\n").join(legend), classes="help--row")
            yield Static(Content(FILTER_HELP), classes="help--about")

    def action_close(self) -> None:
        self.dismiss(None)
