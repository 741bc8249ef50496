"""`kata grade`: the instructor's command (plugged into tfkata.cli by add_grade_parser)."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from tfkata.errors import KataError
from tfkata.grading.reports import FORMATS
from tfkata.grading.sandbox import Limits

DEFAULT_FORMATS = ("json", "csv", "junit")


def add_grade_parser(sub) -> argparse.ArgumentParser:
    defaults = Limits()
    p = sub.add_parser(
        "grade",
        help="instructors: grade students' folders of kata files (sandboxed), with reports",
        description="Grade one folder of NAME.py kata files per student. Every student's katas "
        "run in supervised child processes on private copies, with a per-kata timeout, a memory "
        "cap and an output cap; the reference solutions are not reachable from student code. "
        "Reports (JSON, CSV, JUnit XML, Gradescope) are written as each student finishes.",
    )
    p.add_argument(
        "students", nargs="*", type=Path, metavar="STUDENT_DIR", help="a student's folder"
    )
    p.add_argument(
        "--class",
        dest="class_root",
        type=Path,
        metavar="ROOT",
        help="every sub-folder of ROOT is one student",
    )
    p.add_argument("-j", "--jobs", type=int, default=1, help="students graded at once (default 1)")
    p.add_argument("--kata", action="append", metavar="NAME", help="only this kata (repeatable)")
    p.add_argument(
        "-o",
        "--out",
        type=Path,
        default=None,
        help="report folder (default: grading-YYYYmmdd-HHMMSS/)",
    )
    p.add_argument(
        "--format",
        action="append",
        choices=FORMATS,
        metavar="FMT",
        help=f"report formats, repeatable: {', '.join(FORMATS)} (default: json, csv, "
        "junit; report.json is always written)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=float(os.environ.get("TFKATA_GRADE_TIMEOUT", defaults.timeout)),
        help=f"seconds per kata (default {defaults.timeout:g}, or $TFKATA_GRADE_TIMEOUT)",
    )
    p.add_argument(
        "--memory-mb",
        type=int,
        default=defaults.memory_mb,
        help=f"address-space cap of each test process, MB (default {defaults.memory_mb}; 0: none)",
    )
    p.add_argument(
        "--max-output-mb",
        type=float,
        default=defaults.max_output_mb,
        help=f"what a run may print before it is stopped, MB (default {defaults.max_output_mb:g})",
    )
    p.add_argument(
        "--no-namespaces",
        action="store_true",
        help="do not use Linux namespaces (process groups and limits only)",
    )
    p.set_defaults(func=cmd_grade, needs_workspace=False)
    return p


def _folders(args: argparse.Namespace) -> list[Path]:
    folders = list(args.students)
    if args.class_root is not None:
        if not args.class_root.is_dir():
            raise KataError(f"--class: no folder {args.class_root}")
        folders += sorted(
            p for p in args.class_root.iterdir() if p.is_dir() and not p.name.startswith(".")
        )
    if not folders:
        raise KataError("name student folders (kata grade DIR ...) or a class (--class ROOT)")
    for folder in folders:
        if not folder.is_dir():
            raise KataError(f"no student folder {folder}")
    return folders


def cmd_grade(args: argparse.Namespace) -> int:
    from tfkata.grading.run import ProgressBar, grade
    from tfkata.manifest import load_manifest

    if args.jobs < 1:
        raise KataError("-j must be at least 1")
    if args.timeout <= 0:
        raise KataError("--timeout must be positive")
    folders = _folders(args)
    manifest = load_manifest()
    out = args.out or Path(f"grading-{time.strftime('%Y%m%d-%H%M%S')}")
    limits = Limits(
        timeout=args.timeout,
        startup=max(180.0, args.timeout),
        memory_mb=args.memory_mb,
        max_output_mb=args.max_output_mb,
        namespaces=not args.no_namespaces,
    )
    formats = tuple(args.format) if args.format else DEFAULT_FORMATS
    bar = ProgressBar(len(folders))
    run = grade(
        manifest,
        folders,
        out=out,
        katas=args.kata,
        jobs=args.jobs,
        limits=limits,
        formats=formats,
        on_student=bar.update,
    )
    print(summary(run))
    return 0


def summary(run) -> str:
    """One line per student: katas passed, score, and which katas did not pass and why."""
    from tfkata.grading.reports import score_of

    weights = {k: w for k, w in getattr(run, "weights", {}).items()}
    width = max([len(s.name) for s in run.students] + [7])
    lines = [f"{'student':<{width}}  passed   score   not passed"]
    for s in run.students:
        score, total = score_of(s, weights)
        passed = sum(r.status == "pass" for r in s.katas.values())
        by_status: dict[str, list[str]] = {}
        for kata, result in s.katas.items():
            if result.status != "pass":
                by_status.setdefault(result.status, []).append(kata)
        parts = []
        for status in ("fail", "error", "timeout", "missing"):
            katas = by_status.get(status, [])
            if katas:
                shown = ", ".join(katas) if len(katas) <= 4 else f"{len(katas)} katas"
                parts.append(f"{status}: {shown}")
        lines.append(
            f"{s.name:<{width}}  {passed:>2}/{len(s.katas):<3}  {score:>3g}/{total:<3g}  "
            + ("; ".join(parts) or "-")
        )
    lines.append("")
    minutes = run.duration / 60
    lines.append(
        f"{len(run.students)} students, {len(run.katas)} katas in {run.duration:.1f} s "
        f"({len(run.students) / minutes:.1f} students/min); isolation: {run.isolation}"
    )
    for kata, why in run.skipped_katas.items():
        lines.append(f"not graded: {kata} ({why})")
    for warning in run.warnings:
        lines.append(f"warning: {warning}")
    lines.append(f"reports in {run.out}/ (report.json, class.csv, students/, junit/)")
    return "\n".join(lines)
