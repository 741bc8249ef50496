"""Turning a test failure into a few friendly lines: which property, on what input, what next."""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from tfkata.impl import KataLoadError, KataNotFound
from tfkata.stubgen import STUB_MARKER

MAX_CHARS = 1200
MAX_LINES = 14
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


class KataNotImplemented(BaseException):
    """A stub's NotImplementedError, re-raised as a BaseException so that hypothesis stops at
    once instead of shrinking an input that every example fails on."""


def raised_in(exc: BaseException, impl_dir: Path | None) -> bool:
    """Whether `exc` is a stub's own NotImplementedError: raised by code in the folder under test
    itself (its innermost frame; NumPy raises NotImplementedError too), or carrying the stubs'
    message through a TensorFlow graph function, which re-raises it from its own frames."""
    if STUB_MARKER in str(exc):
        return True
    frames = traceback.extract_tb(exc.__traceback__)
    return (
        bool(frames)
        and impl_dir is not None
        and Path(frames[-1].filename).resolve().parent == impl_dir.resolve()
    )


def _leaf(exc: BaseException) -> BaseException:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def truncate(text: str, max_chars: int = MAX_CHARS, max_lines: int = MAX_LINES) -> str:
    lines = text.strip().splitlines()
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], f"... ({len(lines) - max_lines + 1} more lines)"]
    text = "\n".join(lines)
    if len(text) > max_chars:
        text = text[: max_chars - 20].rstrip() + " ... (truncated)"
    return text


def _kata_frame(exc: BaseException, impl_dir: Path | None):
    if impl_dir is None:
        return None
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if Path(f.filename).resolve().parent == impl_dir.resolve()
    ]
    return frames[-1] if frames else None


def _falsifying_example(exc: BaseException) -> str:
    notes = [n for n in getattr(exc, "__notes__", []) if n.startswith("Falsifying")]
    return notes[0] if notes else ""


def summarize(exc: BaseException, impl_dir: Path | None, kata: str | None) -> tuple[str, str]:
    """(reason, message). reason is one of: missing, load_error, not_implemented, assertion,
    exception."""
    exc = _leaf(exc)
    if isinstance(exc, KataNotFound):
        return "missing", str(exc)
    if isinstance(exc, KataLoadError):
        return "load_error", str(exc)
    if isinstance(exc, KataNotImplemented) and exc.__cause__ is not None:
        exc = exc.__cause__
    frame = _kata_frame(exc, impl_dir)
    example = _falsifying_example(exc)
    if isinstance(exc, NotImplementedError) and raised_in(exc, impl_dir):
        what = f"{frame.name}()" if frame else "this kata"
        where = f"{impl_dir}/{kata}.py" if impl_dir and kata else "the kata file"
        hint = f" (`kata hint {kata}` for a hint)" if kata else ""
        return "not_implemented", f"{what} is not implemented yet: fill it in in {where}{hint}"
    if isinstance(exc, AssertionError):
        body = str(exc) or "assertion failed"
        reason = "assertion"
    else:
        body = f"{type(exc).__name__}: {exc}"
        reason = "exception"
    if frame is not None:
        body += f"\n  raised in {Path(frame.filename).name} line {frame.lineno}, in {frame.name}()"
    if example:
        body += "\n" + example
    # "<function all at 0x7f15...>" differs between runs; results must not
    return reason, truncate(ADDRESS.sub(">", body))
