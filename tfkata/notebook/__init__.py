"""tfkata in Jupyter, Colab and Kaggle.

    %load_ext tfkata          # then a cell starting `%%kata NAME` is the kata file NAME.py
    import tfkata
    tfkata.check("NAME", source_or_module)   # the same, without magics
    tfkata.hint("NAME"); tfkata.solution("NAME"); tfkata.progress(); tfkata.show("NAME")

See tfkata.notebook.session for how a check runs (a separate process, never the kernel)."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from types import ModuleType

from tfkata.errors import KataError
from tfkata.notebook.session import NotebookSession, Verdict, progress_text

_SESSION: NotebookSession | None = None
USAGE = "%%kata NAME [--show] [--no-define] [--timeout SECONDS]  (the cell holds the kata's code)"


def session() -> NotebookSession:
    global _SESSION
    if _SESSION is None:
        _SESSION = NotebookSession()
    return _SESSION


class _Text:
    """A result shown as text (and as preformatted HTML) in a notebook."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(self.text)}</pre>"


def _source_of(source_or_module: str | ModuleType | Path) -> str:
    if isinstance(source_or_module, str):
        return source_or_module
    if isinstance(source_or_module, Path):
        return source_or_module.read_text(encoding="utf-8")
    if isinstance(source_or_module, ModuleType):
        path = getattr(source_or_module, "__file__", None)
        if path and Path(path).is_file():
            return Path(path).read_text(encoding="utf-8")
        raise TypeError(
            f"source_or_module: module {source_or_module.__name__} has no source file; "
            "pass its source as a string"
        )
    raise TypeError(
        "source_or_module must be the kata's source (str), a module or a Path, "
        f"not {type(source_or_module).__name__}"
    )


def check(
    name: str, source_or_module: str | ModuleType | Path, timeout: float | None = None
) -> Verdict:
    """Run kata `name`'s tests on this source in a separate process; the verdict of `kata check`.
    `timeout`: each test's time limit in seconds (default: `kata check`'s)."""
    return session().check(name, _source_of(source_or_module), timeout=timeout)


def hint(name: str) -> _Text:
    """The next hint for kata `name` (from a nudge to nearly the answer)."""
    return _Text(session().hint(name))


def solution(name: str, force: bool = False) -> _Text:
    """The reference solution, once kata `name` passes here (or with force=True)."""
    return _Text(session().solution(name, force=force))


def progress() -> _Text:
    """Every kata's status and a progress bar."""
    return _Text(progress_text(session()))


def show(name: str):
    """Kata `name`'s picture (descent path, learning curves, samples...) from the code last
    checked here, or the reference's when it was not checked yet."""
    from IPython.display import Image

    return Image(filename=str(session().picture(name)))


def _display(obj) -> None:
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover - outside IPython
        print(obj)
    else:
        display(obj)


def kata_cell(line: str, cell: str) -> None:
    """%%kata NAME [--show] [--no-define] [--timeout SECONDS]: check the cell as kata NAME, then
    define its code in the notebook; after a pass (or with --show) draw the kata's picture where
    it has one. --timeout: each test's time limit (default: `kata check`'s)."""
    from IPython import get_ipython

    parser = argparse.ArgumentParser(prog="%%kata", add_help=False, exit_on_error=False)
    parser.add_argument("name")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--no-define", action="store_true")
    parser.add_argument("--timeout", type=float, default=None)
    try:
        args, unknown = parser.parse_known_args(shlex.split(line))
    except (argparse.ArgumentError, ValueError) as exc:
        print(f"%%kata: {exc}; usage: {USAGE}")
        return
    if unknown:
        print(f"%%kata: unknown option {unknown[0]}; usage: {USAGE}")
        return
    if args.timeout is not None and args.timeout <= 0:
        print("%%kata: --timeout must be a positive number of seconds")
        return
    try:
        result = session().check(args.name, cell, timeout=args.timeout)
    except KataError as exc:
        print(f"%%kata: {exc}")
        return
    _display(result)
    if result.define and not args.no_define:
        shell = get_ipython()
        if shell is not None:
            shell.run_cell(cell, store_history=False, silent=True)
    from tfkata.pictures import PICTURES

    if result.name in PICTURES and (result.passed or args.show):
        try:
            _display(show(result.name))
        except (KataError, ImportError) as exc:
            print(f"(no picture: {exc})")


def load_ipython_extension(ipython) -> None:
    import os

    # the learner's cells import TensorFlow in the kernel: without its C++ start-up chatter
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    ipython.register_magic_function(kata_cell, magic_kind="cell", magic_name="kata")


def unload_ipython_extension(ipython) -> None:
    global _SESSION
    if _SESSION is not None:
        _SESSION.close()
        _SESSION = None
