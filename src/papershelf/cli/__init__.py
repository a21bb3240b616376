"""The front door: `papershelf` starts the reader; subcommands serve scripts.

Each subcommand family lives in its own module with a `register(subparsers)` function.
Errors a user can act on are printed as one plain sentence on stderr with a non-zero exit.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from papershelf import __version__
from papershelf.core.errors import InvalidInput, PapershelfError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in papershelf's one-sentence form."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"papershelf: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from papershelf.cli import cite, feeds, keepup, library, settings

    parser = _Parser(
        prog="papershelf",
        description="A keyboard-first terminal reader for Hugging Face Daily Papers.\n\n"
        "Run without a command to open the reader.",
        epilog="examples:\n  papershelf                      open the reader\n"
        "  papershelf list --date 2026-08-21 --format json\n"
        "  papershelf cite 1706.03762 --format bibtex",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"papershelf {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (feeds, library, cite, settings, keepup):
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `papershelf` console script."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    handler = None
    if arguments:
        # Without arguments the reader starts; building every subcommand's parser (and importing
        # their modules) would only delay its first frame.
        args = build_parser().parse_args(arguments)
        handler = getattr(args, "handler", None)
    # Settings load once per run (writing the default file on first run); the reader shows
    # the problems as a notification, so only commands print them here.
    from papershelf.cli.settings import load_and_report

    settings, problems = load_and_report(report=handler is not None)
    try:
        if handler is None:
            # Start-up creates a great many long-lived objects (modules, styles, widgets), so the
            # collector would run its full passes before the first frame for nothing; the reader
            # turns it back on once that frame is painted.
            gc.disable()
            # Deferred: the TUI pulls in Textual, which the scripting commands never need.
            from papershelf.tui.app import run_app

            return run_app(settings, problems)
        return int(handler(args) or EXIT_OK)
    except PapershelfError as error:
        print(f"papershelf: error: {error.message}", file=sys.stderr)
        return EXIT_USAGE if isinstance(error, InvalidInput) else EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `papershelf list | head` closes stdout early; that is not an error.
        sys.stderr.close()
        return EXIT_OK
