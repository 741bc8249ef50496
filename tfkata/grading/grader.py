"""Grading students: one child per student for all their katas, then one child per kata for
the katas whose results that run could not vouch for.

A kata's status is one of:

- pass: every test collected from the suite for that kata (the expected set, collected once
  per run) ran and passed, in a run that ended its kata cleanly (integrity check passed);
- fail: every expected test ran, and some failed (wrong answer, wrong exception, not
  implemented);
- error: the kata file could not be imported (syntax error, import error, `import solutions`,
  `sys.exit` at import), the tests did not all report (the process ended, tests vanished), the
  kata tampered with the harness, the test files or the report channel, left a process
  running, ran out of memory or printed more than the output cap;
- timeout: its tests ran longer than the per-kata timeout;
- missing: the student's folder has no NAME.py.

Policy after an incident in the shared child: the kata that was running when the run ended
early (crash, early exit, integrity violation, output cap, forged report) is re-run alone, and
that run decides; katas that had not started yet go on in a new shared child; a kata that
timed out in the shared child is final (its clock covers its own tests only), so an endless
loop costs one timeout, not two."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tfkata.errors import KataError
from tfkata.grading.sandbox import ChildRun, Limits, Suite, run_child

STATUSES = ("pass", "fail", "error", "timeout", "missing")
MESSAGE_CHARS = 600


@dataclass
class TestOutcome:
    __test__ = False  # not a pytest test class

    name: str
    status: str  # pass | fail | error | skip
    message: str = ""
    duration: float = 0.0


@dataclass
class KataResult:
    name: str
    status: str
    tests_passed: int = 0
    tests_total: int = 0
    duration: float = 0.0
    message: str = ""
    output: str = ""
    isolated: bool = False
    tests: list[TestOutcome] = field(default_factory=list)


@dataclass
class StudentResult:
    name: str
    path: str
    katas: dict[str, KataResult]
    duration: float = 0.0
    children: int = 0
    isolation: str = "unknown"
    vm_peak_mb: int = 0  # the largest address space a test process reached
    warnings: list[str] = field(default_factory=list)


@dataclass
class Expected:
    """The tests of each kata, collected once per run from the suite (not from students)."""

    tests: dict[str, list[str]]
    uncollectable: dict[str, str]  # kata -> why its tests could not be collected


class Context:
    """What every student's grading shares. `expected` may be a Future (the collection runs
    alongside the first students); `expected_tests()` waits for it."""

    def __init__(
        self,
        suite: Suite,
        katas: Sequence[str],
        expected,
        limits: Limits,
        base: Path,
        jobs: int,
        hide: Sequence[Path],
    ) -> None:
        self.suite = suite
        self.katas = list(katas)
        self._expected = expected
        self.limits = limits
        self.base = base
        self.jobs = jobs
        self.hide = list(hide)

    def expected(self) -> Expected:
        if not isinstance(self._expected, Expected):
            self._expected = self._expected.result()
        return self._expected


# ------------------------------------------------------------------ normalising messages

_ADDR = re.compile(r"0x[0-9a-fA-F]{6,}")
_SBX = re.compile(r"(/[^\s'\"]*)?/sbx-[A-Za-z0-9_]+/")
_DURATION = re.compile(r"\bin [0-9.]+s\b")


def clean(text: str, limit: int = MESSAGE_CHARS) -> str:
    """Deterministic and short: sandbox paths and memory addresses out, a few hundred chars."""
    text = _SBX.sub("", text or "")
    text = text.replace("impl/", "")
    text = _ADDR.sub("0x…", text)
    text = _DURATION.sub("in …s", text)
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 16].rstrip() + " … (truncated)"
    return text


# ------------------------------------------------------------------ collection


def collect_expected(suite: Suite, katas: Sequence[str], limits: Limits, base: Path) -> Expected:
    """The tests of each kata, from a collection of the suite in a sandbox (no student code).
    Collected afresh every run, never cached on disk: a cache would be a file that a student's
    code, running as the same user, could forge for the next run."""
    return _collect(suite, katas, limits, base)


def _collect(suite: Suite, katas: Sequence[str], limits: Limits, base: Path) -> Expected:
    run = run_child(suite, katas, student_files=None, limits=limits, base=base, mode="collect")
    if run.collected is None:
        raise KataError(
            "could not collect the suite's tests in a sandbox: "
            + (run.output_excerpt() or f"exit code {run.returncode}")
        )
    uncollectable = {}
    for err in run.collection_errors:
        if err.get("kata"):
            uncollectable[err["kata"]] = clean(err.get("message", ""))
    for kata in katas:
        if not run.collected.get(kata) and kata not in uncollectable:
            uncollectable[kata] = "no tests collected"
    tests = {k: v for k, v in run.collected.items() if k in katas and k not in uncollectable}
    return Expected(tests=tests, uncollectable=uncollectable)


# ------------------------------------------------------------------ one kata from a run


def _test_outcome(entry: dict) -> TestOutcome:
    outcome = entry.get("outcome")
    name = str(entry.get("nodeid", "")).split("::", 1)[-1]
    status = {"passed": "pass", "xfailed": "pass", "failed": "fail", "skipped": "skip"}.get(
        outcome, "error"
    )
    message = ""
    if status != "pass":
        doc = entry.get("doc") or ""
        body = entry.get("message") or ""
        message = clean(f"{doc}\n{body}" if doc else body)
    return TestOutcome(name, status, message, float(entry.get("duration") or 0.0))


def judge_record(kata: str, record: dict, expected: list[str]) -> KataResult:
    """The status of a kata from its sealed record, checked against the expected tests."""
    entries = {str(t.get("nodeid")): t for t in record.get("tests", []) if isinstance(t, dict)}
    tests = [_test_outcome(entries[n]) for n in expected if n in entries]
    passed = sum(t.status == "pass" for t in tests)
    duration = round(sum(t.duration for t in tests), 3)
    result = KataResult(kata, "fail", passed, len(expected), duration, tests=tests)
    violations = record.get("violations") or []
    if violations:
        result.status = "error"
        result.message = clean("; ".join(str(v) for v in violations))
        return result
    if set(entries) != set(expected):
        missing = len(set(expected) - set(entries))
        extra = len(set(entries) - set(expected))
        result.status = "error"
        result.message = (
            f"{len(entries) - extra} of {len(expected)} tests reported"
            + (f", {extra} unknown" if extra else "")
            + (f" ({missing} never ran)" if missing else "")
        )
        return result
    reasons = {
        entries[n].get("reason")
        for n in expected
        if entries[n].get("outcome") not in ("passed", "xfailed")
    }
    first_bad = next((t for t in tests if t.status != "pass"), None)
    if first_bad is None:
        result.status = "pass"
        return result
    if reasons & {"load_error", "missing"}:
        result.status = "error"
        load = next(
            entries[n] for n in expected if entries[n].get("reason") in ("load_error", "missing")
        )
        result.message = clean(str(load.get("message", "")).removeprefix("(setup) "))
        if "refused" in result.message and "solutions" in result.message:
            result.message = clean(
                "imports the reference solutions, which is not allowed: " + result.message
            )
        return result
    memory = [t for t in tests if "MemoryError" in t.message or "OOM" in t.message]
    if memory:
        result.status = "error"
        result.message = clean(
            f"ran out of memory (the cap is set by --memory-mb): {memory[0].message}"
        )
        return result
    if all(t.status in ("pass", "skip") for t in tests):
        result.message = f"{sum(t.status == 'skip' for t in tests)} tests were skipped"
    else:
        bad = [t for t in tests if t.status != "pass"]
        result.message = f"{len(bad)} of {len(tests)} tests fail, first: {bad[0].name}"
    return result


def _ended_how(run: ChildRun) -> str:
    exit_info = run.exit or {}
    code = exit_info.get("returncode", run.returncode)
    if code is None:
        return "the test process ended without reporting"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = " (out of memory?)" if name in ("SIGKILL", "SIGSEGV", "SIGABRT", "SIGBUS") else ""
        hint = " (a file grew past the size cap)" if name == "SIGXFSZ" else hint
        return f"the test process was killed by {name}{hint}"
    return (
        f"the test process exited with code {code} before its tests were done "
        "(a kata must not end the process: sys.exit, os._exit, a crash?)"
    )


def judge_incident(kata: str, run: ChildRun, expected: list[str], limits: Limits) -> KataResult:
    """The status of the kata that was running when a run ended early."""
    result = KataResult(kata, "error", 0, len(expected))
    if run.timed_out == kata:
        result.status = "timeout"
        result.message = f"its tests ran longer than {limits.timeout:g} s (endless loop? too slow?)"
    elif run.overflow is not None:
        result.message = f"printed more than {limits.max_output_mb:g} MB of output"
    elif run.forged:
        result.message = (
            "the report channel received data that did not come from the grader: "
            + clean(run.forged[0], 200)
        )
    elif run.suite_changed:
        result.message = "the test suite's files were modified or deleted: " + ", ".join(
            run.suite_changed[:5]
        )
    else:
        result.message = _ended_how(run)
    result.output = clean(run.output_excerpt(), 400)
    return result


# ------------------------------------------------------------------ one student


def student_files(folder: Path, katas: Sequence[str]) -> dict[str, Path]:
    files = {}
    for kata in katas:
        path = folder / f"{kata}.py"
        if path.is_file():
            files[kata] = path
    return files


def grade_student(name: str, folder: Path, ctx: Context) -> StudentResult:
    started = time.monotonic()
    files = student_files(folder, ctx.katas)
    student = StudentResult(name, str(folder), {})
    # what happened to each kata: ("record", rec) | ("incident", run) | ("uncollected", msg)
    seen: dict[str, tuple[str, object]] = {}
    isolated: set[str] = set()

    def child(katas: list[str]) -> ChildRun:
        student.children += 1
        run = run_child(
            ctx.suite,
            katas,
            student_files={k: files[k] for k in katas},
            limits=ctx.limits,
            base=ctx.base,
            jobs=ctx.jobs,
            hide=ctx.hide,
        )
        student.isolation = run.isolation
        peaks = [int(r.get("vm_peak_mb") or 0) for r in run.sealed.values()]
        student.vm_peak_mb = max([student.vm_peak_mb, *peaks])
        student.warnings += [w for w in run.warnings if w not in student.warnings]
        return run

    def uncollected(run: ChildRun, kata: str) -> str | None:
        if run.collected is None or kata in run.collected:
            return None
        errors = [e for e in run.collection_errors if e.get("kata") == kata]
        return errors[0].get("message", "") if errors else "no tests collected"

    pending = [k for k in ctx.katas if k in files]
    alone: list[str] = []
    while pending:
        run = child(pending)
        anomaly = bool(run.forged or run.suite_changed)
        only = run.started[0] if len(run.started) == 1 else None
        for kata in list(pending):
            record = run.sealed.get(kata)
            if record is not None and not anomaly and not record.get("violations"):
                seen[kata] = ("record", record)
            elif kata == run.timed_out:
                seen[kata] = ("incident", run)
            elif kata == only:
                # no other kata's code ran in that process: the incident is this kata's own
                clean_record = record is not None and not anomaly
                seen[kata] = ("record", record) if clean_record else ("incident", run)
                isolated.add(kata)
            elif kata in run.started or anomaly:
                alone.append(kata)
            elif uncollected(run, kata) is not None:
                seen[kata] = ("uncollected", uncollected(run, kata))
            else:
                continue  # not started: next shared child
            pending.remove(kata)
        if pending and not run.started:
            # nothing started at all: the environment, not the student
            why = run.output_excerpt() or _ended_how(run)
            if run.timed_out == "":
                why = f"the test process did not start within {ctx.limits.startup:g} s"
            for kata in pending:
                seen[kata] = ("uncollected", "grading could not start the tests: " + why)
            pending = []
    for kata in alone:
        isolated.add(kata)
        run = child([kata])
        record = run.sealed.get(kata)
        if record is not None and run.suite_changed:
            changed = ", ".join(run.suite_changed[:5])
            record = {
                **record,
                "violations": [
                    *record.get("violations", []),
                    f"the test suite's files were modified or deleted: {changed}",
                ],
            }
        if record is not None and not run.forged:
            seen[kata] = ("record", record)
        elif (
            kata not in run.started
            and run.timed_out != kata
            and not run.forged
            and uncollected(run, kata)
        ):
            seen[kata] = ("uncollected", uncollected(run, kata))
        else:
            seen[kata] = ("incident", run)

    expected = ctx.expected()
    for kata in ctx.katas:
        tests = expected.tests.get(kata, [])
        if kata in expected.uncollectable:
            result = KataResult(
                kata,
                "error",
                message=clean(
                    "the suite's tests for this kata could not be collected: "
                    + expected.uncollectable[kata]
                ),
            )
        elif kata not in files:
            result = KataResult(
                kata, "missing", tests_total=len(tests), message=f"{kata}.py not found"
            )
        else:
            how, what = seen[kata]
            if how == "record":
                result = judge_record(kata, what, tests)
            elif how == "incident":
                result = judge_incident(kata, what, tests, ctx.limits)
            else:
                result = KataResult(
                    kata,
                    "error",
                    tests_total=len(tests),
                    message=clean(f"its tests could not run: {what}"),
                )
            result.isolated = kata in isolated
        student.katas[kata] = result
    student.duration = round(time.monotonic() - started, 3)
    return student


def student_name_map(folders: Sequence[Path]) -> list[tuple[str, Path]]:
    """Unique, stable names for student folders (their base names, suffixed on clashes)."""
    out, seen = [], {}
    for folder in folders:
        name = re.sub(r"[^A-Za-z0-9_.@+-]", "_", folder.resolve().name) or "student"
        seen[name] = seen.get(name, 0) + 1
        out.append((name if seen[name] == 1 else f"{name}-{seen[name]}", folder))
    return out


def default_hide(root: Path, folders: Sequence[Path], extra: Sequence[Path]) -> list[Path]:
    """What a sandbox must not see: the project (or, when Python itself lives inside it, its
    solutions, tests, katas and .git), every student's folder, and `extra` (report folder...)."""
    import sys
    import sysconfig

    python_paths = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    python_paths |= {Path(p).resolve() for p in sysconfig.get_paths().values() if p}
    python_paths.add(Path(os.path.realpath(sys.executable)).parent)

    def holds_python(path: Path) -> bool:
        return any(p == path or path in p.parents for p in python_paths)

    hide: list[Path] = []
    for path in [root, *folders, *extra]:
        path = path.resolve()
        if holds_python(path):
            if path == root.resolve():
                hide += [
                    path / d for d in ("solutions", "tests", "katas", ".git") if (path / d).is_dir()
                ]
            continue
        hide.append(path)
    # nested paths: keep the outermost
    hide = sorted(set(hide), key=lambda p: len(p.parts))
    return [p for i, p in enumerate(hide) if not any(q in p.parents for q in hide[:i])]
