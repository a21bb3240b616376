"""Allows `python -m papershelf`."""

from papershelf.cli import main

raise SystemExit(main())
