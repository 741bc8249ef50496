"""Entry point of the harness's child test runs.

`python -m tfkata.child PYTEST_ARGS...` runs pytest, flushes, and leaves with `os._exit`,
skipping the interpreter's teardown. With TensorFlow loaded that teardown (joining TF's threads,
then freeing thousands of modules) costs 0.6 s to 1 s, a fifth or more of a learner's
`kata check`. Everything the harness reads, the `--kata-report` JSON and the output, is written
and closed before pytest.main returns.

`python -m tfkata.child --prestart` imports the heavy libraries first (TensorFlow, Keras, NumPy,
Hypothesis, pytest), then waits for one line on stdin: a JSON list of pytest arguments. `kata
watch` keeps one such child ready, so a re-check after a save does not wait for TensorFlow's
import. Nothing of the project is imported in advance: the kata file, the tests and the harness's
plugin are read when the arguments arrive, and each child runs once, so no state is carried from
one check to the next. An empty line or end of input ends the child."""

from __future__ import annotations

import gc
import json
import os
import sys

PRESTART = "--prestart"
# Libraries only: modules pytest rewrites (test files, conftest, tfkata.pytest_plugin,
# _hypothesis_pytestplugin) must not be imported before pytest.main starts.
PRESTART_MODULES = ("numpy", "tensorflow", "keras", "hypothesis", "pytest")


def _run(args: list[str]) -> None:
    import pytest

    code = int(pytest.main(args))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _prestart() -> list[str] | None:
    from tfkata.tf_env import configure

    configure()
    gc.disable()  # as during collection: see pytest_plugin.pytest_collection
    try:
        for name in PRESTART_MODULES:
            __import__(name)
    finally:
        gc.freeze()
        gc.enable()
    line = sys.stdin.readline()
    return json.loads(line) if line.strip() else None


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [PRESTART]:
        args = _prestart()
        if args is None:
            os._exit(0)
        _run(args)
    _run(argv)


if __name__ == "__main__":
    main()
