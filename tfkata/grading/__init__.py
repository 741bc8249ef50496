"""Instructor grading: `kata grade` runs every kata's tests against many students' folders,
each in supervised, resource-limited child processes on private copies, and writes reports
(JSON, CSV, JUnit XML, Gradescope). See tfkata.grading.run.grade for the entry point.

Where a change goes:

- settings.py: the one settings object (`Limits`): every limit and sandbox choice;
- channel.py: the signed record protocol between a sandbox and the grader (kinds, emit, verify);
- sandbox.py: one child run on the grader's side (private copy, supervisor process, reading
  the channel with one handler per record kind) -> a `ChildRun`;
- supervisor.py: the trusted first process of a run (limits, bubblewrap / namespaces);
- sandbox_plugin.py: the pytest plugin inside the test process (outcomes, integrity checks);
- grader.py: a student's katas from their runs (the retry policy, statuses, messages);
- run.py: a whole grading run (students in parallel, reports); reports.py: the report files.

The names below are loaded on first use, so that the supervisor and the sandbox plugin, which
import this package's channel module, do not pay for the grader's imports."""

from __future__ import annotations

__all__ = ["STATUSES", "GradeRun", "KataResult", "Limits", "StudentResult", "TestOutcome", "grade"]


def __getattr__(name: str):
    if name in ("STATUSES", "KataResult", "StudentResult", "TestOutcome"):
        from tfkata.grading import grader

        return getattr(grader, name)
    if name in ("GradeRun", "grade"):
        from tfkata.grading import run

        return getattr(run, name)
    if name == "Limits":
        from tfkata.grading.settings import Limits

        return Limits
    raise AttributeError(f"module 'tfkata.grading' has no attribute {name!r}")
