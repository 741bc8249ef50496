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


def pytest_args(
    katas: Sequence[str],
    impl_dir: Path,
    report_path: Path,
    *,
    workers: int | str | None = None,
    failfast: bool = False,
    extra_args: Sequence[str] = (),
) -> list[str]:
    args = [
        *(f"tests/test_{name}.py" for name in katas),
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
        args += ["-n", str(workers)]
    if failfast:
        args.append("--kata-failfast")
    return args + list(extra_args)


def child_env(profile: str | None = None, env: dict[str, str] | None = None) -> dict[str, str]:
    result = dict(os.environ)
    if profile:
        result["HYPOTHESIS_PROFILE"] = profile
    result.update(env or {})
    return result


def _check_tests_exist(root: Path, katas: Sequence[str]) -> None:
    missing = [f"tests/test_{k}.py" for k in katas if not (root / f"tests/test_{k}.py").is_file()]
    if missing:
        raise KataError(f"no tests for {', '.join(missing)}")


def _read_report(report_path: Path, returncode: int, output: str) -> RunReport:
    if not report_path.is_file():
        tail = "\n".join(output.strip().splitlines()[-5:])
        raise KataError(f"pytest exited with {returncode} before reporting:\n{tail}")
    data = json.loads(report_path.read_text(encoding="utf-8"))
    return RunReport(
        exitstatus=data["exitstatus"],
        duration=data["duration"],
        tests=[TestResult(**t) for t in data["tests"]],
        collection_errors=data["collection_errors"],
        output=output,
    )


def _timed_out(katas: Sequence[str], timeout: float | None) -> KataError:
    return KataError(f"the tests of {', '.join(katas)} ran longer than {timeout:.0f} s")


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
    """Run tests/test_NAME.py for each kata against `impl_dir` in a new child interpreter;
    returns the parsed report."""
    _check_tests_exist(root, katas)
    with tempfile.TemporaryDirectory(prefix="tfkata-run-") as tmp:
        report_path = Path(tmp) / "report.json"
        args = pytest_args(
            katas, impl_dir, report_path, workers=workers, failfast=failfast, extra_args=extra_args
        )
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "tfkata.child", *args],
                cwd=root,
                env=child_env(profile, env),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                errors="replace",
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise _timed_out(katas, timeout) from None
        return _read_report(report_path, proc.returncode, proc.stdout)


class PrestartedRunner:
    """Runs kata tests like run_pytest (serially, default options) in a child started ahead: it has
    imported TensorFlow while the learner was editing (see tfkata.child). Each child runs once;
    the next one starts as soon as a run ends. Use as a context manager, or call close()."""

    def __init__(self, root: Path, *, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.env = child_env(None, env)
        self.tmp = tempfile.TemporaryDirectory(prefix="tfkata-watch-")
        self.runs = 0
        self.child: subprocess.Popen | None = None
        self._start()

    def _start(self) -> None:
        self.child = subprocess.Popen(
            [sys.executable, "-m", "tfkata.child", "--prestart"],
            cwd=self.root,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )

    def __call__(self, root: Path, katas: Sequence[str], impl_dir: Path) -> RunReport:
        if root != self.root:
            raise ValueError(f"root: this runner's children start in {self.root}, not {root}")
        _check_tests_exist(root, katas)
        if self.child is None or self.child.poll() is not None:
            self._start()
        child, self.child = self.child, None
        self.runs += 1
        report_path = Path(self.tmp.name) / f"report-{self.runs}.json"
        try:
            args = pytest_args(katas, impl_dir, report_path)
            output, _ = child.communicate(json.dumps(args) + "\n")
        finally:
            self._start()  # the next check's child imports TensorFlow while the learner reads
        return _read_report(report_path, child.returncode, output)

    def close(self) -> None:
        if self.child is not None:  # idle: it has only imported libraries
            self.child.kill()
            self.child.communicate()
        self.child = None
        self.tmp.cleanup()

    def __enter__(self) -> PrestartedRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
