"""`kata autograder`: this project's grader where classes already are.

- `kata autograder gradescope -o autograder.zip` writes the zip Gradescope wants
  (gradescope-autograders.readthedocs.io, "Autograder Specifications"): `setup.sh`, run once
  when Gradescope builds the image, makes a virtual environment with the pinned stack
  (`requirements.txt`: every distribution tfkata needs, at the version this machine runs) and
  tfkata from the wheel in `wheels/`, then imports TensorFlow once to prove the image works;
  `run_autograder`, run per submission, grades `/autograder/submission` in memory-budget mode
  into `/autograder/results/results.json`. `project/` holds the test suite and `info.toml`
  (what the grader's sandbox copies; never `solutions/`). Every path is overridable
  (TFKATA_AUTOGRADER_ROOT, _SOURCE, _VENV, _SUBMISSION, _RESULTS; TFKATA_PYTHON) so the two
  scripts can run for real in a temporary root.
- `kata autograder github -o TEMPLATE` writes `.github/workflows/classroom.yml` for a GitHub
  Classroom template repository: each push grades the student's `katas/` with the same sandbox
  and reports points through classroom-resources/autograding-grading-reporter, which reads
  exercism's results.json v3 plus `max_score` (base64 in the grading step's `result` output).
- `kata autograder run` is what `run_autograder` calls."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from tfkata.errors import KataError

GRADESCOPE_MEMORY_MB = 768  # Gradescope's default container memory
CONFIG = "tfkata-autograder.json"
PYTHONS = ("python3.11", "python3.12", "python3.13", "python3")
VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: the Python stack and
# tfkata are installed here, never per submission. Written by `kata autograder gradescope`.
set -euo pipefail
ROOT="${TFKATA_AUTOGRADER_ROOT:-/autograder}"
SOURCE="${TFKATA_AUTOGRADER_SOURCE:-$ROOT/source}"
VENV="${TFKATA_AUTOGRADER_VENV:-$ROOT/tfkata-venv}"
PYTHON="${TFKATA_PYTHON:-}"
usable() { "$1" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] < (3, 14))' 2>/dev/null; }
if [ -z "$PYTHON" ]; then
  for candidate in __PYTHONS__; do
    if command -v "$candidate" >/dev/null && usable "$candidate"; then PYTHON="$candidate"; break; fi
  done
fi
if [ -z "$PYTHON" ] && command -v apt-get >/dev/null; then
  # Ubuntu 22.04 (Gradescope's default base image) ships Python 3.10; 3.11 is in its archive
  apt-get update -q && apt-get install -y -q python3.11 python3.11-venv && PYTHON=python3.11
fi
if [ -z "$PYTHON" ]; then
  echo "setup.sh: no Python 3.11 to 3.13 found (set TFKATA_PYTHON)" >&2
  exit 1
fi
echo "setup.sh: $("$PYTHON" --version) into $VENV (requirements resolved on Python __RESOLVED__)"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --no-cache-dir -r "$SOURCE/requirements.txt"
"$VENV/bin/python" -m pip install -q --no-cache-dir --no-deps "$SOURCE"/wheels/*.whl
# once now, not per submission: TensorFlow imports, and the suite is where run_autograder looks
TFKATA_ROOT="$SOURCE/project" "$VENV/bin/python" -c "import tensorflow, keras, tfkata.manifest as m; print('setup.sh: ok,', len(m.load_manifest().katas), 'katas')"
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for every submission: grade the submission's kata files into
# results/results.json (one test per kata). Written by `kata autograder gradescope`.
set -uo pipefail
ROOT="${TFKATA_AUTOGRADER_ROOT:-/autograder}"
SOURCE="${TFKATA_AUTOGRADER_SOURCE:-$ROOT/source}"
VENV="${TFKATA_AUTOGRADER_VENV:-$ROOT/tfkata-venv}"
SUBMISSION="${TFKATA_AUTOGRADER_SUBMISSION:-$ROOT/submission}"
RESULTS="${TFKATA_AUTOGRADER_RESULTS:-$ROOT/results}"
mkdir -p "$RESULTS"
export TFKATA_ROOT="$SOURCE/project"
exec "$VENV/bin/python" -m tfkata.cli autograder run --config "$SOURCE/__CONFIG__" \
  --submission "$SUBMISSION" --results "$RESULTS"
"""


# ------------------------------------------------------------------ the pinned stack


def pinned_requirements(root: Path) -> list[str]:
    """`name==version` for every distribution tfkata needs (its dependencies, recursively),
    at the versions installed here: the image Gradescope builds runs what was tested."""
    import importlib.metadata as md
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    try:
        project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        top = list(project["project"]["dependencies"])
    except (OSError, KeyError, ValueError):
        top = list(md.distribution("tfkata").requires or [])
    pins: dict[str, str] = {}
    todo = [Requirement(r) for r in top]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name in pins or name == "tfkata":
            continue
        try:
            dist = md.distribution(req.name)
        except md.PackageNotFoundError:
            raise KataError(
                f"{req.name} (needed by tfkata) is not installed here: install the project "
                "(pip install -e .) before building an autograder"
            ) from None
        pins[name] = f"{dist.metadata['Name']}=={dist.version}"
        todo += [Requirement(r) for r in dist.requires or []]
    return [pins[k] for k in sorted(pins)]


def build_wheel(root: Path, dest: Path) -> Path:
    """A wheel of this checkout (`pip wheel . --no-deps`)."""
    if not (root / "pyproject.toml").is_file():
        raise KataError(f"no pyproject.toml in {root}: pass a built wheel with --wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(root), "--no-deps", "-q", "-w", str(dest)],
        capture_output=True,
        text=True,
        check=False,
    )
    wheels = sorted(dest.glob("tfkata-*.whl"))
    if proc.returncode != 0 or not wheels:
        last = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no wheel"]
        raise KataError(f"building the tfkata wheel failed: {last[0]}")
    return wheels[0]


# ------------------------------------------------------------------ gradescope


def write_gradescope_zip(
    root: Path,
    out: Path,
    *,
    katas: list[str] | None,
    timeout: float,
    memory_budget_mb: int,
    wheel: Path | None = None,
    visibility: str = "visible",
) -> dict:
    """Write the Gradescope autograder zip; returns its config."""
    from tfkata.grading.sandbox import Suite
    from tfkata.manifest import load_manifest

    manifest = load_manifest(root)
    names = [manifest.get(k).name for k in katas] if katas else None
    suite = Suite(root)
    missing = [k for k in names or [] if not suite.has_tests(k)]
    if missing:
        raise KataError(f"no tests for {', '.join(missing)} (tests/test_NAME.py)")
    config = {
        "katas": names,
        "timeout": timeout,
        "memory_budget_mb": memory_budget_mb,
        "visibility": visibility,
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }
    requirements = pinned_requirements(root)
    with tempfile.TemporaryDirectory(prefix="tfkata-autograder-") as tmp:
        work = Path(tmp)
        wheel = wheel or build_wheel(root, work / "wheels")
        if not wheel.is_file():
            raise KataError(f"--wheel: no file {wheel}")
        project = work / "project"
        suite.materialize(project)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as z:
            _add(z, "setup.sh", _script(SETUP_SH, config))
            _add(z, "run_autograder", _script(RUN_AUTOGRADER, config))
            _add(z, CONFIG, json.dumps(config, indent=2) + "\n")
            _add(
                z,
                "requirements.txt",
                f"# resolved by `kata autograder gradescope` on Python {config['python']}\n"
                + "\n".join(requirements)
                + "\n",
            )
            z.write(wheel, f"wheels/{wheel.name}")
            for path in sorted(project.rglob("*")):
                if path.is_file():
                    z.write(path, f"project/{path.relative_to(project).as_posix()}")
        os.replace(partial, out)
    return config


def _script(template: str, config: dict) -> str:
    return (
        template.replace("__PYTHONS__", " ".join(PYTHONS))
        .replace("__RESOLVED__", config["python"])
        .replace("__CONFIG__", CONFIG)
    )


def _add(z: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (0o755 if not name.endswith((".json", ".txt")) else 0o644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, text)


def find_kata_folder(submission: Path, katas: list[str]) -> Path:
    """Where a submission keeps its kata files: the folder (the submission itself, its
    katas/, or deeper, e.g. a repository uploaded from GitHub) holding the most NAME.py."""
    best, best_count = submission, -1
    for folder in [submission, *sorted(p for p in submission.rglob("*") if p.is_dir())]:
        rel = folder.relative_to(submission)
        if len(rel.parts) > 4 or any(p.startswith(".") for p in rel.parts):
            continue
        count = sum((folder / f"{k}.py").is_file() for k in katas)
        if count > best_count or (count == best_count and folder.name == "katas"):
            best, best_count = folder, count
    return best


def run_submission(config_path: Path, submission: Path, results: Path) -> int:
    """Grade one Gradescope submission into results/results.json. Never leaves Gradescope
    without a results.json: a grader failure becomes a 0 with the reason."""
    from tfkata.grading.cli import memory_line
    from tfkata.grading.memory import TreeSampler
    from tfkata.grading.run import grade
    from tfkata.grading.settings import Limits
    from tfkata.manifest import load_manifest

    results.mkdir(parents=True, exist_ok=True)
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
        manifest = load_manifest()
        katas = config.get("katas") or manifest.names()
        folder = find_kata_folder(submission, katas)
        budget = int(config.get("memory_budget_mb") or 0)
        timeout = float(config.get("timeout") or Limits().timeout)
        limits = Limits(timeout=timeout, startup=max(180.0, timeout), kata_per_child=budget > 0)
        with tempfile.TemporaryDirectory(prefix="tfkata-sub-") as tmp:
            # a fixed student name, whatever the upload's folder is called
            student = Path(tmp) / "submission"
            shutil.copytree(folder, student, ignore=shutil.ignore_patterns(".*", "__pycache__"))
            with TreeSampler() as sampler:
                run = grade(
                    manifest,
                    [student],
                    out=results,
                    katas=config.get("katas"),
                    jobs=1,
                    limits=limits,
                    formats=("json", "gradescope"),
                    collect_first=budget > 0,
                )
        memory = {"budget_mb": budget, **sampler.report()}
        path = results / "results.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        data.setdefault("extra_data", {})["tfkata_memory"] = memory
        visibility = config.get("visibility") or "visible"
        data["visibility"] = visibility
        for test in data.get("tests", []):
            test["visibility"] = visibility
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        s = run.students[0]
        passed = sum(r.status == "pass" for r in s.katas.values())
        print(
            f"graded {folder}: {passed}/{len(s.katas)} katas pass in {run.duration:.0f} s; "
            f"isolation {run.isolation}"
        )
        print(memory_line(memory))
        return 0
    except Exception as exc:  # Gradescope must get a results.json, whatever broke
        if not isinstance(exc, KataError):
            import traceback

            traceback.print_exc()  # into Gradescope's stdout, which only instructors see
        failure = {
            "score": 0.0,
            "output": f"The autograder could not grade this submission: {exc}",
            "output_format": "text",
            "visibility": "visible",
            "tests": [],
        }
        (results / "results.json").write_text(json.dumps(failure, indent=2) + "\n")
        print(f"kata autograder run: {exc}", file=sys.stderr)
        return 0


# ------------------------------------------------------------------ github classroom


def grade_step_script(katas: list[str] | None, timeout: float, max_score: float) -> str:
    """The shell of the workflow's grading step (run for real by the tests): grade katas/
    into exercism v3 JSON, hand it base64-encoded to the reporter as the step's `result`."""
    kata_args = "".join(f" --kata {k}" for k in katas or [])
    fallback = json.dumps(
        {
            "version": 3,
            "status": "error",
            "message": "the grader wrote no results: see the log of the tfkata step",
            "max_score": max_score,
            "tests": [],
        }
    )
    return (
        'out="${RUNNER_TEMP:-/tmp}/tfkata-report"\n'
        'export TFKATA_ROOT="${TFKATA_ROOT:-$GITHUB_WORKSPACE/.tfkata}"\n'
        f'python -m tfkata.cli grade "${{TFKATA_KATAS:-katas}}"{kata_args} --timeout {timeout:g} '
        '--format exercism -o "$out" || true\n'
        'if [ ! -s "$out/results.json" ]; then\n'
        f'  mkdir -p "$out" && echo \'{fallback}\' > "$out/results.json"\n'
        "fi\n"
        'echo "result=$(base64 -w0 < "$out/results.json")" >> "$GITHUB_OUTPUT"\n'
    )


def classroom_workflow(
    repo: str, ref: str, katas: list[str] | None, timeout: float, max_score: float
) -> str:
    script = grade_step_script(katas, timeout, max_score)
    block = "".join(f"          {line}\n" for line in script.splitlines())
    minutes = max(10, int(((timeout * (len(katas) if katas else 23)) + 300) // 60) + 1)
    return f"""# GitHub Classroom autograding, written by `kata autograder github`.
# Grades katas/ with tfkata's sandbox (the tests come from {repo} at {ref}, never from this
# repository) and reports points to Classroom through its grading reporter.
name: Autograding Tests
"on":
  - push
  - workflow_dispatch
  - repository_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: {minutes}
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Checkout the grader (pinned)
        uses: actions/checkout@v4
        with:
          repository: {json.dumps(repo)}
          ref: {json.dumps(ref)}
          path: .tfkata
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
          cache: pip
          cache-dependency-path: .tfkata/pyproject.toml
      - name: Install tfkata
        run: python -m pip install ./.tfkata
      - name: tfkata
        id: tfkata
        run: |
{block}      - name: Autograding Reporter
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
          TFKATA_RESULTS: "${{{{steps.tfkata.outputs.result}}}}"
        with:
          runners: tfkata
"""


def write_github(
    out: Path, root: Path, repo: str, ref: str, katas: list[str] | None, timeout: float
) -> Path:
    from tfkata.manifest import load_manifest

    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        raise KataError(f"--repo wants OWNER/NAME, not {repo!r}")
    manifest = load_manifest(root)
    names = [manifest.get(k).name for k in katas] if katas else None
    weights = {k.name: k.weight for k in manifest.katas}
    max_score = sum(weights[k] for k in (names or manifest.names()))
    path = out / ".github" / "workflows" / "classroom.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(classroom_workflow(repo, ref, names, timeout, max_score), encoding="utf-8")
    return path


def _git(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _origin_repo(root: Path) -> str:
    url = _git(root, "remote", "get-url", "origin")
    m = re.search(r"github\.com[:/]([^/]+/[^/]+?)(\.git)?$", url)
    return m.group(1) if m else ""


# ------------------------------------------------------------------ the commands


def add_autograder_parser(sub) -> None:
    from tfkata.grading.settings import Limits

    p = sub.add_parser(
        "autograder",
        help="instructors: write a Gradescope autograder zip or a GitHub Classroom workflow",
        description="Write what a grading platform needs to grade with tfkata's sandbox.",
    )
    targets = p.add_subparsers(dest="target", metavar="TARGET", required=True)
    g = targets.add_parser("gradescope", help="the autograder zip (setup.sh, run_autograder)")
    g.add_argument("-o", "--out", type=Path, default=Path("autograder.zip"))
    g.add_argument("--kata", action="append", metavar="NAME", help="only this kata (repeatable)")
    g.add_argument("--timeout", type=float, default=Limits().timeout, help="seconds per kata")
    g.add_argument(
        "--memory-budget-mb",
        type=int,
        default=GRADESCOPE_MEMORY_MB,
        help=f"the container's memory (default {GRADESCOPE_MEMORY_MB}, Gradescope's default): "
        "one test process at a time, peak measured into results.json (0: off)",
    )
    g.add_argument("--wheel", type=Path, default=None, help="a built tfkata wheel to ship")
    g.add_argument(
        "--visibility",
        choices=VISIBILITIES,
        default="visible",
        help="when students see the per-kata results (Gradescope's visibility; default visible)",
    )
    g.set_defaults(func=cmd_gradescope, needs_workspace=False)
    h = targets.add_parser("github", help="a GitHub Classroom template's workflow")
    h.add_argument("-o", "--out", type=Path, default=Path("."), help="the template repository")
    h.add_argument("--repo", default=None, help="OWNER/NAME of this project on GitHub")
    h.add_argument("--ref", default=None, help="the commit (or tag) of it to grade with")
    h.add_argument("--kata", action="append", metavar="NAME", help="only this kata (repeatable)")
    h.add_argument("--timeout", type=float, default=Limits().timeout, help="seconds per kata")
    h.add_argument(
        "--format",
        choices=("exercism",),
        default="exercism",
        help="the results the workflow hands Classroom's reporter (exercism results.json v3)",
    )
    h.set_defaults(func=cmd_github, needs_workspace=False)
    r = targets.add_parser("run", help="(run_autograder) grade one Gradescope submission")
    r.add_argument("--config", type=Path, required=True)
    r.add_argument("--submission", type=Path, required=True)
    r.add_argument("--results", type=Path, required=True)
    r.set_defaults(func=cmd_run, needs_workspace=False)


def cmd_gradescope(args: argparse.Namespace) -> int:
    from tfkata.project import project_root

    if args.timeout <= 0:
        raise KataError("--timeout must be positive")
    if args.memory_budget_mb < 0:
        raise KataError("--memory-budget-mb must be positive (0: off)")
    root = project_root()
    config = write_gradescope_zip(
        root,
        args.out,
        katas=args.kata,
        timeout=args.timeout,
        memory_budget_mb=args.memory_budget_mb,
        wheel=args.wheel,
        visibility=args.visibility,
    )
    katas = ", ".join(config["katas"]) if config["katas"] else "every kata"
    print(
        f"wrote {args.out}: {katas}, {config['timeout']:g} s per kata, memory budget "
        f"{config['memory_budget_mb']} MB. Upload it on the assignment's Configure Autograder "
        "page (base image: Ubuntu 22.04 or later)."
    )
    return 0


def cmd_github(args: argparse.Namespace) -> int:
    from tfkata.project import project_root

    root = project_root()
    repo = args.repo or _origin_repo(root)
    ref = args.ref or _git(root, "rev-parse", "HEAD")
    if not repo:
        raise KataError("--repo OWNER/NAME: where the workflow fetches this project from")
    if not ref:
        raise KataError("--ref: the commit or tag of the project to grade with")
    path = write_github(args.out, root, repo, ref, args.kata, args.timeout)
    print(f"wrote {path} (grading with {repo}@{ref}); commit it to the template repository")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    return run_submission(args.config, args.submission, args.results)
