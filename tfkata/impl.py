"""Which folder of kata files the tests run against, and loading a kata module from it.

A kata module is loaded from that folder only, by file path: there is no fallback to the
reference, and while a folder other than `solutions/` is under test, importing `solutions`
fails loudly (a student file must not borrow the reference)."""

from __future__ import annotations

import importlib.abc
import importlib.util
import os
import sys
import traceback
from pathlib import Path
from types import ModuleType

from tfkata.errors import KataError

IMPL_ENV = "TFKATA_IMPL"
DEFAULT_IMPL = "solutions"
NAMED_IMPLS = ("solutions", "katas")


class KataNotFound(KataError):
    """The folder under test holds no NAME.py."""


class KataLoadError(KataError):
    """NAME.py exists but importing it failed (syntax error, import error, exception...)."""


def resolve_impl_dir(spec: str | os.PathLike[str] | None, root: Path) -> Path:
    """`solutions` and `katas` name the project's folders; anything else is a path (relative
    to the current directory, else to the project root). A folder that does not exist is a
    KataError."""
    spec = str(spec or os.environ.get(IMPL_ENV) or DEFAULT_IMPL)
    candidates = [root / spec] if spec in NAMED_IMPLS else [Path(spec), root / spec]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate.resolve()
    raise KataError(f"--impl: no folder {spec!r} (looked in {', '.join(map(str, candidates))})")


def is_reference(impl_dir: Path, root: Path) -> bool:
    return impl_dir.resolve() == (root / DEFAULT_IMPL).resolve()


def _short_load_error(path: Path, exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        return f"{path}: line {exc.lineno}: SyntaxError: {exc.msg}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
    where = f"{path}: line {frames[-1].lineno}" if frames else str(path)
    return f"{where}: importing it raised {type(exc).__name__}: {exc}"


def load_kata(impl_dir: Path, name: str) -> ModuleType:
    """Import `impl_dir/name.py` as module `name` (cached in sys.modules per file)."""
    path = (Path(impl_dir) / f"{name}.py").resolve()
    if not path.is_file():
        raise KataNotFound(f"{name}.py not found in {impl_dir}")
    cached = sys.modules.get(name)
    if cached is not None and getattr(cached, "__file__", None) == str(path):
        return cached
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:  # a student file may raise anything, SystemExit included
        sys.modules.pop(name, None)
        raise KataLoadError(_short_load_error(path, exc)) from None
    return module


class ReferenceImportRefused(ImportError):
    """`import solutions` from a kata file under test (tfkata.outcomes: imports_reference)."""


class ReferenceImportBlocker(importlib.abc.MetaPathFinder):
    """Refuses `import solutions` (and its submodules) while another folder is under test."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == DEFAULT_IMPL or fullname.startswith(DEFAULT_IMPL + "."):
            raise ReferenceImportRefused(
                f"import of {fullname!r} refused: kata files must not import the reference "
                "solutions; write the code yourself"
            )
        return None


def block_reference_imports() -> None:
    if not any(isinstance(f, ReferenceImportBlocker) for f in sys.meta_path):
        sys.meta_path.insert(0, ReferenceImportBlocker())
