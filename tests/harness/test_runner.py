"""The child test run behind `kata check`, `kata watch`, verify and grading (tfkata.child)."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tfkata import runner
from tfkata.display import verdict
from tfkata.runner import PrestartedRunner, run_pytest

PROBE_TESTS = """
import gc


def test_passes(kata):
    assert kata.answer() == 42


def test_fails(kata):
    assert kata.answer() == 41


def test_collector_is_back_on_with_the_imports_frozen(kata):
    assert gc.isenabled()
    assert gc.get_freeze_count() > 1000
"""


def _probe(project: Path) -> Path:
    (project / "tests" / "test_probe.py").write_text(PROBE_TESTS, encoding="utf-8")
    impl = project / "student"
    impl.mkdir()
    (impl / "probe.py").write_text("def answer():\n    return 42\n", encoding="utf-8")
    return impl


def test_child_exits_with_pytest_status_after_flushing_its_output(project: Path):
    impl = _probe(project)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # a pipe buffers
    proc = subprocess.run(
        [sys.executable, "-m", "tfkata.child", "tests/test_probe.py", f"--impl={impl}", "-q"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().splitlines()[-1].startswith("1 failed, 2 passed"), proc.stdout


def test_run_pytest_reads_back_every_outcome(project: Path):
    impl = _probe(project)
    report = run_pytest(project, ["probe"], impl)
    outcomes = {t.test: t.outcome for t in report.tests}
    assert outcomes == {
        "test_passes": "passed",
        "test_fails": "failed",
        "test_collector_is_back_on_with_the_imports_frozen": "passed",
    }
    assert report.exitstatus == 1
    assert [t.test for t in report.failures] == ["test_fails"]
    assert "assert 42 == 41" in report.failures[0].message


@pytest.mark.e2e
def test_prestarted_runner_gives_run_pytest_results_from_a_new_child_each_time(project: Path):
    """`kata watch`'s runner: the same results as run_pytest, a fresh interpreter for every run
    (so nothing carries over between checks), and no child left behind."""
    impl = _probe(project)
    (project / "tests" / "test_pid.py").write_text(
        "import os\n\n\ndef test_records_its_process(kata):\n"
        "    with open('pids.txt', 'a') as f:\n        f.write(f'{os.getpid()}\\n')\n",
        encoding="utf-8",
    )
    (impl / "pid.py").write_text("", encoding="utf-8")
    with PrestartedRunner(project) as runner:
        first = runner(project, ["probe", "pid"], impl)
        runner(project, ["pid"], impl)
        idle = runner.child
    assert {t.test: t.outcome for t in first.tests} == {
        "test_passes": "passed",
        "test_fails": "failed",
        "test_collector_is_back_on_with_the_imports_frozen": "passed",
        "test_records_its_process": "passed",
    }
    assert "assert 42 == 41" in first.failures[0].message
    pids = (project / "pids.txt").read_text().split()
    assert len(pids) == 2 and pids[0] != pids[1]
    assert idle is not None and idle.poll() is not None


def test_run_pytest_streams_progress_while_the_child_runs(project: Path):
    """on_progress sees the total once collected, each test done, then the end: what
    tfkata.display.LiveStatus shows for a long check."""
    impl = _probe(project)
    states: list[tuple] = []
    run_pytest(
        project,
        ["probe"],
        impl,
        on_progress=lambda s: states.append((s.total, s.done, s.failed, s.finished)),
    )
    assert states[-1] == (3, 3, 1, True)
    done = [d for total, d, _, _ in states if total is not None]
    assert done == sorted(done) and set(done) >= {0, 1, 2, 3} - {0} and done[-1] == 3
    assert all(not finished for *_, finished in states[:-1])


@pytest.mark.parametrize(
    ("autoload", "extra"),
    [("on", ["-n", "2"]), ("off", [])],
    ids=["autoload-on-with-xdist", "autoload-off"],
)
@pytest.mark.e2e
def test_the_suite_runs_with_plugin_autoload_on_or_off(project: Path, autoload, extra):
    """`pytest -o addopts=""` (what an IDE that replaces addopts does) autoloads every plugin,
    hypothesis's included; with PYTEST_DISABLE_PLUGIN_AUTOLOAD none is. The conftest's
    plugins load either way, once (--hypothesis-profile is an option of hypothesis's plugin)."""
    env = dict(os.environ)
    env.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
    if autoload == "off":
        env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    args = ["-o", "addopts=", "tests/test_gradient_of_square.py", "-q", "-p", "no:cacheprovider"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *args, "--hypothesis-profile=default", *extra],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "already registered" not in out
    assert re.search(r"^\d+ passed", out.strip().splitlines()[-1]), out[-500:]
    if extra:
        assert "bringing up nodes" in out, out[-500:]  # xdist ran it


@pytest.mark.e2e
def test_a_half_done_kata_reports_its_not_started_functions(project: Path):
    """square_grad written, the other two still stubs: their tests are "not started" (still
    failed, so nothing counts them as passed), named in the JSON report and the verdict."""
    impl = project / "half"
    impl.mkdir()
    stub = (project / "katas" / "gradient_of_square.py").read_text(encoding="utf-8")
    reference = (project / "solutions" / "gradient_of_square.py").read_text(encoding="utf-8")
    # the reference's square_grad and the private helper it calls
    square_grad = "\n\n".join(_function_source(reference, f) for f in ("_as_float", "square_grad"))
    half = stub.replace(_function_source(stub, "square_grad"), square_grad)
    assert half != stub
    (impl / "gradient_of_square.py").write_text(half, encoding="utf-8")
    json_path = project / "report.json"
    args = [f"--impl={impl}", f"--kata-report={json_path}", "-q", "-p", "no:cacheprovider"]
    subprocess.run(
        [sys.executable, "-m", "tfkata.child", "tests/test_gradient_of_square.py", *args],
        cwd=project,
        capture_output=True,
        timeout=600,
        check=False,
    )
    data = json.loads(json_path.read_text())
    assert data["not_started"] == ["second_derivative", "linear_loss_grads"]
    waiting = [t for t in data["tests"] if t["reason"] == "not_implemented"]
    assert waiting and all(t["outcome"] == "failed" for t in waiting)
    assert {t["function"] for t in waiting} == {"second_derivative", "linear_loss_grads"}
    report = runner._read_report(json_path, 1, "")
    started = [t for t in report.tests if t.reason != "not_implemented"]
    assert started and all(t.outcome == "passed" for t in started)
    passed, text = verdict("gradient_of_square", report, "katas")
    assert not passed
    assert text == (
        f"… gradient_of_square: the {len(started)} tests that reach your code pass; not started: "
        f"second_derivative, linear_loss_grads ({len(waiting)} tests wait on them)."
    )


def _function_source(source: str, name: str) -> str:
    tree = ast.parse(source)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name)
    lines = source.splitlines(keepends=True)
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return "".join(lines[start - 1 : node.end_lineno])
