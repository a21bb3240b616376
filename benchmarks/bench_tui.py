"""Time the reader's list against Textual's stock widgets, and its start in a real terminal.

    uv run python benchmarks/bench_tui.py [--quick] [--json] [--runs N] [--no-terminal]

Each subject lives in its own module (`bench_start`, `bench_list`, `bench_app`,
`bench_app_library`, `bench_stock`) sharing `common`; this runs them all. Figures are medians;
see benchmarks/README.md for what each one measures and how.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from time import perf_counter

from bench_app import bench_app
from bench_list import bench_paper_list
from bench_start import bench_terminal_start
from bench_stock import StockDataTable, StockOptionList, bench_stock
from common import (
    CLOSED_ENDPOINT,
    FULL,
    QUICK,
    Figure,
    distinct_papers,
    format_table,
    load_days,
    parse_day,
    scaled,
    shared_root,
)

# --- running it -----------------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small lists, one or two runs")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5; 2 with --quick)")
    parser.add_argument(
        "--no-terminal", action="store_true", help="skip the start-up figure (needs tmux)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    plan = QUICK if arguments.quick else FULL
    if arguments.runs:
        plan = dataclasses.replace(
            plan,
            runs=arguments.runs,
            slow_runs=min(plan.slow_runs, arguments.runs),
            terminal_runs=arguments.runs,
        )
    started = perf_counter()
    root = shared_root()
    days = load_days(root)
    real = distinct_papers(days)
    small, large = scaled(real, plan.small), scaled(real, plan.large)
    newest = max(days)
    day = parse_day(newest, days[newest])
    # Each in-process app gets a fresh, offline home: nothing here may touch the user's files.
    with tempfile.TemporaryDirectory(prefix="papershelf-bench-") as scratch:
        os.environ["PAPERSHELF_HOME"] = str(Path(scratch) / "home")
        os.environ["HF_ENDPOINT"] = CLOSED_ENDPOINT
        os.environ["ARXIV_ENDPOINT"] = CLOSED_ENDPOINT
        figures: list[Figure] = []
        if not arguments.no_terminal:
            figures += bench_terminal_start(root, days, plan)
        figures += asyncio.run(bench_paper_list(day, small, large, plan))
        figures += asyncio.run(bench_app(days, small, large, plan))
        for stock in (StockOptionList(), StockDataTable()):
            figures += asyncio.run(bench_stock(stock, day, small, large, plan))
    elapsed = perf_counter() - started
    if arguments.json:
        report = {
            "textual": textual_version(),
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "quick": arguments.quick,
            "sizes": {"small": plan.small, "large": plan.large},
            "seconds": round(elapsed, 1),
            "figures": [figure.as_record() for figure in figures],
        }
        print(json.dumps(report, indent=2))
    else:
        print(format_table(figures))
        print(
            f"\nTextual {textual_version()}, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs, {plan.small:,}/{plan.large:,} papers, "
            f"{elapsed:.0f} s in all"
        )
    return 0


def textual_version() -> str:
    from importlib.metadata import version

    return version("textual")


if __name__ == "__main__":
    sys.exit(main())
