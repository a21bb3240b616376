"""Copy keys, the copy menu and register, code/project links and export, as an App mixin.

Every copy goes through one path: the text is built here from `core.cite`/`core.links`, and
`data.clipboard.Clipboard.copy` runs in a thread worker (the system clipboard is a subprocess).
"""

from __future__ import annotations

import asyncio
import os
import shlex
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual import work
from textual.binding import Binding
from textual.screen import ModalScreen

from papershelf.core.errors import PapershelfError
from papershelf.core.model import Paper
from papershelf.data.clipboard import OSC52_PASSTHROUGH, Clipboard, CopyResult
from papershelf.tui.screens.copy_menu import ARXIV_BIBTEX, URL_FORMATS, CopyMenu, choice_label
from papershelf.tui.targets import PaperTargets

if TYPE_CHECKING:
    from types import ModuleType

COPY_BINDINGS: list[Binding] = [
    Binding("y", "copy('hf_url')", "Copy URL", show=False, id="copy_hf_url"),
    Binding("Y", "copy('arxiv_url')", "Copy arXiv URL", show=False, id="copy_arxiv_url"),
    Binding("b", "copy('bibtex')", "BibTeX", show=False, id="copy_bibtex"),
    Binding("B", f"copy('{ARXIV_BIBTEX}')", "arXiv BibTeX", show=False, id="copy_arxiv_bibtex"),
    Binding("c", "copy_menu", "Copy…", show=False, id="copy_menu"),
    Binding("C", "open_extra('code')", "Code", show=False, id="open_code"),
    Binding("P", "open_extra('project')", "Project page", show=False, id="open_project"),
    Binding("E", "export", "Export", show=False, id="export"),
    Binding("quotation_mark", "show_register", "Copied", show=False, id="show_register"),
]
"""Copy, link and export keys (on the App, so they work wherever the list or detail has focus)."""

COPY_ACTIONS = frozenset({"copy", "copy_menu", "open_extra", "export", "show_register"})
"""Action names of `COPY_BINDINGS`: off while a dialog is open."""

URL_NAMES = {"hf_url": "Hugging Face URL", "arxiv_url": "arXiv URL", "pdf_url": "PDF URL"}
"""How copied links are named in messages."""


def _cite() -> ModuleType:
    # Deferred: the citation formats are only needed once something is copied, not at start-up.
    from papershelf.core import cite

    return cite


def what_was_copied(fmt: str, count: int) -> str:
    """The words naming a copy: `BibTeX for 3 papers`, `arXiv URL for 1 paper`."""
    cite = _cite()
    if fmt in cite.FORMATS:
        return cite.describe(fmt, count)
    name = URL_NAMES.get(fmt) or choice_label(fmt)
    return f"{name} for {count} paper{'s' if count != 1 else ''}"


def arxiv_bibtex_what(count: int, local: int, fetched: int) -> str:
    """Name an arXiv BibTeX copy, saying when arXiv could not be reached for some entries."""
    described = _cite().describe("bibtex", count)
    if not local:
        return f"arXiv {described}"
    if local >= fetched:
        return f"local {described} — arXiv unreachable"
    return f"{described} — {local} built locally, arXiv unreachable"


def text_for(papers: Sequence[Paper], fmt: str) -> str:
    """The text a local copy of `papers` in `fmt` puts on the clipboard (links one per line)."""
    if fmt in URL_FORMATS:
        return "\n".join(getattr(paper, fmt) for paper in papers)
    return _cite().format_papers(papers, fmt)


def program_name(command: str) -> str:
    """The program a command line runs, e.g. `wl-copy` for `/usr/bin/wl-copy --type text/plain`."""
    try:
        words = shlex.split(command)
    except ValueError:
        words = command.split()
    return os.path.basename(words[0]) if words else command.strip()


def shorten_command(message: str, clipboard: Clipboard) -> str:
    """`message` naming a custom clipboard command by its program only, not its whole line."""
    command = clipboard.command if clipboard.mode == "command" else None
    if not command or not command.strip():
        return message
    return message.replace(f"command {command}", program_name(command))


def build_clipboard(app: Any, setting: str | None, command: str | None = None) -> Clipboard:
    """The copy chain for `app` from the `clipboard` (and `clipboard_command`) settings.

    Both terminal writers may be called from the copying thread; they hop to the app's thread.
    """

    def on_app_thread(callback: Callable[[str], None], value: str) -> None:
        if app._thread_id == threading.get_ident():
            callback(value)
        else:
            app.call_from_thread(callback, value)

    def write_raw(sequence: str) -> None:
        # The same route App.copy_to_clipboard takes, without its plain OSC 52 wrapping.
        if app._driver is not None:
            app._driver.write(sequence)

    writers: dict[str, Callable[[str], None]] = {
        "osc52_writer": lambda text: on_app_thread(app.copy_to_clipboard, text),
        "raw_writer": lambda sequence: on_app_thread(write_raw, sequence),
    }
    value = (setting or "auto").strip()
    if value == "command":
        if command and command.strip():
            return Clipboard("command", command, **writers)
        value = "auto"
    return Clipboard.from_setting(value, **writers)


class CopyActions(PaperTargets):
    """Mixin for the reader app: copy keys, copy menu, register, code/project links, export.

    Needs on the app: `clipboard_chain` (a `Clipboard`, from `build_clipboard`), `offline`,
    `state.details`, `open_link(url)` and `get_default_screen_instance()`; which papers a key
    acts on comes from `PaperTargets`, and `library` is used when present.
    """

    clipboard_chain: Clipboard
    """The copy chain and its register (not `App.clipboard`, which is the last text copied)."""

    # --- which papers --------------------------------------------------------------------------

    def shown_papers(self) -> list[Paper]:
        """The papers the list shows now (the current filter applied)."""
        screen = self.get_default_screen_instance()  # type: ignore[attr-defined]
        return list(screen.paper_list.papers) if screen is not None else []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in COPY_ACTIONS and not self._on_reader():
            return False
        return super().check_action(action, parameters)  # type: ignore[misc]

    def _on_reader(self) -> bool:
        # App bindings stay live under modals; copying from behind a dialog would surprise.
        return not isinstance(self.screen, ModalScreen)  # type: ignore[attr-defined]

    def _say(self, message: str, *, title: str = "", severity: str = "information") -> None:
        self.notify(message, title=title, severity=severity, markup=False)  # type: ignore[attr-defined]

    # --- copying -------------------------------------------------------------------------------

    def copy_text(self, text: str, what: str, *, reason: str = "", title: str = "") -> None:
        """Copy `text` through the clipboard chain in a thread worker; one toast says how.

        `reason` leads the toast when the copy stands in for something else
        ("No browser here — copied the link … (OSC 52)").
        """
        self.run_worker(  # type: ignore[attr-defined]
            lambda: self._copy_in_thread(text, what, reason, title),
            thread=True,
            group="clipboard",
            exit_on_error=False,
            description="copy",
        )

    def _copy_in_thread(self, text: str, what: str, reason: str, title: str) -> CopyResult:
        result = self.clipboard_chain.copy(text, what)
        self.call_from_thread(self._copied, text, result, reason, title)  # type: ignore[attr-defined]
        return result

    def _copied(self, text: str, result: CopyResult, reason: str = "", title: str = "") -> None:
        if result.method == OSC52_PASSTHROUGH:
            # The raw sequence bypasses copy_to_clipboard; keep `App.clipboard` (paste) in step.
            self._clipboard = text
        message = shorten_command(result.message, self.clipboard_chain)
        if reason:
            message = f"{reason} — {message[:1].lower()}{message[1:]}"
        self._say(message, title=title, severity="information" if result.ok else "warning")

    def copy_format(self, fmt: str) -> None:
        """Copy the target papers as `fmt`: a URL kind, a `cite.FORMATS` name or arXiv BibTeX."""
        papers = self.target_papers()
        if not papers:
            self._say("No paper to copy.")
            return
        if fmt == ARXIV_BIBTEX:
            self._copy_arxiv_bibtex(papers)
            return
        self.copy_text(text_for(papers, fmt), what_was_copied(fmt, len(papers)))

    @work(group="bibtex", exclusive=True, exit_on_error=False, description="fetch BibTeX")
    async def _copy_arxiv_bibtex(self, papers: list[Paper]) -> None:
        from papershelf.data.arxiv import fetch_bibtex_entries

        cite = _cite()
        batch = cite.distinct(papers)
        try:
            results = await fetch_bibtex_entries(batch, offline=self.offline)  # type: ignore[attr-defined]
        except PapershelfError:
            # An id arXiv cannot know (not an arXiv number): every entry is built locally.
            results = [(cite.format_papers(batch, "bibtex"), False)]
        text = "\n\n".join(entry.strip() for entry, _exact in results)
        local = sum(not exact for _entry, exact in results)
        self.copy_text(text, arxiv_bibtex_what(len(batch), local, len(results)))

    def action_copy(self, fmt: str) -> None:
        """Copy the highlighted paper (or the selection) as `fmt`."""
        if self._on_reader():
            self.copy_format(fmt)

    def action_copy_menu(self) -> None:
        """Every format, one key each."""
        if not self._on_reader():
            return
        papers = self.target_papers()
        if not papers:
            self._say("No paper to copy.")
            return
        subject = self.title_of(papers[0]) if len(papers) == 1 else f"{len(papers)} papers"

        def chosen(fmt: str | None) -> None:
            if fmt:
                self.copy_format(fmt)

        self.push_screen(CopyMenu(subject), chosen)  # type: ignore[attr-defined]

    def action_show_register(self) -> None:
        """The last copies; Enter copies one again."""
        if not self._on_reader():
            return
        from papershelf.tui.screens.register import RegisterScreen

        def chosen(text: str | None) -> None:
            if text:
                self.copy_text(text, "text from the register")

        self.push_screen(RegisterScreen(self.clipboard_chain.register), chosen)  # type: ignore[attr-defined]

    # --- links ---------------------------------------------------------------------------------

    def action_open_extra(self, kind: str) -> None:
        """Open the highlighted paper's code repository or project page (http(s) only)."""
        if not self._on_reader():
            return
        paper = self.highlighted_paper()
        if paper is None:
            self._say("No paper is highlighted.")
            return
        url, name = (paper.github, "code") if kind == "code" else (paper.project_page, "project")
        if not url:
            self._say(f"This paper has no {name} link.")
            return
        self.open_link(url)  # type: ignore[attr-defined]
        self.paper_opened(paper)

    # --- export --------------------------------------------------------------------------------

    def library_export_facts(self) -> tuple[int, list[str]]:
        """How many papers are starred, and the library's tags. Blocks (SQLite)."""
        library = getattr(self, "library", None)
        if library is None:
            return 0, []
        try:
            return len(library.starred_ids()), sorted(tag for tag, _n in library.all_tags())
        except PapershelfError:
            return 0, []

    def library_papers(self, scope: str, tag: str | None) -> list[Paper]:
        """The starred papers, or those with `tag`. Blocks (SQLite)."""
        library = getattr(self, "library", None)
        if library is None:
            raise PapershelfError("The library is not available.", "Export failed")
        if scope == "starred":
            return list(library.starred_papers())
        return list(library.tagged_papers(tag or ""))

    async def _library_call(self, function: Callable[..., Any], *args: Any) -> Any:
        # The library's own thread when it has one, so SQLite is used by one thread at a time.
        runner = getattr(self, "_in_library_thread", None)
        if runner is not None:
            return await runner(function, *args)
        return await asyncio.to_thread(function, *args)

    @work(group="export", exclusive=True, exit_on_error=False, description="export")
    async def action_export(self) -> None:
        """Ask what to export (starred, a tag, the selection, the shown list), then write it."""
        if not self._on_reader():
            return
        from papershelf.tui.screens.export import ExportScreen, export_start_path

        details = self.state.details  # type: ignore[attr-defined]
        selection = self.selected_papers()
        shown = [details.get(p.id, p) for p in self.shown_papers()]
        starred, tags = await self._library_call(self.library_export_facts)
        counts: dict[str, int | None] = {
            "starred": starred,
            "selection": len(selection),
            "filter": len(shown),
        }
        state = self.state  # type: ignore[attr-defined]
        request = await self.push_screen_wait(  # type: ignore[attr-defined]
            ExportScreen(
                counts,
                tags,
                scope="selection" if selection else None,
                path=export_start_path(state.export_folder),
            )
        )
        if request is None:
            return
        try:
            if request.scope in ("starred", "tag"):
                papers = await self._library_call(self.library_papers, request.scope, request.tag)
            else:
                papers = selection if request.scope == "selection" else shown
            if not papers:
                self._say("There are no papers to export.", title="Export")
                return
            # Deferred: exporting (and its citation formats) is not needed at start-up.
            from papershelf.data.export import export_papers

            report = await asyncio.to_thread(export_papers, papers, request.path, request.fmt)
        except PapershelfError as error:
            self._say(error.message, title="Export failed", severity="error")
            return
        except OSError as error:
            # The data layer words its own failures; this is one it did not foresee.
            reason = error.strerror or type(error).__name__
            self._say(
                f"Could not write {request.path}: {reason}.",
                title="Export failed",
                severity="error",
            )
            return
        state.export_folder = str(request.path.parent)
        self._say(report.message, title="Export")
