"""schema.graphql is the product clients are typed from: it must match the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from api.app import build_schema
from api.cli import SCHEMA_PATH
from tests.conftest import make_settings


def test_schema_graphql_is_current() -> None:
    expected = build_schema(make_settings()).as_str() + "\n"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == expected, (
        "schema.graphql is stale: run `portal export-schema` and commit it"
    )


def test_production_schema_text_is_the_same() -> None:
    development = build_schema(make_settings()).as_str()
    production = build_schema(make_settings(env="production", database_url="postgres://x@h/d"))
    assert production.as_str() == development


def test_export_schema_check_fails_on_a_stale_file(tmp_path: Path) -> None:
    output = tmp_path / "schema.graphql"
    output.write_text("type Query { stale: String }\n")
    stale = subprocess.run(
        [sys.executable, "-m", "api", "export-schema", "--check", "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert stale.returncode == 2
    assert "stale" in stale.stderr
    written = subprocess.run(
        [sys.executable, "-m", "api", "export-schema", "--output", str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert written.returncode == 0
    assert output.read_text() == SCHEMA_PATH.read_text()
