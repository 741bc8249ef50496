"""`kata grade` and `kata autograder`: the instructor's commands (plugged into tfkata.cli by
add_grade_parser). `kata grade merge OUT1 OUT2 ... -o OUT` joins shard reports."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from tfkata.errors import KataError
from tfkata.grading.reports import FORMATS
from tfkata.grading.settings import Limits

DEFAULT_FORMATS = ("json", "csv", "junit")


def add_grade_parser(sub) -> argparse.ArgumentParser:
    defaults = Limits()
    p = sub.add_parser(
        "grade",
        help="instructors: grade students' folders of kata files (sandboxed), with reports",
        description="Grade one folder of NAME.py kata files per student. Every student's katas "
        "run in supervised child processes on private copies, with a per-kata timeout, a memory "
        "cap and an output cap; the reference solutions are not reachable from student code. "
        "Reports (JSON, CSV, JUnit XML, Gradescope, exercism) are written as each student "
        "finishes. `kata grade merge OUT1 OUT2 ... -o OUT` joins the reports of --shard runs.",
    )
    p.add_argument(
        "students",
        nargs="*",
        metavar="STUDENT_DIR",
        help="a student's folder (one named merge: write ./merge)",
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
        help="do not use bubblewrap or Linux namespaces (process groups and limits only)",
    )
    p.add_argument(
        "--allow-import",
        action="append",
        default=[],
        metavar="MODULE",
        help="let kata files import MODULE too (repeatable; docs/katas.md, Kata-file policy)",
    )
    p.add_argument(
        "--shard",
        metavar="K/N",
        help="grade only shard K of N (by student name; the same split everywhere), or `auto` "
        "(from JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID or $TFKATA_SHARD); join the shards' "
        "reports with `kata grade merge`",
    )
    p.add_argument(
        "--memory-budget-mb",
        type=int,
        default=0,
        metavar="MB",
        help="memory-budget mode: one test process at a time (-j 1, the suite collected before "
        "the first student, a fresh process per kata), and the peak resident memory of all the "
        'grading processes measured into report.json ("memory"); warns past MB (0: off)',
    )
    p.set_defaults(func=cmd_grade, needs_workspace=False)
    from tfkata.grading.autograder import add_autograder_parser

    add_autograder_parser(sub)
    return p


def _folders(args: argparse.Namespace) -> list[Path]:
    folders = [Path(s) for s in args.students]
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


def cmd_merge(args: argparse.Namespace) -> int:
    from tfkata.grading.shards import merge

    if args.out is None:
        raise KataError("merge: say where the merged report goes (-o OUT)")
    shards = [Path(s) for s in args.students[1:]]
    if args.class_root is not None:
        raise KataError("merge: --class is for grading; name the shards' report folders")
    data = merge(shards, args.out, tuple(args.format) if args.format else None)
    passed = sum(s["passed"] == s["katas_total"] for s in data["students"])
    print(
        f"merged {len(shards)} shards: {len(data['students'])} students, "
        f"{passed} with every kata passing; reports in {args.out}/"
    )
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    from tfkata.grading.run import ProgressBar, grade
    from tfkata.manifest import load_manifest

    if args.students and args.students[0] == "merge":  # as typed: ./merge is a folder
        return cmd_merge(args)
    if args.jobs < 1:
        raise KataError("-j must be at least 1")
    if args.timeout <= 0:
        raise KataError("--timeout must be positive")
    if args.memory_budget_mb < 0:
        raise KataError("--memory-budget-mb must be positive (0: off)")
    budget = args.memory_budget_mb > 0
    if budget and args.jobs > 1:
        raise KataError("--memory-budget-mb runs one test process at a time: drop -j")
    folders = _folders(args)
    formats = tuple(args.format) if args.format else DEFAULT_FORMATS
    shard_record = None
    if args.shard:
        from tfkata.grading.shards import parse_shard, select, write_empty

        shard = parse_shard(args.shard)
        folders, shard_record = select(folders, shard)
        if not folders:
            out = args.out or Path(f"grading-{time.strftime('%Y%m%d-%H%M%S')}-shard{shard.index}")
            write_empty(out, shard_record, formats)
            print(f"shard {shard}: no student of this class falls in it; wrote {out}/report.json")
            return 0
        print(f"shard {shard}: {len(folders)} of {shard_record['class_students']} students")
    manifest = load_manifest()
    out = args.out or Path(f"grading-{time.strftime('%Y%m%d-%H%M%S')}")
    limits = Limits(
        timeout=args.timeout,
        startup=max(180.0, args.timeout),
        memory_mb=args.memory_mb,
        max_output_mb=args.max_output_mb,
        namespaces=not args.no_namespaces,
        kata_per_child=budget,
        extra_imports=tuple(args.allow_import),
    )
    bar = ProgressBar(len(folders))
    sampler = None
    if budget:
        from tfkata.grading.memory import TreeSampler

        sampler = TreeSampler().start()
    try:
        run = grade(
            manifest,
            folders,
            out=out,
            katas=args.kata,
            jobs=args.jobs,
            limits=limits,
            formats=formats,
            on_student=bar.update,
            collect_first=budget,
        )
    finally:
        if sampler is not None:
            sampler.stop()
    print(summary(run))
    if sampler is not None:
        memory = {"budget_mb": args.memory_budget_mb, **sampler.report()}
        _stamp(run.out, "memory", memory)
        print(memory_line(memory))
    if shard_record is not None:
        from tfkata.grading.shards import stamp

        stamp(run.out, shard_record, formats)
    return 0


def memory_line(memory: dict) -> str:
    over = memory["peak_resident_mb"] > memory["budget_mb"]
    heavy = sorted(memory.get("by_kata_mb", {}).items(), key=lambda kv: -kv[1])[:3]
    return (
        f"memory: peak {memory['peak_resident_mb']:.0f} MB resident over "
        f"{memory['processes_at_peak']} processes (anonymous memory summed, shared libraries "
        f"once; RSS summed {memory['peak_rss_sum_mb']:.0f} MB; the grader itself "
        f"{memory['grader_rss_mb']:.0f} MB); budget {memory['budget_mb']} MB"
        + (": OVER THE BUDGET" if over else "")
        + ("; heaviest: " + ", ".join(f"{k} {v:.0f} MB" for k, v in heavy) if heavy else "")
    )


def _stamp(out: Path, key: str, value: object) -> None:
    """Add one key to a finished run's report.json."""
    import json

    from tfkata.grading.reports import _atomic_write

    path = out / "report.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data[key] = value
    _atomic_write(path, json.dumps(data, indent=2) + "\n")


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
