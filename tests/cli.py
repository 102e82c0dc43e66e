"""Runs `portal` (python -m api) as a separate process with only the settings a test gives."""

from __future__ import annotations

import os
import subprocess
import sys


def portal_env(**settings: str) -> dict[str, str]:
    """This environment minus every PORTAL_* variable, plus the given ones (PORTAL_ + NAME)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env.update({f"PORTAL_{name.upper()}": value for name, value in settings.items()})
    return env


def run_portal(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
