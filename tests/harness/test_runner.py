"""The child test run behind `kata check`, `kata watch`, verify and grading (tfkata.child)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
