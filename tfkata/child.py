"""Entry point of the harness's child test runs: `python -m tfkata.child PYTEST_ARGS...`.

It runs pytest, flushes, and leaves with `os._exit`, skipping the interpreter's teardown.
With TensorFlow loaded that teardown (joining TF's threads, then freeing thousands of modules)
costs 0.6 s to 1 s, a fifth or more of a learner's `kata check`. Everything the harness reads, the
`--kata-report` JSON and the output, is written and closed before pytest.main returns."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    import pytest

    code = int(pytest.main(sys.argv[1:] if argv is None else argv))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
