#!/usr/bin/env python3
"""Hand-written production functions longer than 60 lines.

Each may be longer only with a one-line comment saying why, directly above its `fn` line (after
its docs and attributes), starting `// Long:`. Prints every such exception with its reason, and
every long function without one; exits 1 if there is any of those.

Reads the Rust files of codegen/src, clerk-sdk/src (not src/generated/, which the generator
writes), clerk-sdk/runtime/src and xtask/src; test code (a `#[cfg(test)]` module, a `tests.rs` file) does not count.
A function's length runs from its `fn` line to its closing brace.
"""

import pathlib
import re
import sys

LIMIT = 60
ROOTS = ["codegen/src", "clerk-sdk/src", "clerk-sdk/runtime/src", "xtask/src"]
FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def strip_strings(line: str) -> str:
    """The line without string and char literals or a trailing comment, for counting braces."""
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])'", "''", line)
    return line.split("//", 1)[0]


def functions(path: pathlib.Path):
    """(name, first line, length, reason) for each function outside test code."""
    lines = path.read_text().splitlines()
    skip_until = -1
    for index, line in enumerate(lines):
        if index <= skip_until:
            continue
        if line.strip() == "#[cfg(test)]" and index + 1 < len(lines) and "mod " in lines[index + 1]:
            end = block_end(lines, index + 1)
            skip_until = len(lines) if end is None else end
            continue
        match = FN.match(line)
        if not match:
            continue
        end = block_end(lines, index)
        if end is None:
            continue
        length = end - index + 1
        reason = None
        above = index - 1
        while above >= 0 and (lines[above].strip().startswith(("///", "#[")) or lines[above].strip() == ""):
            above -= 1
        if above >= 0 and lines[above].strip().startswith("// Long:"):
            reason = lines[above].strip()[len("// Long:"):].strip()
        yield match.group(6), index + 1, length, reason


def block_end(lines, start):
    """The index of the line that closes the first `{` at or after `start`; None for a
    declaration without a body."""
    depth = 0
    opened = False
    for index in range(start, len(lines)):
        text = strip_strings(lines[index])
        if not opened and ";" in text and "{" not in text:
            return None
        for char in text:
            if char == "{":
                depth += 1
                opened = True
            elif char == "}":
                depth -= 1
                if opened and depth == 0:
                    return index
    return None


def main() -> int:
    exceptions, offenders = [], []
    for root in ROOTS:
        for path in sorted(pathlib.Path(root).rglob("*.rs")):
            if "generated" in path.parts or path.name == "tests.rs":
                continue
            for name, line, length, reason in functions(path):
                if length <= LIMIT:
                    continue
                place = f"{length:4} {path}:{line} {name}"
                (exceptions if reason else offenders).append((place, reason))
    print(f"functions over {LIMIT} lines, each with its reason:")
    for place, reason in exceptions:
        print(f"  {place}: {reason}")
    if not exceptions:
        print("  none")
    if offenders:
        print(f"\nfunctions over {LIMIT} lines without a `// Long:` reason:")
        for place, _ in offenders:
            print(f"  {place}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
