"""Grading one student: the policy check of their files, one child for all their katas, then
one child per kata for the katas whose results that run could not vouch for.

A kata's status is one of:

- pass: every test collected from the suite for that kata (the expected set, collected once
  per run) ran and passed (or was skipped by the suite itself), the kata's integrity check
  found nothing, and its results are trusted: fixed before any other kata's code ran, or
  from a run that ended through the plugin's own final path;
- fail: every expected test ran, and some failed (wrong answer, wrong exception, not
  implemented) or were skipped by kata code;
- error: the kata file breaks the kata-file policy (tfkata.policy), could not be imported
  (syntax error, import error, `import solutions`, `sys.exit` at import), the tests did not
  all report, reported xfail/xpass (the suite has no xfail marker), the kata tampered with the
  harness, the yardsticks, the test files or the report channel, ended the process early,
  left a process running, ran out of memory or printed more than the output cap;
- timeout: its tests ran longer than the per-kata timeout;
- missing: the student's folder has no NAME.py.

The retry policy (`next_step`), after a run of several katas: a kata checked clean before
another kata started is final; the kata that was running (or last checked) when the run
ended other than through pytest's end is re-run alone, and that run decides; katas that had
not started go on in a new shared child; a kata that timed out is final (its clock covers its
own tests only), so an endless loop costs one timeout, not two. `grade_student` takes the
function that runs a child, so these rules are tested with fake runs (test_grading.py)."""

from __future__ import annotations

import os
import re
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tfkata import outcomes, policy
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
    flags: list[str] = field(default_factory=list)  # policy violations, tamper findings


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
    flags: list[str] = field(default_factory=list)  # "kata: what was found", for instructors


@dataclass
class Expected:
    """The tests of each kata, collected once per run from the suite (not from students)."""

    tests: dict[str, list[str]]
    uncollectable: dict[str, str]  # kata -> why its tests could not be collected


class Context:
    """What every student's grading shares. `expected` may be a Future (the collection runs
    alongside the first students); `expected()` waits for it."""

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

WHY_XFAIL = (
    "reported as expected-to-fail (xfail/xpass): the suite has no xfail marker, so kata code "
    "changed how its tests are counted"
)
WHY_SKIP = "skipped by kata code (only a passing test counts)"


def _test_outcome(entry: dict) -> TestOutcome:
    """One test for the reports: only "passed" (or a skip the suite declares) is a pass."""
    outcome = entry.get("outcome")
    name = str(entry.get("nodeid", "")).split("::", 1)[-1]
    duration = float(entry.get("duration") or 0.0)
    if outcome == "passed":
        return TestOutcome(name, "pass", "", duration)
    status = {"failed": "fail", "skipped": "skip"}.get(outcome, "error")
    doc = entry.get("doc") or ""
    body = str(entry.get("message") or "")
    if outcome == "skipped" and entry.get("cause") == outcomes.SUITE_SKIP:
        body = f"skipped by the suite: {body}"
    elif outcome == "skipped":
        body = f"{WHY_SKIP}: {body}"
    elif outcome in ("xfailed", "xpassed"):
        body = f"{WHY_XFAIL}: {body}"
    return TestOutcome(name, status, clean(f"{doc}\n{body}" if doc else body), duration)


def _accepted(entry: dict) -> bool:
    return entry.get("outcome") == "passed" or (
        entry.get("outcome") == "skipped" and entry.get("cause") == outcomes.SUITE_SKIP
    )


def judge_run(kata: str, run: ChildRun, expected: list[str]) -> KataResult:
    """The status of a kata from a run whose records for it are trusted: its check record, and
    its tests' outcomes checked against the expected tests."""
    check = run.checks.get(kata) or {}
    entries = {n: e for n, e in run.outcomes.items() if e.get("kata", kata) == kata}
    tests = [_test_outcome(entries[n]) for n in expected if n in entries]
    passed = sum(_accepted(entries[n]) for n in expected if n in entries)
    duration = round(sum(t.duration for t in tests), 3)
    result = KataResult(kata, "fail", passed, len(expected), duration, tests=tests)
    violations = [str(v) for v in check.get("violations") or []]
    if violations:
        result.status, result.flags = "error", violations
        result.message = clean("; ".join(violations))
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
    bad = [entries[n] for n in expected if not _accepted(entries[n])]
    if not bad:
        result.status = "pass"
        return result
    xfails = [e for e in bad if e.get("outcome") in ("xfailed", "xpassed")]
    if xfails:
        result.status = "error"
        result.message = clean(f"{len(xfails)} test(s) {WHY_XFAIL}")
        result.flags = [f"{len(xfails)} test(s) reported as xfail/xpass"]
        return result
    loads = [e for e in bad if e.get("reason") in (outcomes.LOAD_ERROR, outcomes.MISSING)]
    if loads:
        result.status = "error"
        result.message = clean(str(loads[0].get("message", "")))
        if loads[0].get("cause") == outcomes.IMPORTS_REFERENCE:
            result.message = clean(
                "imports the reference solutions, which is not allowed: " + result.message
            )
            result.flags = ["imports the reference solutions"]
        return result
    memory = [e for e in bad if e.get("cause") == outcomes.OUT_OF_MEMORY]
    if memory:
        result.status = "error"
        result.message = clean(
            "ran out of memory (the cap is set by --memory-mb): "
            + str(memory[0].get("message", ""))
        )
        return result
    skipped = [e for e in bad if e.get("outcome") == "skipped"]
    first = next(n for n in expected if not _accepted(entries[n])).split("::", 1)[-1]
    if len(skipped) == len(bad):
        result.message = f"{len(skipped)} tests were {WHY_SKIP}"
    else:
        result.message = f"{len(bad)} of {len(tests)} tests fail, first: {first}"
        if skipped:
            result.message += f"; {len(skipped)} of them were {WHY_SKIP}"
    if skipped:
        result.flags = [f"{len(skipped)} test(s) skipped by kata code"]
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
    when = "after its tests reported, " if run.checks else ""
    return (
        f"the test process exited with code {code} {when}before pytest's own end "
        "(a kata must not end the process: sys.exit, os._exit, a crash?)"
    )


def judge_incident(kata: str, run: ChildRun, expected: list[str], limits: Limits) -> KataResult:
    """The status of the kata that was running when a run ended other than through its end."""
    result = KataResult(kata, "error", 0, len(expected))
    if run.timed_out == kata:
        result.status = "timeout"
        result.message = f"its tests ran longer than {limits.timeout:g} s (endless loop? too slow?)"
    elif run.output_overflow is not None:
        result.message = f"printed more than {limits.max_output_mb:g} MB of output"
    elif run.channel_overflow:
        result.message = f"wrote more than {limits.channel_mb:g} MB on the report channel"
        result.flags = ["flooded the report channel"]
    elif run.forged_lines or run.late_records:
        what = (run.forged_lines or run.late_records)[0]
        result.message = clean(
            "the report channel received data that did not come from the grader: " + what, 300
        )
        result.flags = ["forged or replayed report records"]
    elif run.suite_changed:
        result.message = "the test suite's files were modified or deleted: " + ", ".join(
            run.suite_changed[:5]
        )
        result.flags = ["modified the test suite's files"]
    else:
        result.message = _ended_how(run)
        if run.checks.get(kata):
            result.flags = ["ended the test process after its results were reported"]
    result.output = clean(run.output_excerpt(), 400)
    return result


# ------------------------------------------------------------------ the retry policy

JUDGE = "judge"  # the run's records for the kata are trusted: judge them
INCIDENT = "incident"  # the run ended abnormally with this kata on the clock: final
ALONE = "alone"  # re-run the kata in a child of its own; that run decides
NEXT = "next"  # the kata did not start: it goes on in the next shared child
UNCOLLECTED = "uncollected"  # its tests could not be collected in this run


@dataclass
class Verdict:
    """What one run says about one kata: the next step, and the run that decides it."""

    step: str  # JUDGE | INCIDENT | ALONE | NEXT | UNCOLLECTED
    run: ChildRun | None = None
    message: str = ""  # for UNCOLLECTED: why
    isolated: bool = False


def _uncollected(run: ChildRun, kata: str) -> str | None:
    if run.collected is None or kata in run.collected:
        return None
    errors = [e for e in run.collection_errors if e.get("kata") == kata]
    return errors[0].get("message", "") if errors else "no tests collected"


def next_step(kata: str, run: ChildRun, alone: bool) -> Verdict:
    """The retry policy for one kata after `run` (`alone`: the kata was the run's only one)."""
    started = kata in run.started
    only_one = alone or run.started == [kata]  # no other kata's code ran in that process
    if run.timed_out == kata:
        return Verdict(INCIDENT, run, isolated=only_one)
    if not started:
        why = _uncollected(run, kata)
        if why is not None and not run.untrusted:
            return Verdict(UNCOLLECTED, run, why)
        return Verdict(INCIDENT, run, isolated=True) if alone else Verdict(NEXT)
    check = run.checks.get(kata)
    clean_run = not run.untrusted and not run.suite_changed
    if only_one:
        if check is not None and clean_run and (run.ended_properly or check.get("violations")):
            return Verdict(JUDGE, run, isolated=True)
        return Verdict(INCIDENT, run, isolated=True)
    # a shared run: a kata checked clean before another kata started is trusted; the last
    # one started is trusted only if the run ended through its own end
    last = run.started[-1]
    if (
        check is not None
        and clean_run
        and not check.get("violations")
        and (kata != last or run.ended_properly)
    ):
        return Verdict(JUDGE, run)
    return Verdict(ALONE)


# ------------------------------------------------------------------ one student


def student_files(folder: Path, katas: Sequence[str]) -> dict[str, Path]:
    files = {}
    for kata in katas:
        path = folder / f"{kata}.py"
        if path.is_file():
            files[kata] = path
    return files


ChildRunner = Callable[..., ChildRun]


def grade_student(
    name: str, folder: Path, ctx: Context, run_child: ChildRunner = run_child
) -> StudentResult:
    """Grade one student's folder. `run_child` runs one child (sandbox.run_child; tests pass
    a fake one)."""
    started = time.monotonic()
    files = student_files(folder, ctx.katas)
    student = StudentResult(name, str(folder), {})
    verdicts: dict[str, Verdict] = {}
    refused: dict[str, list[policy.Violation]] = {}
    for kata, path in files.items() if ctx.limits.kata_policy else ():
        found = policy.check_file(path, f"{kata}.py", ctx.limits.extra_imports)
        if found:
            refused[kata] = found

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
        peaks = [int(r.get("vm_peak_mb") or 0) for r in run.checks.values()]
        student.vm_peak_mb = max([student.vm_peak_mb, *peaks])
        student.warnings += [w for w in run.warnings if w not in student.warnings]
        return run

    pending = [k for k in ctx.katas if k in files and k not in refused]
    to_isolate: list[str] = []
    while pending:
        batch = pending[:1] if ctx.limits.kata_per_child else list(pending)
        run = child(batch)
        for kata in batch:
            verdict = next_step(kata, run, alone=len(batch) == 1)
            if verdict.step == NEXT:
                continue
            pending.remove(kata)
            if verdict.step == ALONE:
                to_isolate.append(kata)
            else:
                verdicts[kata] = verdict
        if pending and not run.started and not any(k in verdicts for k in batch):
            # nothing started at all: the environment, not the student
            why = run.output_excerpt() or _ended_how(run)
            if run.timed_out == "":
                why = f"the test process did not start within {ctx.limits.startup:g} s"
            for kata in pending:
                verdicts[kata] = Verdict(
                    UNCOLLECTED, run, "grading could not start the tests: " + why
                )
            pending = []
    for kata in to_isolate:
        run = child([kata])
        verdict = next_step(kata, run, alone=True)
        verdict.isolated = True
        verdicts[kata] = verdict

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
        elif kata in refused:
            found = refused[kata]
            result = KataResult(
                kata,
                "error",
                tests_total=len(tests),
                message=clean(policy.summary(found)),
                flags=[f"policy: {v}" for v in found],
            )
        else:
            verdict = verdicts[kata]
            if verdict.step == JUDGE:
                result = judge_run(kata, verdict.run, tests)
            elif verdict.step == INCIDENT:
                result = judge_incident(kata, verdict.run, tests, ctx.limits)
            else:
                result = KataResult(
                    kata,
                    "error",
                    tests_total=len(tests),
                    message=clean(f"its tests could not run: {verdict.message}"),
                )
            result.isolated = verdict.isolated
        student.katas[kata] = result
        student.flags += [f"{kata}: {flag}" for flag in result.flags]
    student.duration = round(time.monotonic() - started, 3)
    return student


def student_name_map(folders: Sequence[Path]) -> list[tuple[str, Path]]:
    """Unique, stable names for student folders (their base names, suffixed on clashes)."""
    out, taken = [], {}
    for folder in folders:
        name = re.sub(r"[^A-Za-z0-9_.@+-]", "_", folder.resolve().name) or "student"
        taken[name] = taken.get(name, 0) + 1
        out.append((name if taken[name] == 1 else f"{name}-{taken[name]}", folder))
    return out


def default_hide(root: Path, folders: Sequence[Path], extra: Sequence[Path]) -> list[Path]:
    """What the namespace fallback must not show (bubblewrap shows an allow-list instead):
    the project (or, when Python itself lives inside it, its solutions, tests, katas and .git),
    every student's folder, and `extra` (report folder...)."""
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
