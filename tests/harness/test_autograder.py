"""`kata autograder`: the Gradescope zip (its two scripts run for real, in a temporary root),
the memory-budget mode (measured), and the GitHub Classroom workflow (its grading step run for
real, its output read the way Classroom's reporter reads it)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from report_formats import classroom_points, validate_exercism_v3, validate_gradescope

from tfkata.grading.autograder import (
    CONFIG,
    classroom_workflow,
    find_kata_folder,
    grade_step_script,
    pinned_requirements,
)

ROOT = Path(__file__).resolve().parents[2]
KATA = "gradient_of_square"
BUDGET_MB = 768


def kata(*args: str, cwd: Path, env: dict | None = None, timeout: float = 900):
    return subprocess.run(
        [sys.executable, "-m", "tfkata.cli", *args],
        cwd=cwd,
        env={**os.environ, "TFKATA_ROOT": str(ROOT), "NO_COLOR": "1", **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def submissions(root: Path) -> dict[str, Path]:
    """A correct submission (kata files at the top) and a wrong one (a repository with katas/)."""
    right = (ROOT / "solutions" / f"{KATA}.py").read_text()
    (root / "right").mkdir(parents=True)
    (root / "right" / f"{KATA}.py").write_text(right)
    (root / "wrong" / "katas").mkdir(parents=True)
    (root / "wrong" / "README.md").write_text("my repo\n")
    # the reference with square_grad replaced by x³'s gradient: a realistic wrong answer
    (root / "wrong" / "katas" / f"{KATA}.py").write_text(
        right + "\n\ndef square_grad(x):\n    return 3.0 * tf.convert_to_tensor(x, tf.float32)\n"
    )
    return {"right": root / "right", "wrong": root / "wrong"}


def check_results(results: Path, passed: bool, visibility: str = "visible") -> dict:
    data = json.loads((results / "results.json").read_text())
    validate_gradescope(data)
    (test,) = data["tests"]
    assert test["name"].startswith(f"{KATA}: ") and test["max_score"] == 1.0
    assert test["status"] == ("passed" if passed else "failed")
    assert data["score"] == (1.0 if passed else 0.0)
    assert test["output_format"] == "md"
    assert test["visibility"] == data["visibility"] == visibility
    assert isinstance(data["extra_data"]["flags"], list)
    if not passed:
        assert "**fail**" in test["output"] and "square_grad" in test["output"]
    memory = data["extra_data"]["tfkata_memory"]
    # measured, not assumed: the tree's resident memory while the tests ran
    assert memory["samples"] > 5 and memory["processes_at_peak"] >= 3
    assert 0 < memory["peak_resident_mb"] < BUDGET_MB, memory
    assert memory["peak_anon_mb"] < memory["peak_resident_mb"] <= memory["peak_rss_sum_mb"]
    assert set(memory["by_kata_mb"]) == {KATA}
    assert memory["grader_rss_mb"] < 150  # the grader's own process never imports TensorFlow
    return data


# ------------------------------------------------------------------ the zip


def test_the_zip_holds_the_two_scripts_the_pinned_stack_and_the_suite(tmp_path: Path):
    wheel = tmp_path / "tfkata-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"not really a wheel")
    out = tmp_path / "autograder.zip"
    proc = kata(
        "autograder",
        "gradescope",
        "-o",
        str(out),
        "--kata",
        KATA,
        "--wheel",
        str(wheel),
        "--visibility",
        "after_due_date",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        modes = {i.filename: (i.external_attr >> 16) for i in z.infolist()}
        config = json.loads(z.read(CONFIG))
        requirements = z.read("requirements.txt").decode().splitlines()
        setup = z.read("setup.sh").decode()
        run = z.read("run_autograder").decode()
    # at the root of the archive (Gradescope looks there), executable
    assert {"setup.sh", "run_autograder", CONFIG, "requirements.txt"} <= names
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    assert f"wheels/{wheel.name}" in names
    assert {"project/info.toml", f"project/tests/test_{KATA}.py"} <= names
    assert not any(n.startswith(("project/solutions", "project/tests/mistakes")) for n in names)
    assert config == {
        "katas": [KATA],
        "timeout": 180.0,
        "memory_budget_mb": BUDGET_MB,
        "visibility": "after_due_date",
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }
    from importlib.metadata import version  # the pins are what this machine runs

    assert f"tensorflow=={version('tensorflow')}" in requirements
    assert all("==" in r for r in requirements if not r.startswith("#"))
    assert "/autograder" in setup and "TFKATA_AUTOGRADER_ROOT" in setup and "venv" in setup
    assert 'RESULTS="${TFKATA_AUTOGRADER_RESULTS:-$ROOT/results}"' in run


def test_pins_cover_the_whole_dependency_closure():
    pins = {p.split("==")[0].lower() for p in pinned_requirements(ROOT)}
    assert {"tensorflow", "keras", "numpy", "pytest", "hypothesis", "gymnasium"} <= pins
    assert {"absl-py", "protobuf", "pluggy"} <= pins  # dependencies of dependencies
    assert "tfkata" not in pins


def test_a_submission_is_found_at_the_top_in_katas_or_deeper(tmp_path: Path):
    subs = submissions(tmp_path)
    assert find_kata_folder(subs["right"], [KATA]) == subs["right"]
    assert find_kata_folder(subs["wrong"], [KATA]) == subs["wrong"] / "katas"
    deep = tmp_path / "deep" / "repo-main" / "katas"
    deep.mkdir(parents=True)
    (deep / f"{KATA}.py").write_text("x = 1\n")
    assert find_kata_folder(tmp_path / "deep", [KATA]) == deep


@pytest.mark.e2e
def test_run_autograder_grades_right_and_wrong_within_the_memory_budget(tmp_path: Path):
    """`kata autograder run` (what run_autograder execs), in this interpreter."""
    config = tmp_path / CONFIG
    config.write_text(
        json.dumps(
            {
                "katas": [KATA],
                "timeout": 120,
                "memory_budget_mb": BUDGET_MB,
                "visibility": "after_published",
            }
        )
    )
    for which, folder in submissions(tmp_path / "subs").items():
        results = tmp_path / "results" / which
        proc = kata(
            "autograder",
            "run",
            "--config",
            str(config),
            "--submission",
            str(folder),
            "--results",
            str(results),
            cwd=tmp_path,
        )
        assert proc.returncode == 0, proc.stderr
        assert "memory: peak" in proc.stdout
        check_results(results, passed=which == "right", visibility="after_published")


@pytest.mark.e2e
def test_the_heaviest_katas_grade_within_the_memory_budget(tmp_path: Path):
    """The katas whose test process holds the most, graded in memory-budget mode (measured, not
    assumed): distributed_training (its tests start a second interpreter with TensorFlow on three
    logical CPUs) and cnn (the largest model, fitted). Each kata's peak, summed over the grader,
    the sandbox, the test process and its child, stays under the budget."""
    heavy = ["distributed_training", "cnn"]
    student = tmp_path / "student"
    student.mkdir()
    for name in heavy:
        shutil.copy(ROOT / "solutions" / f"{name}.py", student / f"{name}.py")
    out = tmp_path / "out"
    selected = [arg for name in heavy for arg in ("--kata", name)]
    budget = ["--memory-budget-mb", str(BUDGET_MB)]
    proc = kata("grade", *selected, str(student), *budget, "-o", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    report = json.loads((out / "report.json").read_text())
    (graded,) = report["students"]
    assert {k["name"]: k["status"] for k in graded["katas"]} == dict.fromkeys(heavy, "pass")
    memory = report["memory"]
    assert memory["samples"] > 5 and set(memory["by_kata_mb"]) == set(heavy), memory
    assert max(memory["by_kata_mb"].values()) <= memory["peak_resident_mb"] < BUDGET_MB, memory


def test_a_grader_failure_still_leaves_a_results_json(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    proc = kata(
        "autograder",
        "run",
        "--config",
        str(tmp_path / "missing.json"),
        "--submission",
        str(tmp_path / "sub"),
        "--results",
        str(tmp_path / "res"),
        cwd=tmp_path,
    )
    assert proc.returncode == 0
    data = json.loads((tmp_path / "res" / "results.json").read_text())
    validate_gradescope(data)
    assert data["score"] == 0 and "could not grade" in data["output"]


@pytest.mark.slow
def test_setup_sh_and_run_autograder_for_real_in_a_brand_new_venv(tmp_path: Path):
    """The zip as Gradescope uses it: unzipped into ROOT/source, setup.sh builds a brand-new
    virtual environment from the pinned requirements and the wheel (minutes: pip installs
    TensorFlow), then run_autograder grades ROOT/submission into ROOT/results/results.json,
    with none of this checkout's environment (env -i)."""
    out = tmp_path / "autograder.zip"
    proc = kata("autograder", "gradescope", "-o", str(out), "--kata", KATA, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(out) as z:
        z.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        (root / "source" / script).chmod(0o755)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path / "home"),
        "TFKATA_AUTOGRADER_ROOT": str(root),
        "TFKATA_PYTHON": getattr(sys, "_base_executable", sys.executable),
    }
    env.update({k: v for k, v in os.environ.items() if k.startswith("PIP_")})
    setup = subprocess.run(
        ["bash", str(root / "source" / "setup.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-2000:]
    assert "setup.sh: ok" in setup.stdout
    venv_python = root / "tfkata-venv" / "bin" / "python"
    site = subprocess.run(
        [str(venv_python), "-c", "import tfkata, sys; print(tfkata.__file__, sys.prefix)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(root / "tfkata-venv") in site and str(ROOT) not in site  # not this checkout
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    for which, folder in submissions(tmp_path / "subs").items():
        shutil.rmtree(root / "submission", ignore_errors=True)
        shutil.rmtree(root / "results", ignore_errors=True)
        shutil.copytree(folder, root / "submission")
        run = subprocess.run(
            [str(root / "run_autograder")],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
        check_results(root / "results", passed=which == "right")


# ------------------------------------------------------------------ github classroom


@pytest.mark.e2e
def test_the_classroom_workflow_grades_katas_and_feeds_the_reporter(tmp_path: Path):
    template = tmp_path / "template"
    proc = kata(
        "autograder",
        "github",
        "-o",
        str(template),
        "--repo",
        "course/tfkata",
        "--ref",
        "v1.2",
        "--kata",
        KATA,
        "--timeout",
        "120",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    text = (template / ".github" / "workflows" / "classroom.yml").read_text()
    script = grade_step_script([KATA], 120, 1.0)
    assert text == classroom_workflow("course/tfkata", "v1.2", [KATA], 120, 1.0)
    # the grading step's script sits, line for line, in its `run: |` block
    assert "".join(f"          {line}\n" for line in script.splitlines()) in text
    for needle in (
        "uses: classroom-resources/autograding-grading-reporter@v1",
        'TFKATA_RESULTS: "${{steps.tfkata.outputs.result}}"',
        "runners: tfkata",
        "id: tfkata",
        'repository: "course/tfkata"',
        'ref: "v1.2"',
    ):
        assert needle in text
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        flow = yaml.safe_load(text)
        steps = flow["jobs"]["run-autograding-tests"]["steps"]
        assert next(s for s in steps if s.get("id") == "tfkata")["run"] == script

    # the step itself, for real: a student's repository with katas/, the grader at .tfkata
    for which, folder in submissions(tmp_path / "subs").items():
        workspace = tmp_path / f"ws-{which}"
        kata_dir = find_kata_folder(folder, [KATA])
        shutil.copytree(kata_dir, workspace / "katas")
        output = tmp_path / f"github-output-{which}"
        run = subprocess.run(
            ["bash", "-c", script],
            cwd=workspace,
            env={
                **os.environ,
                "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_OUTPUT": str(output),
                "RUNNER_TEMP": str(tmp_path / f"runner-{which}"),
                "TFKATA_ROOT": str(ROOT),  # stands in for the .tfkata checkout
            },
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        (line,) = output.read_text().splitlines()
        key, _, value = line.partition("=")
        assert key == "result"
        data = json.loads(base64.b64decode(value))  # what the reporter decodes
        validate_exercism_v3(data)
        assert data["max_score"] == 1.0
        if which == "right":
            assert data["status"] == "pass" and classroom_points(data) == pytest.approx(1.0)
        else:
            assert data["status"] == "fail" and classroom_points(data) == 0
            assert any(t["status"] == "fail" and t.get("message") for t in data["tests"])
        assert {t["task_id"] for t in data["tests"]} == {1}


def test_the_github_target_wants_a_repository(tmp_path: Path):
    proc = kata("autograder", "github", "-o", str(tmp_path), "--repo", "no slash", cwd=tmp_path)
    assert proc.returncode == 2 and "--repo wants OWNER/NAME" in proc.stderr
    assert "Traceback" not in proc.stderr
