"""Benchmark: what a learner and CI wait for. Writes BENCHMARKS.md with --write.

(a) `kata check NAME` on a solved kata, divided by a bare `python -c "import tensorflow"`
    (medians over --repeat interleaved runs; target <= 1.5), and a `kata watch` re-check;
    `kata check NAME` in a learner's workspace (`kata init` from a wheel built from this checkout)
    against the same in the checkout (target: within 5%);
(b) the test suite serial vs `pytest -n auto`, whole (median of 3 under -n auto; target: within
    10% of 42 s) and chapter 1 alone (target: under 30 s serial on 2 cores), with the ten slowest
    tests, and the harness's end-to-end tests (`-m e2e`), which CI runs as their own step.

usage: python bench/benchmark.py [--repeat 5] [--kata gradient_of_square] [--write]"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tfkata.manifest import load_manifest  # noqa: E402
from tfkata.runner import PrestartedRunner  # noqa: E402
from tfkata.tf_env import configure  # noqa: E402
from tfkata.watch import DEBOUNCE_S  # noqa: E402

OTHERS = "<!-- figures below are recorded by other commands; bench/benchmark.py keeps them -->"
NOTES = [
    "How `kata check` stays near the bare import:",
    "",
    "- the tests run in `python -m tfkata.child`, which leaves with `os._exit` once pytest has "
    "written its report, skipping the interpreter's teardown of TensorFlow (0.6 s to 1 s here);",
    "- the garbage collector pauses while the test modules import TensorFlow and then freezes "
    "those ~280,000 objects, so pytest's end-of-run collections cost microseconds, not 0.13 s each;",
    "- pytest's plugins are named, not autoloaded, so hypothesis is not assert-rewritten at "
    "each start;",
    "- an untouched stub is reported as not started without starting TensorFlow at all;",
    "- `kata watch` keeps a child ready that has already imported TensorFlow while the learner "
    "edits (a new one for every check, so no state carries over), so a re-check costs only "
    "pytest's start and the tests.",
]


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    return elapsed, proc.stdout + proc.stderr


def interleaved_medians(cmds: list[list[str]], cwd, env, repeat: int) -> list[float]:
    """Median wall time of each command, run in turn `repeat` times, so that a change in the
    machine's load during the benchmark weighs on every command alike."""
    times: list[list[float]] = [[] for _ in cmds]
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            times[i].append(timed(cmd, cwd, env)[0])
    return [statistics.median(t) for t in times]


def watch_recheck(proj: Path, kata: str, env: dict[str, str], repeat: int, idle: float) -> float:
    """What `kata watch` waits for after a save: one run of its PrestartedRunner, whose child
    has had `idle` seconds (the learner's editing) to import TensorFlow."""
    times = []
    with PrestartedRunner(proj, env=env) as runner:
        for _ in range(repeat):
            time.sleep(idle)
            start = time.perf_counter()
            report = runner(proj, [kata], proj / "katas")
            times.append(time.perf_counter() - start)
            if report.exitstatus != 0:
                raise SystemExit(f"watch re-check of {kata} failed:\n{report.output[-2000:]}")
    return statistics.median(times)


def installed_workspace(tmp: Path, kata: str, env: dict[str, str]) -> tuple[Path, dict[str, str]]:
    """A learner's set-up: a wheel built from this checkout, installed in tmp/site (first on
    PYTHONPATH, ahead of the editable install), and a workspace written by its `kata init` with
    `kata` solved. `kata check` there runs the tests from the installed package."""
    py = sys.executable
    dist, site, ws = tmp / "dist", tmp / "site", tmp / "ws"
    build = [py, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(dist)]
    subprocess.run(build, check=True, capture_output=True)
    (wheel,) = dist.glob("tfkata-*.whl")
    install = [py, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site)]
    subprocess.run([*install, str(wheel)], check=True, capture_output=True)
    ws_env = {k: v for k, v in env.items() if k != "TFKATA_ROOT"}
    ws_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    init = [py, "-m", "tfkata.cli", "init", str(ws)]
    subprocess.run(init, env=ws_env, check=True, cwd=tmp, capture_output=True)
    suite = site / "tfkata" / "suite"
    shutil.copy2(suite / "solutions" / f"{kata}.py", ws / "katas" / f"{kata}.py")
    return ws, ws_env


def workspace_vs_checkout(
    proj: Path, ws: Path, env: dict[str, str], ws_env: dict[str, str], kata: str, repeat: int
) -> tuple[float, float]:
    """Median `kata check KATA` in the checkout copy and in the workspace, interleaved."""
    cmd = [sys.executable, "-m", "tfkata.cli", "check", kata]
    runs = [(proj, env), (ws, ws_env)]
    for cwd, run_env in runs:  # warm the file caches, and show that both pass
        _, out = timed(cmd, cwd, run_env)
        if "all" not in out or "pass" not in out:
            raise SystemExit(f"`kata check {kata}` in {cwd} did not pass:\n{out[-2000:]}")
    times: list[list[float]] = [[], []]
    for _ in range(repeat):
        for i, (cwd, run_env) in enumerate(runs):
            times[i].append(timed(cmd, cwd, run_env)[0])
    return statistics.median(times[0]), statistics.median(times[1])


def project_copy(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(
        ".git", "__pycache__", ".hypothesis", ".pytest_cache", ".venv*", ".kata*"
    )
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--kata", default="gradient_of_square")
    ap.add_argument("--write", action="store_true", help="write BENCHMARKS.md")
    ap.add_argument("--skip-suite", action="store_true", help="only measure (a)")
    args = ap.parse_args()

    configure()
    env = dict(os.environ, NO_COLOR="1")
    py = sys.executable
    rows: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tfkata-bench-") as tmp:
        proj = project_copy(Path(tmp) / "proj")
        shutil.copy2(proj / "solutions" / f"{args.kata}.py", proj / "katas" / f"{args.kata}.py")
        env["TFKATA_ROOT"] = str(proj)
        kata_cmd = [py, "-m", "tfkata.cli", "check", args.kata]
        _, out = timed(kata_cmd, proj, env)  # warm the file cache, and show it works
        if "all" not in out or "pass" not in out:
            print(out)
            return 1
        bare_exit = "import os, tensorflow; os._exit(0)"
        t_import, t_import_no_teardown, t_check = interleaved_medians(
            [[py, "-c", "import tensorflow"], [py, "-c", bare_exit], kata_cmd],
            proj,
            env,
            args.repeat,
        )
        ratio = t_check / t_import
        rows.append(
            f'| (a) `python -c "import tensorflow"` | {t_import:.2f} s | median of {args.repeat} |'
        )
        rows.append(
            f'| (a) `python -c "{bare_exit}"` | {t_import_no_teardown:.2f} s | '
            "the same import without the interpreter's teardown, which `kata check` skips |"
        )
        rows.append(
            f"| (a) `kata check {args.kata}` (solved) | {t_check:.2f} s | median of {args.repeat} |"
        )
        rows.append(f"| (a) ratio check / import | **{ratio:.2f}** | target ≤ 1.5 |")
        rows.append(
            f"| (a) ratio check / import without teardown | {t_check / t_import_no_teardown:.2f} | "
            "the stricter comparison |"
        )
        t_recheck = watch_recheck(proj, args.kata, env, args.repeat, idle=2 * t_import + 1)
        rows.append(
            f"| (a) `kata watch` re-check after a save | {t_recheck:.2f} s | median of "
            f"{args.repeat}; a child prestarted while the learner edits, plus a "
            f"{DEBOUNCE_S:.1f} s debounce not counted here |"
        )
        ws, ws_env = installed_workspace(Path(tmp), args.kata, env)
        t_in_checkout, t_in_ws = workspace_vs_checkout(
            proj, ws, env, ws_env, args.kata, args.repeat
        )
        rows.append(
            f"| (a) `kata check {args.kata}` in a `kata init` workspace (installed wheel) | "
            f"{t_in_ws:.2f} s | median of {args.repeat}, interleaved with the checkout's "
            f"{t_in_checkout:.2f} s |"
        )
        rows.append(
            f"| (a) ratio workspace / checkout | **{t_in_ws / t_in_checkout:.2f}** | target ≤ 1.05 |"
        )
        print("\n".join(rows), flush=True)
        slowest = ""
        if not args.skip_suite:
            names = load_manifest(ROOT).names()
            ch1 = [f"tests/test_{k.name}.py" for k in load_manifest(ROOT).katas if k.chapter == 1]
            ch1 = [t for t in ch1 if (ROOT / t).is_file()]
            base = [py, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
            for label, extra in (
                ("chapter 1, serial", ch1),
                ("chapter 1, -n auto", [*ch1, "-n", "auto"]),
            ):
                t, _ = timed(base + extra, ROOT, dict(os.environ))
                rows.append(f"| (b) {label} | {t:.1f} s | {len(ch1)} katas |")
                print(rows[-1], flush=True)
            t_serial, out_serial = timed([*base, "--durations=10"], ROOT, dict(os.environ))
            summary = out_serial.strip().splitlines()[-1]
            rows.append(f"| (b) whole suite, serial | {t_serial:.1f} s | {summary.strip('= ')} |")
            print(rows[-1], flush=True)
            runs = [timed([*base, "-n", "auto"], ROOT, dict(os.environ)) for _ in range(3)]
            times = sorted(t for t, _ in runs)
            summary_par = runs[-1][1].strip().splitlines()[-1].strip("= ")
            rows.append(
                f"| (b) whole suite, `-n auto` (the README's test command) | {times[1]:.1f} s | "
                f"median of 3 ({times[0]:.1f} to {times[2]:.1f} s); {summary_par} |"
            )
            print(rows[-1], flush=True)
            t_e2e, out_e2e = timed(
                [*base, "-m", "e2e", "-n", "auto", "tests/harness"], ROOT, dict(os.environ)
            )
            rows.append(
                f"| (b) the harness end to end, `pytest -m e2e -n auto tests/harness` | "
                f"{t_e2e:.1f} s | CI's own step; {out_e2e.strip().splitlines()[-1].strip('= ')} |"
            )
            print(rows[-1], flush=True)
            durations = re.findall(r"^\d+\.\d+s (?:call|setup|teardown) .*$", out_serial, re.M)
            slowest = "\n".join(durations)
            print(slowest)
            del names
    if args.write:
        text = [
            "# Benchmarks",
            "",
            "Written by `python bench/benchmark.py --write` "
            f"on {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.machine()}.",
            "",
            "| what | time | note |",
            "| --- | --- | --- |",
            *rows,
        ]
        text += ["", *NOTES]
        if slowest:
            text += ["", "Slowest ten tests (serial run):", "", "```", slowest, "```"]
        # the sections other commands record (grading, mutation, notebooks) are kept as they are
        path = ROOT / "BENCHMARKS.md"
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        if OTHERS in old:
            text += ["", OTHERS + old.split(OTHERS, 1)[1].rstrip("\n")]
        path.write_text("\n".join(text) + "\n", encoding="utf-8")
        print("wrote BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
