"""`papershelf completion bash|zsh|fish`: a completion script generated from the parser itself.

shtab walks the argparse parser, so completion never drifts from the commands; it is imported
only here, so no other command pays for it.
"""

from __future__ import annotations

import argparse
import sys

SHELLS = ("bash", "zsh", "fish")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `completion`."""
    parser = subparsers.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print a completion script for SHELL on stdout.",
        epilog="examples:\n"
        '  bash: eval "$(papershelf completion bash)"   (in ~/.bashrc)\n'
        "  zsh:  papershelf completion zsh > ~/.zfunc/_papershelf  (with fpath+=~/.zfunc)\n"
        "  fish: papershelf completion fish > ~/.config/fish/completions/papershelf.fish",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    parser.set_defaults(handler=run_completion)


def run_completion(args: argparse.Namespace) -> int:
    """Print the script for `args.shell`."""
    import shtab

    from papershelf.cli import build_parser

    sys.stdout.write(shtab.complete(build_parser(), shell=args.shell))
    return 0
