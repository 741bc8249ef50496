"""A grading run: collect the expected tests once, grade students in parallel, write reports."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from tfkata.errors import KataError
from tfkata.grading.grader import (
    Context,
    StudentResult,
    collect_expected,
    default_hide,
    grade_student,
    student_name_map,
)
from tfkata.grading.reports import ReportWriter
from tfkata.grading.sandbox import CANCELLED, Suite, cancel_all
from tfkata.grading.settings import Limits
from tfkata.manifest import Manifest


@dataclass
class GradeRun:
    out: Path
    katas: list[str]
    students: list[StudentResult] = field(default_factory=list)
    skipped_katas: dict[str, str] = field(default_factory=dict)  # kata -> why not graded
    isolation: str = "unknown"
    duration: float = 0.0
    collect_duration: float = 0.0
    warnings: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)


def select_katas(
    manifest: Manifest, suite: Suite, names: Sequence[str] | None
) -> tuple[list[str], dict[str, str]]:
    """The katas to grade, in manifest order: those named (all by default) that have tests."""
    wanted = [manifest.get(n).name for n in names] if names else manifest.names()
    chosen = [k for k in manifest.names() if k in wanted]
    skipped = {k: "no tests/test_NAME.py yet" for k in chosen if not suite.has_tests(k)}
    return [k for k in chosen if k not in skipped], skipped


def grade(
    manifest: Manifest,
    folders: Sequence[Path],
    *,
    out: Path,
    katas: Sequence[str] | None = None,
    jobs: int = 1,
    limits: Limits | None = None,
    formats: Sequence[str] = ("json", "csv", "junit"),
    on_student: Callable[[StudentResult, int, int], None] | None = None,
    collect_first: bool = False,
) -> GradeRun:
    """Grade each folder (one student each) and write the reports into `out`."""
    limits = limits or Limits()
    folders = [Path(f) for f in folders]
    for folder in folders:
        if not folder.is_dir():
            raise KataError(f"no student folder {folder}")
    if not folders:
        raise KataError("no student folders to grade")
    started = time.monotonic()
    CANCELLED.clear()
    suite = Suite(manifest.root)
    names, skipped = select_katas(manifest, suite, katas)
    if not names:
        raise KataError("no kata to grade (none selected has tests yet)")
    out = out.resolve()
    base = Path(tempfile.mkdtemp(prefix="tfkata-grade-"))
    run = GradeRun(out=out, katas=names, skipped_katas=skipped)
    collector = ThreadPoolExecutor(max_workers=1)
    try:
        t0 = time.monotonic()

        def collect():
            try:
                return collect_expected(suite, names, limits, base)
            finally:
                run.collect_duration = round(time.monotonic() - t0, 3)

        # the expected tests are collected alongside the first students (judging waits for them)
        expected = collector.submit(collect)
        if collect_first:  # memory-budget mode: never two test processes at once
            expected.result()
        named = student_name_map(folders)
        hide = default_hide(manifest.root, [f for _, f in named], [out, base])
        ctx = Context(suite, names, expected, limits, base, max(1, jobs), hide)
        weights = {k.name: k.weight for k in manifest.katas}
        run.weights = {k: weights.get(k, 1.0) for k in names}
        titles = {k.name: k.title for k in manifest.katas}
        header = {
            "settings": {
                "jobs": max(1, jobs),
                "timeout": limits.timeout,
                "memory_mb": limits.memory_mb,
                "max_output_mb": limits.max_output_mb,
                "max_file_mb": limits.max_file_mb,
                "sandboxes_tried": list(limits.isolations),
                "kata_policy": limits.kata_policy,
                "extra_imports": list(limits.extra_imports),
            },
            "skipped_katas": skipped,
        }
        writer = ReportWriter(
            out, set(formats) | {"json"}, names, weights, titles, header, single=len(named) == 1
        )
        pool = ThreadPoolExecutor(max_workers=max(1, jobs))
        try:
            futures = {
                pool.submit(grade_student, name, folder, ctx): name for name, folder in named
            }
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    student = future.result()
                    writer.add(student)
                    run.students.append(student)
                    if on_student:
                        on_student(student, len(run.students), len(named))
        except BaseException:
            # Ctrl-C or a failure of the grader: finished students are on disk; stop the rest
            cancel_all()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        run.students.sort(key=lambda s: s.name)
        modes = {s.isolation for s in run.students if s.children} or {"none (no test ran)"}
        run.isolation = modes.pop() if len(modes) == 1 else "mixed: " + ", ".join(sorted(modes))
        changed = suite.changed_in_project()
        if changed:
            run.warnings.append(
                "the project's tests or harness changed during grading (this run used the copy "
                "taken at its start): " + ", ".join(changed[:5])
            )
        run.duration = round(time.monotonic() - started, 3)
        writer.finish(
            {
                "expected_tests": {k: len(v) for k, v in ctx.expected().tests.items()},
                "ungradable_katas": ctx.expected().uncollectable,
                "isolation": run.isolation,
                "duration": run.duration,
                "collect_duration": run.collect_duration,
                "warnings": run.warnings,
            }
        )
    finally:
        collector.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(base, ignore_errors=True)
    return run


class ProgressBar:
    """Students done over total, on stderr (one line per student when not a terminal)."""

    def __init__(self, total: int, stream=None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.tty = self.stream.isatty()
        if self.tty:
            self._draw(0, "")

    def _line(self, done: int, last: str) -> str:
        width = 30
        filled = round(width * done / self.total) if self.total else width
        elapsed = time.monotonic() - self.started
        bar = "#" * filled + "-" * (width - filled)
        return f"[{bar}] {done}/{self.total} students  {elapsed:4.0f} s  {last}"

    def _draw(self, done: int, last: str) -> None:
        self.stream.write("\r" + self._line(done, last)[:110].ljust(110))
        self.stream.flush()

    def update(self, student: StudentResult, done: int, total: int) -> None:
        passed = sum(r.status == "pass" for r in student.katas.values())
        last = (
            f"{student.name}: {passed}/{len(student.katas)} katas pass ({student.duration:.0f} s)"
        )
        if self.tty:
            self._draw(done, last)
            if done == total:
                self.stream.write("\n")
        else:
            self.stream.write(self._line(done, last) + "\n")
        self.stream.flush()
