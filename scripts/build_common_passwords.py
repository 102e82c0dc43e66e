"""Rebuild api/data/common-passwords.txt from the password list bundled with zxcvbn.

The source is the ``"passwords"`` frequency list inside the installed zxcvbn package (MIT
licensed), already ranked from most to least common. Every entry is kept, in rank order,
NFKC-normalised and lower-cased like the portal compares them, without duplicates. The output
depends only on the installed zxcvbn version, which the header names, so running this twice
gives the same bytes.

    .venv/bin/python scripts/build_common_passwords.py          # rewrite the file
    .venv/bin/python scripts/build_common_passwords.py --check  # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from importlib.metadata import distribution
from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]

OUTPUT = Path(__file__).resolve().parent.parent / "api" / "data" / "common-passwords.txt"


def build() -> str:
    entries: dict[str, None] = {}  # a dict keeps the first (most common) position of each entry
    for raw in FREQUENCY_LISTS["passwords"]:
        entry = unicodedata.normalize("NFKC", str(raw)).strip().lower()
        # The loader skips "#" lines as comments and cannot hold a line break: refuse, don't drop.
        if entry.startswith("#") or "\n" in entry or "\r" in entry:
            raise ValueError(f"entry {entry!r} cannot be stored one per line")
        if entry:
            entries[entry] = None
    zxcvbn = distribution("zxcvbn")
    header = (
        f'# {len(entries)} common passwords, most common first: the "passwords" frequency list '
        f"bundled with zxcvbn {zxcvbn.version} (https://github.com/dwolfhub/zxcvbn-python), "
        "MIT License, Copyright (c) 2016 Daniel Wolf. "
        "Built by scripts/build_common_passwords.py; do not edit by hand."
    )
    # The MIT License asks for its notice to travel with substantial portions: quote it whole.
    license_text = zxcvbn.read_text("LICENSE.txt")
    if not license_text:
        raise RuntimeError("the installed zxcvbn has no LICENSE.txt to quote")
    notice = [f"# {line}".rstrip() for line in license_text.strip().splitlines()]
    return "\n".join([header, "#", *notice, *entries]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the shipped file differs"
    )
    args = parser.parse_args()
    text = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    # newline="\n": the same bytes on every platform.
    OUTPUT.write_text(text, encoding="utf-8", newline="\n")
    count = sum(1 for line in text.splitlines() if not line.startswith("#"))
    print(f"wrote {count} entries to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
