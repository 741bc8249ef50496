"""Where the project is: the folder holding info.toml, tests/ and solutions/."""

from __future__ import annotations

import os
from pathlib import Path

from tfkata.errors import KataError

MANIFEST = "info.toml"


def _is_root(path: Path) -> bool:
    return (path / MANIFEST).is_file() and (path / "tests").is_dir()


def _installed_root() -> Path:
    return Path(__file__).resolve().parent.parent


def project_root(start: Path | None = None) -> Path:
    """The project root: $TFKATA_ROOT, else the nearest parent of `start` (cwd) that holds
    info.toml and tests/, else the checkout this package was installed from (editable install)."""
    env = os.environ.get("TFKATA_ROOT")
    if env:
        root = Path(env).resolve()
        if not _is_root(root):
            raise KataError(f"TFKATA_ROOT={env} does not hold {MANIFEST} and tests/")
        return root
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _is_root(candidate):
            return candidate
    installed = _installed_root()
    if _is_root(installed):
        return installed
    raise KataError(f"no tfkata project here: run this inside the folder that holds {MANIFEST}")
