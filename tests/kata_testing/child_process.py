"""Running part of a test in a fresh Python interpreter, for TensorFlow set-ups that must happen
before TensorFlow starts (several logical CPU devices, other thread pools, ...).

The child is started with `subprocess` and `sys.executable` (never `fork`: forking a process that
has imported TensorFlow can deadlock). It sets TensorFlow's environment like the root conftest,
loads the kata under test from the same folder as the parent (`tfkata.impl.load_kata`, with
`import solutions` refused unless the reference is under test), runs the test's script, and sends
back one JSON line. The parent turns every way this can go wrong (a timeout, a crash, an exception
in the kata) into a short, readable failure, and measures the child's wall time.

    script = '''
    def main(kata, args):
        ...                      # any code; TensorFlow is not imported yet
        return {"losses": ...}   # JSON-serializable
    '''
    result = run_kata_in_child(kata, script, args={...}, timeout=300)
    result.data["losses"], result.wall_time

`kata` is the loaded kata module or, so that the test process need not import the kata file (and
TensorFlow with it) while the child runs, the kata file's path: `kata_file(request)` gives it
from a test's `request`, without loading it. Then a kata file that cannot be loaded (missing, a
syntax error, an exception at import) fails as the `kata` fixture's loading fails: loaded here
only after the child has ended."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

MARKER = "KATA_CHILD_RESULT "

_PROLOGUE = f"""
import json, sys, traceback
from tfkata.tf_env import configure
configure()

def _emit(payload):
    sys.stdout.write({MARKER!r} + json.dumps(payload) + "\\n")
    sys.stdout.flush()
"""

_EPILOGUE = """
def _run():
    spec = json.loads(sys.argv[1])
    stage = "setup"
    try:
        from tfkata.impl import block_reference_imports, load_kata

        if spec["block_reference"]:
            block_reference_imports()
        stage = "load"
        kata = load_kata(spec["impl_dir"], spec["kata"])
        stage = "main"
        _emit({"ok": True, "data": main(kata, spec["args"])})
    except BaseException as exc:  # report anything, SystemExit included
        import pathlib

        frames = traceback.extract_tb(exc.__traceback__)
        innermost = frames[-1] if frames else None
        in_kata = innermost is not None and (
            pathlib.Path(innermost.filename).resolve().parent
            == pathlib.Path(spec["impl_dir"]).resolve()
        )
        _emit({
            "ok": False,
            "stage": stage,
            "type": type(exc).__name__,
            "message": str(exc),
            "kata_function": innermost.name if in_kata else None,
            "traceback": traceback.format_exc(),
        })

_run()
"""


@dataclass
class ChildResult:
    data: Any
    wall_time: float


def _tail(text: str, lines: int = 12) -> str:
    kept = [line for line in (text or "").strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def _raise_not_implemented_from(kata_file: Path, function: str, message: str) -> None:
    """Raise NotImplementedError(message) from a function named `function` whose code belongs to
    `kata_file`: the harness recognises a stub's NotImplementedError by its innermost frame being
    in the kata folder, and names that function in its one-line message."""
    name = function if function.isidentifier() else "kata_function"
    source = f"def {name}(message):\n    raise NotImplementedError(message)\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, str(kata_file), "exec"), namespace)
    namespace[name](message)


def _is_reference(impl_dir: Path) -> bool:
    from tfkata.impl import is_reference

    return is_reference(impl_dir, Path(__file__).resolve().parents[2])


def kata_file(request: Any) -> Path:
    """The file of the kata under test (`tests/test_NAME.py` -> NAME.py in the --impl folder),
    from a test's `request`, without loading it (the `kata` fixture loads it)."""
    from tfkata.pytest_plugin import IMPL_DIR, kata_name_of

    name = kata_name_of(request.path, request.config.rootpath / "tests")
    if name is None:
        raise ValueError(f"{request.path.name}: kata_file is for tests/test_NAME.py files")
    return Path(request.config.stash[IMPL_DIR]) / f"{name}.py"


def _load_in_this_process(kata_file: Path) -> ModuleType:
    """The kata module, loaded here as the `kata` fixture loads it (the same errors)."""
    from tfkata.impl import load_kata

    return load_kata(kata_file.parent, kata_file.stem)


def run_kata_in_child(
    kata: ModuleType | Path | str, script: str, *, args: Any = None, timeout: float = 300.0
) -> ChildResult:
    """Run `main(kata, args)` from `script` in a fresh interpreter; return its result and the
    child's wall time. `kata` is the kata module or its file (see the module). A
    NotImplementedError raised by the kata file in the child is raised again here (so an
    untouched stub fails with the usual one-line message); a kata file that the child could not
    load is loaded here, to fail as the `kata` fixture does; anything else becomes an
    AssertionError that says what happened in the child."""
    if isinstance(kata, ModuleType):
        kata_file = Path(kata.__file__).resolve()
    else:
        kata_file = Path(kata).resolve()
        if not kata_file.is_file():
            _load_in_this_process(kata_file)  # raises the fixture's "not found"
    impl_dir = kata_file.parent
    spec = {
        "impl_dir": str(impl_dir),
        "kata": kata_file.stem,
        "block_reference": not _is_reference(impl_dir),
        "args": args,
    }
    code = _PROLOGUE + "\n" + textwrap.dedent(script) + "\n" + _EPILOGUE
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, json.dumps(spec)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        stderr = (
            exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else exc.stderr
        )
        raise AssertionError(
            f"the fresh interpreter running {kata_file.name} did not finish within {timeout:.0f} s "
            f"and was killed\n  its last stderr lines:\n{textwrap.indent(_tail(stderr or ''), '    ')}"
        ) from None
    wall_time = time.monotonic() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if not lines:
        raise AssertionError(
            f"the fresh interpreter running {kata_file.name} exited with code {done.returncode} "
            f"after {wall_time:.1f} s without a result\n  its last stderr lines:\n"
            f"{textwrap.indent(_tail(done.stderr), '    ')}"
        )
    payload = json.loads(lines[-1][len(MARKER) :])
    if payload["ok"]:
        return ChildResult(payload["data"], wall_time)
    if payload.get("stage") == "load" and not isinstance(kata, ModuleType):
        _load_in_this_process(kata_file)  # raises the load error the `kata` fixture would
    if payload["type"] == "NotImplementedError" and payload.get("kata_function"):
        _raise_not_implemented_from(kata_file, payload["kata_function"], payload["message"])
    raise AssertionError(
        f"in a fresh interpreter ({wall_time:.1f} s), {kata_file.name} raised "
        f"{payload['type']}: {payload['message']}\n"
        f"{textwrap.indent(_tail(payload['traceback'], 8), '    ')}"
    )
