"""Size of the JavaScript the browser must load before the first paint (gzip), from the build."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

DIST = Path(__file__).resolve().parent.parent / "frontend" / "dist"


def run() -> dict[str, Any]:
    index = DIST / "index.html"
    if not index.exists():
        return {"error": "frontend/dist is missing: run `make bench` (it builds the bundle)"}
    html = index.read_text(encoding="utf-8")
    initial = set(re.findall(r'(?:src|href)="/?(assets/[^"]+\.js)"', html))
    everything = {str(path.relative_to(DIST)) for path in DIST.glob("assets/*.js")}

    def gzipped(names: set[str]) -> int:
        return sum(len(gzip.compress((DIST / name).read_bytes(), 9)) for name in names)

    return {
        "initial_js_files": sorted(initial),
        "initial_js_gzip_bytes": gzipped(initial),
        "all_js_gzip_bytes": gzipped(everything),
    }
