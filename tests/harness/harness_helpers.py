"""Helpers shared by the harness tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_kata(
    *args: str, cwd: Path, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """`kata ARGS` in a fresh interpreter, as a learner would type it."""
    env = dict(os.environ, TFKATA_ROOT=str(cwd), NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "tfkata.cli", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
