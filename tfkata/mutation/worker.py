"""A long-lived pytest process that runs many mutants, one after another.

`python -m tfkata.mutation.worker PYTEST_ARGS...` imports TensorFlow and collects the given test
files once, then serves jobs: one JSON line per job on its stdin, `{"kata", "dir", "tests",
"stop"}`. For each job it points the `--impl` folder (the plugin's IMPL_DIR) at `dir`, drops the
cached kata module so `tfkata.impl.load_kata` imports `dir/KATA.py` afresh, runs the named tests in
the order given (stopping at the first failure when `stop`), tears every fixture down and answers
on the file descriptor $TFKATA_MUTATION_FD: a `test` event as each test starts (so the controller
knows where a mutant hung) and a `done` event with each test's outcome (for a job with
"probes", also which reachability probes of a probed reference each test fired, and in which
phase). The autouse fixture clears
Keras's session and pins the seeds before every test, as in any run. An empty line ends it."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

FD_ENV = "TFKATA_MUTATION_FD"


class Probes:
    """The builtin `__tfkata_probe__(i[, value])` of a probed reference (see
    operators.probed_source): records that place i was reached, in which phase of which test,
    and whether inside a tf.function trace (whose graph a later test may reuse unseen)."""

    def __init__(self) -> None:
        self.phase = "setup"
        self.fired: dict[str, set[int]] = {"setup": set(), "call": set(), "traced": set()}

    def reset(self) -> None:
        for seen in self.fired.values():
            seen.clear()

    def __call__(self, i: int, *value):
        self.fired[self.phase].add(i)
        if "tensorflow" in sys.modules and sys.modules["tensorflow"].inside_function():
            self.fired["traced"].add(i)
        return value[0] if value else None

    def snapshot(self) -> dict[str, list[int]]:
        return {k: sorted(v) for k, v in self.fired.items()}


class Server:
    """pytest plugin: replaces the run loop with the job loop."""

    def __init__(self, commands, answers) -> None:
        self.commands = commands
        self.answers = answers
        self.reports: list = []
        self.collection_errors: list[str] = []
        self.probes = Probes()
        import builtins

        import tensorflow as tf

        def probe(i: int, *value):
            return self.probes(i, *value)

        # autograph must call the probe as it is, not convert it into graph code
        builtins.__tfkata_probe__ = tf.autograph.experimental.do_not_convert(probe)  # type: ignore[attr-defined]

    def send(self, message: dict) -> None:
        self.answers.write(json.dumps(message) + "\n")
        self.answers.flush()

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.collection_errors.append(f"{report.nodeid}: {str(report.longrepr)[-300:]}")

    def pytest_runtest_logreport(self, report) -> None:
        self.reports.append(report)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        self.probes.phase = "call"
        try:
            return (yield)
        finally:
            self.probes.phase = "setup"  # setup and teardown: shared by other tests

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session):
        from tfkata.pytest_plugin import kata_name_of

        tests_dir = session.config.rootpath / "tests"
        by_id = {item.nodeid: item for item in session.items}
        tests: dict[str, list[str]] = {}
        for item in session.items:
            tests.setdefault(kata_name_of(item.path, tests_dir) or "", []).append(item.nodeid)
        self.send({"event": "ready", "tests": tests, "errors": self.collection_errors})
        for line in self.commands:
            if not line.strip():
                break
            self.send(self.run(session, json.loads(line), by_id))
        return True

    def run(self, session, job: dict, by_id: dict) -> dict:
        from tfkata.pytest_plugin import IMPL_DIR

        session.config.stash[IMPL_DIR] = Path(job["dir"])
        sys.modules.pop(job["kata"], None)
        items = [by_id[n] for n in job["tests"] if n in by_id]
        results = []
        try:
            for i, item in enumerate(items):
                self.send({"event": "test", "nodeid": item.nodeid})
                self.reports = []
                self.probes.reset()
                started = time.monotonic()
                nextitem = items[i + 1] if i + 1 < len(items) else None
                item.ihook.pytest_runtest_protocol(item=item, nextitem=nextitem)
                results.append(_result(item.nodeid, self.reports, time.monotonic() - started))
                if job.get("probes"):
                    results[-1]["probes"] = self.probes.snapshot()
                if job.get("stop") and results[-1]["outcome"] in ("failed", "error"):
                    break
        finally:
            session._setupstate.teardown_exact(None)
            sys.modules.pop(job["kata"], None)
            _forget_timeouts(session.config)
        return {"event": "done", "results": results}


def _forget_timeouts(config) -> None:
    """The per-test timer shortens the limit of a kata's tests after one timed out: right for
    one learner's run, wrong for the next mutant, which starts with a clean slate."""
    from tfkata import pytest_plugin

    key = getattr(pytest_plugin, "TIMER", None)
    timer = config.stash.get(key, None) if key is not None else None
    katas = getattr(timer, "timed_out_katas", None)
    if isinstance(katas, set):
        katas.clear()


def _result(nodeid: str, reports: list, duration: float) -> dict:
    outcome, reason, message = "passed", None, ""
    for report in reports:
        if report.failed:
            props = dict(report.user_properties)
            outcome = "failed" if report.when == "call" else "error"
            reason = props.get("tfkata_reason", "exception")
            message = props.get("tfkata_message") or str(report.longrepr)[-400:]
            break
        if report.skipped:
            outcome = "skipped"
    return {
        "nodeid": nodeid,
        "outcome": outcome,
        "reason": reason,
        "message": message,
        "duration": round(duration, 4),
    }


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    from tfkata.tf_env import configure

    configure()
    import gc

    gc.disable()  # as tfkata.child does: TensorFlow's objects are frozen out of the collector's sight
    try:
        import keras  # noqa: F401  (imported here, not inside the first test and its time limit)
        import tensorflow  # noqa: F401
    finally:
        gc.freeze()
        gc.enable()
    # pytest swaps fd 0 for /dev/null while it captures: keep our own handle on the commands
    commands = os.fdopen(os.dup(0), "r", encoding="utf-8")
    answers = os.fdopen(int(os.environ[FD_ENV]), "w", encoding="utf-8")
    code = int(pytest.main(argv, plugins=[Server(commands, answers)]))
    answers.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
