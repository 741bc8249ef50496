"""Running kata tests in a child pytest process and reading back its JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tfkata.errors import KataError


@dataclass
class TestResult:
    nodeid: str
    kata: str | None
    test: str
    doc: str
    outcome: str  # passed | failed | error | skipped
    reason: str | None
    message: str
    duration: float


@dataclass
class RunReport:
    exitstatus: int
    duration: float
    tests: list[TestResult] = field(default_factory=list)
    collection_errors: list[dict] = field(default_factory=list)
    output: str = ""

    def for_kata(self, name: str) -> list[TestResult]:
        return [t for t in self.tests if t.kata == name]

    @property
    def failures(self) -> list[TestResult]:
        return [t for t in self.tests if t.outcome in ("failed", "error")]


def run_pytest(
    root: Path,
    katas: Sequence[str],
    impl_dir: Path,
    *,
    workers: int | str | None = None,
    profile: str | None = None,
    failfast: bool = False,
    extra_args: Sequence[str] = (),
    timeout: float | None = None,
    env: dict[str, str] | None = None,
) -> RunReport:
    """Run tests/test_NAME.py for each kata against `impl_dir`; returns the parsed report."""
    test_files = [f"tests/test_{name}.py" for name in katas]
    missing = [f for f in test_files if not (root / f).is_file()]
    if missing:
        raise KataError(f"no tests for {', '.join(missing)}")
    with tempfile.TemporaryDirectory(prefix="tfkata-run-") as tmp:
        report_path = Path(tmp) / "report.json"
        cmd = [
            sys.executable,
            "-m",
            "tfkata.child",
            *test_files,
            f"--impl={impl_dir}",
            f"--kata-report={report_path}",
            "-q",
            "--no-header",
            "-p",
            "no:cacheprovider",
            "--tb=no",
            "-o",
            "console_output_style=classic",
        ]
        if workers not in (None, 0, "0"):
            cmd += ["-n", str(workers)]
        if failfast:
            cmd.append("--kata-failfast")
        cmd += list(extra_args)
        child_env = dict(os.environ)
        if profile:
            child_env["HYPOTHESIS_PROFILE"] = profile
        child_env.update(env or {})
        try:
            proc = subprocess.run(
                cmd,
                cwd=root,
                env=child_env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise KataError(
                f"the tests of {', '.join(katas)} ran longer than {timeout:.0f} s"
            ) from None
        if not report_path.is_file():
            tail = "\n".join(proc.stdout.strip().splitlines()[-5:])
            raise KataError(f"pytest exited with {proc.returncode} before reporting:\n{tail}")
        data = json.loads(report_path.read_text(encoding="utf-8"))
    return RunReport(
        exitstatus=data["exitstatus"],
        duration=data["duration"],
        tests=[TestResult(**t) for t in data["tests"]],
        collection_errors=data["collection_errors"],
        output=proc.stdout,
    )
