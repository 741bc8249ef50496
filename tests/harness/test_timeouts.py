"""Each kata test's time limit (tfkata.timeouts, tfkata.timer) and the runner's recovery from a
test stuck past it (tfkata.runner): a learner's check never hangs."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from harness_helpers import run_kata

from tfkata import runner, timeouts
from tfkata.runner import run_pytest
from tfkata.timer import KataTimer, configured_limit

ENDLESS_TESTS = '''
"""Each test that iterates make_dataset's result to its end."""

import keras  # imported here, not in the first test's setup (it has the same short limit)
import numpy as np
import tensorflow as tf


def test_preprocess_scales_to_the_unit_interval(kata):
    image, _ = kata.preprocess(np.array([0, 255], np.uint8), 3)
    assert float(image[1]) == 1.0


def test_one_epoch_is_every_batch_once(kata):
    batches = list(kata.make_dataset(np.zeros((6, 2), np.uint8), np.arange(6), 2))
    assert len(batches) == 3


def test_batches_of_batch_size(kata):
    for images, _ in kata.make_dataset(np.zeros((6, 2), np.uint8), np.arange(6), 3):
        assert images.shape[0] == 3
'''


@pytest.mark.e2e
def test_an_endless_repeat_in_make_dataset_ends_within_the_limit_naming_the_causes(
    project: Path,
):
    """`kata check` on a make_dataset that ends with `.repeat()`: each test that iterates it
    fails at the limit with the likely causes, the others still run and pass."""
    (project / "tests" / "test_data_pipeline.py").write_text(ENDLESS_TESTS, encoding="utf-8")
    source = (project / "solutions" / "data_pipeline.py").read_text(encoding="utf-8")
    endless = source.replace(
        "return dataset.prefetch(tf.data.AUTOTUNE)", "return dataset.repeat().prefetch(2)"
    )
    assert endless != source
    (project / "katas" / "data_pipeline.py").write_text(endless, encoding="utf-8")
    started = time.monotonic()
    result = run_kata("check", "data_pipeline", "--timeout", "3", cwd=project, timeout=300)
    elapsed = time.monotonic() - started
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert "✗ data_pipeline: 2 of 3 tests fail." in out, out
    assert "✗ test_one_epoch_is_every_batch_once" in out
    assert "ran longer than 3 s (the time limit of one test) and was stopped" in out
    assert "a dataset that repeats forever (`.repeat()` with no count)" in out
    assert "an endless loop" in out and "far more steps or epochs" in out
    assert "test_batches_of_batch_size: The test ran longer than 3 s" in out
    assert "Traceback" not in out + result.stderr
    # two limits of 3 s, plus TensorFlow's start on a loaded machine: far from hanging
    assert elapsed < 6 + 120, elapsed


PROBE_TESTS = """
import keras
import tensorflow as tf
from hypothesis import given, strategies as st


def test_before(kata):
    assert kata.answer() == 42


def test_while_true(kata):
    kata.spin()


@given(st.integers(0, 10))
def test_while_true_under_hypothesis(kata, n):
    kata.spin()


def test_except_exception_does_not_swallow_it(kata):
    kata.spin_catching()


def test_long_fit(kata):
    kata.long_fit()


def test_after(kata):
    assert kata.answer() == 42
"""

PROBE_KATA = """
import numpy as np


def answer():
    return 42


def spin():
    while True:
        pass


def spin_catching():
    try:
        spin()
    except Exception:
        return 0


def long_fit():
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.zeros((32, 3)), np.zeros(32), epochs=100_000, verbose=0)
"""


def _probe(project: Path, tests: str, kata: str, name: str = "probe") -> Path:
    (project / "tests" / f"test_{name}.py").write_text(tests, encoding="utf-8")
    impl = project / "student"
    impl.mkdir(exist_ok=True)
    (impl / f"{name}.py").write_text(kata, encoding="utf-8")
    return impl


@pytest.mark.e2e
def test_plain_pytest_stops_each_endless_test_at_the_limit_and_goes_on(project: Path):
    """`while True`, the same under hypothesis (no shrinking of an endless example), inside an
    `except Exception`, and a long `model.fit`: each fails as a timeout where it was; the tests
    around them pass. Here the limit comes from $TFKATA_TIMEOUT."""
    impl = _probe(project, PROBE_TESTS, PROBE_KATA)
    report = project / "report.json"
    args = ["tests/test_probe.py", f"--impl={impl}", "-q", "-p", "no:cacheprovider"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", *args, f"--kata-report={report}"],
        cwd=project,
        env={**_env(), timeouts.TIMEOUT_ENV: "2"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    tests = {t["test"]: t for t in json.loads(report.read_text())["tests"]}
    assert {n: t["outcome"] for n, t in tests.items()} == {
        "test_before": "passed",
        "test_while_true": "failed",
        "test_while_true_under_hypothesis": "failed",
        "test_except_exception_does_not_swallow_it": "failed",
        "test_long_fit": "failed",
        "test_after": "passed",
    }
    for name in ("test_while_true", "test_while_true_under_hypothesis", "test_long_fit"):
        assert tests[name]["reason"] == timeouts.REASON, tests[name]
        assert "ran longer than 2 s" in tests[name]["message"]
    spin = tests["test_except_exception_does_not_swallow_it"]["message"]
    assert "stopped in spin() (probe.py line" in spin, spin
    assert "Likely causes" in proc.stdout  # pytest's own failure report shows the message


STUCK_TESTS = """
import keras
import tensorflow as tf


def test_before(kata):
    pass


def test_stuck_in_one_op(kata):
    kata.stuck()


def test_after(kata):
    pass
"""

STUCK_KATA = """
import tensorflow as tf


def stuck():
    endless = tf.data.Dataset.range(3).repeat()
    return endless.reduce(tf.constant(0, tf.int64), lambda total, x: total + x)
"""


@pytest.mark.e2e
def test_a_test_stuck_in_one_tensorflow_op_ends_its_process_and_the_rest_run(project: Path):
    """`Dataset.reduce` over an endless dataset holds the main thread in C, out of reach of the
    signal: past limit + hard grace its process ends itself, and the runner runs the rest."""
    impl = _probe(project, STUCK_TESTS, STUCK_KATA, name="stuck")
    started = time.monotonic()
    report = run_pytest(project, ["stuck"], impl, test_timeout=1)
    elapsed = time.monotonic() - started
    outcomes = {t.test: (t.outcome, t.reason) for t in report.tests}
    assert outcomes == {
        "test_before": ("passed", None),
        "test_stuck_in_one_op": ("failed", timeouts.REASON),
        "test_after": ("passed", None),
    }
    stuck = report.for_kata("stuck")[1]
    assert "cannot be interrupted in stuck() (stuck.py line" in stuck.message, stuck.message
    assert "Likely causes" in stuck.message
    assert report.restarts == 1 and report.exitstatus == 1
    assert elapsed < 1 + timeouts.hard_grace(1) + 200, elapsed


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != timeouts.TIMEOUT_ENV}


# ------------------------------------------------------------------ the runner, without TF

FAKE_CHILD = """
import json, os, sys, time
args = sys.argv[1:]
feed = int(next(a for a in args if a.startswith("--kata-feed-fd=")).split("=")[1])
report = next(a for a in args if a.startswith("--kata-report=")).split("=", 1)[1]
with open(report + ".args", "w") as f:
    json.dump(args, f)
def send(event):
    os.write(feed, (json.dumps(event) + "\\n").encode())
def entry(nodeid, outcome="passed"):
    return {"nodeid": nodeid, "kata": "k", "test": nodeid.split("::")[1], "doc": "",
            "outcome": outcome, "reason": None, "message": "", "duration": 0.0}
deselected = {a.split("=", 1)[1] for a in args if a.startswith("--deselect=")}
todo = [n for n in ("tests/test_k.py::test_a", "tests/test_k.py::test_b",
                    "tests/test_k.py::test_c") if n not in deselected]
send({"event": "collected", "nodeids": todo})
for nodeid in todo:
    send({"event": "start", "nodeid": nodeid, "limit": 0.2})
    if nodeid.endswith("test_b"):
        time.sleep(600)  # holds on, answering nothing: the runner must kill it
    send({"event": "done", "entry": entry(nodeid)})
with open(report, "w") as f:
    json.dump({"exitstatus": 0, "duration": 0.1, "collection_errors": [],
               "tests": [entry(n) for n in todo]}, f)
"""


def test_the_runner_kills_a_child_that_stops_answering_and_runs_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A child whose test stays far past its hard limit (here: one that sleeps, standing for
    a call that holds Python itself) is killed; its finished tests are kept, the stuck one is a
    timeout, the rest run in a new child that is told to skip those and which kata timed out."""
    monkeypatch.setattr(runner, "hard_grace", lambda limit: 0.1)
    monkeypatch.setattr(runner, "STALL_MARGIN", 0.2)
    script = tmp_path / "fake_child.py"
    script.write_text(FAKE_CHILD, encoding="utf-8")
    launched: list[subprocess.Popen] = []

    def launch(args: list[str]):
        import os

        feed_r, feed_w = os.pipe()
        proc = subprocess.Popen(
            [sys.executable, str(script), *args, f"--kata-feed-fd={feed_w}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            pass_fds=(feed_w,),
        )
        os.close(feed_w)
        launched.append(proc)
        return proc, feed_r

    states: list[tuple] = []
    started = time.monotonic()
    report = runner._run_all(
        launch,
        ["k"],
        lambda path: [f"--kata-report={path}"],
        tmp_path,
        test_timeout=0.2,
        on_progress=lambda s: states.append((s.total, s.done, s.finished)),
    )
    assert time.monotonic() - started < 60
    assert [(t.test, t.outcome, t.reason) for t in report.tests] == [
        ("test_a", "passed", None),
        ("test_b", "failed", timeouts.REASON),
        ("test_c", "passed", None),
    ]
    assert "stopped responding" in report.tests[1].message
    assert report.restarts == 1 and report.exitstatus == 1
    assert len(launched) == 2 and all(p.poll() is not None for p in launched)
    second = json.loads((tmp_path / "report-1.json.args").read_text())
    assert "--deselect=tests/test_k.py::test_a" in second
    assert "--deselect=tests/test_k.py::test_b" in second
    assert "--kata-timed-out=k" in second
    assert states[-1] == (3, 3, True)


# ------------------------------------------------------------------ settings


def _config(option=None, ini=""):
    return SimpleNamespace(getoption=lambda name: option, getini=lambda name: ini)


def test_the_limit_comes_from_the_option_then_the_environment_then_the_ini(monkeypatch):
    monkeypatch.delenv(timeouts.TIMEOUT_ENV, raising=False)
    assert configured_limit(_config()) == timeouts.DEFAULT_LIMIT
    assert configured_limit(_config(ini="30")) == 30
    monkeypatch.setenv(timeouts.TIMEOUT_ENV, "20")
    assert configured_limit(_config(ini="30")) == 20
    assert configured_limit(_config(option="5", ini="30")) == 5
    assert configured_limit(_config(option="0")) == 0  # no limit
    for bad in ("-1", "soon", "inf", "nan"):
        with pytest.raises(pytest.UsageError, match="--kata-timeout: expected seconds"):
            configured_limit(_config(option=bad))
    monkeypatch.setenv(timeouts.TIMEOUT_ENV, "later")
    with pytest.raises(pytest.UsageError, match=r"\$TFKATA_TIMEOUT"):
        configured_limit(_config())


def _item(kata: str | None, *markers: tuple[str, tuple]):
    marks = dict(markers)
    return SimpleNamespace(
        kata=kata,
        nodeid=f"tests/test_{kata}.py::t",
        get_closest_marker=lambda name: (
            SimpleNamespace(args=marks[name]) if name in marks else None
        ),
    )


def test_which_tests_get_which_limit():
    """Kata tests only; `slow` ones ten times longer; a marker's own; and after a timeout the
    other tests of that kata get the short follow-up limit."""
    timer = KataTimer(60, lambda item: item.kata, None)
    try:
        assert timer.limit_for(_item("dense_layer")) == (60, False)
        assert timer.limit_for(_item(None)) == (0, False)  # a harness test
        assert timer.limit_for(_item("dqn", ("slow", ()))) == (600, False)
        assert timer.limit_for(_item("dqn", ("kata_timeout", (5,)))) == (5, False)
        timer.timed_out_katas.add("dense_layer")
        assert timer.limit_for(_item("dense_layer")) == (timeouts.FOLLOW_UP_LIMIT, True)
        assert timer.limit_for(_item("cnn")) == (60, False)
        off = KataTimer(0, lambda item: item.kata, None)
        try:
            assert off.limit_for(_item("cnn")) == (0, False)
        finally:
            off.close()
    finally:
        timer.close()


def test_the_message_says_where_the_kata_was_stopped(tmp_path: Path):
    kata_file = tmp_path / "data_pipeline.py"
    frames = [
        SimpleNamespace(filename=str(tmp_path / "test_x.py"), name="test_x", lineno=3),
        SimpleNamespace(filename=str(kata_file), name="make_dataset", lineno=21),
        SimpleNamespace(filename="/site-packages/tf/iterator.py", name="__next__", lineno=9),
    ]
    text = timeouts.timeout_message(60, frames, tmp_path)
    assert text.splitlines()[0] == (
        "The test ran longer than 60 s (the time limit of one test) and was stopped in "
        "make_dataset() (data_pipeline.py line 21)."
    )
    assert timeouts.LIKELY_CAUSES in text
    follow_up = timeouts.timeout_message(10, frames[2:], tmp_path, follow_up=True)
    assert "after one of the same kata timed out) and was stopped." in follow_up
