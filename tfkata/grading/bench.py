"""Grading's cost, measured: `python -m tfkata.grading.bench [--students N] [--repeat R]`.

1. one all-correct student (every kata that has tests and a reference) graded by `kata grade`,
   against the same tests run serially on the reference (`pytest tests/test_K.py ... -n 0`),
   alternated R times (the machine may be shared: pairs are compared, and CPU time is shown);
2. throughput: N copies of the reference graded with -j 1 and with -j 2, in students/minute."""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tfkata.manifest import load_manifest


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    cpu0, t0 = _children_cpu(), time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    return time.monotonic() - t0, _children_cpu() - cpu0, proc.returncode


def _passes(out: Path) -> str:
    """'all pass' or what did not, from a run's report.json."""
    import json

    try:
        students = json.loads((out / "report.json").read_text())["students"]
    except (OSError, ValueError, KeyError):
        return "no report"
    bad = [
        f"{s['name']}:{k['name']}={k['status']}"
        for s in students
        for k in s["katas"]
        if k["status"] != "pass"
    ]
    return "all pass" if not bad else "NOT all pass: " + ", ".join(bad[:5])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    manifest = load_manifest()
    root = manifest.root
    katas = [
        k
        for k in manifest.names()
        if (root / "tests" / f"test_{k}.py").is_file()
        and (root / "solutions" / f"{k}.py").is_file()
    ]
    work = Path(tempfile.mkdtemp(prefix="tfkata-bench-"))
    try:
        for i in range(max(args.students, 1)):
            folder = work / "class" / f"s{i:02d}"
            folder.mkdir(parents=True)
            for k in katas:
                shutil.copy(root / "solutions" / f"{k}.py", folder / f"{k}.py")
        kata_args = [a for k in katas for a in ("--kata", k)]
        grade = [sys.executable, "-m", "tfkata.cli", "grade", *kata_args]
        serial = [
            sys.executable,
            "-m",
            "pytest",
            *[f"tests/test_{k}.py" for k in katas],
            "-n",
            "0",
            "-q",
            "-p",
            "no:cacheprovider",
        ]
        print(f"{len(katas)} katas: {', '.join(katas)}")
        pairs = []
        for r in range(args.repeat):
            s_wall, s_cpu, s_rc = _timed(serial, root)
            g_wall, g_cpu, g_rc = _timed(
                [*grade, str(work / "class" / "s00"), "-o", str(work / f"one{r}")], root
            )
            pairs.append((s_wall, g_wall, s_cpu, g_cpu))
            print(
                f"  serial reference suite {s_wall:6.1f} s wall {s_cpu:6.1f} s cpu (exit {s_rc}) | "
                f"kata grade, 1 student {g_wall:6.1f} s wall {g_cpu:6.1f} s cpu (exit {g_rc}) | "
                f"ratio {g_wall / s_wall:.2f} wall, {g_cpu / s_cpu:.2f} cpu; {_passes(work / f'one{r}')}"
            )
        ratio = statistics.median(g / s for s, g, _, _ in pairs)
        cpu_ratio = statistics.median(gc / sc for _, _, sc, gc in pairs)
        print(f"1 student vs serial suite: median ratio {ratio:.2f} (wall), {cpu_ratio:.2f} (cpu)")
        for jobs in (1, 2):
            wall, cpu, rc = _timed(
                [
                    *grade,
                    "--class",
                    str(work / "class"),
                    "-j",
                    str(jobs),
                    "-o",
                    str(work / f"class{jobs}"),
                ],
                root,
            )
            print(
                f"-j {jobs}: {args.students} students in {wall:.1f} s wall ({cpu:.1f} s cpu, exit {rc}): "
                f"{60 * args.students / wall:.2f} students/min; {_passes(work / f'class{jobs}')}"
            )
        print(
            f"(load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())}, {os.cpu_count()} cores)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
