"""Grading's cost, measured: `python -m tfkata.grading.bench [--students N] [--repeat R]
[--sections serial,throughput,memory] [--json FILE] [--kata NAME ...]`.

1. serial: one all-correct student (every kata that has tests and a reference) graded by
   `kata grade`, against the same tests run serially on the reference (`pytest tests/test_K.py
   ... -n 0`), alternated R times (the machine may be shared: pairs are compared, and CPU time
   is shown);
2. throughput: N copies of the reference graded with -j 1 and with -j 2, in students/minute,
   and the share spent starting TensorFlow: a bare `import tensorflow, keras` in a fresh
   interpreter (median of R; CPU and wall time) times the test processes the run started
   (report.json: the collection, plus every student's `children`), over the run's wall time x
   jobs (the children's CPU time is not a measure here: a sandbox's processes are reaped inside
   its own PID namespace and never reach this process's rusage);
3. memory: one all-correct student in the memory-budget mode Gradescope gets (`kata grade
   --memory-budget-mb 768`: one test process at a time, one per kata), its peak resident memory
   summed over all its processes (PSS, RSS and anonymous, from report.json's "memory"), its wall
   time, and whether it stayed within the budget.

Figures on a loaded machine are noise: the load average is printed with them."""

from __future__ import annotations

import argparse
import json
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

SECTIONS = ("serial", "throughput", "memory")
BUDGET_MB = 768


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, int]:
    cpu0, t0 = _children_cpu(), time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    return time.monotonic() - t0, _children_cpu() - cpu0, proc.returncode


def _report(out: Path) -> dict:
    try:
        return json.loads((out / "report.json").read_text())
    except (OSError, ValueError):
        return {}


def _passes(out: Path) -> str:
    """'all pass' or what did not, from a run's report.json."""
    students = _report(out).get("students")
    if students is None:
        return "no report"
    bad = [
        f"{s['name']}:{k['name']}={k['status']}"
        for s in students
        for k in s["katas"]
        if k["status"] != "pass"
    ]
    return "all pass" if not bad else "NOT all pass: " + ", ".join(bad[:5])


def tf_import_seconds(repeat: int) -> tuple[float, float]:
    """Median (wall, cpu) seconds of `import tensorflow, keras` in a fresh interpreter: the
    start-up every test process pays. CPU time is what a loaded machine does not distort."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    walls, cpus = [], []
    for _ in range(max(1, repeat)):
        wall, cpu, _ = _timed([sys.executable, "-c", "import tensorflow, keras"], Path.cwd(), env)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def processes_started(out: Path) -> int:
    report = _report(out)
    return 1 + sum(int(s.get("children") or 0) for s in report.get("students", []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--sections",
        default=",".join(SECTIONS),
        help=f"comma-separated, of {', '.join(SECTIONS)} (default: all)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--kata", action="append", default=None, help="only this kata (repeatable; a quick run)"
    )
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    manifest = load_manifest()
    root = manifest.root
    katas = [
        k
        for k in manifest.names()
        if (root / "tests" / f"test_{k}.py").is_file()
        and (root / "solutions" / f"{k}.py").is_file()
        and (not args.kata or k in args.kata)
    ]
    if not katas:
        parser.error("no kata with tests and a reference selected")
    figures: dict = {"katas": len(katas), "cores": os.cpu_count()}
    work = Path(tempfile.mkdtemp(prefix="tfkata-bench-"))
    try:
        for i in range(max(args.students, 1)):
            folder = work / "class" / f"s{i:02d}"
            folder.mkdir(parents=True)
            for k in katas:
                shutil.copy(root / "solutions" / f"{k}.py", folder / f"{k}.py")
        kata_args = [a for k in katas for a in ("--kata", k)]
        grade = [sys.executable, "-m", "tfkata.cli", "grade", *kata_args]
        print(f"{len(katas)} katas: {', '.join(katas)}")
        if "serial" in sections:
            figures["serial"] = _serial(root, work, grade, katas, args.repeat)
        if "throughput" in sections:
            figures["throughput"] = _throughput(root, work, grade, args)
        if "memory" in sections:
            figures["memory"] = _memory(root, work, grade)
        load = os.getloadavg()
        figures["load_average"] = [round(x, 2) for x in load]
        print(f"(load average now: {', '.join(f'{x:.1f}' for x in load)}, {os.cpu_count()} cores)")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _serial(root: Path, work: Path, grade: list[str], katas: list[str], repeat: int) -> dict:
    serial = [sys.executable, "-m", "pytest", *[f"tests/test_{k}.py" for k in katas]]
    serial += ["-n", "0", "-q", "-p", "no:cacheprovider"]
    pairs = []
    for r in range(repeat):
        s_wall, s_cpu, s_rc = _timed(serial, root)
        g_wall, g_cpu, g_rc = _timed(
            [*grade, str(work / "class" / "s00"), "-o", str(work / f"one{r}")], root
        )
        pairs.append((s_wall, g_wall, s_cpu, g_cpu))
        print(
            f"  serial reference suite {s_wall:6.1f} s wall {s_cpu:6.1f} s cpu (exit {s_rc}) | "
            f"kata grade, 1 student {g_wall:6.1f} s wall {g_cpu:6.1f} s cpu (exit {g_rc}) | "
            f"ratio {g_wall / s_wall:.2f} wall, {g_cpu / s_cpu:.2f} cpu; "
            f"{_passes(work / f'one{r}')}"
        )
    ratio = statistics.median(g / s for s, g, _, _ in pairs)
    cpu_ratio = statistics.median(gc / sc for _, _, sc, gc in pairs)
    print(f"1 student vs serial suite: median ratio {ratio:.2f} (wall), {cpu_ratio:.2f} (cpu)")
    return {"wall_ratio": round(ratio, 3), "cpu_ratio": round(cpu_ratio, 3)}


def _throughput(root: Path, work: Path, grade: list[str], args: argparse.Namespace) -> dict:
    tf_wall, tf_cpu = tf_import_seconds(max(3, args.repeat))
    print(
        f"TensorFlow start-up (fresh interpreter, import tensorflow, keras): {tf_wall:.2f} s wall, "
        f"{tf_cpu:.2f} s cpu"
    )
    out: dict = {"tf_import_wall_s": round(tf_wall, 3), "tf_import_cpu_s": round(tf_cpu, 3)}
    for jobs in (1, 2):
        dest = work / f"class{jobs}"
        wall, cpu, rc = _timed(
            [*grade, "--class", str(work / "class"), "-j", str(jobs), "-o", str(dest)], root
        )
        started = processes_started(dest)
        wall_share = min(1.0, started * tf_wall / (wall * jobs)) if wall else 0.0
        rate = 60 * args.students / wall
        print(
            f"-j {jobs}: {args.students} students in {wall:.1f} s wall ({cpu:.1f} s cpu, "
            f"exit {rc}): {rate:.2f} students/min; {started} test processes started; starting "
            f"TensorFlow ~{100 * wall_share:.0f}% of the wall time x jobs; {_passes(dest)}"
        )
        out[f"j{jobs}"] = {
            "students_per_min": round(rate, 2),
            "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1),
            "processes": started,
            "tf_startup_wall_share": round(wall_share, 3),
            "all_pass": _passes(dest) == "all pass",
        }
    return out


def _memory(root: Path, work: Path, grade: list[str]) -> dict:
    dest = work / "budget"
    wall, _cpu, rc = _timed(
        [
            *grade,
            str(work / "class" / "s00"),
            "--memory-budget-mb",
            str(BUDGET_MB),
            "-o",
            str(dest),
        ],
        root,
    )
    memory = _report(dest).get("memory", {})
    peak = memory.get("peak_resident_mb", float("nan"))
    within = bool(memory) and peak <= BUDGET_MB
    heavy = sorted(memory.get("by_kata_mb", {}).items(), key=lambda kv: -kv[1])[:5]
    print(
        f"memory-budget mode ({BUDGET_MB} MB), 1 student: {wall:.1f} s wall (exit {rc}); peak "
        f"{peak} MB resident over {memory.get('processes_at_peak')} processes (anonymous summed, "
        f"shared libraries once; RSS summed {memory.get('peak_rss_sum_mb')} MB, anonymous "
        f"{memory.get('peak_anon_mb')} MB; grader {memory.get('grader_rss_mb')} MB): "
        f"{'within' if within else 'OVER'} the budget; heaviest katas: "
        + ", ".join(f"{k} {v:.0f} MB" for k, v in heavy)
        + f"; {_passes(dest)}"
    )
    return {**memory, "wall_s": round(wall, 1), "within_budget": within}


if __name__ == "__main__":
    sys.exit(main())
