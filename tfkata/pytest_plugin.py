"""The pytest plugin behind every kata test.

- `--impl solutions|katas|PATH` (or $TFKATA_IMPL) picks the folder of kata files under test;
  the `kata` fixture gives a test module `tests/test_NAME.py` the module NAME from that folder.
- Tests that use `kata` start from a cleared Keras session and pinned seeds.
- Failures carry a short message (see tfkata.messages); a stub's NotImplementedError is shown as
  one friendly line instead of a traceback.
- `--kata-report FILE` writes every test's outcome as JSON (works under pytest-xdist).
- `--kata-failfast` skips the rest of a kata's tests after its first failure.
- Each kata test has a time limit, `--kata-timeout SECONDS` (tfkata.timeouts, tfkata.timer).
- `--kata-feed-fd FD` streams the run's progress as JSON lines to a pipe (see Feed).
- The garbage collector pauses during collection and then freezes what it imported (TF)."""

from __future__ import annotations

import functools
import gc
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path

import pytest

from tfkata import impl, outcomes, timeouts
from tfkata.errors import KataError
from tfkata.messages import KataNotImplemented, raised_in, summarize
from tfkata.stubgen import STUB_MARKER
from tfkata.timer import KataPhaseTimeout, KataTimeout, KataTimer, configured_limit

IMPL_DIR = pytest.StashKey[Path]()
TIMER = pytest.StashKey[KataTimer]()
FUNCTION_KEY = "tfkata_function"  # user property: the stub function a not-started test hit
TEST_FILE = re.compile(r"^test_([a-z0-9_]+)\.py$")
SEED = 20261123


def kata_name_of(path: Path, tests_dir: Path) -> str | None:
    """`tests/test_NAME.py` -> NAME (kata test files sit directly in tests/)."""
    match = TEST_FILE.match(path.name)
    if match and path.parent.resolve() == tests_dir.resolve():
        return match.group(1)
    return None


def kata_of_item(item: pytest.Item) -> str | None:
    return kata_name_of(item.path, item.config.rootpath / "tests")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tfkata")
    group.addoption(
        "--impl",
        default=None,
        help="folder of kata files under test: solutions (default), katas, or a path "
        f"(also ${impl.IMPL_ENV})",
    )
    group.addoption("--kata-report", default=None, metavar="FILE", help="write results as JSON")
    group.addoption(
        "--kata-failfast",
        action="store_true",
        help="after a kata's first failing test, skip the rest of its tests",
    )
    group.addoption(
        "--kata-timeout",
        default=None,
        metavar="SECONDS",
        help=f"time limit of each kata test (default {timeouts.DEFAULT_LIMIT:g}, 0: none; "
        f"also ${timeouts.TIMEOUT_ENV} and the ini option kata_timeout)",
    )
    # for tfkata.runner: the pipe of the progress feed; katas that already had a timeout
    group.addoption("--kata-feed-fd", type=int, default=None, help="(internal)")
    group.addoption("--kata-timed-out", action="append", default=[], help="(internal)")
    parser.addini("kata_timeout", "time limit of each kata test, seconds (0: none)", default="")


def pytest_configure(config: pytest.Config) -> None:
    try:
        impl_dir = impl.resolve_impl_dir(config.getoption("--impl"), config.rootpath)
    except KataError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[IMPL_DIR] = impl_dir
    if not impl.is_reference(impl_dir, config.rootpath):
        impl.block_reference_imports()
    if config.getoption("--kata-report") and not hasattr(config, "workerinput"):
        config.pluginmanager.register(ReportWriter(config), "tfkata-report")
    config.pluginmanager.register(FailFast(config.getoption("--kata-failfast")), "tfkata-failfast")
    config.addinivalue_line("markers", timeouts.MARKER)
    timer = KataTimer(configured_limit(config), kata_of_item, impl_dir)
    timer.timed_out_katas.update(config.getoption("--kata-timed-out"))
    config.stash[TIMER] = timer
    config.pluginmanager.register(timer, "tfkata-timeout")
    fd = config.getoption("--kata-feed-fd")
    if fd is not None and not hasattr(config, "workerinput"):
        feed = Feed(fd, timer)
        timer.on_stuck.append(feed.stuck)
        config.pluginmanager.register(feed, "tfkata-feed")


def pytest_unconfigure(config: pytest.Config) -> None:
    timer = config.stash.get(TIMER, None)
    if timer is not None:
        timer.close()


def pytest_report_header(config: pytest.Config) -> str:
    return f"tfkata: testing kata files in {config.stash[IMPL_DIR]}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A stub's NotImplementedError ends a hypothesis test at once: there is nothing to shrink."""
    impl_dir = config.stash[IMPL_DIR]
    for item in items:
        handle = getattr(getattr(item, "obj", None), "hypothesis", None)
        if handle is None or getattr(handle.inner_test, "_tfkata_wrapped", False):
            continue
        handle.inner_test = _stop_at_stub(handle.inner_test, impl_dir)


def _stop_at_stub(inner, impl_dir: Path):
    @functools.wraps(inner)
    def wrapper(*args, **kwargs):
        try:
            return inner(*args, **kwargs)
        except NotImplementedError as exc:
            if raised_in(exc, impl_dir):
                raise KataNotImplemented(str(exc)) from exc
            raise

    wrapper._tfkata_wrapped = True
    return wrapper


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session):
    """Collection imports TensorFlow: ~280,000 long-lived objects. Collecting garbage meanwhile
    only rescans them (0.5 s of a `kata check`); afterwards they are frozen out of the
    collector's sight, so each later full collection costs microseconds instead of ~0.13 s."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return (yield)
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


@pytest.fixture(scope="module")
def kata(request: pytest.FixtureRequest):
    """The kata module under test, loaded from the --impl folder."""
    tests_dir = request.config.rootpath / "tests"
    name = kata_name_of(request.path, tests_dir)
    if name is None:
        raise KataError(f"{request.path.name}: the kata fixture is for tests/test_NAME.py files")
    return impl.load_kata(request.config.stash[IMPL_DIR], name)


@pytest.fixture(autouse=True)
def _pinned_seeds(request: pytest.FixtureRequest):
    """Clear Keras state and pin every seed before each kata test, whatever ran before it.
    TensorFlow is seeded once something has loaded it (the test module or the kata file, both
    loaded by now): a kata whose tests and file need only NumPy runs without TensorFlow's import."""
    if "kata" in request.fixturenames:
        import random

        import numpy as np

        random.seed(SEED)
        np.random.seed(SEED)
        if "tensorflow" in sys.modules or "keras" in sys.modules:
            import keras

            keras.backend.clear_session(free_memory=False)
            keras.utils.set_random_seed(SEED)
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    name = kata_of_item(item)
    doc = (getattr(item, "obj", None).__doc__ or "").strip().split("\n")[0]
    report.user_properties.append(("tfkata_kata", name))
    report.user_properties.append(("tfkata_doc", doc))
    timed_out = call.excinfo and _leaf(call.excinfo.value, (KataTimeout, KataPhaseTimeout))
    if report.failed and timed_out:
        message = str(timed_out)
        report.user_properties.append(("tfkata_reason", timeouts.REASON))
        report.user_properties.append(("tfkata_message", message))
        report.longrepr = message
    elif report.failed and call.excinfo is not None:
        reason, message = summarize(call.excinfo.value, item.config.stash[IMPL_DIR], name)
        if reason == outcomes.NOT_IMPLEMENTED:
            function = _stub_function(call.excinfo.value, item.config.stash[IMPL_DIR])
            report.user_properties.append((FUNCTION_KEY, function))
        report.user_properties.append(("tfkata_reason", reason))
        report.user_properties.append(("tfkata_cause", outcomes.cause_of(call.excinfo.value)))
        report.user_properties.append(("tfkata_message", message))
        if reason in ("missing", "load_error", "not_implemented"):
            report.longrepr = message
    return report


def _leaf(
    exc: BaseException, kind: type[BaseException] | tuple[type[BaseException], ...]
) -> BaseException | None:
    """`exc`, or the first exception of that kind it groups or wraps."""
    seen = 0
    while exc is not None and seen < 8:
        seen += 1
        if isinstance(exc, kind):
            return exc
        if isinstance(exc, BaseExceptionGroup) and exc.exceptions:
            exc = exc.exceptions[0]
        else:
            exc = exc.__cause__ or exc.__context__
    return None


def _stub_function(exc: BaseException, impl_dir: Path) -> str | None:
    """The function whose stub raised: the stub's message names it (`QUALNAME: your code
    here...`, see tfkata.stubgen), else the innermost frame in the kata file."""
    exc = _leaf(exc, NotImplementedError) or exc
    text = str(exc)
    if STUB_MARKER in text:
        return text.split(STUB_MARKER)[0].rstrip().removesuffix(":").strip() or None
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if Path(f.filename).resolve().parent == impl_dir.resolve()
    ]
    return frames[-1].name if frames else None


class FailFast:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.failed: set[Path] = set()

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        if self.enabled and item.path in self.failed:
            pytest.skip("an earlier test of this kata failed (--kata-failfast)")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if self.enabled and report.failed:
            self.failed.add(Path(report.fspath).resolve())


class ReportWriter:
    """Collects every test's outcome in the controlling process and writes one JSON file."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.path = Path(config.getoption("--kata-report"))
        self.tests: dict[str, dict] = {}
        self.collection_errors: list[dict] = []
        self.started = time.monotonic()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # one schema with the grader's (tfkata.outcomes)
        entry = self.tests.setdefault(report.nodeid, outcomes.new_entry(report.nodeid))
        _update_entry(entry, report)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(
                {"nodeid": report.nodeid, "message": str(report.longrepr)[-1500:]}
            )

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        data = {
            "version": 1,
            "impl": str(self.config.stash[IMPL_DIR]),
            "exitstatus": int(exitstatus),
            "duration": round(time.monotonic() - self.started, 3),
            "tests": list(self.tests.values()),
            "collection_errors": self.collection_errors,
            # the stub functions some test stopped at (NotImplementedError), in order met
            "not_started": list(
                dict.fromkeys(
                    t["function"]
                    for t in self.tests.values()
                    if t.get("reason") == outcomes.NOT_IMPLEMENTED and t.get("function")
                )
            ),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(self.path.suffix + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        tmp.replace(self.path)


def _update_entry(entry: dict, report: pytest.TestReport) -> dict:
    """outcomes.update_entry, plus `function`: the stub function a not-started test stopped at
    (its failure stays "failed", so every reader counts it as not passed)."""
    outcomes.update_entry(entry, report)
    entry.setdefault("function", None)
    if entry["reason"] == outcomes.NOT_IMPLEMENTED and entry["function"] is None:
        entry["function"] = dict(report.user_properties).get(FUNCTION_KEY)
    return entry


class Feed:
    """The run's progress as JSON lines on a pipe to tfkata.runner, which shows a long check is
    alive and, if the process ends early, keeps the tests done and runs the rest:

        {"event": "collected", "nodeids": [...]}
        {"event": "start", "nodeid": ..., "limit": SECONDS}
        {"event": "done", "entry": {...}}      the test's JSON report entry, once it is over
        {"event": "stuck", "entry": {...}}     a test past its hard limit (tfkata.timeouts);
                                               the process ends next
    """

    def __init__(self, fd: int, timer: KataTimer) -> None:
        self.fd = fd
        self.timer = timer
        self.entries: dict[str, dict] = {}

    def _send(self, event: dict) -> None:
        if self.fd < 0:
            return
        data = memoryview((json.dumps(event) + "\n").encode("utf-8"))
        try:
            while data:  # a pipe may take a long line in parts
                data = data[os.write(self.fd, data) :]
        except OSError:  # the runner went away: the run itself goes on
            self.fd = -1

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._send({"event": "collected", "nodeids": [i.nodeid for i in session.items]})

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids: list[str]) -> None:
        if not getattr(self, "_xdist_sent", False):
            self._xdist_sent = True
            self._send({"event": "collected", "nodeids": list(ids)})

    def pytest_runtest_logstart(self, nodeid: str, location) -> None:
        limit = self.timer.current_limit(nodeid)
        self._send({"event": "start", "nodeid": nodeid, "limit": limit})

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        entry = self.entries.setdefault(report.nodeid, outcomes.new_entry(report.nodeid))
        _update_entry(entry, report)

    def pytest_runtest_logfinish(self, nodeid: str, location) -> None:
        entry = self.entries.pop(nodeid, None)
        if entry is not None:
            self._send({"event": "done", "entry": entry})

    def stuck(self, item: pytest.Item, message: str) -> None:
        entry = self.entries.pop(item.nodeid, None) or outcomes.new_entry(item.nodeid)
        entry.update(
            kata=kata_of_item(item),
            doc=(getattr(item, "obj", None).__doc__ or "").strip().split("\n")[0],
            outcome="failed",
            reason=timeouts.REASON,
            when="call",
            message=message,
            function=None,
        )
        self._send({"event": "stuck", "entry": entry})
