"""Choosing the folder under test: --impl, $TFKATA_IMPL, missing files, no fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tfkata.errors import KataError
from tfkata.impl import KataLoadError, KataNotFound, load_kata, resolve_impl_dir

FIRST = "gradient_of_square"
SECOND = "himmelblau"


def pytest_in(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=root,
        env=dict(os.environ, **(env or {})),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_resolve_named_relative_and_missing_folders(tmp_path: Path, monkeypatch):
    root = tmp_path
    (root / "solutions").mkdir()
    (root / "katas").mkdir()
    (root / "student").mkdir()
    monkeypatch.chdir(root / "student")
    monkeypatch.delenv("TFKATA_IMPL", raising=False)
    assert resolve_impl_dir(None, root) == (root / "solutions").resolve()
    assert resolve_impl_dir("katas", root) == (root / "katas").resolve()
    assert resolve_impl_dir(".", root) == (root / "student").resolve()
    monkeypatch.setenv("TFKATA_IMPL", "katas")
    assert resolve_impl_dir(None, root) == (root / "katas").resolve()
    with pytest.raises(KataError, match="no folder 'nowhere'"):
        resolve_impl_dir("nowhere", root)


def test_load_kata_never_falls_back_and_reports_broken_files_in_one_line(tmp_path: Path):
    with pytest.raises(KataNotFound, match=f"{FIRST}.py not found in"):
        load_kata(tmp_path, FIRST)
    (tmp_path / f"{FIRST}.py").write_text("x = 1\ndef f(:\n")
    with pytest.raises(KataLoadError, match="line 2: SyntaxError"):
        load_kata(tmp_path, FIRST)
    (tmp_path / f"{FIRST}.py").write_text("import numpy\nraise SystemExit(0)\n")
    with pytest.raises(KataLoadError, match="line 2: importing it raised SystemExit"):
        load_kata(tmp_path, FIRST)


@pytest.mark.e2e
def test_impl_folder_missing_file_and_solutions_import(project: Path, tmp_path: Path):
    """In a fresh pytest, as an instructor types it: a file importing the reference is refused,
    a missing file fails its kata's tests alone, and a missing folder is a one-line usage error."""
    nowhere = pytest_in(project, "--impl", str(tmp_path / "nowhere"))
    assert nowhere.returncode == 4  # pytest's usage error
    assert "no folder" in nowhere.stderr and "Traceback" not in nowhere.stderr

    cheat = tmp_path / "cheat"
    cheat.mkdir()
    (cheat / f"{FIRST}.py").write_text("from solutions.gradient_of_square import *  # noqa\n")
    report = tmp_path / "report.json"
    result = pytest_in(
        project,
        f"tests/test_{FIRST}.py",
        f"tests/test_{SECOND}.py",
        f"--kata-report={report}",
        env={"TFKATA_IMPL": str(cheat)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout
    tests = json.loads(report.read_text())["tests"]
    first = [t for t in tests if t["kata"] == FIRST]
    second = [t for t in tests if t["kata"] == SECOND]
    assert first and all(t["outcome"] == "error" and t["reason"] == "load_error" for t in first)
    assert "must not import the reference" in first[0]["message"]
    assert second and all(t["reason"] == "missing" for t in second)
    assert second[0]["message"] == f"{SECOND}.py not found in {cheat}"
    assert f"{SECOND}.py not found in {cheat}" in result.stdout
