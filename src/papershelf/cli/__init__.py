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
from papershelf.core.errors import (
    BadRequest,
    InvalidInput,
    NothingCached,
    Offline,
    PapershelfError,
    RateLimited,
    ServerError,
)

EXIT_OK = 0
EXIT_ERROR = 1
"""Something failed: a paper not found, a file missing or unwritable, the library unusable."""
EXIT_USAGE = 2
"""Bad input: an unknown option, an invalid id, date, filter, file name or format."""
EXIT_NETWORK = 3
"""Hugging Face could not be reached or answered with an error (or offline, nothing cached)."""
EXIT_INTERRUPTED = 130

_NETWORK_ERRORS = (Offline, RateLimited, ServerError, NothingCached)

EPILOG = """\
examples:
  papershelf                      open the reader
  papershelf list --date yesterday --format json
  papershelf cite 1706.03762 --format bibtex
  papershelf list --starred --format ids | xargs papershelf tag --tags to-read

output:
  stdout carries only data (lists, papers, citations, settings); progress, confirmations
  ("starred: …", "Exported 4 papers to …"), warnings and errors go to stderr.

exit codes:
  0    success
  1    failure: paper not found, file missing or unwritable, library unusable
  2    bad input: unknown option, invalid id, date, filter, file name or format
  3    network: Hugging Face unreachable or failing, or offline with nothing cached
  130  interrupted (ctrl+c)

environment:
  PAPERSHELF_HOME   keep config, data, cache and state under this one directory
  PAPERSHELF_LOG    write a debug log (debug, info or warning; 1 = debug); see `paths`
  HF_ENDPOINT       Hugging Face address (overrides hf_endpoint in config.toml)
  HF_TOKEN          Hugging Face access token (never read from the config file)
  HF_HUB_OFFLINE    1 = work offline: cache and library only, as with --offline
  VISUAL, EDITOR    the editor of `papershelf config --edit`
  BROWSER           the browser that opens papers

copying over SSH or inside tmux uses OSC 52: in tmux it needs `set -g set-clipboard on`
(and `set -g allow-passthrough on` for clipboard = "osc52-passthrough")."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in papershelf's one-sentence form."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"papershelf: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from papershelf.cli import cite, completion, feeds, filters, keepup, library, read, settings

    parser = _Parser(
        prog="papershelf",
        description="A keyboard-first terminal reader for Hugging Face Daily Papers.\n\n"
        "Run without a command to open the reader.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # Handled in `main` before the parser is built; declared here for --help and completion.
    parser.add_argument("--version", action="version", version=f"papershelf {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="write a debug log (requests, cache decisions, timings) to the file "
        "`papershelf paths` names",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (feeds, library, filters, cite, read, settings, completion, keepup):
        module.register(subparsers)
    return parser


def _start_log(debug: bool) -> None:
    from papershelf.data.debug_log import requested_level, start_log

    level = requested_level(debug)
    if level is None:
        return
    if start_log(level) is None:
        print("papershelf: warning: cannot write the debug log.", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `papershelf` console script."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    if arguments == ["--version"]:
        # Answered before the parser (and every command module) is built: instant.
        print(f"papershelf {__version__}")
        return EXIT_OK
    handler = None
    debug = arguments == ["--debug"]
    if arguments and not debug:
        # Without arguments the reader starts; building every subcommand's parser (and importing
        # their modules) would only delay its first frame.
        args = build_parser().parse_args(arguments)
        handler = getattr(args, "handler", None)
        debug = args.debug
        _honour_hub_offline(args)
    _start_log(debug)
    # Settings load once per run (writing the default file on first run); the reader shows
    # the problems as a notification, so only commands print them here.
    from papershelf.cli.settings import load_and_report

    settings, problems = load_and_report(report=handler is not None)
    from papershelf.data.feeds.hub import use_limits

    use_limits(deadline=settings.request_deadline, max_response_mb=settings.max_response_mb)
    try:
        if handler is None:
            # Start-up creates a great many long-lived objects (modules, styles, widgets), so the
            # collector would run its full passes before the first frame for nothing; the reader
            # turns it back on once that frame is painted.
            gc.disable()
            # Deferred: the TUI pulls in Textual, which the scripting commands never need.
            from papershelf.tui.app import run_app

            return run_app(settings, problems)
        import logging
        import time

        started = time.perf_counter()
        code = int(handler(args) or EXIT_OK)
        logging.getLogger(__name__).debug(
            "papershelf %s: exit %d after %.0f ms",
            args.command,
            code,
            (time.perf_counter() - started) * 1000,
        )
        return code
    except PapershelfError as error:
        print(f"papershelf: error: {error.message}", file=sys.stderr)
        return exit_code(error)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `papershelf list | head` closes stdout early; that is not an error.
        sys.stderr.close()
        return EXIT_OK


def exit_code(error: PapershelfError) -> int:
    """The documented exit code of an error (see EPILOG)."""
    if isinstance(error, InvalidInput | BadRequest):
        return EXIT_USAGE
    if isinstance(error, _NETWORK_ERRORS):
        return EXIT_NETWORK
    return EXIT_ERROR


def _honour_hub_offline(args: argparse.Namespace) -> None:
    """`HF_HUB_OFFLINE=1` means `--offline` for every command that has it (huggingface_hub's
    convention); the hub client refuses requests then too, which covers the reader."""
    from papershelf.data.debug_log import hub_offline

    if hasattr(args, "offline") and hub_offline():
        args.offline = True
