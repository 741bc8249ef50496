"""Fixtures for testing the harness itself: a throw-away copy of the project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project (manifest, references, stubs, the tests of two katas) in tmp_path,
    made the current project through $TFKATA_ROOT."""
    root = tmp_path / "proj"
    root.mkdir()
    for name in ("info.toml", "pyproject.toml", "conftest.py"):
        shutil.copy2(ROOT / name, root / name)
    shutil.copytree(
        ROOT / "solutions", root / "solutions", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "katas", root / "katas", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "tests").mkdir()
    shutil.copytree(
        ROOT / "tests" / "kata_testing",
        root / "tests" / "kata_testing",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for kata in ("gradient_of_square", "himmelblau"):
        shutil.copy2(ROOT / "tests" / f"test_{kata}.py", root / "tests")
    monkeypatch.setenv("TFKATA_ROOT", str(root))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(root)
    return root
