"""Mutation testing of the security-relevant modules: text.py, links.py, cite_keys.py.

Run by hand, never in CI (it takes about ten minutes on two cores):

    uv run python scripts/mutation.py            # mutmut, then the pattern mutants
    uv run python scripts/mutation.py --patterns-only

Two parts, one score per module:

1. mutmut (configured in pyproject.toml, `[tool.mutmut]`) mutates the code inside functions and
   runs the tests chosen there. A timed-out mutant counts as killed (the tests noticed).
2. mutmut leaves module-level constants alone, and the character classes and patterns there are
   where the security lies; `PATTERN_MUTANTS` below are those mutants, written by hand. Each is
   applied to the source in place (restored afterwards, also on Ctrl-C) and the module's tests
   run; a mutant that no test notices is reported.

The mutants that survive and cannot be killed, because they do not change behaviour, are
listed in `EQUIVALENT` with the reason; the score printed counts them as survivors all the
same, so it is honest. Measured: see the project's notes (the last run's numbers).
"""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "src" / "papershelf" / "core"
MODULES = {
    "text": ["tests/core/test_text.py"],
    "links": ["tests/core/test_links.py"],
    "cite_keys": ["tests/core/test_cite_keys.py"],
}


@dataclass(frozen=True)
class PatternMutant:
    module: str
    old: str
    new: str
    what: str


PATTERN_MUTANTS = [
    # text.py: the escape sequences, in 7- and 8-bit forms
    PatternMutant("text", r"(?:\x1b\[|\x9b)[0-?]", r"(?:\x1b\[)[0-?]", "no 8-bit CSI"),
    PatternMutant("text", r"[0-?]*[ -/]*[@-~]?", r"[0-?]*[ -/]*[@-~]", "CSI final byte required"),
    PatternMutant("text", r"[0-?]*[ -/]*[@-~]?", r"[0-?]*[@-~]?", "CSI without intermediates"),
    PatternMutant("text", r"\x1b[\]PX^_]", r"\x1b[\]X^_]", "no 7-bit DCS"),
    PatternMutant("text", r"\x1b[\]PX^_]", r"\x1b[PX^_]", "no 7-bit OSC"),
    PatternMutant("text", r"[\x90\x98\x9d\x9e\x9f]", r"[\x98\x9d\x9e\x9f]", "no 8-bit DCS"),
    PatternMutant("text", r"[\x90\x98\x9d\x9e\x9f]", r"[\x90\x98\x9e\x9f]", "no 8-bit OSC"),
    PatternMutant("text", r"(?:\x07|\x1b\\|\x9c)?", r"(?:\x07)?", "OSC ends at BEL only"),
    PatternMutant("text", r"(?:\x07|\x1b\\|\x9c)?", r"(?:\x07|\x1b\\)?", "no 8-bit ST"),
    PatternMutant("text", r"[^\x07\x1b\x9c]*", r"[^\x07\x1b]*", "string body runs over 8-bit ST"),
    PatternMutant("text", r"\x1b[ -/]*[0-~]", r"\x1b[0-~]", "ESC without intermediates"),
    PatternMutant(
        "text",
        r'"[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f"',
        r'"[\x00-\x08\x0e-\x1b\x1f\x7f"',
        "no C1 range",
    ),
    PatternMutant(
        "text",
        r'"[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f"',
        r'"[\x00-\x08\x0e-\x1a\x1f\x7f-\x9f"',
        "lone ESC kept",
    ),
    PatternMutant(
        "text",
        r'"[\x00-\x08\x0e-\x1b\x1f\x7f-\x9f"',
        r'"[\x01-\x08\x0e-\x1b\x1f\x7f-\x9f"',
        "NUL kept",
    ),
    PatternMutant("text", r"\u202a-\u202e\u2060", r"\u202a-\u202d\u2060", "RLO kept"),
    PatternMutant(
        "text",
        r"\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]",
        r"\ufeff\ufff9-\ufffb]",
        "tag characters kept",
    ),
    PatternMutant("text", r'"[\ud800-\udfff]"', r'"[\ud800-\udbff]"', "low surrogates kept"),
    PatternMutant(
        "text",
        r"[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]",
        r"[\x0b\x0c\x1c-\x1e\u2028\u2029]",
        "NEL not a line break",
    ),
    PatternMutant("text", r'"[\x7f-\x9f\u061c\u180e', r'"[\x7f\u061c\u180e', "JSON writes C1 raw"),
    PatternMutant("text", r"\u2028-\u202e\u2060", r"\u202a-\u202e\u2060", "JSON writes U+2028 raw"),
    PatternMutant(
        "text",
        r"\ufff9-\ufffb\ud800-\udfff\U000e0000",
        r"\ufff9-\ufffb\U000e0000",
        "JSON writes surrogates raw",
    ),
    # links.py: ids and hosts
    PatternMutant("links", r"([a-z]+(?:-[a-z]+)*(?:\.", r"([a-z][a-z./-]*(?:\.", "path-like ids"),
    PatternMutant(
        "links", r"(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?/", r"(?:\.[A-Za-z.-]+)?/", "loose subclass"
    ),
    PatternMutant("links", r"\d{3})(?:v\d+)?", r"\d{3})(?:v\d*)?", "old id with bare v"),
    PatternMutant("links", r"\.(\d{4,5}))(?:v\d+)?", r"\.(\d{4,5}))(?:v\d*)?", "new id, bare v"),
    PatternMutant("links", "_FIVE_DIGIT_FROM = (15, 1)", "_FIVE_DIGIT_FROM = (15, 2)", "era"),
    PatternMutant("links", "URL_MAX = 2048", "URL_MAX = 4096", "longer URLs"),
    PatternMutant("links", "_ID_MAX = 64", "_ID_MAX = 10**7", "no id length cap"),
    PatternMutant(
        "links", r"[a-z0-9](?:[a-z0-9-]{0,61}", r"[a-z0-9](?:[a-z0-9_-]{0,61}", "underscore in host"
    ),
    PatternMutant(
        "links", r'rf"(?:{_LABEL}\.)*{_LABEL}"', r'rf"(?:{_LABEL}\.+)*{_LABEL}"', "empty host label"
    ),
    PatternMutant("links", "{0,61}[a-z0-9])?", "{0,62}[a-z0-9])?", "64-character label"),
    PatternMutant("links", "(?:www\\.)?", "", "no www. prefix"),
    PatternMutant("links", "|html)/|", ")/|", "no arxiv html URL"),
    # cite_keys.py: what a key may hold
    PatternMutant(
        "cite_keys",
        r'_NOT_KEY = re.compile("[^a-z0-9]")',
        r'_NOT_KEY = re.compile("[^a-z0-9_]")',
        "underscore in keys",
    ),
    PatternMutant("cite_keys", r"\\(?:[A-Za-z]+|.)", r"\\(?:[A-Za-z]|.)", "command names kept"),
    PatternMutant("cite_keys", r"\\(?:[A-Za-z]+|.)", r"\\(?:[A-Za-z]+)", "accent commands kept"),
    PatternMutant(
        "cite_keys",
        '_LETTERS = "abcdefghijklmnopqrstuvwxyz"',
        '_LETTERS = "abcdefghijklmnopqrstuvwxy"',
        "25 suffix letters",
    ),
    PatternMutant("cite_keys", '"van", "von"', '"von"', "van not a particle"),
    PatternMutant("cite_keys", '["jr", "jr.",', '["jr",', "jr. not a suffix"),
    PatternMutant("cite_keys", "whatever when whence", "whatever whence", "when not a stop word"),
]

EQUIVALENT = {
    # text.py (pattern mutants)
    "text: OSC ends at BEL only": "a string sequence's body stops at ESC or 8-bit ST anyway; the "
    "left-over ST is then removed as a two-byte ESC sequence (ESC \\) or as a C1 control",
    "text: no 8-bit ST": "the body stops at U+009C, which is then removed as a C1 control",
    # text.py
    "text.x_to_json__mutmut_3": "ensure_ascii=None is falsy, the same as False",
    "text.x_fold__mutmut_14": "str.translate with an empty table returns the same text",
    # links.py
    "links.x_normalize_paper_id__mutmut_14": "`^ARXIV:` under re.IGNORECASE matches the same",
    "links.x_normalize_paper_id__mutmut_28": "split('#') vs split('#', 1): only [0] is used",
    "links.x_normalize_paper_id__mutmut_33": "split('?') vs split('?', 1): only [0] is used",
    "links.x_normalize_paper_id__mutmut_36": "split('?', 2) vs split('?', 1): only [0] is used",
    "links.x_normalize_paper_id__mutmut_39": "split('#', 2) vs split('#', 1): only [0] is used",
    "links.x_is_openable__mutmut_32": "'XXXX' never matches the lower-case host pattern",
    # cite_keys.py
    "cite_keys.x_split_name__mutmut_14": "rstrip('XX,XX') after lower(): no upper-case X left",
    "cite_keys.x_citekey__mutmut_8": "'UNKNOWN' is lower-cased by key_text",
    "cite_keys.x_key_text__mutmut_21": "codec names are case-insensitive ('ASCII')",
    "cite_keys.x_key_text__mutmut_25": "codec names are case-insensitive ('ASCII')",
    "cite_keys.x_rekey_entry__mutmut_6": "the head pattern is anchored at ^: one match at most",
    "cite_keys.x_rekey_entry__mutmut_12": "the head pattern is anchored at ^: one match at most",
    "cite_keys.x_dedupe_entry_keys__mutmut_10": "re-keying under the same key is the identity",
    "cite_keys.x_dedupe_entry_keys__mutmut_20": "zip's inputs always have the same length",
    "cite_keys.x_dedupe_entry_keys__mutmut_24": "zip's inputs always have the same length",
    "cite_keys.x_dedupe_entry_keys__mutmut_29": "zip's inputs always have the same length",
}
"""Surviving mutmut mutants that do not change behaviour, and why (names as mutmut prints)."""


def run_mutmut(children: int) -> dict[str, dict[str, int]]:
    """Run mutmut; per module, how many mutants were killed, timed out and survived."""
    subprocess.run(["mutmut", "run", "--max-children", str(children)], cwd=ROOT, check=False)
    listing = subprocess.run(
        ["mutmut", "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    counts: dict[str, dict[str, int]] = {name: {} for name in MODULES}
    survivors = []
    for line in listing.splitlines():
        match = re.match(r"\s*papershelf\.core\.(\w+)\.(\S+): (\w+)", line)
        if not match or match[1] not in counts:
            continue
        module, name, status = match.groups()
        counts[module][status] = counts[module].get(status, 0) + 1
        if status == "survived":
            key = f"{module}.{name}"
            survivors.append(f"  {key}: {EQUIVALENT.get(key, 'NOT KNOWN EQUIVALENT')}")
    print("mutmut survivors:", *survivors, sep="\n")
    return counts


def run_patterns() -> dict[str, dict[str, int]]:
    """Apply each pattern mutant in turn; per module, how many the tests killed."""
    counts: dict[str, dict[str, int]] = {name: {} for name in MODULES}
    for mutant in PATTERN_MUTANTS:
        path = CORE / f"{mutant.module}.py"
        original = path.read_text("utf-8")
        if original.count(mutant.old) < 1:
            raise SystemExit(f"pattern mutant {mutant.what!r}: {mutant.old!r} not in {path.name}")
        try:
            path.write_text(original.replace(mutant.old, mutant.new, 1), "utf-8")
            tests = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-q",
                    "-x",
                    "-p",
                    "no:cacheprovider",
                    *MODULES[mutant.module],
                ],
                cwd=ROOT,
                capture_output=True,
                timeout=600,
            )
        finally:
            path.write_text(original, "utf-8")
        status = "killed" if tests.returncode != 0 else "survived"
        counts[mutant.module][status] = counts[mutant.module].get(status, 0) + 1
        reason = EQUIVALENT.get(f"{mutant.module}: {mutant.what}", "")
        print(f"  {status:8} {mutant.module}: {mutant.what}  {reason}".rstrip())
    return counts


def main() -> None:
    # A SIGTERM (a timeout, a closed terminal) must still restore the mutated source file.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped: the source file was restored"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patterns-only", action="store_true", help="skip the mutmut run")
    parser.add_argument("--children", type=int, default=2, help="mutmut's parallel workers")
    args = parser.parse_args()
    totals: dict[str, dict[str, int]] = {name: {} for name in MODULES}
    parts = [run_patterns()] if args.patterns_only else [run_mutmut(args.children), run_patterns()]
    for part in parts:
        for module, counts in part.items():
            for status, count in counts.items():
                totals[module][status] = totals[module].get(status, 0) + count
    print("\nmodule       killed / mutants   score   (timeouts count as killed)")
    for module, counts in totals.items():
        killed = counts.get("killed", 0) + counts.get("timeout", 0)
        total = sum(counts.values())
        score = 100 * killed / total if total else 0.0
        print(f"{module:<12} {killed:>6} / {total:<8} {score:6.1f} %")


if __name__ == "__main__":
    main()
