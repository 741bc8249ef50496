"""Build hook: a wheel carries the kata suite as package data in tfkata/suite/.

The suite is the kata content at the repository's root (info.toml, conftest.py, the pytest
configuration in pyproject.toml, docs/katas.md, katas/, solutions/, notebooks/ and tests/ without
the harness's own tests), copied next to the harness so that an installed tfkata needs no checkout.
An editable install (`pip install -e .`) copies nothing: tfkata.project finds the checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SUITE_FILES = ("info.toml", "conftest.py", "pyproject.toml", "docs/katas.md")
SUITE_DIRS = ("katas", "solutions", "tests")
OPTIONAL_DIRS = ("notebooks",)  # the katas as Jupyter notebooks, where generated
SKIPPED = ("__pycache__", "*.pyc", ".hypothesis", ".pytest_cache")


class build_py_with_suite(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        dest = Path(self.build_lib) / "tfkata" / "suite"
        if dest.exists():
            shutil.rmtree(dest)
        for rel in SUITE_FILES:
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(HERE / rel, dest / rel)
        for rel in SUITE_DIRS + tuple(d for d in OPTIONAL_DIRS if (HERE / d).is_dir()):
            # tests/harness/ tests the checkout's harness, not a learner's katas: it stays out
            extra = ("harness",) if rel == "tests" else ()
            shutil.copytree(HERE / rel, dest / rel, ignore=shutil.ignore_patterns(*SKIPPED, *extra))


setup(cmdclass={"build_py": build_py_with_suite})
