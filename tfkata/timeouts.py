"""A time limit for each kata test: the settings and messages (imported by the CLI, so without
pytest); the pytest plugin that enforces it is tfkata.timer, registered by tfkata.pytest_plugin.

A kata test that runs longer than its limit fails with a message naming the likely causes, and
the run goes on with the next test. The limit is `--kata-timeout SECONDS`, else
$TFKATA_TIMEOUT, else the ini option `kata_timeout`, else DEFAULT_LIMIT; 0 turns it off.
Tests marked `slow` get SLOW_FACTOR times the limit, `@pytest.mark.kata_timeout(SECONDS)` sets
one test's own. Only kata tests (tests/test_NAME.py) are limited, not the harness's.

How a test is stopped:

- soft: SIGALRM (an interval timer, main thread only) raises KataTimeout wherever the test is.
  Python code is stopped between two bytecodes, which covers `while True: pass`, a Python `for`
  over an endless `tf.data` dataset (each batch is one call into TensorFlow) and `model.fit`
  (one step per call). KataTimeout is a BaseException: hypothesis re-raises it at once instead
  of shrinking (which would re-run the endless example), and a kata's `except Exception`
  cannot swallow it.
- hard: one TensorFlow operation that never returns (`Dataset.reduce` over an endless dataset,
  an endless `tf.while_loop` in a tf.function) holds the main thread in C, where no Python
  signal handler runs. TensorFlow releases the GIL meanwhile, so a watchdog thread sees the test
  still running hard_grace() seconds past its limit: it says so on stderr, hands the test's
  failure to `on_stuck` (tfkata.pytest_plugin's feed to the runner, which runs the remaining
  tests in a new process), and ends the process with EXIT_STUCK.

After a test of a kata timed out, the following tests of that kata get at most FOLLOW_UP_LIMIT
seconds: the same endless loop is usually met by every test of the function, and a learner
should not wait a full limit for each (their failures are counted all the same)."""

from __future__ import annotations

import traceback
from pathlib import Path

DEFAULT_LIMIT = 60.0  # seconds; the slowest kata test takes ~5 s on a loaded 2-core machine
FOLLOW_UP_LIMIT = 10.0
SLOW_FACTOR = 10
TIMEOUT_ENV = "TFKATA_TIMEOUT"
EXIT_STUCK = 75  # the test process ended itself: a test was stuck in an uninterruptible call
REASON = "timeout"  # the `reason` of a timed-out test in the JSON report
MARKER = "kata_timeout(seconds): this test's own time limit (0: none); see tfkata.timeouts"

LIKELY_CAUSES = (
    "Likely causes: an endless loop (a `while` whose condition never becomes false); "
    "a dataset that repeats forever (`.repeat()` with no count) iterated to its end; "
    "training for far more steps or epochs than the test needs."
)
HOW_TO_CHANGE = f"(The limit: `kata check --timeout SECONDS`, `--kata-timeout`, ${TIMEOUT_ENV}.)"


def parse_limit(value: object, source: str) -> float:
    """Seconds >= 0 from an option, the environment or the ini file; a ValueError otherwise."""
    try:
        limit = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{source}: expected seconds (a number), got {value!r}") from None
    if not limit >= 0 or limit == float("inf"):
        raise ValueError(f"{source}: expected seconds >= 0 (0: no limit), got {value!r}")
    return limit


def hard_grace(limit: float) -> float:
    """How long past its limit a test may stay in one uninterruptible call before its process
    is ended."""
    return max(5.0, limit / 4)


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _where(frames: list[traceback.FrameSummary], impl_dir: Path | None) -> str:
    """' in make_dataset() (data_pipeline.py line 21)': the innermost frame of the kata file."""
    if impl_dir is None:
        return ""
    impl = impl_dir.resolve()
    for frame in reversed(frames):
        try:
            if Path(frame.filename).resolve().parent == impl:
                return f" in {frame.name}() ({Path(frame.filename).name} line {frame.lineno})"
        except (OSError, ValueError):
            continue
    return ""


def timeout_message(
    limit: float,
    frames: list[traceback.FrameSummary],
    impl_dir: Path | None,
    *,
    follow_up: bool = False,
    stuck: bool = False,
) -> str:
    which = (
        "the limit for the tests after one of the same kata timed out"
        if follow_up
        else "the time limit of one test"
    )
    where = _where(frames, impl_dir)
    head = f"The test ran longer than {_seconds(limit)} ({which}) and was stopped{where}."
    if stuck:
        head = (
            f"The test ran longer than {_seconds(limit)} ({which}), then {_seconds(hard_grace(limit))}"
            f" more inside one TensorFlow operation that cannot be interrupted{where} (e.g. "
            "`Dataset.reduce` or a tf.function loop over an endless dataset), so its test "
            "process was ended."
        )
    return f"{head}\n{LIKELY_CAUSES}\n{HOW_TO_CHANGE}"
