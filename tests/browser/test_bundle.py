"""The initial JavaScript of the built dashboard stays within the issue's budget (gzip)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from tests.browser.support import ROOT

DIST = ROOT / "frontend" / "dist"
BUDGET_GZIP_BYTES = 150 * 1024
# Static imports only: `import("./x.js")` (a lazy view) is not part of the first load.
STATIC_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*)["']\./([\w.-]+\.js)["']""")
ENTRY = re.compile(
    r"""<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="/assets/([\w.-]+\.js)\""""
)


def initial_chunks(dist: Path) -> set[str]:
    """index.html's script and preloads, and every chunk they import statically."""
    pending = ENTRY.findall((dist / "index.html").read_text())
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        pending.extend(STATIC_IMPORT.findall((dist / "assets" / name).read_text()))
    return seen


def test_initial_javascript_is_within_150_kb_gzip() -> None:
    chunks = initial_chunks(DIST)
    assert any(name.startswith("react-") for name in chunks), chunks
    sizes = {name: len(gzip.compress((DIST / "assets" / name).read_bytes(), 9)) for name in chunks}
    total = sum(sizes.values())
    report = ", ".join(f"{name} {size / 1024:.1f} KB" for name, size in sorted(sizes.items()))
    print(f"initial JS gzip: {total / 1024:.1f} KB ({report})")
    assert total <= BUDGET_GZIP_BYTES, f"initial JS is {total / 1024:.1f} KB gzip: {report}"
    # The views are split off: none of them is in the first load.
    assert not any(name.startswith(("Dashboard-", "Messages-", "Account-")) for name in chunks)
