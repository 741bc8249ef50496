"""Installing tfkata as a learner does: a wheel built from the checkout carries the harness and
the whole kata suite; in a brand-new virtual environment the README's learner commands (`pip
install tfkata`, `kata init`) give a workspace where every kata is listed, a solved kata checks
green and a stub reports not started, with the tests from the installed package.

The wheel tests are slow (a wheel build, and a new environment that installs TensorFlow from the
package index): `pytest -m slow tests/harness/test_install.py`; CI runs them as their own step.
Also: the constraints CI uses for the lowest supported versions are the declared lower bounds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

from tfkata.manifest import load_manifest

ROOT = Path(__file__).resolve().parents[2]


def readme_block(marker: str) -> str:
    """The first ```bash block after `<!-- marker -->` in README.md (as .ci/run reads it)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {marker} -->\s*```bash\n(.*?)```", text, re.S)
    assert match, f"README.md has no <!-- {marker} --> bash block"
    return match.group(1)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = out.glob("tfkata-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_carries_the_harness_and_the_kata_suite(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    suite = "tfkata/suite/"
    expected = {"tfkata/cli.py", "tfkata/pytest_plugin.py", "tfkata/workspace.py"}
    expected |= {suite + f for f in ("info.toml", "conftest.py", "pyproject.toml", "docs/katas.md")}
    expected.add(suite + "tests/kata_testing/__init__.py")
    for kata in load_manifest(ROOT).names():
        expected |= {
            f"{suite}katas/{kata}.py",
            f"{suite}solutions/{kata}.py",
            f"{suite}tests/test_{kata}.py",
        }
    assert expected <= names, sorted(expected - names)
    mistakes = {n for n in names if n.startswith(suite + "tests/mistakes/")}
    assert mistakes, "kata verify needs the shipped mistakes"
    assert not [n for n in names if n.startswith(suite + "tests/harness/")]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def _run(cmd: str, cwd: Path, env: dict[str, str], timeout: float = 900):
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", cmd],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.slow
def test_a_learner_installs_it_in_a_new_venv_and_works_in_a_workspace(wheel: Path, tmp_path: Path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TFKATA_", "PYTHON"))}
    env.update(
        VIRTUAL_ENV=str(venv),
        PATH=f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
        # `pip install tfkata` finds the wheel just built (tfkata is not on the index)
        PIP_FIND_LINKS=" ".join(
            filter(None, [str(wheel.parent), os.environ.get("PIP_FIND_LINKS")])
        ),
        NO_COLOR="1",
    )
    learner = readme_block("learner")
    assert "pip install tfkata" in learner and "kata init" in learner
    proc = _run(learner, tmp_path, env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    names = load_manifest(ROOT).names()
    listed = re.findall(r"^\s+(?:→\s+)?\d+\. (\w+)\s", proc.stdout, re.M)
    assert listed == names, out[-3000:]
    assert f"0/{len(names)} katas done" in proc.stdout
    (ws,) = [p.parent for p in tmp_path.glob("*/.kata-workspace")]

    where = _run('python -c "import tfkata.project as p; print(p.packaged_suite())"', ws, env)
    suite = Path(where.stdout.strip())
    assert suite.is_relative_to(venv) and suite.name == "suite", where.stdout + where.stderr

    solved = (suite / "solutions" / "himmelblau.py").read_text(encoding="utf-8")
    (ws / "katas" / "himmelblau.py").write_text(solved, encoding="utf-8")
    check = _run("cd katas && kata check himmelblau", ws, env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert re.search(r"himmelblau: all \d+ tests pass", check.stdout), check.stdout

    stub = _run("kata check gradient_of_square", ws, env)
    assert stub.returncode == 1 and "not started" in stub.stdout, stub.stdout + stub.stderr

    update = _run("kata init --update", ws, env)
    assert update.returncode == 0 and "kept 1 kata file with your work: himmelblau" in update.stdout

    outside = _run("kata list", tmp_path, env)
    assert outside.returncode == 2 and "no kata workspace here" in outside.stderr
    assert outside.stderr.count("\n") == 1, outside.stderr


def test_the_lowest_constraints_pin_every_declared_lower_bound():
    """constraints-lowest.txt (CI installs the suite's lowest supported set with it) pins each
    dependency at exactly the lower bound pyproject.toml declares, so a raised bound is tested."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    for requirement in project["dependencies"]:
        spec, _, marker = requirement.partition(";")
        if "3.13" in marker:  # the Python 3.13 line: CI's 3.13 run installs the newest
            continue
        name, lower = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+).*", spec.strip()).groups()
        bounds[name.lower()] = lower
    pins = {}
    for line in (ROOT / "constraints-lowest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    assert set(bounds) <= set(pins), sorted(set(bounds) - set(pins))
    wrong = {k: (pins[k], v) for k, v in bounds.items() if Version(pins[k]) != Version(v)}
    assert not wrong, f"pinned vs declared lower bound: {wrong}"
