"""The pytest plugin behind every kata test.

- `--impl solutions|katas|PATH` (or $TFKATA_IMPL) picks the folder of kata files under test;
  the `kata` fixture gives a test module `tests/test_NAME.py` the module NAME from that folder.
- Tests that use `kata` start from a cleared Keras session and pinned seeds.
- Failures carry a short message (see tfkata.messages); a stub's NotImplementedError is shown as
  one friendly line instead of a traceback.
- `--kata-report FILE` writes every test's outcome as JSON (works under pytest-xdist).
- `--kata-failfast` skips the rest of a kata's tests after its first failure.
- The garbage collector pauses during collection and then freezes what it imported (TF)."""

from __future__ import annotations

import functools
import gc
import json
import os
import re
import time
from pathlib import Path

import pytest

from tfkata import impl
from tfkata.errors import KataError
from tfkata.messages import KataNotImplemented, raised_in, summarize

IMPL_DIR = pytest.StashKey[Path]()
TEST_FILE = re.compile(r"^test_([a-z0-9_]+)\.py$")
SEED = 20261123


def kata_name_of(path: Path, tests_dir: Path) -> str | None:
    """`tests/test_NAME.py` -> NAME (kata test files sit directly in tests/)."""
    match = TEST_FILE.match(path.name)
    if match and path.parent.resolve() == tests_dir.resolve():
        return match.group(1)
    return None


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
    """Clear Keras state and pin every seed before each kata test, whatever ran before it."""
    if "kata" in request.fixturenames:
        import keras

        keras.backend.clear_session(free_memory=False)
        keras.utils.set_random_seed(SEED)
    yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    tests_dir = item.config.rootpath / "tests"
    name = kata_name_of(item.path, tests_dir)
    doc = (getattr(item, "obj", None).__doc__ or "").strip().split("\n")[0]
    report.user_properties.append(("tfkata_kata", name))
    report.user_properties.append(("tfkata_doc", doc))
    if report.failed and call.excinfo is not None:
        reason, message = summarize(call.excinfo.value, item.config.stash[IMPL_DIR], name)
        report.user_properties.append(("tfkata_reason", reason))
        report.user_properties.append(("tfkata_message", message))
        if reason in ("missing", "load_error", "not_implemented"):
            report.longrepr = message
    return report


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
        props = dict(report.user_properties)
        entry = self.tests.setdefault(
            report.nodeid,
            {
                "nodeid": report.nodeid,
                "kata": props.get("tfkata_kata"),
                "test": report.nodeid.split("::")[-1],
                "doc": props.get("tfkata_doc", ""),
                "outcome": "passed",
                "reason": None,
                "message": "",
                "duration": 0.0,
            },
        )
        entry["duration"] = round(entry["duration"] + report.duration, 4)
        if report.skipped and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"
            entry["message"] = (
                str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
            )
        elif report.failed and entry["outcome"] in ("passed", "skipped"):
            entry["outcome"] = "failed" if report.when == "call" else "error"
            entry["reason"] = props.get("tfkata_reason", "exception")
            entry["message"] = props.get("tfkata_message") or str(report.longrepr)[-800:]

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
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(self.path.suffix + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        tmp.replace(self.path)
