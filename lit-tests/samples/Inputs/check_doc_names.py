#!/usr/bin/env python3
"""Checks that every check name and runtime option in the code is documented.

Usage: check_doc_names.py SRCROOT [--options]

Without --options: check names. With --options: every runtime flag in
runtime-hooks/lg_flags.inc (LOCKGRAPH_FLAG(type, name, ...)) must appear in
docs/runtime.md as `name`.

A check name is collected where the code defines or emits one:
  - the table of core/lib/Checks.cpp (knownChecks(), which SARIF rule
    metadata and `--list-checks` also read),
  - constants such as `constexpr const char *LockOrderCheck = "lockgraph-..."`,
  - assignments such as `F.Check = "lockgraph-..."` or `.Check = "..."`,
in the C and C++ sources of core/, analyzer/, runtime-hooks/ and tools/.
Fails, naming the file of each culprit, unless every name has a section
heading in docs/checks.md.
"""
import pathlib
import re
import sys

SOURCE_DIRS = ["core", "analyzer", "runtime-hooks", "tools"]
SUFFIXES = {".c", ".cc", ".cpp", ".h", ".hpp", ".inc", ".def"}
NAME = r'"(lockgraph-[a-z][a-z0-9-]*[a-z0-9])"'
DEFINITIONS = [
    re.compile(r"\w*Check\s*=\s*" + NAME),             # XCheck = "...", .Check = "..."
    re.compile(r"\{\s*" + NAME + r"\s*,\s*\n?\s*\""),  # {"name", "description", ...
]
HEADING = re.compile(r"^#+\s.*?(lockgraph-[a-z][a-z0-9-]*[a-z0-9])", re.M)


FLAG = re.compile(r"^LOCKGRAPH_FLAG\(\s*[^,]+,\s*(\w+)\s*,", re.M)


def check_options(root):
    flags_inc = root / "runtime-hooks" / "lg_flags.inc"
    flags = FLAG.findall(flags_inc.read_text()) if flags_inc.exists() else []
    docs_path = root / "docs" / "runtime.md"
    docs = docs_path.read_text() if docs_path.exists() else ""
    missing = [f for f in flags if f"`{f}`" not in docs]
    for name in missing:
        print(f"runtime-hooks/lg_flags.inc: option '{name}' is not in docs/runtime.md")
    print(f"{len(flags)} runtime options in the code, {len(flags) - len(missing)} "
          f"documented, {len(missing)} missing")
    return 1 if missing else 0


def main(argv):
    root = pathlib.Path(argv[1])
    if "--options" in argv[2:]:
        return check_options(root)
    defined = {}
    for d in SOURCE_DIRS:
        for path in sorted((root / d).rglob("*")):
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            text = path.read_text(errors="replace")
            for pattern in DEFINITIONS:
                for name in pattern.findall(text):
                    defined.setdefault(name, path.relative_to(root))
    docs_path = root / "docs" / "checks.md"
    docs = docs_path.read_text() if docs_path.exists() else ""
    documented = set(HEADING.findall(docs))
    missing = sorted(set(defined) - documented)
    for name in missing:
        print(f"{defined[name]}: check '{name}' has no section in docs/checks.md")
    print(f"{len(defined)} check names in the code, {len(documented)} documented, "
          f"{len(missing)} missing")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
