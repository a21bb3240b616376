"""`papershelf filter list|rm|rename`: the saved filters of the reader (ctrl+s saves one)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from papershelf.core.errors import NotFound


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "filter", help="list, delete or rename the filters saved in the reader (ctrl+s)"
    )
    actions = parser.add_subparsers(dest="filter_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="print every saved filter: NAME<tab>QUERY")
    listing.set_defaults(handler=_list)
    remove = actions.add_parser("rm", help="delete a saved filter")
    remove.add_argument("name", help="the filter's name")
    remove.set_defaults(handler=_remove)
    rename = actions.add_parser("rename", help="give a saved filter another name")
    rename.add_argument("name", help="the filter's name")
    rename.add_argument("new_name", help="its new name")
    rename.set_defaults(handler=_rename)


def _list(args: argparse.Namespace) -> int:
    from papershelf.cli.library import open_library

    with open_library() as library:
        for name, query in library.saved_filters():
            print(f"{name}\t{query}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from papershelf.cli.library import open_library

    with open_library() as library:
        if not library.delete_filter(args.name):
            raise NotFound(f"There is no saved filter named “{args.name}”.")
    print(f"deleted filter: {args.name}", file=sys.stderr)
    return 0


def _rename(args: argparse.Namespace) -> int:
    from papershelf.cli.library import open_library

    with open_library() as library:
        library.rename_filter(args.name, args.new_name)
    print(f"renamed filter: {args.name} -> {args.new_name}", file=sys.stderr)
    return 0
