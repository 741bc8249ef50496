"""Where the suite is: the folder holding info.toml, tests/ and solutions/.

In a checkout (and an editable install, `pip install -e .`) that is the repository's root. An
installed wheel carries its own copy in the package, `tfkata/suite/` (see setup.py). A learner's
workspace (`kata init`) holds only their kata files and progress: see tfkata.workspace."""

from __future__ import annotations

import os
from pathlib import Path

from tfkata.errors import KataError

MANIFEST = "info.toml"
ROOT_ENV = "TFKATA_ROOT"
PACKAGED_SUITE = "suite"  # tfkata/suite/ in a built wheel


def is_suite_root(path: Path) -> bool:
    return (path / MANIFEST).is_file() and (path / "tests").is_dir()


def _installed_root() -> Path:
    package = Path(__file__).resolve().parent
    suite = package / PACKAGED_SUITE
    return suite if is_suite_root(suite) else package.parent


def packaged_suite() -> Path | None:
    """The suite this package carries: tfkata/suite/ in a wheel, else the checkout an editable
    install points at; None when neither exists."""
    root = _installed_root()
    return root if is_suite_root(root) else None


def is_packaged(root: Path) -> bool:
    """True for the suite inside an installed wheel (read-only content, not a checkout)."""
    return root.resolve() == (Path(__file__).resolve().parent / PACKAGED_SUITE)


def checkout_above(start: Path) -> Path | None:
    """The nearest folder at or above `start` that is a suite root (a checkout)."""
    here = start.resolve()
    for candidate in (here, *here.parents):
        if is_suite_root(candidate):
            return candidate
    return None


def project_root(start: Path | None = None) -> Path:
    """The suite: $TFKATA_ROOT, else the nearest parent of `start` (cwd) that holds info.toml
    and tests/ (a checkout), else the suite this package carries. Inside a learner's workspace
    (see tfkata.workspace) the workspace's marker comes first: the package's suite."""
    env = os.environ.get(ROOT_ENV)
    if env:
        root = Path(env).resolve()
        if not is_suite_root(root):
            raise KataError(f"{ROOT_ENV}={env} does not hold {MANIFEST} and tests/")
        return root
    from tfkata.workspace import find_workspace  # workspace imports this module

    here = (start or Path.cwd()).resolve()
    workspace = find_workspace(here)
    checkout = checkout_above(here)
    if checkout is not None and (workspace is None or checkout.is_relative_to(workspace)):
        return checkout
    packaged = packaged_suite()
    if packaged is not None:
        return packaged
    raise KataError(f"no tfkata project here: run this inside the folder that holds {MANIFEST}")
